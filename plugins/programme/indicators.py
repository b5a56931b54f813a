"""The programme's indicators (content/kennzahlen/*.yml): what a measure, or the programme as a
whole, wants to change, measured over time. One file per indicator, its name the indicator's key:

    title: Besuche im Coworking Newsroom
    measure: coworking-newsroom        # without: the programme as a whole
    unit: Besuche
    direction: mehr-ist-besser         # or weniger-ist-besser
    target: {value: 60, date: 2027-12-31}
    values:
      - {date: 2025-03-31, value: 12, source: Zählung am Eingang}

Every value has its date and its source; a value's or the target's ``unit:``, where written, is
the indicator's. Read and checked here, pure: no Pelican.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .files import TextProblem, read_text
from .formatting import date_de, month_de
from .post_source import INVISIBLE_FIX, invisible_problem
from .problems import Problem, display_path
from .suggestions import closest
from .yamlsource import YamlSyntaxProblem, load

FOLDER = "kennzahlen"
DIRECTIONS = {"mehr-ist-besser": 1, "weniger-ist-besser": -1}
DIRECTION_TEXT = {1: "mehr ist besser", -1: "weniger ist besser"}
FIELDS = ("title", "measure", "description", "unit", "direction", "target", "values", "example")
VALUE_FIELDS = ("date", "value", "source", "unit", "note")
MAX_INDICATORS = 100
MAX_VALUES = 500  # a monthly figure for forty years; more is a mistake (and a chart nobody reads)
# All indicators together (/wirkung/ shows every value in a table): forty indicators with a monthly
# figure for ten years. At the limits of each file alone the page would be 39 MB.
MAX_ALL_VALUES = 5_000
MAX_TEXT = 300
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Value:
    day: date
    value: float
    source: str
    note: str = ""


@dataclass(frozen=True)
class Target:
    value: float
    day: date


@dataclass(frozen=True)
class Indicator:
    """One indicator as pages, data files, the newsletter and the report see it."""

    key: str  # the file name without ".yml": stable while the title changes
    path: str  # the file as editors see it
    title: str
    unit: str
    direction: int  # 1: more is better; -1: less is better
    values: tuple[Value, ...]  # by date, oldest first
    measure: str = ""  # the measure's slug; empty: the programme as a whole
    description: str = ""
    target: Target | None = None
    example: bool = False  # sample figures: marked "Beispiel" everywhere, refused on publish

    @property
    def latest(self) -> Value | None:
        return self.values[-1] if self.values else None

    def values_between(self, start: date, end: date) -> tuple[Value, ...]:
        return tuple(v for v in self.values if start <= v.day <= end)

    def value_at(self, day: date) -> Value | None:
        """The last value measured on or before ``day``."""
        before = [v for v in self.values if v.day <= day]
        return before[-1] if before else None


def number(value: float) -> str:
    """A figure as German readers write it: 1.234 and 12,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def summary(indicator: Indicator) -> str:
    """The chart in one sentence: "Besuche: von 12 im März 2025 auf 48 im Oktober 2026; Ziel 60
    bis Ende 2027"."""
    values = indicator.values
    if not values:
        text = "noch keine Werte"
    elif len(values) == 1:
        text = f"{number(values[0].value)} im {month_de(values[0].day)}"
    else:
        first, last = values[0], values[-1]
        text = f"von {number(first.value)} im {month_de(first.day)} " \
               f"auf {number(last.value)} im {month_de(last.day)}"
    if indicator.target is not None:
        target = indicator.target
        when = f"Ende {target.day.year}" if (target.day.month, target.day.day) == (12, 31) \
            else date_de(target.day)
        text += f"; Ziel {number(target.value)} bis {when}"
    return f"{indicator.unit}: {text}" if indicator.unit else text


def change(indicator: Indicator, start: date, end: date) -> tuple[Value | None, Value | None]:
    """The value that held at ``start`` (the last before it, else the first in the period) and the
    last one up to ``end``: what a report of that period compares."""
    first = indicator.value_at(start) or next((v for v in indicator.values if start <= v.day <= end), None)
    return first, indicator.value_at(end)


class _Report:
    def __init__(self, path: str, lines: dict[tuple[Any, ...], int]) -> None:
        self.path, self.lines, self.problems = path, lines, list[Problem]()

    def __call__(self, where: tuple[Any, ...], message: str, fix: str) -> None:
        line = 0
        for end in range(len(where), -1, -1):
            if where[:end] in self.lines:
                line = self.lines[where[:end]]
                break
        self.problems.append(Problem(self.path, line + 1, message, fix))


def read_indicators(folder: Path, measures: dict[str, Any], today: date
                    ) -> tuple[list[Indicator], list[Problem]]:
    """Every indicator file in ``folder`` (none when it does not exist), checked against the
    programme's ``measures`` (slug → measure) and ``today``: a value may not lie in the future."""
    indicators, problems = [], list[Problem]()
    if not folder.is_dir():
        return [], []
    if folder.is_symlink():
        return [], [Problem(display_path(folder), 1, "Ordner ist ein Verweis (Symlink)",
                            f"lege content/{FOLDER}/ als gewöhnlichen Ordner im Inhaltsordner an")]
    files = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")
             and (p.is_symlink() or not p.is_dir())]
    if len(files) > MAX_INDICATORS:
        return [], [Problem(display_path(folder), 1, f"mehr als {MAX_INDICATORS} Kennzahlen",
                            "fasse Kennzahlen zusammen: eine Seite mit so vielen Grafiken liest niemand")]
    keys: dict[str, str] = {}
    for path in files:
        shown = display_path(path)
        if path.is_symlink() or not path.is_file():
            problems.append(Problem(shown, 1, "keine gewöhnliche Datei (ein Verweis/Symlink oder ein Gerät)",
                                    "lege die Kennzahl als Datei in den Ordner (Verweise werden nicht "
                                    "gelesen)"))
            continue
        if path.suffix not in (".yml", ".yaml"):
            problems.append(Problem(shown, 1, "keine Kennzahl-Datei (erwartet: .yml)",
                                    f"lege nur Kennzahlen als „name.yml“ in content/{FOLDER}/ ab"))
            continue
        if path.stem in keys:
            problems.append(Problem(shown, 1, f"zweite Kennzahl „{path.stem}“ (die erste: {keys[path.stem]})",
                                    "benenne eine der beiden Dateien um oder lösche sie"))
            continue
        keys[path.stem] = shown
        indicator, found = read_indicator(path, measures, today)
        problems.extend(found)
        if indicator is not None:
            indicators.append(indicator)
    total = sum(len(indicator.values) for indicator in indicators)
    if total > MAX_ALL_VALUES:
        problems.append(Problem(display_path(folder), 1,
                                f"zusammen {total:,} Werte in allen Kennzahlen (höchstens "
                                f"{MAX_ALL_VALUES:,})".replace(",", "."),
                                "fasse Werte zusammen (z. B. je Monat oder Quartal einen): die Seite "
                                "„Wirkung in Zahlen“ zeigt jeden Wert"))
        return [], problems
    return indicators, problems


def read_indicator(path: Path, measures: dict[str, Any], today: date
                   ) -> tuple[Indicator | None, list[Problem]]:
    shown = display_path(path)
    key = path.stem
    if not _KEY.fullmatch(key) or len(key) > 80:
        return None, [Problem(shown, 1, f"Dateiname „{key}“ taugt nicht als Schlüssel der Kennzahl",
                              "nenne die Datei mit Kleinbuchstaben, Ziffern und Bindestrichen, "
                              "z. B. „besuche-newsroom.yml“")]
    try:
        data, lines, raw = load(read_text(path))
    except TextProblem as error:
        return None, [Problem(shown, error.line, error.message, error.fix)]
    except YamlSyntaxProblem as error:
        return None, [Problem(shown, error.line + 1, f"kein gültiges YAML: {error.message}",
                              error.fix or "prüfe Einrückung und Anführungszeichen")]
    report = _Report(shown, lines)
    if not isinstance(data, dict):
        report((), "die Kennzahl hat keine Angaben", "schreibe „title:“, „unit:“, „direction:“ und "
               "„values:“ untereinander (Muster: content/kennzahlen/ im Beispiel)")
        return None, report.problems
    for name in data:
        if name not in FIELDS:
            suggestion = closest(str(name), FIELDS)
            report((name,), f"unbekannte Angabe „{name}“",
                   f"meintest du „{suggestion}“?" if suggestion else f"erlaubt sind: {', '.join(FIELDS)}")
    title = _text(data, "title", report, required=True)
    unit = _text(data, "unit", report, required=True)
    description = _text(data, "description", report)
    measure = str(data.get("measure") or "").strip()
    if "measure" in data and measure not in measures:
        suggestion = closest(measure, list(measures))
        report(("measure",), f"unbekannte Maßnahme „{measure}“",
               f"meintest du „{suggestion}“?" if suggestion else
               "nenne den Kurznamen (slug) einer Maßnahme aus programme.yml, oder lass „measure“ weg "
               "für eine Kennzahl des ganzen Programms")
        measure = ""
    direction = data.get("direction")
    if not isinstance(direction, str) or direction not in DIRECTIONS:
        report(("direction",), "Richtung fehlt oder ist unbekannt" if direction is None else
               f"unbekannte Richtung „{direction}“" if isinstance(direction, str) else
               "Richtung ist keine einzelne Angabe",
               "schreibe „direction: mehr-ist-besser“ oder „direction: weniger-ist-besser“")
    example = data.get("example", False)
    if example not in (True, False):
        report(("example",), "„example“ ist weder true noch false",
               "schreibe „example: true“ für Beispielzahlen, sonst lass die Zeile weg")
    target = _target(data.get("target"), raw, unit, today, report)
    values = _values(data.get("values"), raw, unit, today, report)
    if report.problems:
        return None, report.problems
    return Indicator(key, shown, title, unit, DIRECTIONS[str(direction)], values, measure, description,
                     target, example is True), []


def _text(data: dict[str, Any], name: str, report: _Report, required: bool = False,
          where: tuple[Any, ...] = ()) -> str:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            report((*where, name), f"Angabe „{name}“ fehlt", f"schreibe „{name}: …“")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        report((*where, name), f"„{name}“ ist kein Text", f"schreibe „{name}: …“ als eine Zeile Text")
        return ""
    text = " ".join(str(value).split())
    invisible = invisible_problem(text)
    if invisible:
        report((*where, name), f"„{name}“: {invisible}", INVISIBLE_FIX)
        return ""
    if len(text) > MAX_TEXT:
        report((*where, name), f"„{name}“ ist länger als {MAX_TEXT} Zeichen", "kürze den Text")
        return ""
    return text


_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_EXPONENT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+")


def _number(value: Any, where: tuple[Any, ...], report: _Report, raw: str = "") -> float | None:
    if raw and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and not _DECIMAL.fullmatch(raw.strip()):
        # YAML 1.1 reads 012 as 10, 1:30 as 90 and 0b101 as 5: a figure means what it shows.
        report(where, f"Wert „{raw.strip()}“ ist keine Dezimalzahl",
               "schreibe Ziffern mit Dezimalpunkt, ohne führende Null, z. B. „12“ oder „12.5“")
        return None
    if isinstance(value, str) and _EXPONENT.fullmatch(value.strip()):
        # YAML reads 1e15 as text: a figure in exponent form, or a number in quotes.
        report(where, f"Wert „{value.strip()}“ ist in Exponentialschreibweise",
               "schreibe die Zahl aus, z. B. „1000000“ statt „1e6“")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        shown = "fehlt" if value is None else f"„{value}“ ist keine Zahl"
        report(where, f"Wert {shown}", "schreibe eine Zahl mit Dezimalpunkt, z. B. „value: 12.5“ "
               "(ohne Einheit und ohne Tausenderpunkt)")
        return None
    if value != value or abs(value) > 1e15:  # NaN, infinity, or a figure no chart can draw
        report(where, f"Wert „{value}“ ist keine darstellbare Zahl", "schreibe eine endliche Zahl")
        return None
    return float(value)


def _day(value: Any, raw: str, where: tuple[Any, ...], today: date, report: _Report,
         future: bool = False) -> date | None:
    if value is None:
        report(where, "Datum fehlt", "schreibe „date: JJJJ-MM-TT“, z. B. „date: 2026-10-31“")
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        with contextlib.suppress(ValueError):  # written as text ("2025-03-31" in quotes)
            value, raw = date.fromisoformat(value.strip()), value.strip()
    if not isinstance(value, date) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw or ""):
        report(where, f"„{raw or value}“ ist kein Datum", "schreibe das Datum als JJJJ-MM-TT, "
               "z. B. „2026-10-31“ (für einen ganzen Monat dessen letzten Tag)")
        return None
    if hasattr(value, "date"):
        value = value.date()
    if value.year < 1900:
        report(where, f"Datum {value.isoformat()} liegt vor 1900", "prüfe das Jahr")
        return None
    if not future and value > today:
        report(where, f"Datum {value.isoformat()} liegt in der Zukunft",
               "trage einen Wert erst ein, wenn er gemessen ist; ein Ziel gehört unter „target:“")
        return None
    return value  # type: ignore[no-any-return]


def _unit(entry: dict[str, Any], where: tuple[Any, ...], unit: str, report: _Report) -> None:
    written = entry.get("unit")
    if written is not None and unit and " ".join(str(written).split()) != unit:
        report((*where, "unit"), f"Einheit „{written}“ passt nicht zur Kennzahl („{unit}“)",
               f"rechne den Wert in „{unit}“ um, oder lege für die andere Einheit eine eigene "
               "Kennzahl an")


def _target(target: Any, raw: dict[tuple[Any, ...], str], unit: str, today: date,
            report: _Report) -> Target | None:
    if target is None:
        return None
    if not isinstance(target, dict):
        report(("target",), "„target“ hat keine Angaben",
               "schreibe „target: {value: 60, date: 2027-12-31}“ oder lass es weg")
        return None
    for name in target:
        if name not in ("value", "date", "unit"):
            report(("target", name), f"unbekannte Angabe „{name}“ im Ziel", "erlaubt sind: value, date, unit")
    _unit(target, ("target",), unit, report)
    value = _number(target.get("value"), ("target", "value"), report, raw.get(("target", "value"), ""))
    day = _day(target.get("date"), raw.get(("target", "date"), ""), ("target", "date"), today, report,
               future=True)
    return Target(value, day) if value is not None and day is not None else None


def _values(values: Any, raw: dict[tuple[Any, ...], str], unit: str, today: date,
            report: _Report) -> tuple[Value, ...]:
    if values is None:
        report(("values",), "Werte fehlen", "schreibe unter „values:“ je Wert „- date: …“, „value: …“ "
               "und „source: …“")
        return ()
    if not isinstance(values, list):
        report(("values",), "„values“ ist keine Liste", "schreibe jeden Wert als eigene Zeile mit „- “")
        return ()
    if len(values) > MAX_VALUES:
        report(("values",), f"mehr als {MAX_VALUES} Werte", "fasse Werte zusammen (z. B. je Monat einen)")
        return ()
    found: dict[date, int] = {}
    result = []
    for index, entry in enumerate(values):
        where = ("values", index)
        if not isinstance(entry, dict):
            report(where, "Wert ohne Angaben", "schreibe „- date: …“, „value: …“ und „source: …“")
            continue
        for name in entry:
            if name not in VALUE_FIELDS:
                report((*where, name), f"unbekannte Angabe „{name}“ in einem Wert",
                       f"erlaubt sind: {', '.join(VALUE_FIELDS)}")
        _unit(entry, where, unit, report)
        day = _day(entry.get("date"), raw.get((*where, "date"), ""), (*where, "date"), today, report)
        value = _number(entry.get("value"), (*where, "value"), report, raw.get((*where, "value"), ""))
        source = _text(entry, "source", report, where=where)
        if not source and "source" not in entry:
            report((*where,), "Quelle fehlt", "schreibe „source: …“: woher der Wert stammt "
                   "(Zählung, Statistik, Umfrage)")
        elif not source:
            report((*where, "source"), "Quelle ist leer", "schreibe, woher der Wert stammt")
        note = _text(entry, "note", report, where=where)
        if day is not None and day in found:
            report((*where, "date"), f"zweiter Wert für den {day.isoformat()} (der erste steht in Zeile "
                   f"{report.lines.get(('values', found[day]), 0) + 1})",
                   "lösche einen der beiden oder korrigiere das Datum")
            continue
        if day is not None:
            found[day] = index
        if day is not None and value is not None and source:
            result.append(Value(day, value, source, note))
    return tuple(sorted(result, key=lambda v: v.day))

