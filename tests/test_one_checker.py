"""One checker: `invoke check --fast` and the build report exactly the same problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from pipeline.build import build
from pipeline.content_check import content_problems


@pytest.fixture
def broken_tree(tmp_path: Path, good_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Good content plus every broken fixture, seen from the folder an editor works in."""
    for source in [*(FIXTURES / "broken").iterdir(), *(FIXTURES / "broken-more").iterdir()]:
        shutil.copy(source, good_content / "posts" / source.name)
    (good_content / "pages" / "ohne-titel.md").write_text("---\nslug: Ohne Titel\n---\n\nText.\n",
                                                          encoding="utf-8")
    (good_content / "termine").mkdir()
    (good_content / "termine" / "2026-03-kaputt.md").write_text(
        "---\ntitle: Treffen\nstart: 2026-03-12 19:00\nend: 2026-03-12 17:00\ndate: 2026-02-01 09:00\n"
        "measure: partizipation\nsummary: Kurz.\nposts: [gibt-es-nicht]\n---\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return good_content


def test_check_and_build_report_identical_problems(tmp_path: Path, broken_tree: Path) -> None:
    checked = [str(problem) for problem in content_problems(str(broken_tree))]
    built = build(ROOT / "pelicanconf.py", tmp_path / "output", broken_tree)

    assert not built.ok and built.problems == checked
    # The tree holds causes of every kind; each one is there, at its line.
    expected = ("content/posts/unknown-measure.md:4:", "content/posts/link-to-future.md:8: Link auf",
                "content/posts/latin1.md:2: Datei ist nicht in UTF-8", "content/posts/extra-field.md:6:",
                "content/pages/ohne-titel.md:1: Pflichtfeld „title“",
                "content/posts/2024-06-01-ausblick.md:1: Slug „ausblick“",
                "content/termine/2026-03-kaputt.md:4: Ende liegt vor dem Beginn",
                "content/termine/2026-03-kaputt.md:6: „partizipation“ ist ein Cluster",
                "content/termine/2026-03-kaputt.md:2: Ort fehlt",
                "content/termine/2026-03-kaputt.md:8: Beitrag „gibt-es-nicht“ gibt es nicht")
    for start in expected:
        assert any(line.startswith(start) for line in checked), (start, checked)
    assert any("nicht veröffentlicht" in line for line in checked if "link-to-future" in line)


def test_extra_front_matter_fields_from_the_settings_count_for_both(
        tmp_path: Path, broken_tree: Path) -> None:
    settings = tmp_path / "settings.py"
    settings.write_text("from pelicanconf import *  # noqa\nEXTRA_FRONT_MATTER_FIELDS = ['ort']\n",
                        encoding="utf-8")
    checked = [str(p) for p in content_problems(str(broken_tree), settings_file=str(settings))]
    built = build(settings, tmp_path / "output", broken_tree)

    assert built.problems == checked
    assert not any("extra-field.md" in line for line in checked)
