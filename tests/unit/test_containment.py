"""Files content refers to must lie inside the content folder, links followed."""

from __future__ import annotations

from pathlib import Path

from plugins.programme.containment import inside


def test_plain_paths_inside_and_parent_paths_outside(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "bild.png").write_bytes(b"x")
    assert inside(tmp_path, "images/bild.png")
    assert inside(tmp_path, "/images/bild.png")
    assert inside(tmp_path, "images/fehlt/noch.png")  # missing: lexically inside
    assert inside(tmp_path, "images/../images/bild.png")
    assert not inside(tmp_path, "../geheim.txt")
    assert not inside(tmp_path, "images/../../geheim.txt")


def test_a_link_anywhere_below_the_folder_is_followed(tmp_path: Path) -> None:
    content, outside = tmp_path / "content", tmp_path / "outside"
    (content / "images").mkdir(parents=True)
    outside.mkdir()
    (outside / "geheim.txt").write_text("geheim", encoding="utf-8")
    (content / "images" / "ordner").symlink_to(outside, target_is_directory=True)
    (content / "images" / "datei.txt").symlink_to(outside / "geheim.txt")
    (content / "images" / "intern").symlink_to(content / "images", target_is_directory=True)
    assert not inside(content, "images/ordner/geheim.txt")
    assert not inside(content, "images/ordner/fehlt.txt")
    assert not inside(content, "images/datei.txt")
    assert inside(content, "images/intern/datei-die-es-nicht-gibt.png")


def test_a_content_folder_reached_through_a_link_is_still_the_content_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "images").mkdir(parents=True)
    (real / "images" / "bild.png").write_bytes(b"x")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert inside(tmp_path / "link", "images/bild.png")
