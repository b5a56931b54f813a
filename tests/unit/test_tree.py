"""The content tree: which files are sources, what is published, what is wrong across files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import PROGRAMME
from PIL import Image

from plugins.programme.programme_file import load_programme
from plugins.programme.tree import ContentConfig, find_sources, read_source, tree_problems

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=BERLIN)


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def post(title: str, date: str = "2026-11-01 10:00", extra: str = "", body: str = "Text.") -> str:
    return (f"---\ntitle: {title}\ndate: {date}\nmeasure: meet-me\nsummary: Kurz.\n{extra}---\n\n"
            f"{body}\n")


@pytest.fixture
def config(tmp_path: Path) -> ContentConfig:
    return ContentConfig(root=tmp_path, programme_file=PROGRAMME, now=NOW, ignore_files=(".#*",))


@pytest.fixture(scope="module")
def programme():
    return load_programme(PROGRAMME)


def test_sources_are_found_with_their_kind_and_ignored_files_are_not(tmp_path: Path,
                                                                     config: ContentConfig) -> None:
    write(tmp_path, "posts/a.md", post("A"))
    write(tmp_path, "posts/2023/b.markdown", post("B"))
    write(tmp_path, "posts/.#a.md", "Sicherungskopie des Editors")
    write(tmp_path, "posts/notiz.txt", "keine Quelle")
    write(tmp_path, "pages/impressum.md", "---\ntitle: Impressum\n---\n")
    found = [(path.relative_to(tmp_path).as_posix(), kind) for path, kind in find_sources(config)]
    assert found == [("pages/impressum.md", "page"), ("posts/2023/b.markdown", "article"),
                     ("posts/a.md", "article")]


def test_a_future_date_or_a_draft_is_not_published(tmp_path: Path, config: ContentConfig, programme) -> None:
    later = read_source(write(tmp_path, "posts/spaeter.md", post("S", "2027-01-01 10:00")), config, programme)
    draft = read_source(write(tmp_path, "posts/e.md", post("E", extra="status: draft\n")), config, programme)
    due = read_source(write(tmp_path, "posts/d.md", post("D")), config, programme)
    assert [s.is_published(config) for s in (later, draft, due)] == [False, False, True]


def test_slugs_follow_the_title_or_the_slug_field(tmp_path: Path, config: ContentConfig, programme) -> None:
    by_title = read_source(write(tmp_path, "posts/a.md", post("Grüße aus Würzburg")), config, programme)
    by_field = read_source(write(tmp_path, "posts/b.md", post("X", extra="slug: eigener-name\n")), config,
                           programme)
    assert (by_title.slug, by_field.slug) == ("gruesse-aus-wuerzburg", "eigener-name")


def test_links_to_unpublished_or_missing_files_and_shared_slugs(tmp_path: Path, config: ContentConfig,
                                                                programme) -> None:
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1, 1)).save(tmp_path / "images" / "da.png")
    texts = {
        "posts/a.md": post("Gleich", body="[x]({filename}b.md) [y]({filename}weg.md) "
                                          "![Bild]({static}/images/da.png) [z]({filename}spaeter.md)"),
        "posts/b.md": post("Gleich"),
        "posts/spaeter.md": post("Später", "2027-01-01 10:00"),
    }
    sources = [read_source(write(tmp_path, name, text), config, programme) for name, text in texts.items()]
    problems = [(p.path.rsplit("/", 1)[-1], p.line, p.message.split(":")[-1].strip())
                for p in tree_problems(sources, config)]
    assert sorted(problems) == [
        ("a.md", 2, "Slug „gleich“ wird auch von " + str(sources[1].post.path) + " verwendet"),
        ("a.md", 8, "diese Datei gibt es nicht"),
        ("a.md", 8, "dieser Beitrag ist nicht veröffentlicht"),
        ("b.md", 2, "Slug „gleich“ wird auch von " + str(sources[0].post.path) + " verwendet"),
    ]


def test_a_file_in_another_encoding_is_one_problem(tmp_path: Path, config: ContentConfig, programme) -> None:
    path = tmp_path / "posts" / "alt.md"
    path.parent.mkdir()
    path.write_bytes(post("Grüße").encode("cp1252"))
    source = read_source(path, config, programme)
    found = [(p.line, p.message) for p in source.post.problems]
    assert found == [(2, "Datei ist nicht in UTF-8 gespeichert")]
