"""Participation dates: refused mistakes at their line, German pages, calendars that real clients
read (icalendar, khal), stable across rebuilds and moves, and events in feeds and the newsletter."""

from __future__ import annotations

import json
import os
import subprocess
from contextlib import chdir
from pathlib import Path

import icalendar
import pytest
from conftest import ROOT, environment, run_build, snapshot

from pipeline.build import build
from pipeline.content_check import content_problems

NOW = {"SLS_NOW": "2026-03-01T12:00"}
EVENT = """---
title: {title}
start: {start}
end: {end}
date: 2026-02-01 09:00
measure: coworking-newsroom
summary: Fragen und Antworten rund um die Maßnahmen.
{extra}---

Kommen Sie vorbei.
"""
PLACE = "place_name: Coworking Newsroom\nplace_street: Sanderstraße 4\nplace_town: Würzburg\n"


def event(content: Path, name: str, start: str = "2026-03-12 17:00", end: str = "2026-03-12 19:00",
          extra: str = PLACE, title: str = "Sprechstunde im Newsroom") -> Path:
    folder = content / "termine"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(EVENT.format(title=title, start=start, end=end, extra=extra), encoding="utf-8")
    return path


def built(tmp_path: Path, content: Path, name: str = "site") -> Path:
    run = run_build(tmp_path, content, tmp_path / name, env=NOW)
    assert run.code == 0, run.stderr
    return tmp_path / name


@pytest.mark.parametrize(("start", "end", "extra", "line", "words"), [
    ("2026-03-12 19:00", "2026-03-12 17:00", PLACE, 4, "Ende liegt vor dem Beginn"),
    ("2026-03-29 02:30", "2026-03-29 04:00", PLACE, 3, "gibt es am 2026-03-29 nicht (Zeitumstellung"),
    ("2026-03-12 17:00", "2026-03-12 19:00", "", 2, "Ort fehlt: weder ein Ort noch ein Link"),
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + "previous_starts: [2026-03-19 17:00]\n"
     "status: verschoben\n", 3, "der neue Termin liegt nicht nach dem früheren"),
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + "previous_starts: [2026-03-05 17:00, 2026-03-05 17:00]\n"
     "status: verschoben\n", 11, "früherer Termin „2026-03-05 17:00“ steht zweimal in der Liste"),
    # 20,000 former dates: every one shown on the page, the poster and in the calendar.
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + "previous_starts: [" + ", ".join(
        f"{2000 + n // 365}-01-01" for n in range(20_000)) + "]\nstatus: verschoben\n", 11,
     "„previous_starts“ nennt 20000 frühere Termine (höchstens 20)"),
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + "accessibility: [stufenlos, rollstuhl]\n", 11,
     "unbekanntes Merkmal der Barrierefreiheit „rollstuhl“"),
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + "status: abgesagd\n", 11,
     "unbekannter Stand „abgesagd“ — meintest du „abgesagt“?"),
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + "registration: link\n", 11,
     "Anmeldung per Link, aber kein Link"),
    ("2026-03-12", "2026-03-12 19:00", PLACE, 4, "Beginn und Ende passen nicht zusammen"),
    # A link that would end in the page's markup, and a title with an invisible control.
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + 'online_url: "https://x.example/a\\"><b>"\n', 11,
     "ist kein Link"),
    ("2026-03-12 17:00", "2026-03-12 19:00", PLACE + 'summary_easy: "Kommen Sie\\x1b[2J"\n', 11,
     "unsichtbares Steuerzeichen U+001B"),
])
def test_each_mistake_is_refused_at_its_line_by_build_and_check(
        tmp_path: Path, good_content: Path, start: str, end: str, extra: str, line: int, words: str) -> None:
    event(good_content, "2026-03-sprechstunde", start, end, extra)
    run = run_build(tmp_path, good_content, tmp_path / "output", env=NOW)
    expected = f"content/termine/2026-03-sprechstunde.md:{line}: "
    assert run.code == 1 and any(row.startswith(expected) and words in row
                                 for row in run.stderr.splitlines()), run.stderr
    assert not (tmp_path / "output").exists()
    with chdir(tmp_path):  # paths in the problems are relative to the folder
        checked = [str(p) for p in content_problems(str(good_content))]
    assert any(row.startswith(expected) and words in row for row in checked)


def test_an_unknown_measure_is_refused_with_a_suggestion(tmp_path: Path, good_content: Path) -> None:
    path = event(good_content, "2026-03-sprechstunde")
    path.write_text(path.read_text(encoding="utf-8").replace("measure: coworking-newsroom",
                                                             "measure: coworking"), encoding="utf-8")
    run = run_build(tmp_path, good_content, tmp_path / "output", env=NOW)
    assert "content/termine/2026-03-sprechstunde.md:6: unbekannte Maßnahme „coworking“ — meintest du " \
           "„coworking-newsroom“?" in run.stderr


def test_pages_say_when_and_where_in_german_and_sort_upcoming_before_past(
        tmp_path: Path, good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde",
          extra=PLACE + "accessibility: [stufenlos, induktionsschleife]\n"
          "transit: Straßenbahnhaltestelle in der Nähe\nregistration: hinweis\n"
          "registration_note: Anmeldung per E-Mail bis Montag davor.\n")
    event(good_content, "2026-02-vorbei", "2026-02-05", "2026-02-06", title="Werkstatt im Februar")
    event(good_content, "2026-04-abgesagt", "2026-04-16 17:00", "2026-04-16 19:00",
          PLACE + "status: abgesagt\n", title="Treffen im April")
    site = built(tmp_path, good_content)
    page = (site / "termine" / "2026" / "sprechstunde" / "index.html").read_text("utf-8")
    # "19:00" and "Uhr" never on two lines (a no-break space)
    assert "Donnerstag, 12. März 2026, 17:00 bis 19:00\u00a0Uhr" in page
    assert "Sanderstraße 4" in page and "https://www.openstreetmap.org/search?query=" in page
    assert "<iframe" not in page  # a link to the map, never an embedded one
    for words in ("Stufenloser Zugang", "Induktionsschleife für Hörgeräte", "Straßenbahnhaltestelle",
                  "Anmeldung per E-Mail bis Montag davor.", "In meinen Kalender eintragen",
                  "termin.ics"):
        assert words in page, words
    cancelled = (site / "termine" / "2026" / "abgesagt" / "index.html").read_text("utf-8")
    assert "Abgesagt: Treffen im April" in cancelled and "Dieser Termin findet nicht statt." in cancelled
    overview = (site / "termine" / "index.html").read_text("utf-8")
    upcoming, past = overview.split('id="kommende"')[1].split('id="vergangene"')
    assert upcoming.index("Sprechstunde im Newsroom") < upcoming.index("Treffen im April")
    assert "Werkstatt im Februar" in past and "Werkstatt im Februar" not in upcoming
    assert "Donnerstag, 5. Februar 2026, bis Freitag, 6. Februar 2026" in past
    assert "webcal://" in overview and "/kalender/alle.ics" in overview
    measure = site / "massnahmen" / "coworking-newsroom" / "index.html"
    assert "Sprechstunde im Newsroom" in measure.read_text("utf-8")
    assert "Sprechstunde im Newsroom" in (site / "index.html").read_text("utf-8")


def calendar_events(path: Path) -> list:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_calendars_round_trip_and_carry_status_uid_and_the_event_page(tmp_path: Path,
                                                                      good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde")
    event(good_content, "2026-04-abgesagt", "2026-04-16 17:00", "2026-04-16 19:00",
          PLACE + "status: abgesagt\n", title="Treffen im April")
    site = built(tmp_path, good_content)
    files = sorted(site.rglob("*.ics"))
    assert site / "kalender" / "alle.ics" in files
    assert site / "kalender" / "massnahmen" / "coworking-newsroom.ics" in files
    assert site / "kalender" / "cluster" / "partizipation.ics" in files
    for path in files:
        data = path.read_bytes()
        parsed = icalendar.Calendar.from_ical(data)
        assert parsed.to_ical() == data, path  # RFC 5545 round trip: nothing lost or reordered
    every = {str(e["UID"]): e for e in calendar_events(site / "kalender" / "alle.ics")}
    one = calendar_events(site / "termine" / "2026" / "sprechstunde" / "termin.ics")[0]
    assert set(every) == {"termin-2026-03-sprechstunde@stadt.land.smart",
                          "termin-2026-04-abgesagt@stadt.land.smart"}  # no domain in the UID
    assert str(one["UID"]) == "termin-2026-03-sprechstunde@stadt.land.smart"
    assert str(one["URL"]).endswith("/termine/2026/sprechstunde/")
    assert str(one["LOCATION"]) == "Coworking Newsroom, Sanderstraße 4, Würzburg"
    assert one.decoded("DTSTART").isoformat() == "2026-03-12T17:00:00+01:00"
    assert str(every["termin-2026-04-abgesagt@stadt.land.smart"]["STATUS"]) == "CANCELLED"
    assert b"BEGIN:VTIMEZONE" in (site / "kalender" / "alle.ics").read_bytes()
    assert not calendar_events(site / "kalender" / "massnahmen" / "wue-app.ics")  # empty, but there


def khal(tmp_path: Path, *args: str) -> str:
    config = tmp_path / "khal.conf"
    if not config.exists():
        (tmp_path / "vdir").mkdir()
        config.write_text(f"""[calendars]
[[termine]]
path = {tmp_path / "vdir"}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = Europe/Berlin
local_timezone = Europe/Berlin
""", encoding="utf-8")
    done = subprocess.run(["khal", "-c", str(config), *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TZ": "UTC"}, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def listed(tmp_path: Path) -> list[str]:
    return [line.strip() for line in khal(tmp_path, "list", "--once", "--day-format", "", "--format",
                                  "{start} | {end} | {title} | {status}", "2026-01-01", "2027-12-31")
            .splitlines() if line.strip()]


@pytest.mark.slow  # khal, a real calendar client
def test_khal_imports_every_calendar_with_local_times_in_summer_and_winter(
        tmp_path: Path, good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde")  # winter time
    event(good_content, "2026-07-sommer", "2026-07-09 18:30", "2026-07-09 20:00", title="Sommerabend")
    event(good_content, "2026-09-tage", "2026-09-21", "2026-09-23", title="Aktionstage")
    site = built(tmp_path, good_content)
    for path in sorted(site.rglob("*.ics")):
        khal(tmp_path, "import", "--batch", "-a", "termine", str(path))
    assert listed(tmp_path) == [
        "2026-03-12 17:00 | 2026-03-12 19:00 | Sprechstunde im Newsroom | CONFIRMED",
        "2026-07-09 18:30 | 2026-07-09 20:00 | Sommerabend | CONFIRMED",
        "2026-09-21 | 2026-09-23 | Aktionstage | CONFIRMED",
    ]


ICALJS = ROOT / "tests" / "clients" / "icaljs_events.mjs"


@pytest.mark.slow  # ical.js in Node, a second real calendar reader
def test_icaljs_reads_every_calendar_with_the_times_of_summer_and_winter(tmp_path: Path,
                                                                          good_content: Path) -> None:
    # ical.js is Thunderbird's and Nextcloud's parser; it reads the zone from the file. The zone
    # written as one-off dates (RDATE) made it shift a summer by an hour.
    event(good_content, "2026-03-sprechstunde")
    summer = event(good_content, "2026-07-sommer", "2026-07-09 18:30", "2026-07-09 20:00",
                   title="Sommerabend")
    summer.write_text(summer.read_text(encoding="utf-8").replace(
        "measure: coworking-newsroom", "measure: [coworking-newsroom, mach-mit]"), encoding="utf-8")
    event(good_content, "2027-07-sommer", "2027-07-08 18:00", "2027-07-08 20:00", title="Sommer 2027")
    event(good_content, "2027-01-winter", "2027-01-14 17:00", "2027-01-14 19:00", title="Winter 2027")
    site = built(tmp_path, good_content)
    files = sorted(str(path) for path in site.rglob("*.ics"))
    done = subprocess.run(["node", str(ICALJS), *files], capture_output=True, text=True, timeout=60,
                          check=True)
    read = [json.loads(line) for line in done.stdout.splitlines()]
    starts = {(entry["summary"], entry["start"]) for entry in read}
    assert {start for summary, start in starts if summary == "Sommerabend"} == {"2026-07-09T16:30:00.000Z"}
    assert {start for summary, start in starts if summary == "Sommer 2027"} == {"2027-07-08T16:00:00.000Z"}
    assert {start for summary, start in starts if summary == "Winter 2027"} == {"2027-01-14T16:00:00.000Z"}
    assert {start for summary, start in starts if summary == "Sprechstunde im Newsroom"} == {
        "2026-03-12T16:00:00.000Z"}
    # An event of two measures names both (in one CATEGORIES line, which every reader accepts).
    assert {tuple(e["categories"]) for e in read if e["summary"] == "Sommerabend"} == {
        ("Coworking Newsroom", "Mach mit")}


@pytest.mark.slow  # khal, a real calendar client
def test_a_moved_event_keeps_its_uid_raises_sequence_and_moves_in_a_subscribed_calendar(
        tmp_path: Path, good_content: Path) -> None:
    path = event(good_content, "2026-03-sprechstunde")
    before = built(tmp_path, good_content, "before")
    khal(tmp_path, "import", "--batch", "-a", "termine", str(before / "kalender" / "alle.ics"))
    # Moved, and its title corrected on the way: still the same event for every calendar.
    path.write_text(EVENT.format(title="Sprechstunde im Coworking Newsroom", start="2026-03-19 17:00",
                                 end="2026-03-19 19:00",
                                 extra=PLACE + "previous_starts: [2026-03-12 17:00]\nstatus: verschoben\n"
                                 "modified: 2026-02-20 10:00\n"), encoding="utf-8")
    after = built(tmp_path, good_content, "after")
    old, new = (calendar_events(site / "kalender" / "alle.ics")[0] for site in (before, after))
    assert old["UID"] == new["UID"] and int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert new.decoded("LAST-MODIFIED").isoformat() == "2026-02-20T09:00:00+00:00"  # from modified:
    # The address stays: the page of the moved event is where it was.
    assert (after / "termine" / "2026" / "sprechstunde" / "index.html").exists()
    assert new["URL"] == old["URL"]
    khal(tmp_path, "import", "--batch", "-a", "termine", str(after / "kalender" / "alle.ics"))
    assert listed(tmp_path) == [
        "2026-03-19 17:00 | 2026-03-19 19:00 | Sprechstunde im Coworking Newsroom | CONFIRMED"]


def test_a_later_revision_never_gets_a_lower_sequence(tmp_path: Path, good_content: Path) -> None:
    # Postponed, then planned again at the old time: one status fewer, but a later "modified".
    path = event(good_content, "2026-03-sprechstunde", extra=PLACE + "status: verschoben\n"
                 "modified: 2026-02-10 09:00\n")
    postponed = calendar_events(built(tmp_path, good_content, "first") / "kalender" / "alle.ics")[0]
    path.write_text(path.read_text(encoding="utf-8").replace("status: verschoben", "status: geplant")
                    .replace("2026-02-10 09:00", "2026-02-10 09:01"), encoding="utf-8")
    planned = calendar_events(built(tmp_path, good_content, "second") / "kalender" / "alle.ics")[0]
    assert planned["UID"] == postponed["UID"]
    assert int(planned["SEQUENCE"]) > int(postponed["SEQUENCE"])


def test_unchanged_content_gives_byte_identical_calendars(tmp_path: Path, good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde")
    event(good_content, "2026-07-sommer", "2026-07-09 18:30", "2026-07-09 20:00", title="Sommerabend")
    first = built(tmp_path, good_content, "first")
    with environment({"SLS_NOW": "2026-06-01T08:00"}, tmp_path):  # another day, another machine time
        assert build(ROOT / "pelicanconf.py", tmp_path / "second", good_content).ok
    calendars = {name: text for name, text in snapshot(first).items() if name.endswith(".ics")}
    assert calendars and calendars == {name: text for name, text in snapshot(tmp_path / "second").items()
                                       if name.endswith(".ics")}


def test_events_are_announced_in_the_feeds_and_the_next_newsletter(tmp_path: Path,
                                                                    good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde")
    event(good_content, "2026-09-spaeter", "2026-09-10 17:00", "2026-09-10 19:00", title="Noch nicht bekannt")
    later = good_content / "termine" / "2026-09-spaeter.md"
    later.write_text(later.read_text(encoding="utf-8").replace("date: 2026-02-01", "date: 2026-05-01"),
                     encoding="utf-8")  # announced after the build's day: not yet in any channel
    with environment(NOW, tmp_path):
        result = build(ROOT / "pelicanconf.py", tmp_path / "site", good_content,
                       overrides={"NEWSLETTER_PREVIEW": {"since": "2000-01-01"}})
    assert result.ok, result.problems
    site = tmp_path / "site"
    for feed in ("all.atom.xml", "massnahmen/coworking-newsroom.atom.xml", "cluster/partizipation.rss.xml"):
        text = (site / "feeds" / feed).read_text("utf-8")
        assert "Termin: Sprechstunde im Newsroom" in text
        assert "/termine/2026/sprechstunde/" in text
        assert "Noch nicht bekannt" not in text
    assert "Sprechstunde im Newsroom" not in (site / "feeds" / "massnahmen" / "wue-app.atom.xml").read_text(
        "utf-8")
    html = (site / "newsletter-preview" / "issue.html").read_text("utf-8")
    text = (site / "newsletter-preview" / "issue.txt").read_text("utf-8")
    assert ">Termine</h2>" in html and "Sprechstunde im Newsroom" in html
    assert "Termine\n=======" in text and "Donnerstag, 12. März 2026, 17:00 bis 19:00\u00a0Uhr" in text
    assert "Noch nicht bekannt" not in html + text


def test_an_issue_stores_the_events_it_carried_and_its_archive_shows_them(
        tmp_path: Path, good_content: Path) -> None:
    from plugins.newsletter.record import RecordedIssue, append_issue, load_record, split_carried
    from plugins.newsletter.rendered_issue import RenderedIssue

    event(good_content, "2026-03-sprechstunde")
    with environment(NOW, tmp_path):
        assert build(ROOT / "pelicanconf.py", tmp_path / "site", good_content,
                     overrides={"NEWSLETTER_PREVIEW": {"since": "2000-01-01"}}).ok
    rendered = RenderedIssue.load(tmp_path / "site" / "newsletter-preview")
    posts, events = split_carried(rendered.posts)
    record = good_content / "newsletter" / "issues.yml"
    append_issue(record, RecordedIssue(rendered.number, rendered_date(rendered), rendered.subject,
                                       rendered.preheader, posts, events=events))
    assert load_record(record)[-1].events == ["sprechstunde"]
    site = built(tmp_path, good_content, "archive")
    archive = (site / "newsletter" / str(rendered.number) / "index.html").read_text("utf-8")
    assert 'id="nl-termine"' in archive and "Sprechstunde im Newsroom" in archive


def rendered_date(rendered):
    from datetime import datetime

    return datetime.fromisoformat(rendered.date)


def structured(page: Path) -> dict:
    import json
    import re

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"), re.S)
    events = [data for data in map(json.loads, blocks) if data["@type"] == "Event"]
    assert len(events) == 1, page
    return events[0]


def test_event_pages_carry_schema_org_event_data(tmp_path: Path, good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde")
    event(good_content, "2026-04-online", "2026-04-16 17:00", "2026-04-16 19:00",
          "online_url: https://konferenz.example.org/raum\nstatus: abgesagt\n",
          title="Online-Treffen </script><b>x</b>")
    site = built(tmp_path, good_content)
    place = structured(site / "termine" / "2026" / "sprechstunde" / "index.html")
    online = structured(site / "termine" / "2026" / "online" / "index.html")
    for data in (place, online):
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
        for key in ("name", "startDate", "endDate", "location", "eventStatus", "eventAttendanceMode",
                    "organizer", "url"):
            assert key in data, key
        assert data["url"].startswith("http") and data["organizer"]["url"].startswith("http")
        assert data["organizer"]["@type"] == "GovernmentOrganization"
    assert place["startDate"] == "2026-03-12T17:00+01:00"
    assert place["location"]["address"]["streetAddress"] == "Sanderstraße 4"
    assert place["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://konferenz.example.org/raum"}
    assert online["eventStatus"] == "https://schema.org/EventCancelled"
    assert online["name"] == "Online-Treffen </script><b>x</b>"  # the title cannot end the block


def test_a_recurring_file_name_is_fine_across_years_and_refused_within_one(tmp_path: Path,
                                                                       good_content: Path) -> None:
    event(good_content, "2026-03-sprechstunde")
    event(good_content, "2027-03-sprechstunde", "2027-03-11 17:00", "2027-03-11 19:00")
    site = built(tmp_path, good_content)
    assert (site / "termine" / "2027" / "sprechstunde" / "index.html").is_file()
    event(good_content, "2026-04-sprechstunde", "2026-04-09 17:00", "2026-04-09 19:00")
    run = run_build(tmp_path, good_content, tmp_path / "again", env=NOW)
    assert run.code == 1
    assert "content/termine/2026-04-sprechstunde.md:1: Slug „sprechstunde“ wird auch von " \
           "content/termine/2026-03-sprechstunde.md verwendet" in run.stderr


def test_a_refused_link_is_one_message_not_also_a_missing_place(tmp_path: Path, good_content: Path) -> None:
    event(good_content, "2026-03-online", extra='online_url: "https://x.example/a\\"><b>"\n'
                                                'registration: link\nregistration_url: "meldet euch an"\n')
    run = run_build(tmp_path, good_content, tmp_path / "output", env=NOW)
    rows = [row for row in run.stderr.splitlines() if row.startswith("content/termine/2026-03-online.md:")]
    assert run.code == 1 and len(rows) == 2 and all("ist kein Link" in row for row in rows), run.stderr
