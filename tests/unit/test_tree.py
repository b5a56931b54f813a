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


def test_the_address_comes_from_the_file_name_without_its_date(tmp_path: Path, config: ContentConfig,
                                                                programme) -> None:
    def slug(relative: str, title: str = "Grüße aus Würzburg", extra: str = "") -> tuple[str, int]:
        source = read_source(write(tmp_path, relative, post(title, extra=extra)), config, programme)
        return source.slug, source.slug_line

    assert slug("posts/2024-03-11-wue-app-offen.md") == ("wue-app-offen", 1)
    assert slug("posts/2027-01-offene-sprechstunde.md") == ("offene-sprechstunde", 1)  # month only
    assert slug("posts/Grüße aus Würzburg.md", "Anders") == ("gruesse-aus-wuerzburg", 1)
    # A file named by its date alone takes the title's words; a written slug wins over both.
    assert slug("posts/2024-03-12.md") == ("gruesse-aus-wuerzburg", 2)
    assert slug("posts/2024-03-13-x.md", extra="slug: eigener-name\n") == ("eigener-name", 6)


def test_a_corrected_title_keeps_the_address(tmp_path: Path, config: ContentConfig, programme) -> None:
    before = read_source(write(tmp_path, "posts/2024-03-11-treffen.md", post("Treffen im Newsroom")),
                         config, programme)
    after = read_source(write(tmp_path, "posts/2024-03-11-treffen.md", post("Treffen im Newsroom (verlegt)")),
                        config, programme)
    assert before.slug == after.slug == "treffen"


def test_links_to_unpublished_or_missing_files_and_shared_slugs(tmp_path: Path, config: ContentConfig,
                                                                programme) -> None:
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1, 1)).save(tmp_path / "images" / "da.png")
    texts = {
        "posts/2026-10-01-gleich.md": post("A", body="[x]({filename}2026-10-02-gleich.md) "
                                                "[y]({filename}weg.md) ![Bild]({static}/images/da.png) "
                                                "[z]({filename}spaeter.md)"),
        "posts/2026-10-02-gleich.md": post("B"),
        "posts/spaeter.md": post("Später", "2027-01-01 10:00"),
    }
    sources = [read_source(write(tmp_path, name, text), config, programme) for name, text in texts.items()]
    problems = [(p.path.rsplit("/", 1)[-1], p.line, p.message.split(":")[-1].strip())
                for p in tree_problems(sources, config)]
    first, second = "2026-10-01-gleich.md", "2026-10-02-gleich.md"
    assert sorted(problems) == [
        (first, 1, f"Slug „gleich“ wird auch von {sources[1].post.path} verwendet"),
        (first, 8, "diese Datei gibt es nicht"),
        (first, 8, "dieser Beitrag ist nicht veröffentlicht"),
        (second, 1, f"Slug „gleich“ wird auch von {sources[0].post.path} verwendet"),
    ]


def test_a_file_in_another_encoding_is_one_problem(tmp_path: Path, config: ContentConfig, programme) -> None:
    path = tmp_path / "posts" / "alt.md"
    path.parent.mkdir()
    path.write_bytes(post("Grüße").encode("cp1252"))
    source = read_source(path, config, programme)
    found = [(p.line, p.message) for p in source.post.problems]
    assert found == [(2, "Datei ist nicht in UTF-8 gespeichert")]


def test_tags_that_would_share_a_topic_page_are_refused_at_the_second(tmp_path: Path, config: ContentConfig,
                                                                     programme) -> None:
    texts = {"posts/a.md": post("A", extra="tags: [C#, KI]\n"),
             "posts/b.md": post("B", extra="tags: [C++, ki]\n"),  # ki: the same topic as KI
             "posts/c.md": post("C", extra="tags: [\"Open  Data\"]\n"),
             "posts/d.md": post("D", extra="tags: [open data]\n")}
    sources = [read_source(write(tmp_path, name, text), config, programme) for name, text in texts.items()]
    problems = tree_problems(sources, config)
    assert [(Path(p.path).name, p.line) for p in problems] == [("b.md", 6)]
    assert "„C++“" in problems[0].message and "themen/c/" in problems[0].message
    assert "a.md" in problems[0].message
