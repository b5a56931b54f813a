"""Reach without tracking: page views counted from the web server's access log, subscribers per list.

Privacy by construction. ``parse_line`` reads one line of the access log and keeps only the
month (in the programme's time zone) and the page's path: the address, the user, the time of
day, the query string, the referrer and the user agent never leave it (the user agent is looked
at there, to skip robots). What is stored is a count per month and page, and a count of
subscribers per list and day: nothing per person.

The figures are kept in the content folder (committed; the build shows them on the "Wirkung"
page and as CSV):

- ``daten/seitenaufrufe.csv``: ``monat,pfad,aufrufe``. A run's months replace those months in
  the file, other months stay: counting the same logs again never counts twice. So a month must
  be counted from all of its logs in one run (``access.log``, ``access.log.1``, the ``.gz`` ones):
  a run over part of a month's logs replaces the month with that part.
- ``daten/abonnements.csv``: ``datum,liste,sprache,abonnements``, a row per list and day; a
  second run on one day replaces that day's rows.

The files are committed, so anyone with access to the repository can edit them: the readers
refuse every value the writers would not have written, with ``path:line`` problems.

Standard library only (and the core's problems and files); never Pelican.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes
from zoneinfo import ZoneInfo

from .files import write_atomically
from .problems import Problem, display_path, reason_in_german

DATA_FOLDER = "daten"
PAGE_VIEWS_FILE = "seitenaufrufe.csv"
SUBSCRIBERS_FILE = "abonnements.csv"
PAGE_VIEWS_HEADER = ("monat", "pfad", "aufrufe")
SUBSCRIBERS_HEADER = ("datum", "liste", "sprache", "abonnements")

# A line longer than this is not looked at (a real one is a few hundred characters; cutting one
# could cut off the user agent and count a robot).
MAX_LINE = 8192
MAX_PATH = 300
MAX_NAME = 80
# Distinct (month, page) pairs one run keeps: a flood of made-up addresses cannot fill the memory.
MAX_PAGES = 200_000
# The stored files: years of figures are a few megabytes at most.
MAX_FILE_BYTES = 20_000_000

ROBOTS = re.compile(r"bot|crawler|spider|slurp|curl|wget|python-requests|headless", re.IGNORECASE)
# host ident user [time] "request" status bytes — then, in the combined format, "referer" "agent".
_LINE = re.compile(r'\S+ \S+ (?:"[^"]*"|\S+) \[(?P<time>[^\]]{1,40})\] "(?P<request>(?:[^"\\]|\\.)*)" '
                   r'(?P<status>[0-9]{3}) (?:[0-9]+|-)')
_CLIENT = re.compile(r' "(?:[^"\\]|\\.)*" "(?P<agent>(?:[^"\\]|\\.)*)"(?:\s|$)')
_TIME = re.compile(r"([0-9]{2})/([A-Za-z]{3})/([0-9]{4}):([0-9]{2}):([0-9]{2}):([0-9]{2}) "
                   r"([+-])([0-9]{2})([0-9]{2})")
# Month names as the servers write them, whatever the locale of this machine.
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_PROTOCOL = re.compile(r"HTTP/[0-9](?:\.[0-9])?")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
PATH_PUNCTUATION = frozenset("/-._~%")
COUNTED_STATUS = frozenset({"200", "304"})
MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LANGUAGE = re.compile(r"[a-z]{2,3}")
COUNT = re.compile(r"[0-9]{1,12}")
NAME_PUNCTUATION = frozenset(" -_.,:()&+/'")


@dataclass(frozen=True)
class Hit:
    """One counted page view: the month and the page, nothing else."""

    month: str  # "2026-12", in the programme's time zone
    path: str  # "/projekte/wue-app/"


def _month(stamp: str, zone: ZoneInfo) -> str | None:
    found = _TIME.fullmatch(stamp)
    if not found:
        return None
    day, name, year, hour, minute, second, sign, off_hours, off_minutes = found.groups()
    number = _MONTHS.get(name.lower())
    if number is None or int(off_hours) > 23 or int(off_minutes) > 59 or not 1990 <= int(year) <= 9998:
        return None
    offset = timedelta(hours=int(off_hours), minutes=int(off_minutes)) * (-1 if sign == "-" else 1)
    moment = datetime(int(year), number, int(day), int(hour), int(minute), int(second),
                      tzinfo=timezone(offset))
    return moment.astimezone(zone).strftime("%Y-%m")


def path_problem(path: str) -> str | None:
    """Why ``path`` (decoded) is not one the figures may hold, or None."""
    if not path.startswith("/") or path.startswith("//"):
        return "beginnt nicht mit genau einem „/“"
    if len(path) > MAX_PATH:
        return f"ist länger als {MAX_PATH} Zeichen"
    if any(not (c.isalpha() or c.isdecimal() or c in PATH_PUNCTUATION) for c in path):
        return "enthält andere Zeichen als Buchstaben, Ziffern und / - . _ ~ %"
    if ".." in path or "/./" in path or path.endswith("/.") or "//" in path:
        return "enthält „..“, „/./“ oder „//“"
    if _ESCAPE.search(path):
        return "enthält eine %-Kodierung (doppelt kodiert)"
    if not path.endswith(("/", ".html")):
        return "ist keine Seite (endet nicht auf „/“ oder „.html“)"
    if path == "/404.html" or path.lower().startswith("/admin/"):
        return "wird nicht gezählt (/404.html, /admin/)"
    return None


def normalise(target: str) -> str | None:
    """The page a request target names, or None: query and fragment dropped, percent-decoded
    once (UTF-8), slashes collapsed, ``index.html`` as its folder."""
    raw = target.split("#", 1)[0].split("?", 1)[0]
    if not raw.startswith("/") or len(raw) > 3 * MAX_PATH:
        return None
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeError:
        return None
    path = re.sub(r"/{2,}", "/", path)
    if path.endswith("/index.html"):
        path = path.removesuffix("index.html")
    return None if path_problem(path) else path


def _parse(line: str, zone: ZoneInfo) -> Hit | None:
    if len(line) > MAX_LINE:
        return None
    line = line.rstrip("\r\n")
    found = _LINE.match(line)
    if not found or found["status"] not in COUNTED_STATUS:
        return None
    rest = line[found.end():]
    if rest.strip():
        client = _CLIENT.match(rest)
        if not client or ROBOTS.search(client["agent"]):
            return None
    parts = found["request"].split(" ")
    if len(parts) != 3 or parts[0] != "GET" or not _PROTOCOL.fullmatch(parts[2]):
        return None
    path = normalise(parts[1])
    month = _month(found["time"], zone) if path else None
    return Hit(month, path) if month and path else None


def parse_line(line: str, zone: ZoneInfo) -> Hit | None:
    """The page view a line of the access log (combined or common format) records, or None:
    not a GET answered with 200 or 304, not a page, a robot, or not a line of the log at all."""
    try:
        return _parse(line, zone)
    except (ValueError, OverflowError, UnicodeError):  # a date no calendar has, and the like
        return None


@dataclass
class Tally:
    """Counts as lines come: page views per (month, path), and how many lines were read."""

    zone: ZoneInfo
    views: Counter[tuple[str, str]] = field(default_factory=Counter)
    read: int = 0
    counted: int = 0
    overflow: int = 0  # views of pages beyond MAX_PAGES, left out

    def add(self, line: str) -> None:
        self.read += 1
        hit = parse_line(line, self.zone)
        if hit is None:
            return
        key = (hit.month, hit.path)
        if key not in self.views and len(self.views) >= MAX_PAGES:
            self.overflow += 1
            return
        self.views[key] += 1
        self.counted += 1

    @property
    def skipped(self) -> int:
        return self.read - self.counted


def count(lines: Iterable[str], zone: ZoneInfo) -> Counter[tuple[str, str]]:
    """Page views per (month, path) in ``lines``."""
    tally = Tally(zone)
    for line in lines:
        tally.add(line)
    return tally.views


# -- the stored files ------------------------------------------------------------------------------

def page_views_file(content_folder: Path) -> Path:
    return Path(content_folder) / DATA_FOLDER / PAGE_VIEWS_FILE


def subscribers_file(content_folder: Path) -> Path:
    return Path(content_folder) / DATA_FOLDER / SUBSCRIBERS_FILE


def merge_page_views(stored: Mapping[tuple[str, str], int],
                     counted: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The months counted now replace those months; the others stay as stored."""
    months = {month for month, _path in counted}
    merged = {key: value for key, value in stored.items() if key[0] not in months}
    merged.update({key: value for key, value in counted.items() if value > 0})
    return merged


def merge_subscriber_counts(stored: Mapping[tuple[str, str, str], int],
                            counted: Mapping[tuple[str, str, str], int]) -> dict[tuple[str, str, str], int]:
    """The days counted now replace those days' rows; the others stay as stored."""
    days = {day for day, _name, _language in counted}
    merged = {key: value for key, value in stored.items() if key[0] not in days}
    merged.update(counted)
    return merged


def _csv(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(rows))
    return text.getvalue().encode("utf-8")


def write_page_views(path: Path, views: Mapping[tuple[str, str], int]) -> None:
    for (month, page), number in views.items():  # the writer holds itself to the reader's rules
        if not MONTH.fullmatch(month) or path_problem(page) or number < 0:
            raise ValueError(f"kein Wert für {PAGE_VIEWS_FILE}: {month!r}, {page[:60]!r}, {number!r}")
    write_atomically(path, _csv(PAGE_VIEWS_HEADER, ((m, p, n) for (m, p), n in views.items())))


def write_subscriber_counts(path: Path, counts: Mapping[tuple[str, str, str], int]) -> None:
    for (day, name, language), number in counts.items():
        if _day_problem(day) or name_problem(name) or not LANGUAGE.fullmatch(language) or number < 0:
            raise ValueError(f"kein Wert für {SUBSCRIBERS_FILE}: {day!r}, {name[:60]!r}, {language!r}")
    write_atomically(path, _csv(SUBSCRIBERS_HEADER, ((d, n, s, c) for (d, n, s), c in counts.items())))


def name_problem(name: str) -> str | None:
    """Why ``name`` may not name a list in the figures, or None. No "@" (no address can get in);
    a letter or digit first (a spreadsheet takes "=", "+", "-", "@" first as a formula)."""
    if not name or len(name) > MAX_NAME:
        return f"ist leer oder länger als {MAX_NAME} Zeichen"
    if not (name[0].isalpha() or name[0].isdecimal()) or name != name.strip() or "  " in name:
        return "beginnt nicht mit einem Buchstaben oder einer Ziffer, oder hat überzählige Leerzeichen"
    if any(not (c.isalpha() or c.isdecimal() or c in NAME_PUNCTUATION) for c in name):
        return "enthält andere Zeichen als Buchstaben, Ziffern, Leerzeichen und - _ . , : ( ) & + / '"
    return None


def list_name(name: object, number: int) -> str:
    """A list's name as the figures keep it: the provider's, without what they may not hold
    ("Liste 7" when nothing is left)."""
    text = " ".join(str(name or "").split())
    text = "".join(c for c in text if c.isalpha() or c.isdecimal() or c in NAME_PUNCTUATION)
    text = " ".join(text.split())
    while text and not (text[0].isalpha() or text[0].isdecimal()):
        text = text[1:]
    text = text[:MAX_NAME].rstrip()
    return text if text and not name_problem(text) else f"Liste {number}"


def _day_problem(value: str) -> str | None:
    if not DAY.fullmatch(value):
        return "ist kein Datum JJJJ-MM-TT"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "ist kein Tag des Kalenders"
    return None


def _shown(value: str) -> str:
    return value if len(value) <= 60 else value[:60] + "…"


def _count_problem(value: str) -> str | None:
    if COUNT.fullmatch(value):
        return None
    if value.startswith("-") and COUNT.fullmatch(value[1:]):
        return f"Anzahl „{value}“ ist negativ"
    return f"Anzahl „{_shown(value)}“ ist keine ganze Zahl"


def _rows(path: Path, header: tuple[str, ...], fix: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """(line, fields) of every row below a correct header, or the problems of the file as such."""
    where = display_path(path)
    try:
        if not path.exists() and not path.is_symlink():
            return [], []
        if path.is_symlink() or path.parent.is_symlink() or not path.is_file():
            return [], [Problem(where, 1, "keine gewöhnliche Datei (ein Verweis/Symlink oder ein Gerät)",
                                "lege die Datei selbst in den Ordner (invoke reach schreibt sie)")]
        if path.stat().st_size > MAX_FILE_BYTES:
            return [], [Problem(where, 1, f"Datei ist größer als {MAX_FILE_BYTES // 1_000_000} MB",
                                "ältere Jahre in eine eigene Datei auslagern")]
        data = path.read_bytes()
    except OSError as error:
        return [], [Problem(where, 1, f"Datei nicht lesbar ({reason_in_german(error)})",
                            "prüfe, ob es die Datei gibt und ob sie gelesen werden darf")]
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        return [], [Problem(where, data[: error.start].count(b"\n") + 1,
                            "Datei ist nicht in UTF-8 gespeichert", "im Editor „als UTF-8 speichern“ wählen")]
    reader = csv.reader(text.splitlines(), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1  # the line a row begins on (a quoted value may run over several)
    try:
        first = next(reader, None)
        if first is None:
            return [], []
        if tuple(first) != header:
            return [], [Problem(where, 1, f"Kopfzeile „{_shown(','.join(first))}“ ist falsch", fix)]
        while True:
            start = reader.line_num + 1
            fields = next(reader, None)
            if fields is None:
                break
            if fields:
                rows.append((start, fields))
    except csv.Error:
        return [], [Problem(where, start, "Zeile ist kein gültiges CSV (Anführungszeichen?)",
                            "Anführungszeichen entfernen; Werte enthalten keine")]
    return rows, []


def read_page_views(path: Path) -> tuple[dict[tuple[str, str], int], list[Problem]]:
    """The stored page views by (month, path), and every problem of the file (whose rows are then
    left out). A file that does not exist yet holds no figures."""
    rows, problems = _rows(path, PAGE_VIEWS_HEADER, "erste Zeile muss „monat,pfad,aufrufe“ sein "
                           "(Komma als Trennzeichen)")
    where = display_path(path)
    views: dict[tuple[str, str], int] = {}
    for line, fields in rows:
        problem = _page_row_problem(fields, views)
        if problem:
            problems.append(Problem(where, line, *problem))
            continue
        views[(fields[0], fields[1])] = int(fields[2])
    return (views, problems) if not problems else ({}, problems)


def _page_row_problem(fields: list[str], seen: Mapping[tuple[str, str], int]) -> tuple[str, str] | None:
    if len(fields) != 3:
        return f"Zeile hat {len(fields)} Felder statt 3", "je Zeile: monat,pfad,aufrufe"
    month, page, number = fields
    if not MONTH.fullmatch(month):
        return f"Monat „{_shown(month)}“ ist ungültig", "schreibe den Monat als JJJJ-MM, z. B. 2026-12"
    problem = path_problem(page)
    if problem:
        return f"Pfad „{_shown(page)}“ {problem}", "nur Seitenadressen der Website, z. B. /projekte/"
    counted = _count_problem(number)
    if counted:
        return counted, "eine ganze Zahl ab 0, ohne Vorzeichen und Trennzeichen"
    if (month, page) in seen:
        return f"„{month}, {_shown(page)}“ steht doppelt", "eine der beiden Zeilen löschen"
    return None


def read_subscriber_counts(path: Path) -> tuple[dict[tuple[str, str, str], int], list[Problem]]:
    """The stored subscriber counts by (date, list, language), and every problem of the file
    (whose rows are then left out). A file that does not exist yet holds no figures."""
    rows, problems = _rows(path, SUBSCRIBERS_HEADER, "erste Zeile muss „datum,liste,sprache,abonnements“ "
                           "sein (Komma als Trennzeichen)")
    where = display_path(path)
    counts: dict[tuple[str, str, str], int] = {}
    for line, fields in rows:
        problem = _subscriber_row_problem(fields, counts)
        if problem:
            problems.append(Problem(where, line, *problem))
            continue
        counts[(fields[0], fields[1], fields[2])] = int(fields[3])
    return (counts, problems) if not problems else ({}, problems)


def _subscriber_row_problem(fields: list[str],
                            seen: Mapping[tuple[str, str, str], int]) -> tuple[str, str] | None:
    if len(fields) != 4:
        return f"Zeile hat {len(fields)} Felder statt 4", "je Zeile: datum,liste,sprache,abonnements"
    day, name, language, number = fields
    problem = _day_problem(day)
    if problem:
        return f"Datum „{_shown(day)}“ {problem}", "schreibe das Datum als JJJJ-MM-TT, z. B. 2026-12-06"
    problem = name_problem(name)
    if problem:
        return f"Liste „{_shown(name)}“ {problem}", "den Namen der Liste ohne Sonderzeichen schreiben"
    if not LANGUAGE.fullmatch(language):
        return (f"Sprache „{_shown(language)}“ ist kein Sprachschlüssel",
                "z. B. de, en (programme.yml, languages:)")
    counted = _count_problem(number)
    if counted:
        return counted, "eine ganze Zahl ab 0, ohne Vorzeichen und Trennzeichen"
    if (day, name, language) in seen:
        return f"„{day}, {_shown(name)}, {language}“ steht doppelt", "eine der beiden Zeilen löschen"
    return None


# --- what the site and the report make of the stored figures ------------------------------------

def measure_paths(programme: Any, site_path: str, posts: Iterable[tuple[str, Iterable[str]]]
                  ) -> dict[str, tuple[str, ...]]:
    """Each page that belongs to measures, by its path as the web server logs it (``site_path``:
    the site's own prefix, "" at a domain's root), to the measures' slugs: a measure's page in
    every language, and each of ``posts`` ((address, slugs of its measures): posts and their
    translations). A post of two measures is a page of both."""
    found: dict[str, list[str]] = {}

    def add(url: str, slug: str) -> None:
        slugs = found.setdefault(f"{site_path}/{url}", [])
        if slug not in slugs:
            slugs.append(slug)

    for measure in programme.measures:
        for url in [measure.url, *(f"{edition.key}/{measure.url}" for edition in programme.editions[1:])]:
            add(url, measure.slug)
    for url, slugs in posts:
        for slug in slugs:
            if programme.measure(slug) is not None:
                add(url, slug)
    return {path: tuple(slugs) for path, slugs in found.items()}


@dataclass(frozen=True)
class Views:
    """Stored page views summed per month: every page, the measures' pages, each measure."""

    totals: dict[str, int]
    of_measures: dict[str, int]  # pages of any measure (a page of two counted once)
    by_measure: dict[tuple[str, str], int]  # (month, slug)


def tally(page_views: Mapping[tuple[str, str], int], pages: Mapping[str, tuple[str, ...]],
          counted: Callable[[str], bool]) -> Views:
    """The views of the months ``counted`` accepts, by the page map of ``measure_paths``."""
    views = Views({}, {}, {})
    for (month, path), number in page_views.items():
        if not counted(month):
            continue
        views.totals[month] = views.totals.get(month, 0) + number
        slugs = pages.get(path, ())
        if slugs:
            views.of_measures[month] = views.of_measures.get(month, 0) + number
        for slug in slugs:
            views.by_measure[(month, slug)] = views.by_measure.get((month, slug), 0) + number
    return views


def latest_counts(counts: Mapping[tuple[str, str, str], int], names: Mapping[str, str],
                  counted: Callable[[str], bool] = lambda _day: True
                  ) -> tuple[date | None, list[tuple[str, str, int]]]:
    """The newest day of subscriber counts ``counted`` accepts, with (list, language's name,
    subscribers) of that day."""
    days = sorted({day for day, _name, _lang in counts if counted(day)})
    if not days:
        return None, []
    newest = days[-1]
    rows = [(name, names.get(lang, lang), number)
            for (day, name, lang), number in counts.items() if day == newest]
    return date.fromisoformat(newest), sorted(rows)
