"""Composing an issue: which posts go in, in which order, with which subject and key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import PROGRAMME

from plugins.newsletter.compose import SelectionError, compose_issue, load_editorial, select_next
from plugins.newsletter.record import RecordedIssue
from plugins.programme.programme_file import load_programme

BERLIN = ZoneInfo("Europe/Berlin")


def day(d: int, month: int = 11) -> datetime:
    return datetime(2026, month, d, 10, tzinfo=BERLIN)


@dataclass
class Post:
    """What composition reads of an enriched article."""

    slug: str
    date: datetime
    measures: list
    newsletter: bool = True
    title: str = ""
    metadata: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.title = self.title or self.slug.capitalize()
        self.metadata = {"newsletter": self.newsletter}


@pytest.fixture(scope="module")
def programme():
    return load_programme(PROGRAMME)


@pytest.fixture
def posts(programme) -> list[Post]:
    m = programme.measure
    return [Post("hub", day(20), [m("smart-city-hub")]), Post("newsroom", day(10), [m("coworking-newsroom")]),
            Post("treffen", day(5), [m("meet-me"), m("mach-mit")]),
            Post("intern", day(15), [m("meet-me")], newsletter=False)]


def test_the_next_issue_carries_what_came_after_the_last_issue(posts) -> None:
    record = [RecordedIssue(1, day(8), "Eins", "", ["treffen"])]
    assert [p.slug for p in select_next(posts, record)] == ["hub", "newsroom"]
    assert [p.slug for p in select_next(posts, [])] == ["hub", "newsroom", "treffen"]
    assert [p.slug for p in select_next(posts, record, since=day(1))] == ["hub", "newsroom", "treffen"]


def test_a_post_published_while_an_issue_was_being_sent_goes_into_the_next(posts) -> None:
    """Issue 1 carried "treffen" (5 Nov.); its send was resumed and recorded on 12 Nov.: "newsroom"
    (10 Nov.), published between the first try and the rerun, was never sent and comes next."""
    record = [RecordedIssue(1, day(12), "Eins", "", ["treffen"])]
    assert [p.slug for p in select_next(posts, record)] == ["hub", "newsroom"]
    # What an issue carried never comes again, whatever its date.
    record = [RecordedIssue(1, day(12), "Eins", "", ["treffen", "newsroom"])]
    assert [p.slug for p in select_next(posts, record)] == ["hub"]


def test_named_posts_are_taken_exactly_and_unsuitable_ones_refused(posts) -> None:
    assert [p.slug for p in select_next(posts, [], slugs=["treffen"])] == ["treffen"]
    with pytest.raises(SelectionError, match="nicht für den Newsletter vorgesehen"):
        select_next(posts, [], slugs=["intern"])
    with pytest.raises(SelectionError, match="gibt es nicht"):
        select_next(posts, [], slugs=["weg"])


def test_posts_are_grouped_in_programme_order_under_their_first_measure(posts, programme) -> None:
    issue = compose_issue(3, day(25), posts[:3], programme)
    assert [(g.cluster.slug, [(m.measure.slug, [p.slug for p in m.posts]) for m in g.measures])
            for g in issue.groups] == [
        ("kommunikation", [("meet-me", ["treffen"])]),
        ("partizipation", [("coworking-newsroom", ["newsroom"])]),
        ("datensouveraenitaet", [("smart-city-hub", ["hub"])])]
    assert [p.slug for p in issue.posts] == ["treffen", "newsroom", "hub"]


def test_subject_preheader_and_key_have_defaults_and_the_editorial_wins(posts, programme,
                                                                       tmp_path: Path) -> None:
    plain = compose_issue(3, day(25), posts[:2], programme)
    assert plain.subject.endswith("Ausgabe 3") and plain.preheader.startswith("In dieser Ausgabe: ")
    assert plain.key == f"{programme.newsletter['key_prefix']}-0003" and plain.url == "newsletter/3/"
    editorial_file = tmp_path / "2026-11-24.md"
    editorial_file.write_text("---\nsubject: Hallo\npreheader: Kurz\n---\n\nText", encoding="utf-8")
    editorial = load_editorial(tmp_path, None, day(8), "Europe/Berlin")
    assert editorial is not None
    issue = compose_issue(3, day(25), posts[:2], programme, editorial)
    assert (issue.subject, issue.preheader) == ("Hallo", "Kurz")
    assert load_editorial(tmp_path, None, day(30), "Europe/Berlin") is None  # older than the last issue
