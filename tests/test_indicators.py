"""Indicators (content/kennzahlen/*.yml): a mistake in one is refused at its line by the build and
the content check alike; a good one becomes a chart with its summary, a table and CSV files whose
figures are the file's."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from conftest import refused_by_build_and_check, run_build

GOOD = """\
title: Besuche im Newsroom
measure: coworking-newsroom
unit: Besuche
direction: mehr-ist-besser
target:
  value: 60
  date: 2027-12-31
values:
  - date: 2025-03-31
    value: 12
    source: Zählung am Eingang
  - date: 2026-10-31
    value: 48
    source: Zählung am Eingang
    note: ohne Sommerferien
  - date: 2025-10-31
    value: 30.5
    source: "=HYPERLINK(\\"https://evil.example\\")"
"""

# (what the editor writes instead of a line of GOOD, the line it lands on, what is said)
MISTAKES = {
    "value without source": ("    source: Zählung am Eingang\n  - date: 2026-10-31",
                             "  - date: 2026-10-31", 9, "Quelle fehlt"),
    "unit mismatch": ("    value: 48\n", "    value: 48\n    unit: Personen\n", 14,
                      "Einheit „Personen“ passt nicht zur Kennzahl („Besuche“)"),
    "future date": ("  - date: 2026-10-31", "  - date: 2031-10-31", 12,
                    "Datum 2031-10-31 liegt in der Zukunft"),
    "duplicate date": ("  - date: 2025-10-31", "  - date: 2025-03-31", 16,
                       "zweiter Wert für den 2025-03-31 (der erste steht in Zeile 9)"),
    "unknown measure": ("measure: coworking-newsroom", "measure: coworking-nesroom", 2,
                        "unbekannte Maßnahme „coworking-nesroom“"),
    "figure as text": ("    value: 12\n", "    value: 12 Besuche\n", 10, "Wert „12 Besuche“ ist keine Zahl"),
    "no direction": ("direction: mehr-ist-besser\n", "", 1, "Richtung fehlt oder ist unbekannt"),
    "direction as a list": ("direction: mehr-ist-besser", "direction: [mehr]", 4,
                            "Richtung ist keine einzelne Angabe"),
    "a day that does not exist": ("  - date: 2025-10-31", "  - date: 2025-02-30", 16,
                                  "kein gültiges YAML: Datum „2025-02-30“ gibt es nicht"),
    "a figure YAML reads otherwise": ("    value: 12\n", "    value: 012\n", 10,
                                      "Wert „012“ ist keine Dezimalzahl"),
    "a figure in exponent form": ("    value: 12\n", "    value: 1e15\n", 10,
                                  "Wert „1e15“ ist in Exponentialschreibweise"),
    "an invisible character": ("title: Besuche im Newsroom", 'title: "Besuche\u202e im Newsroom"', 1,
                               "„title“: unsichtbares Steuerzeichen U+202E"),
    "a year no one measured in": ("  - date: 2025-03-31", "  - date: 0001-03-31", 9,
                                  "Datum 0001-03-31 liegt vor 1900"),
}


def write_indicator(content: Path, text: str, name: str = "besuche.yml") -> Path:
    folder = content / "kennzahlen"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(MISTAKES))
def test_a_mistake_in_an_indicator_is_refused_at_its_line_by_build_and_check(
        tmp_path: Path, good_content: Path, kind: str) -> None:
    original, written, line, message = MISTAKES[kind]
    assert original in GOOD
    write_indicator(good_content, GOOD.replace(original, written, 1))
    expected = f"content/kennzahlen/besuche.yml:{line}: {message}"
    run, checked = refused_by_build_and_check(tmp_path, good_content, expected)
    assert "Traceback" not in run.stderr
    assert len([row for row in checked if "kennzahlen" in row]) == 1, checked  # one cause, one message


def test_a_missing_date_is_named_as_such(tmp_path: Path, good_content: Path) -> None:
    write_indicator(good_content, GOOD.replace("  - date: 2025-03-31\n    value: 12", "  - value: 12", 1))
    refused_by_build_and_check(tmp_path, good_content, "content/kennzahlen/besuche.yml:9: Datum fehlt")


def test_an_indicator_becomes_chart_summary_table_and_csv_with_its_own_figures(
        tmp_path: Path, good_content: Path) -> None:
    write_indicator(good_content, GOOD)
    output = tmp_path / "output"
    run = run_build(tmp_path, good_content, output, env={"SLS_NOW": "2026-12-06 12:00"})
    assert run.code == 0, run.stderr
    page = (output / "massnahmen" / "coworking-newsroom" / "index.html").read_text(encoding="utf-8")
    assert "Besuche: von 12 im März 2025 auf 48 im Oktober 2026; Ziel 60 bis Ende 2027" in page
    chart = re.search(r"<svg [^>]*role=\"img\"[^>]*>.*?</svg>", page, re.S)
    assert chart and "<title" in chart.group(0) and "Ziel 60" in chart.group(0)
    assert "<script" not in chart.group(0)
    # The table, newest first; German figures.
    cells = re.findall(r"<tr><th scope=\"row\"><time datetime=\"([\d-]+)\">[^<]+</time></th><td>([^<]+)</td>",
                       page)
    assert cells == [("2026-10-31", "48"), ("2025-10-31", "30,5"), ("2025-03-31", "12")]
    impact = (output / "wirkung" / "index.html").read_text(encoding="utf-8")
    assert "Besuche im Newsroom" in impact
    rows = list(csv.DictReader(io.StringIO((output / "daten" / "kennzahlen" / "besuche.csv")
                                           .read_text(encoding="utf-8"))))
    assert [(r["datum"], r["wert"], r["einheit"]) for r in rows] == [
        ("2025-03-31", "12", "Besuche"), ("2025-10-31", "30.5", "Besuche"), ("2026-10-31", "48", "Besuche")]
    assert rows[2]["anmerkung"] == "ohne Sommerferien"
    assert {r["ziel_wert"] for r in rows} == {"60"} and {r["ziel_datum"] for r in rows} == {"2027-12-31"}
    # A source a spreadsheet would run as a formula is text there.
    assert rows[1]["quelle"].startswith("'=HYPERLINK")
    every = list(csv.DictReader(io.StringIO((output / "daten" / "kennzahlen.csv").read_text("utf-8"))))
    assert [r["wert"] for r in every if r["kennzahl"] == "besuche"] == ["12", "30.5", "48"]


def test_markup_in_an_indicator_is_text_in_chart_page_and_csv(tmp_path: Path, good_content: Path) -> None:
    hostile = '<img src=x onerror=alert(1)>"&</svg><script>alert(2)</script>'
    text = GOOD.replace("title: Besuche im Newsroom", f"title: '{hostile}'").replace(
        "unit: Besuche", "unit: '</text><script>alert(3)</script>'")
    write_indicator(good_content, text)
    output = tmp_path / "output"
    run = run_build(tmp_path, good_content, output, env={"SLS_NOW": "2026-12-06 12:00"})
    assert run.code == 0, run.stderr
    for page in (output / "wirkung" / "index.html", output / "massnahmen/coworking-newsroom/index.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(2)" in html


def test_reach_per_measure_and_a_catalogue_that_validates_against_the_pinned_shapes(
        tmp_path: Path, good_content: Path) -> None:
    from conftest import filled_in

    from checks.dcat import violations

    programme = good_content / "programme.yml"
    programme.write_text(filled_in(programme.read_text(encoding="utf-8")), encoding="utf-8")
    write_indicator(good_content, GOOD)
    (good_content / "daten").mkdir()
    # Two views of the measure's page and three of its post in November, one of a page of no
    # measure; in December one view of the post.
    (good_content / "daten" / "seitenaufrufe.csv").write_text(
        "monat,pfad,aufrufe\n"
        "2026-11,/massnahmen/coworking-newsroom/,2\n"
        "2026-11,/aktuelles/2023/erstes-treffen/,3\n"
        "2026-11,/impressum/,4\n"
        "2026-12,/aktuelles/2023/erstes-treffen/,1\n", encoding="utf-8")
    output = tmp_path / "output"
    run = run_build(tmp_path, good_content, output, programme=programme, env={"SLS_NOW": "2026-12-06 12:00"})
    assert run.code == 0, run.stderr
    impact = (output / "wirkung" / "index.html").read_text(encoding="utf-8")
    months = re.findall(r'<tr><th scope="row">(\w+ 2026)</th><td>(\d+)</td></tr>', impact)
    assert months == [("Dezember 2026", "1"), ("November 2026", "9")]
    newsroom = re.search(r"Coworking Newsroom</a></th><td>(\d+)</td><td>(\d+)</td>", impact)
    assert newsroom and newsroom.groups() == ("6", "1")
    rows = list(csv.reader(io.StringIO((output / "daten" / "reichweite.csv").read_text(encoding="utf-8"))))
    assert ["2026-11", "coworking-newsroom", "5"] in rows and ["2026-11", "alle", "9"] in rows
    turtle = (output / "daten" / "katalog.ttl").read_text(encoding="utf-8")
    assert violations(turtle) == []
    assert "besuche.csv" in turtle and ".ics" in turtle and ".atom" in turtle


def test_a_link_or_device_among_the_indicators_is_refused_and_never_read(tmp_path: Path,
                                                                        good_content: Path) -> None:
    secret = tmp_path / "geheim.yml"
    secret.write_text("root: x\n", encoding="utf-8")
    (good_content / "kennzahlen").mkdir()
    (good_content / "kennzahlen" / "geheim.yml").symlink_to(secret)
    (good_content / "kennzahlen" / "null.yml").symlink_to("/dev/zero")
    expected = "content/kennzahlen/geheim.yml:1: keine gewöhnliche Datei"
    run, checked = refused_by_build_and_check(tmp_path, good_content, expected)
    assert any(row.startswith("content/kennzahlen/null.yml:1: keine gewöhnliche Datei") for row in checked)
    assert "root" not in run.stderr and "root" not in " ".join(checked)


def test_two_files_of_one_key_are_refused(tmp_path: Path, good_content: Path) -> None:
    write_indicator(good_content, GOOD, "besuche.yml")
    write_indicator(good_content, GOOD, "besuche.yaml")
    refused_by_build_and_check(tmp_path, good_content, "content/kennzahlen/besuche.yml:1: zweite Kennzahl "
                               "„besuche“ (die erste: content/kennzahlen/besuche.yaml)")


def test_more_values_than_one_page_can_show_are_refused_for_all_indicators_together(
        tmp_path: Path, good_content: Path) -> None:
    # Each file within its own limit (500 values), together over 5,000: /wirkung/ shows them all.
    from datetime import date, timedelta

    rows = "".join(f"  - date: {date(2010, 1, 1) + timedelta(days=day)}\n    value: {day}\n"
                   "    source: Zählung\n" for day in range(460))
    head = GOOD.split("values:\n")[0]
    for number in range(11):
        write_indicator(good_content, head + "values:\n" + rows, f"zaehlung-{number}.yml")
    refused_by_build_and_check(tmp_path, good_content, "content/kennzahlen:1: zusammen 5.060 Werte in allen "
                               "Kennzahlen (höchstens 5.000)")


@pytest.mark.parametrize("flag", ['"example": true', "example: !!bool true", "example: yes"])
def test_publishing_refuses_sample_figures_however_the_flag_is_written(tmp_path: Path, flag: str) -> None:
    from pipeline.publish_check import example_indicators

    folder = tmp_path / "content"
    folder.mkdir()
    write_indicator(folder, GOOD + flag + "\n")
    found = [str(p) for p in example_indicators({"PATH": str(folder)})]
    assert found == [f"{folder}/kennzahlen/besuche.yml:19: Beispielzahlen (example: true) — trage gemessene "
                     "Werte mit ihrer Quelle ein und entferne „example“, oder lösche die Datei"]


def test_a_subscriber_of_other_topics_gets_no_chart_and_no_empty_heading(tmp_path: Path,
                                                                          good_content: Path) -> None:
    from pipeline.build import build
    from plugins.newsletter.topics import keep

    write_indicator(good_content, GOOD)  # of the measure Coworking Newsroom (cluster Partizipation)

    result = build(output=tmp_path / "preview", content=good_content, overrides={
        "NEWSLETTER_PREVIEW": {"since": "2023-01-01", "posts": None, "date": None}, "PRINT_EDITIONS": False})
    assert result.ok, result.problems
    marked = (tmp_path / "preview" / "newsletter-preview" / "themen.txt").read_text(encoding="utf-8")
    assert "Wirkung in Zahlen" in keep(marked, {"coworking-newsroom"})
    assert "Besuche: von 12 im März 2025 auf 48 im Oktober 2026" in keep(marked, {"partizipation"})
    other = keep(marked, {"wue-app"})
    assert "Wirkung in Zahlen" not in other and "Besuche im Newsroom" not in other
