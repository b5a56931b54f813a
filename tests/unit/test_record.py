"""The record of sent issues is written so that it reads back: the reader refuses YAML anchors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.newsletter.record import RecordedIssue, append_issue, load_record
from plugins.programme.issue_record import read_record


def test_a_value_used_twice_is_written_out_twice_and_reads_back(tmp_path: Path) -> None:
    carried = ["sprechstunde-im-newsroom"]  # one list object in two places: YAML would alias it
    record = tmp_path / "issues.yml"
    append_issue(record, RecordedIssue(7, datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Berlin")),
                                       "Neues", "Kurz", carried, events=carried))
    assert "&" not in record.read_text(encoding="utf-8")
    issue, = load_record(record)
    assert issue.posts == issue.events == carried


HOSTILE_RECORD = """\
issues:
  - number: 1
    date: 2022-06-02T09:00
    subject: 42
    posts: [erster-beitrag]
  - number: 2
    date: 2022-07-02T09:00
    subject: "Glocke \\a im Betreff"
    posts: {erster-beitrag: 1}
  - [3, 2022-08-01]
  - number: 4
    date: 0001-01-01
    subject: Zu früh
  - number: 5
    date: 2022-09-01T09:00
    subject: "Ein Betreff"
    campaigns: listmonk-17
    passwort: geheim
  - number: true
    date: 2022-10-01T09:00
    subject: Wahr
  - number: 7
    date: 2022-11-01T09:00
    subject: "Gut"
    preheader: |
      Zwei
      Zeilen
    posts: [neuer-beitrag]
  - number: 8
    date: 2022-12-01T09:00
    subject: "Noch einmal"
    posts: [erster-beitrag]
  - number: 9
    date: 2023-01-01T09:00
    subject: "Leer"
"""


def test_every_mistake_in_the_record_is_one_german_line_at_its_field(tmp_path: Path) -> None:
    record = tmp_path / "issues.yml"
    record.write_text(HOSTILE_RECORD, encoding="utf-8")
    issues, problems = read_record(record)
    said = [(problem.line, problem.message) for problem in problems]
    assert said == [
        (4, "Feld „subject“ ist kein Text"),
        (8, "Feld „subject“ enthält ein unsichtbares Steuerzeichen U+0007"),
        (9, "Feld „posts“ ist keine Liste von Kennungen"),
        (10, "Eintrag ist keine Ausgabe"),
        (12, said[4][1]),  # the date parser's own message for year 1
        (17, "Feld „campaigns“ ist keine Zuordnung Versanddienst → Kampagne"),
        (18, "unbekanntes Feld „passwort“"),
        (19, "Ausgabe hat die Nummer „True“"),
        # Each post goes out once (issue 1's subject was wrong, its posts were sent all the same),
        # and an issue carries something: the record never outgrows the content it sent.
        (32, "„erster-beitrag“ war schon in Ausgabe 1"),
        (33, "Ausgabe 9 trägt keinen Beitrag und keinen Termin"),
    ], said
    assert "0001" in said[4][1] or "Jahr" in said[4][1]
    # The one good entry is read, its two-line preheader as one line (it becomes a mail header).
    assert [(issue.number, issue.preheader) for issue in issues] == [(7, "Zwei Zeilen")]


def test_a_record_that_is_not_a_list_of_issues_says_so(tmp_path: Path) -> None:
    record = tmp_path / "issues.yml"
    for text in ("issues: keine\n", "- number: 1\n", "issues:\n  nummer: 1\n"):
        record.write_text(text, encoding="utf-8")
        said = [(problem.line, problem.message) for problem in read_record(record)[1]]
        assert said == [(1, "Datei hat keine Liste „issues:“")]
