"""The report for the funder (pipeline/report.py, `invoke report`): the figures of a small content
folder, reasoned out by hand below, in the CSV files and in a tagged PDF; periods and content
that are wrong are refused in German with nothing written; hostile text stays text, and the
PDF loads nothing from another host."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, copy_good_content
from pypdf import PdfReader
from test_print import resolved, structure  # the PDF's structure tree, as the print tests read it

from pipeline import report as report_module
from pipeline.report import ReportRefused, measure_pages, parse_period, report, run
from pipeline.settings import load_settings
from plugins.programme.tree import ContentConfig, read_programme_of, read_tree

SETTINGS = ROOT / "pelicanconf.py"
ENV = {"SLS_NOW": "2026-12-01T12:00"}  # the day the report is made
START, END = date(2023, 5, 1), date(2023, 8, 31)
PDF = "bericht-2023-05-01-2023-08-31.pdf"

EVENT = """---
title: {title}
start: {start}
end: {end}
date: 2023-04-20 09:00
measure: {measure}
summary: Ein Termin für den Bericht.
place_name: Coworking Newsroom
place_street: Sanderstraße 4
place_town: 97070 Würzburg
{extra}---

Was beim Termin geschah.
"""

BESUCHE = """title: Besuche im Newsroom
measure: coworking-newsroom
unit: Besuche
direction: mehr-ist-besser
target: {value: 60, date: 2027-12-31}
values:
  - {date: 2023-03-31, value: 12, source: Zählung am Eingang}
  - {date: 2023-06-30, value: 30, source: Zählung am Eingang}
  - {date: 2023-12-31, value: 45, source: Zählung am Eingang}
"""

WARTEZEIT = """title: {title}
unit: Tage
direction: weniger-ist-besser
example: true
values:
  - {{date: 2023-05-15, value: 10.5, source: Terminkalender}}
  - {{date: 2023-07-31, value: 7.25, source: Terminkalender}}
"""

PAGE_VIEWS = """monat,pfad,aufrufe
2023-04,/,50
2023-05,/,100
2023-05,/massnahmen/coworking-newsroom/,20
2023-05,/aktuelles/2023/erstes-treffen/,15
2023-05,/en/aktuelles/2023/erstes-treffen/,5
2023-06,/,80
2023-06,/en/massnahmen/coworking-newsroom/,3
2023-06,/aktuelles/2023/ausblick/,7
2023-07,/impressum/,4
2023-09,/,70
"""

SUBSCRIBERS = """datum,liste,sprache,abonnements
2023-06-30,Newsletter,de,120
2023-08-31,Newsletter,de,130
2023-08-31,Newsletter English,en,15
2023-09-30,Newsletter,de,140
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def report_content(target: Path, indicator_title: str = "Wartezeit auf einen Termin") -> Path:
    """tests/fixtures/good (posts of 2 May, 1 June, 1 July (a draft) and 1 September 2023) with the
    real programme data, and for the report: four events, two indicators, reach figures, and a
    translation of a post and of an event (neither counts a second time)."""
    content = copy_good_content(target)
    events = content / "termine"
    write(events / "2023-06-sprechstunde.md", EVENT.format(
        title="Sprechstunde im Newsroom", start="2023-06-15 16:00", end="2023-06-15 18:00",
        measure="coworking-newsroom", extra="teilnehmende: 12\n"))
    write(events / "2023-06-sprechstunde.en.md",
          "---\ntitle: Consultation hour\nsummary: An event for the report.\n---\n\nText.\n")
    write(events / "2023-07-werkstatt.md", EVENT.format(  # all day; nobody counted the people
        title="Ideenwerkstatt", start="2023-07-10", end="2023-07-10", measure="mach-mit", extra=""))
    write(events / "2023-10-forum.md", EVENT.format(  # after the period
        title="Forum im Herbst", start="2023-10-05 18:00", end="2023-10-05 20:00",
        measure="coworking-newsroom", extra="teilnehmende: 40\n"))
    write(events / "2023-08-sommerfest.md", EVENT.format(  # in the period, but cancelled
        title="Sommerfest", start="2023-08-12", end="2023-08-12", measure="mach-mit",
        extra="status: abgesagt\nteilnehmende: 99\n"))
    write(content / "posts" / "2023-05-02-erstes-treffen.en.md",
          "---\ntitle: First meeting at the Newsroom\nsummary: We collected questions.\n---\n\nText.\n")
    write(content / "kennzahlen" / "besuche.yml", BESUCHE)
    write(content / "kennzahlen" / "wartezeit.yml", WARTEZEIT.format(title=indicator_title))
    write(content / "daten" / "seitenaufrufe.csv", PAGE_VIEWS)
    write(content / "daten" / "abonnements.csv", SUBSCRIBERS)
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_content(tmp_path_factory.mktemp("bericht") / "content")


def tables(folder: Path) -> dict[str, list[list[str]]]:
    found = {}
    for path in sorted(folder.glob("*.csv")):
        data = path.read_bytes()
        assert data.decode("utf-8").count("\r\n") == data.decode("utf-8").count("\n")  # RFC 4180 line ends
        found[path.name] = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return found


def test_the_csv_files_hold_the_figures_counted_by_hand(content: Path, tmp_path: Path) -> None:
    written = report(SETTINGS, content, START, END, tmp_path / "bericht", pdf=False, env=ENV)
    assert sorted(p.name for p in written.files) == ["beitraege-termine.csv", "beteiligung.csv",
                                                     "kennzahlen.csv", "reichweite.csv"]
    found = tables(tmp_path / "bericht")
    # Posts from 1 May to 31 August 2023: 2 May (Newsroom; its English translation is no second
    # post) and 1 June (Mach mit and Wue App: once in the total); 1 July is a draft, 1 September
    # after the period. Events over in the period: the consultation hour (12 people; its
    # translation is no second event) and the all-day workshop (not counted); the summer party
    # was cancelled, the forum is in October.
    assert found["beitraege-termine.csv"] == [
        ["massnahme", "cluster", "beitraege", "termine", "teilnehmende"],
        ["smart-places", "kommunikation", "0", "0", ""],
        ["meet-me", "kommunikation", "0", "0", ""],
        ["wie-gehts", "kommunikation", "0", "0", ""],
        ["coworking-newsroom", "partizipation", "1", "1", "12"],
        ["mach-mit", "partizipation", "1", "1", ""],
        ["dr-smart", "partizipation", "0", "0", ""],
        ["wue-app", "datensouveraenitaet", "1", "0", ""],
        ["smart-city-hub", "datensouveraenitaet", "0", "0", ""],
        ["alle", "", "2", "2", "12"]]
    assert found["beteiligung.csv"] == [
        ["datum", "termin", "massnahme", "teilnehmende"],
        ["2023-06-15", "Sprechstunde im Newsroom", "coworking-newsroom", "12"],
        ["2023-07-10", "Ideenwerkstatt", "mach-mit", ""]]
    # The visits: 12 held on 1 May (measured 31 March), 30 the last up to 31 August; 45 comes
    # later. The waiting time (programme-wide, listed first): no value before 1 May, so the first
    # in the period (10.5 on 15 May) against 7.25 on 31 July: -3.25 exactly, no float residue.
    assert found["kennzahlen.csv"] == [
        ["kennzahl", "titel", "massnahme", "einheit", "wert_beginn", "datum_beginn", "wert_ende",
         "datum_ende", "veraenderung", "ziel_wert", "ziel_datum", "beispiel"],
        ["wartezeit", "Wartezeit auf einen Termin", "", "Tage", "10.5", "2023-05-15", "7.25", "2023-07-31",
         "-3.25", "", "", "ja"],
        ["besuche", "Besuche im Newsroom", "coworking-newsroom", "Besuche", "12", "2023-03-31", "30",
         "2023-06-30", "18", "60", "2027-12-31", "nein"]]
    # May: 100 + 20 + 15 + 5 = 140, of which the Newsroom's page and its post (in two languages)
    # 40; June: 80 + 3 + 7 = 90, the Newsroom's English page 3, the June post 7 for each of its
    # two measures; July: the imprint only. April and September lie outside; August has none.
    assert found["reichweite.csv"] == [
        ["monat", "massnahme", "aufrufe"],
        ["2023-05", "alle", "140"], ["2023-05", "coworking-newsroom", "40"],
        ["2023-06", "alle", "90"], ["2023-06", "coworking-newsroom", "3"], ["2023-06", "mach-mit", "7"],
        ["2023-06", "wue-app", "7"],
        ["2023-07", "alle", "4"]]
    assert written.notes == ["1 Kennzahl mit Beispielzahlen im Bericht (example: true) — vor der Abgabe "
                             "gemessene Werte eintragen"]


def test_measure_pages_are_the_measure_in_every_language_and_its_published_posts(content: Path) -> None:
    settings = load_settings(SETTINGS, content, env=ENV)
    config = ContentConfig.from_settings(settings)
    reading = read_programme_of(config)
    problems, sources = read_tree(config, reading)
    assert not problems and reading.programme is not None
    pages = measure_pages(reading.programme, sources, config, settings)
    assert pages["/massnahmen/wue-app/"] == ("wue-app",)
    assert pages["/uk/massnahmen/wue-app/"] == ("wue-app",)
    assert pages["/aktuelles/2023/erstes-treffen/"] == ("coworking-newsroom",)
    assert pages["/en/aktuelles/2023/erstes-treffen/"] == ("coworking-newsroom",)
    assert pages["/aktuelles/2023/ausblick/"] == ("mach-mit", "wue-app")
    assert "/aktuelles/2023/entwurf/" not in pages and "/aktuelles/2099/zukunft/" not in pages
    # Below a path of the site's address, as the web server logs it.
    settings["PUBLIC_URL"] = "https://example.org/smart"
    moved = measure_pages(reading.programme, sources, config, settings)
    assert moved["/smart/aktuelles/2023/ausblick/"] == ("mach-mit", "wue-app")


@pytest.mark.parametrize(("first", "last", "held"), [
    ("2023-06-15", "2023-06-15", ["Sprechstunde im Newsroom"]),
    ("2023-07-10", "2023-07-10", ["Ideenwerkstatt"]),  # all day: over at the end of its day
    ("2023-07-11", "2023-08-31", []),  # the summer party was cancelled
    ("2023-06-16", "2023-07-09", []),
])
def test_an_event_counts_in_the_period_it_ends_in(content: Path, tmp_path: Path, first: str, last: str,
                                                  held: list[str]) -> None:
    written = report(SETTINGS, content, date.fromisoformat(first), date.fromisoformat(last), tmp_path / "b",
                     pdf=False, env=ENV)
    assert [row[1] for row in tables(written.folder)["beteiligung.csv"][1:]] == held


@pytest.mark.parametrize(("first", "last", "message"), [
    ("2023-09-01", "2023-05-01", "Der Zeitraum beginnt (2023-09-01) nach seinem Ende (2023-05-01) — tausche "
                                 "--from und --to"),
    ("2023-02-30", "2023-05-01", "--from „2023-02-30“: diesen Tag gibt es nicht — prüfe Monat und Tag"),
    ("2023-05-01", "31.08.2023", "--to „31.08.2023“ ist kein Datum — schreibe es als JJJJ-MM-TT"),
    (None, "2023-05-01", "--from fehlt — nenne den Zeitraum: --from JJJJ-MM-TT --to JJJJ-MM-TT"),
    ("2023-05-01", "9999-12-31", "--to „9999-12-31“ liegt nicht zwischen 1900 und 2999 — prüfe das Jahr"),
])
def test_a_bad_period_is_refused_in_german_and_nothing_is_written(content: Path, tmp_path: Path, first: str,
                                                                 last: str, message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(first, last, str(tmp_path / "bericht"), str(content), SETTINGS, out, err) == 1
    assert err.getvalue().startswith(message) and not out.getvalue()
    assert not list(tmp_path.iterdir())
    with pytest.raises(ReportRefused):
        parse_period(first, last)


def test_invoke_report_refuses_a_reversed_period_without_a_traceback(content: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "invoke", "report", "--from", "2023-08-31", "--to", "2023-05-01",
               "--content", str(content), "--output", str(tmp_path / "bericht")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Der Zeitraum beginnt (2023-08-31) nach seinem Ende (2023-05-01)" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "bericht").exists()


@pytest.mark.parametrize("written", ["viele", "0x1F", "012"])
def test_content_problems_are_listed_at_their_lines_and_nothing_is_written(tmp_path: Path,
                                                                            written: str) -> None:
    content = report_content(tmp_path / "content")
    write(content / "termine" / "2023-06-kaputt.md", EVENT.format(
        title="Kaputt", start="2023-06-01", end="2023-06-01", measure="mach-mit",
        extra=f"teilnehmende: {written}\n"))
    out, err = io.StringIO(), io.StringIO()
    assert run("2023-05-01", "2023-08-31", str(tmp_path / "bericht"), str(content), SETTINGS, out, err) == 1
    lines = err.getvalue().splitlines()
    shown = written  # as written, not what YAML makes of it (31, 10)
    assert lines[0].endswith("termine/2023-06-kaputt.md:11: „teilnehmende“ ist keine Anzahl von "
                             f"Menschen („{shown}“) — schreibe eine ganze Zahl ohne Punkt, z. B. "
                             "„teilnehmende: 35“, oder lass die Zeile weg")
    assert lines[-1].startswith("Kein Bericht geschrieben: 1 Problem im Inhalt von ")
    assert not (tmp_path / "bericht").exists() and not out.getvalue()


def test_a_report_replaces_an_earlier_one_but_never_a_folder_of_other_files(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_module, "REPORTS", tmp_path / "bericht")
    first = report(SETTINGS, content, START, END, pdf=False, env=ENV)
    assert first.folder == tmp_path / "bericht" / "2023-05-01_2023-08-31"
    (first.folder / "reichweite.csv").write_text("alt", encoding="utf-8")
    second = report(SETTINGS, content, START, END, pdf=False, env=ENV)
    assert (second.folder / "reichweite.csv").read_text(encoding="utf-8").startswith("monat,")
    # No half-written or replaced folder is left beside it.
    assert [p.name for p in tmp_path.joinpath("bericht").iterdir()] == ["2023-05-01_2023-08-31"]
    mine = tmp_path / "eigenes"
    write(mine / "notizen.txt", "meine Notizen")
    with pytest.raises(ReportRefused, match="den Ordner gibt es schon, mit anderen Dateien"):
        report(SETTINGS, content, START, END, mine, pdf=False, env=ENV)
    assert [p.name for p in mine.iterdir()] == ["notizen.txt"]
    # Someone's own file of a report's name is not a report: never replaced.
    theirs = tmp_path / "daten"
    write(theirs / "kennzahlen.csv", "meine Daten")
    with pytest.raises(ReportRefused, match="den Ordner gibt es schon, mit anderen Dateien"):
        report(SETTINGS, content, START, END, theirs, pdf=False, env=ENV)
    assert (theirs / "kennzahlen.csv").read_text(encoding="utf-8") == "meine Daten"
    # Nor does a report go where the next build would publish it.
    with pytest.raises(ReportRefused, match="liegt im Inhaltsordner"):
        report(SETTINGS, content, START, END, content / "images" / "bericht", pdf=False, env=ENV)
    assert not (content / "images" / "bericht").exists()


def test_the_chart_and_its_words_show_what_was_known_at_the_periods_end() -> None:
    from zoneinfo import ZoneInfo

    from pipeline.report import Period, _indicator
    from plugins.programme.indicators import Indicator, Value

    values = (Value(date(2023, 3, 31), 350, "Zählung"), Value(date(2024, 12, 31), 1400, "Zählung"),
              Value(date(2025, 12, 31), 2100, "Zählung"))
    indicator = Indicator("beteiligte", "kennzahlen/beteiligte.yml", "Beteiligte", "Personen", 1, values)
    programme = read_programme_of(ContentConfig.from_settings(load_settings(SETTINGS, None))).programme
    assert programme is not None
    figures = _indicator(indicator, programme,
                         Period(date(2024, 1, 1), date(2024, 12, 31), ZoneInfo("Europe/Berlin")))
    assert "von 350 im März 2023 auf 1.400 im Dezember 2024" in figures.alt
    assert "2.100" not in figures.alt and "2.100" not in str(figures.chart)


# PDF: WeasyPrint, pdftotext.
def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60)
    return " ".join(done.stdout.replace("\u2060", "").replace("\u200b", "").split())


@pytest.mark.slow
def test_the_pdf_is_tagged_german_with_embedded_fonts_and_the_figures_in_reading_order(
        content: Path, tmp_path: Path) -> None:
    written = report(SETTINGS, content, START, END, tmp_path / "bericht", env=ENV)
    path = tmp_path / "bericht" / PDF
    assert written.files[0] == path and written.pages > 1 and not written.refused
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "de"
    assert reader.metadata.title == "Bericht 1. Mai 2023 bis 31. August 2023 – stadt.land.smart"
    elements = list(structure(root["/StructTreeRoot"]))
    kinds = {str(e["/S"]).lstrip("/") for e in elements}
    assert {"H1", "H2", "H3", "Table", "Caption", "TH", "TD", "Figure"} <= kinds
    charts = [str(e.get("/Alt", "")) for e in elements if e["/S"] == "/Figure"]
    assert ("Diagramm: Besuche im Newsroom. Besuche: von 12 im März 2023 auf 30 im Juni 2023; "
            "Ziel 60 bis Ende 2027") in charts and all(alt.strip() for alt in charts)
    for page in reader.pages:
        for font in resolved(page["/Resources"]).get("/Font", {}).values():
            font = resolved(font)
            descriptor = resolved(resolved(font["/DescendantFonts"][0])["/FontDescriptor"]) \
                if "/DescendantFonts" in font else resolved(font["/FontDescriptor"])
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    text = pdf_text(path)
    expected = [
        "Bericht an den Fördergeber", "Zeitraum: 1. Mai 2023 bis 31. August 2023",
        "Erstellt am 1. Dezember 2026", "So entstehen die Zahlen", "Beiträge und Termine je Maßnahme",
        "Im Zeitraum 2 Beiträge und 2 Termine; Teilnehmende: 12 (erfasst bei 1 von 2 Terminen).",
        "2. Mai 2023: Erstes Treffen im Newsroom: Fragen & Antworten",
        "Donnerstag, 15. Juni 2023, 16:00 bis 18:00 Uhr: Sprechstunde im Newsroom – Teilnehmende: 12",
        "1. Juni 2023: Ausblick auf den Sommer",
        "Montag, 10. Juli 2023, ganztägig: Ideenwerkstatt – Teilnehmende: nicht erfasst",
        "Beteiligung", "15. Juni 2023 Sprechstunde im Newsroom Coworking Newsroom 12",
        "10. Juli 2023 Ideenwerkstatt Mach mit nicht erfasst", "Summe 12 (erfasst bei 1 von 2 Terminen)",
        "Abgesagt und nicht gezählt: Sommerfest (12. August 2023).",
        "Kennzahlen", "Wartezeit auf einen Termin", "Beispielzahlen",
        "Wert zu Beginn 10,5 Tage (15. Mai 2023) Wert am Ende 7,25 Tage (31. Juli 2023) "
        "Veränderung -3,25 Tage",
        "Besuche im Newsroom", "Wert zu Beginn 12 Besuche (31. März 2023) Wert am Ende 30 Besuche "
        "(30. Juni 2023) Veränderung +18 Besuche Ziel 60 Besuche bis 31. Dezember 2027",
        "Quelle des letzten Werts Zählung am Eingang",
        "Reichweite", "Mai 2023 140 40 Juni 2023 90 10 Juli 2023 4 0",
        "Coworking Newsroom 43 Mai 2023: 40; Juni 2023: 3", "Ohne gezählte Seitenaufrufe: August 2023.",
        "Abonnements am 31. August 2023", "Newsletter Deutsch 130 Newsletter English English 15"]
    at = 0
    for part in expected:  # each after the one before
        found = text.find(part, at)
        assert found >= 0, (part, text[at:at + 300])
        at = found + len(part)
    assert "Forum im Herbst" not in text and "Consultation hour" not in text and "First meeting" not in text


@pytest.mark.slow
def test_a_hostile_title_prints_as_text_and_nothing_leaves_the_machine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = '=1+1 </style><script>alert(1)</script><img src="https://evil.example/x.png">'
    content = report_content(tmp_path / "content")
    write(content / "kennzahlen" / "wartezeit.yml", WARTEZEIT.format(title=f"'{hostile}'"))
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("kein Netz im Test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    written = report(SETTINGS, content, START, END, tmp_path / "bericht", env=ENV)
    assert not attempts and not written.refused
    text = pdf_text(tmp_path / "bericht" / PDF)
    assert '=1+1 </style><script>alert(1)</script><img src="https://evil.example/x.png">' in text
    assert text.count("alert(1)") >= 2  # the heading and the table's caption: never run, never dropped
    titles = [row[1] for row in tables(tmp_path / "bericht")["kennzahlen.csv"][1:]]
    assert titles[0] == "'" + hostile  # a spreadsheet shows the formula as text
