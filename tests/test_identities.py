"""Identities are the build's: a `uid:` in the front matter keeps a moved post's or event's
identity, but can never take another entry's — feed readers and calendars would replace the real
entry with the forgery. Refused at the later file's `uid:` line by build and content check."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import refused_by_build_and_check, run_build
from test_events import NOW, PLACE, event

POST = "posts/2023-09-01-sonderzeichen.md"


def add_uid(path: Path, uid: str) -> int:
    """Write ``uid:`` into the front matter; its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(2, f'uid: "{uid}"')
    path.write_text("\n".join(lines), encoding="utf-8")
    return 3


def refused(tmp_path: Path, content: Path, relative: str, line: int, words: str) -> None:
    refused_by_build_and_check(tmp_path, content, f"content/{relative}:{line}: {words}", env=NOW)


@pytest.mark.parametrize(("uid", "owner"), [
    # Another post's feed entry id, as the build derives it (authority, first date, address).
    ("tag:stadt.land.smart,2023-06-01:ausblick", "posts/2023-06-01-ausblick.md"),
    # An event's calendar UID and its feed entry id.
    ("termin-2026-03-sprechstunde@stadt.land.smart", "termine/2026-03-sprechstunde.md"),
    ("tag:stadt.land.smart,2026-02-01:termine/2026-03-sprechstunde", "termine/2026-03-sprechstunde.md"),
])
def test_a_post_cannot_take_another_entry_s_identity(tmp_path: Path, good_content: Path, uid: str,
                                                     owner: str) -> None:
    event(good_content, "2026-03-sprechstunde")
    line = add_uid(good_content / POST, uid)
    refused(tmp_path, good_content, POST, line, f"„uid: {uid}“ ist schon die Kennung von content/{owner}")


def test_a_post_cannot_take_a_translation_s_identity(tmp_path: Path, good_content: Path) -> None:
    # A translation is an entry of its own in its language's feed: its original's id and its
    # language. A post claiming it would stand in for the translation in readers' feeds.
    (good_content / "posts" / "2023-06-01-ausblick.en.md").write_text(
        "---\ntitle: Outlook\nsummary: What comes next.\n---\n\nWhat comes next.\n", encoding="utf-8")
    uid = "tag:stadt.land.smart,2023-06-01:ausblick/en"
    line = add_uid(good_content / POST, uid)
    refused(tmp_path, good_content, POST, line,
            f"„uid: {uid}“ ist schon die Kennung von content/posts/2023-06-01-ausblick.en.md")


def test_an_event_cannot_take_another_event_s_calendar_uid(tmp_path: Path, good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde")
    forged = event(good_content, "2026-04-sprechstunde", "2026-04-16 17:00", "2026-04-16 19:00",
                   PLACE + 'uid: "termin-2026-03-sprechstunde@stadt.land.smart"\n')
    line = forged.read_text(encoding="utf-8").split("\n").index(
        'uid: "termin-2026-03-sprechstunde@stadt.land.smart"') + 1
    refused(tmp_path, good_content, "termine/2026-04-sprechstunde.md", line,
            "„uid: termin-2026-03-sprechstunde@stadt.land.smart“ ist schon die Kennung von "
            "content/termine/2026-03-sprechstunde.md")


def test_two_files_cannot_write_the_same_uid(tmp_path: Path, good_content: Path) -> None:
    moved = "tag:stadt.land.smart,2022-01-10:alter-beitrag"
    add_uid(good_content / "posts" / "2023-05-02-erstes-treffen.md", moved)
    line = add_uid(good_content / POST, moved)
    refused(tmp_path, good_content, POST, line,
            f"„uid: {moved}“ ist schon die Kennung von content/posts/2023-05-02-erstes-treffen.md")


def test_a_moved_post_keeps_its_former_identity(tmp_path: Path, good_content: Path) -> None:
    former = "tag:stadt.land.smart,2022-01-10:alter-beitrag"
    add_uid(good_content / POST, former)
    run = run_build(tmp_path, good_content, tmp_path / "output", env=NOW)
    assert run.code == 0, run.stderr
    feed = (tmp_path / "output" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert f"<id>{former}</id>" in feed


@pytest.mark.parametrize("uid", ["zwei Wörter", "a<b>", "x" * 201, 'tag:x,2024:"/a"'])
def test_a_written_identity_is_an_address_like_id(tmp_path: Path, good_content: Path, uid: str) -> None:
    # It becomes an Atom entry id (an IRI) and a calendar UID: no spaces, brackets or quotes.
    line = add_uid(good_content / POST, uid.replace('"', '\\"'))
    refused(tmp_path, good_content, POST, line, f"Kennung „{uid[:60]}“ ist ungültig")
