"""The report the funder asks for: `invoke report --from JJJJ-MM-TT --to JJJJ-MM-TT`.

One tagged PDF (PDF/UA-1, like the print editions) and four CSV files for a period, in German,
counted from the content files the site is built from, read by the same loader as the build
(``plugins.programme.tree``): posts and events per measure, participation, the indicators with
their charts, and reach without tracking. Nothing is written while the content has a problem,
and a report is written whole or not at all (into a folder beside the target, renamed at the
end). Only originals count: a translation is no second post or event.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from plugins.programme.charts import chart_svg
from plugins.programme.events import Event, event_from
from plugins.programme.formatting import csv_table, date_de, figure_text, month_de, text_cell, when_de
from plugins.programme.indicators import DIRECTION_TEXT, Indicator, Value, change, number, summary
from plugins.programme.model import Cluster, Measure, Programme
from plugins.programme.problems import display_path
from plugins.programme.reach import latest_counts, measure_paths, tally
from plugins.programme.schema import ARTICLE, EVENT
from plugins.programme.tree import ContentConfig, Source, read_programme_of, read_tree

from .settings import DEVELOPMENT, ROOT, ContentFolderMissing, EnvironmentValueError, load_settings

REPORTS = ROOT / "bericht"  # default: bericht/<from>_<to>/
POSTS_CSV, PARTICIPATION_CSV = "beitraege-termine.csv", "beteiligung.csv"
INDICATORS_CSV, REACH_CSV = "kennzahlen.csv", "reichweite.csv"
CSV_HEADERS = {
    POSTS_CSV: ("massnahme", "cluster", "beitraege", "termine", "teilnehmende"),
    PARTICIPATION_CSV: ("datum", "termin", "massnahme", "teilnehmende"),
    INDICATORS_CSV: ("kennzahl", "titel", "massnahme", "einheit", "wert_beginn", "datum_beginn", "wert_ende",
                     "datum_ende", "veraenderung", "ziel_wert", "ziel_datum", "beispiel"),
    REACH_CSV: ("monat", "massnahme", "aufrufe"),
}
ALL = "alle"  # the row of every measure (CSV), as in the site's reichweite.csv
# As Pelican's defaults in pelicanconf.py, for settings that name fields a report does not know.
ARTICLE_URL, ARTICLE_LANG_URL = "aktuelles/{date:%Y}/{slug}/", "{lang}/aktuelles/{date:%Y}/{slug}/"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PDF_NAME = re.compile(r"bericht-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}-[0-9]{2}-[0-9]{2}\.pdf")


class ReportRefused(Exception):
    """Why no report was written: German lines for the terminal."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def parse_day(text: Any, option: str) -> date:
    """A day given on the command line as JJJJ-MM-TT; a German refusal otherwise."""
    if text is None or not str(text).strip():
        raise ReportRefused([f"{option} fehlt — nenne den Zeitraum: --from JJJJ-MM-TT --to JJJJ-MM-TT, "
                             "z. B. --from 2026-01-01 --to 2026-06-30"])
    written = str(text).strip()
    shown = written[:40].encode("unicode_escape").decode("ascii")
    if not _DAY.fullmatch(written):
        raise ReportRefused([f"{option} „{shown}“ ist kein Datum — schreibe es als JJJJ-MM-TT, "
                             "z. B. 2026-01-31"])
    try:
        day = date.fromisoformat(written)
    except ValueError:
        raise ReportRefused([f"{option} „{shown}“: diesen Tag gibt es nicht — prüfe Monat und Tag"]) from None
    if not 1900 <= day.year <= 2999:
        raise ReportRefused([f"{option} „{shown}“ liegt nicht zwischen 1900 und 2999 — prüfe das Jahr"])
    return day


def check_period(start: date, end: date) -> None:
    if start > end:
        raise ReportRefused([f"Der Zeitraum beginnt ({start.isoformat()}) nach seinem Ende "
                             f"({end.isoformat()}) — tausche --from und --to"])


def parse_period(start: Any, end: Any) -> tuple[date, date]:
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    check_period(first, last)
    return first, last


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, included
    zone: ZoneInfo

    @property
    def begins(self) -> datetime:
        return datetime.combine(self.start, time(), self.zone)

    @property
    def ends(self) -> datetime:
        """The moment after the last day."""
        return datetime.combine(self.end + timedelta(days=1), time(), self.zone)

    @property
    def text(self) -> str:
        return f"{date_de(self.start)} bis {date_de(self.end)}"

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[str]:
        """Every month the period lies in, whole or in part ("2026-11")."""
        found, year, number_ = [], self.start.year, self.start.month
        while (year, number_) <= (self.end.year, self.end.month):
            found.append(f"{year:04d}-{number_:02d}")
            year, number_ = (year + 1, 1) if number_ == 12 else (year, number_ + 1)
        return found


def month_text(month: str) -> str:
    """"2026-11" as "November 2026"."""
    return month_de(date.fromisoformat(month + "-01"))


@dataclass(frozen=True)
class Post:
    """A post published in the period."""

    title: str
    day: date
    measures: tuple[str, ...]  # slugs


@dataclass(frozen=True)
class Participation:
    """The people at a number of events, as far as counted (``teilnehmende``)."""

    events: int
    counted: int
    total: int

    @classmethod
    def of(cls, events: Iterable[Event]) -> Participation:
        listed = list(events)
        counts = [e.participants for e in listed if e.participants is not None]
        return cls(len(listed), len(counts), sum(counts))

    @property
    def text(self) -> str:
        if not self.events:
            return "–"
        if not self.counted:
            return "nicht erfasst"
        return (f"{number(self.total)} (erfasst bei {self.counted} von {self.events} "
                f"Termin{'en' if self.events != 1 else ''})")

    @property
    def cell(self) -> str:
        """For the CSV: the sum of the counts, empty where none is entered."""
        return str(self.total) if self.counted else ""


@dataclass
class MeasureFigures:
    measure: Measure
    posts: list[Post] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def participation(self) -> Participation:
        return Participation.of(self.events)

    @property
    def active(self) -> bool:
        return bool(self.posts or self.events)


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: Indicator
    measure: Measure | None
    first: Value | None  # the value that held at the start (else the first in the period)
    last: Value | None  # the last value up to the end
    chart: Markup  # inline SVG; its <title> is the text alternative of the PDF's figure
    alt: str

    @property
    def change(self) -> Decimal | None:
        """End minus start, exactly as written (decimal); None without two values."""
        if self.first is None or self.last is None or self.first.day == self.last.day:
            return None
        return Decimal(repr(self.last.value)) - Decimal(repr(self.first.value))

    @property
    def change_text(self) -> str:
        if self.last is None:
            return "keine Werte bis zum Ende des Zeitraums"
        difference = self.change
        if difference is None:
            return "kein zweiter Wert bis zum Ende des Zeitraums"
        shown = ("+" if difference > 0 else "") + number(float(difference))
        return f"{shown} {self.indicator.unit}".strip()

    def value_text(self, value: Value | None) -> str:
        if value is None:
            return "kein Wert"
        return f"{number(value.value)} {self.indicator.unit} ({date_de(value.day)})"

    @property
    def target_text(self) -> str:
        target = self.indicator.target
        if target is None:
            return "kein Ziel"
        return f"{number(target.value)} {self.indicator.unit} bis {date_de(target.day)}"


@dataclass(frozen=True)
class Reach:
    months: list[tuple[str, int, int]]  # (month, views of every page, of the measures' pages)
    missing: list[str]  # months of the period without counted page views
    measures: list[tuple[Measure, int, list[tuple[str, int]]]]  # (measure, views, (month, views))
    subscribers_day: date | None  # the last day of the period with subscriber counts
    subscribers: list[tuple[str, str, int]]  # (list, language, subscribers) on that day
    rows: list[tuple[str, str, int]]  # (month, measure slug or "alle", views): the CSV


@dataclass
class Figures:
    """Everything the report says, counted once; the PDF and the CSV files show the same."""

    programme: Programme
    period: Period
    created: date
    posts: list[Post]
    held: list[Event]  # over in the period, not cancelled, soonest first
    cancelled: list[Event]  # cancelled ones that would have been over in the period
    measures: list[MeasureFigures]
    indicators: list[IndicatorFigures]
    reach: Reach

    @property
    def participation(self) -> Participation:
        return Participation.of(self.held)

    def clusters(self) -> list[tuple[Cluster, list[MeasureFigures]]]:
        return [(cluster, [m for m in self.measures if m.measure.cluster is cluster])
                for cluster in self.programme.clusters]

    @property
    def notes(self) -> list[str]:
        """What the reader of the terminal should know before handing the report on."""
        found = []
        examples = [e for e in self.held if e.example]
        if examples:
            found.append(f"{len(examples)} Beispieltermin{'e' if len(examples) != 1 else ''} im Bericht "
                         "(example: true) — vor der Abgabe echte Termine eintragen")
        samples = [i for i in self.indicators if i.indicator.example]
        if samples:
            found.append(f"{len(samples)} Kennzahl{'en' if len(samples) != 1 else ''} mit Beispielzahlen "
                         "im Bericht (example: true) — vor der Abgabe gemessene Werte eintragen")
        if self.period.end > self.created:
            found.append(f"Der Zeitraum reicht über heute hinaus: gezählt ist der Stand vom "
                         f"{self.created.isoformat()}")
        return found


def site_address(settings: Mapping[str, Any]) -> str:
    """The public address the build writes into pages (the print editions' too)."""
    return str(settings.get("PUBLIC_URL") or settings.get("SITEURL") or "http://127.0.0.1:8000")


def post_url(settings: Mapping[str, Any], source: Source, default_lang: str) -> str:
    """A post's address as Pelican writes it (ARTICLE_URL; a translation's ARTICLE_LANG_URL)."""
    original = source.lang == default_lang
    pattern = str(settings.get("ARTICLE_URL" if original else "ARTICLE_LANG_URL") or "")
    values = {"slug": source.slug, "lang": source.lang, "date": source.post.meta.get("date")}
    with contextlib.suppress(KeyError, IndexError, ValueError, AttributeError, TypeError):
        return pattern.format(**values) if pattern else ""
    return (ARTICLE_URL if original else ARTICLE_LANG_URL).format(**values)


def measure_pages(programme: Programme, sources: Iterable[Source], config: ContentConfig,
                  settings: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each page that belongs to a measure, by its path as the web server logs it, to the slugs of
    its measures: the measure's page in every language, each published post naming it and the
    post's published translations (a post of two measures is a page of both)."""
    default = programme.editions[0].key
    listed = [s for s in sources if s.kind == ARTICLE and s.is_published(config)]
    originals = {s.key: s for s in listed if s.lang == default}
    posts = [(post_url(settings, source, default), originals[source.key].post.meta.get("measure", []))
             for source in listed if source.key in originals]
    return measure_paths(programme, urlsplit(site_address(settings)).path.rstrip("/"), posts)


def _day_of(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _posts(sources: Iterable[Source], config: ContentConfig, period: Period, default: str) -> list[Post]:
    found = []
    for source in sources:
        moment = source.post.meta.get("date")
        if source.kind != ARTICLE or source.lang != default or not source.is_published(config) \
                or not isinstance(moment, date):
            continue
        day = _day_of(moment.astimezone(period.zone) if isinstance(moment, datetime) else moment)
        if period.holds(day):
            found.append(Post(str(source.post.meta.get("title") or ""), day,
                              tuple(source.post.meta.get("measure", []))))
    return sorted(found, key=lambda p: (p.day, p.title.casefold()))


def _events(sources: Iterable[Source], programme: Programme, default: str) -> list[Event]:
    found = []
    for source in sources:
        if source.kind == EVENT and source.lang == default:
            event = event_from(source.relative, Path(source.relative).stem, source.slug, source.post,
                               programme, "", source.lang, source.key)
            if event is not None:
                found.append(event)
    return found


def _indicator(indicator: Indicator, programme: Programme, period: Period) -> IndicatorFigures:
    first, last = change(indicator, period.start, period.end)
    # The chart and its words show what was known at the period's end, as the table does: no
    # value measured after it (the target stays: it is what the values are measured against).
    indicator = replace(indicator, values=tuple(v for v in indicator.values if v.day <= period.end))
    said = summary(indicator)
    alt = f"Diagramm: {indicator.title}. {said}"
    ident = f"kennzahl-{indicator.key}"
    chart = chart_svg(indicator, ident, standalone=True)
    # The PDF's figure takes its text alternative from the chart's <title>: the summary, too.
    chart = chart.replace(f'<title id="{ident}-t">{escape(indicator.title)}</title>',
                          f'<title id="{ident}-t">{escape(alt)}</title>', 1)
    return IndicatorFigures(indicator, programme.measure(indicator.measure) if indicator.measure else None,
                            first, last, Markup(chart), alt)


def _reach(programme: Programme, pages: Mapping[str, tuple[str, ...]], period: Period) -> Reach:
    months = period.months()
    tallied = tally(programme.page_views, pages, months.__contains__)
    totals, by_measure = tallied.totals, tallied.by_measure
    counted = [m for m in months if m in totals]
    measures = []
    rows = []
    for when in counted:
        rows.append((when, ALL, totals[when]))
        rows += [(when, m.slug, by_measure[(when, m.slug)]) for m in programme.measures
                 if (when, m.slug) in by_measure]
    for measure in programme.measures:
        per_month = [(when, by_measure[(when, measure.slug)]) for when in counted
                     if (when, measure.slug) in by_measure]
        measures.append((measure, sum(views for _when, views in per_month), per_month))
    names = {edition.key: edition.name for edition in programme.editions}
    day, subscribers = latest_counts(programme.subscriber_counts, names,
                                     lambda written: period.holds(date.fromisoformat(written)))
    return Reach([(m, totals[m], tallied.of_measures.get(m, 0)) for m in counted],
                 [m for m in months if m not in totals], measures, day, subscribers, rows)


def count(programme: Programme, sources: list[Source], config: ContentConfig, settings: Mapping[str, Any],
          start: date, end: date) -> Figures:
    """The report's figures from content read without problems."""
    zone = ZoneInfo(config.timezone)
    period = Period(start, end, zone)
    now = config.now.astimezone(zone)
    default = programme.editions[0].key
    posts = _posts(sources, config, period, default)
    events = sorted(_events(sources, programme, default), key=lambda e: (e.when.sort_key(zone), e.slug))
    in_period = [e for e in events if period.begins < e.when.end_moment(zone) <= period.ends]
    held = [e for e in in_period if not e.cancelled and not e.new_date_pending
            and e.when.end_moment(zone) <= now]
    cancelled = [e for e in in_period if e.cancelled]
    measures = [MeasureFigures(m) for c in programme.clusters for m in programme.measures if m.cluster is c]
    by_slug = {figures.measure.slug: figures for figures in measures}
    for post in posts:
        for slug in post.measures:
            if slug in by_slug:
                by_slug[slug].posts.append(post)
    for event in held:
        for measure in event.measures:
            if measure.slug in by_slug:
                by_slug[measure.slug].events.append(event)
    order = {m.slug: index for index, m in enumerate(programme.measures)}
    ranked = sorted(programme.indicators, key=lambda i: (order.get(i.measure, -1), i.title.casefold(), i.key))
    indicators = [_indicator(indicator, programme, period) for indicator in ranked]
    reach = _reach(programme, measure_pages(programme, sources, config, settings), period)
    return Figures(programme, period, now.date(), posts, held, cancelled, measures, indicators, reach)


# CSV: RFC 4180, UTF-8, ISO dates, a decimal point; no text cell a spreadsheet runs as a formula.
def figure_cell(value: float | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return figure_text(value)




def csv_tables(figures: Figures) -> dict[str, bytes]:
    """The four tables of the report, by file name."""
    posts = [(m.measure.slug, m.measure.cluster.slug, len(m.posts), len(m.events), m.participation.cell)
             for m in figures.measures]
    posts.append((ALL, "", len(figures.posts), len(figures.held), figures.participation.cell))
    held = [(_day_of(e.when.start).isoformat(), text_cell(e.title), ";".join(m.slug for m in e.measures),
             "" if e.participants is None else str(e.participants)) for e in figures.held]
    indicators = []
    for row in figures.indicators:
        indicator, first, last, target = row.indicator, row.first, row.last, row.indicator.target
        indicators.append((
            indicator.key, text_cell(indicator.title), indicator.measure, text_cell(indicator.unit),
            figure_cell(first.value if first else None), first.day.isoformat() if first else "",
            figure_cell(last.value if last else None), last.day.isoformat() if last else "",
            figure_cell(row.change), figure_cell(target.value if target else None),
            target.day.isoformat() if target else "", "ja" if indicator.example else "nein"))
    return {POSTS_CSV: csv_table(CSV_HEADERS[POSTS_CSV], posts),
            PARTICIPATION_CSV: csv_table(CSV_HEADERS[PARTICIPATION_CSV], held),
            INDICATORS_CSV: csv_table(CSV_HEADERS[INDICATORS_CSV], indicators),
            REACH_CSV: csv_table(CSV_HEADERS[REACH_CSV], figures.reach.rows)}


def pdf_name(start: date, end: date) -> str:
    return f"bericht-{start.isoformat()}-{end.isoformat()}.pdf"


def print_environment(settings: Mapping[str, Any], programme: Programme) -> tuple[Any, dict[str, Any]]:
    """The print documents' template environment (theme/print, the print filters and ``_``) and
    their globals (the stylesheet, addresses), as plugins.paper makes them for the build."""
    from jinja2 import Environment, FileSystemLoader

    from plugins.paper.editions import Editions, css_string, page_numbers
    from plugins.programme.catalogues import install

    options = {**dict(settings.get("JINJA_ENVIRONMENT") or {}), "autoescape": True}
    env = Environment(loader=FileSystemLoader(str(Path(settings["THEME"]) / "print")), **options)
    env.filters.update(css_string=css_string, page_numbers=page_numbers, date_de=date_de, when_de=when_de)
    install(env, programme.editions[0].key)
    return env, Editions(env, programme, site_address(settings)).globals


def report_html(figures: Figures, settings: Mapping[str, Any]) -> str:
    env, shared = print_environment(settings, figures.programme)
    period = figures.period
    name = figures.programme.name
    return str(env.get_template("report.html").render(
        **shared, report=figures, number=number, month_text=month_text, direction_text=DIRECTION_TEXT,
        csv_names=list(CSV_HEADERS), title=f"Bericht {period.text} – {name}",
        footer=f"{name} · Bericht {period.start.strftime('%d.%m.%Y')} bis {period.end.strftime('%d.%m.%Y')}"))


@dataclass(frozen=True)
class Written:
    folder: Path
    files: list[Path]
    pages: int  # of the PDF; 0 without one
    notes: list[str]
    refused: list[str]  # addresses the PDF was not allowed to load (only local files are)


MARK = ".bericht"  # in every folder a report writes: only such a folder is ever replaced


def _replaceable(folder: Path) -> bool:
    """An existing folder a report may replace: empty, or an earlier report's (its mark and
    nothing but a report's files)."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    found = list(folder.iterdir())
    if not found:
        return True
    return (folder / MARK).is_file() and all(
        path.is_file() and (path.name == MARK or path.name in CSV_HEADERS or _PDF_NAME.fullmatch(path.name))
        for path in found)


def write_folder(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` into ``folder`` whole or not at all: into a new folder beside it, then
    renamed; a previous report there is replaced only once the new one is complete."""
    folder = Path(folder).absolute()
    if folder.exists() and not _replaceable(folder):
        raise ReportRefused([f"{display_path(folder)}: den Ordner gibt es schon, mit anderen Dateien als "
                             "einem Bericht — nenne mit --output einen neuen oder leeren Ordner"])
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.parent / f".{folder.name}.neu-{secrets.token_hex(4)}"
    fresh.mkdir()
    old: Path | None = None
    try:
        for name, data in files.items():
            (fresh / name).write_bytes(data)
        (fresh / MARK).write_text("Von invoke report geschrieben; ein neuer Bericht ersetzt diesen Ordner.\n",
                                  encoding="utf-8")
        if folder.exists():
            old = folder.parent / f".{folder.name}.alt-{secrets.token_hex(4)}"
            folder.rename(old)
        fresh.rename(folder)
    except BaseException:
        if old is not None and not folder.exists():
            old.rename(folder)
            old = None
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return [folder / name for name in files]


def report(settings_file: str | Path, content: str | Path | None, start: date, end: date,
           output: Path | None = None, *, pdf: bool = True, env: Mapping[str, str] | None = None) -> Written:
    """Write the report of ``start`` to ``end`` (both days included) into ``output`` (default:
    bericht/<from>_<to>/): the PDF and the four CSV files. ReportRefused with German lines when
    the period or the content is wrong; nothing is written then."""
    check_period(start, end)
    settings = load_settings(settings_file, content, env=env)
    config = ContentConfig.from_settings(settings)
    folder = Path(output) if output is not None else REPORTS / f"{start.isoformat()}_{end.isoformat()}"
    for name, root in (("Inhaltsordner", config.root),
                       ("Ausgabeordner der Website", settings.get("OUTPUT_PATH"))):
        if root and folder.resolve().is_relative_to(Path(root).resolve()):
            raise ReportRefused([f"{display_path(folder)} liegt im {name} — der Bericht gehört nicht auf die "
                                 "Website; nenne mit --output einen Ordner außerhalb"])
    reading = read_programme_of(config)
    problems, sources = read_tree(config, reading)
    if problems or reading.programme is None:
        where = display_path(config.root)
        raise ReportRefused([*map(str, problems), f"Kein Bericht geschrieben: {len(problems)} "
                             f"Problem{'e' if len(problems) != 1 else ''} im Inhalt von {where} — erst die "
                             "genannten Zeilen korrigieren (invoke check --fast)"])
    figures = count(reading.programme, sources, config, settings, start, end)
    files = csv_tables(figures)
    pages, refused = 0, list[str]()
    if pdf:
        from plugins.paper.render import LocalFiles, PrintDocument, render_pdf

        name = pdf_name(start, end)
        local = LocalFiles(site_address(settings), config.root, settings.get("STATIC_PATHS", ["images"]))
        data, pages, refused = render_pdf(PrintDocument(name, report_html(figures, settings)), local)
        files = {name: data, **files}
    return Written(folder.absolute(), write_folder(folder, files), pages, figures.notes, refused)


def run(start: Any, end: Any, output: str | None, content: str | None,
        settings_file: str | Path = DEVELOPMENT, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`invoke report`: German lines, an exit code, never a traceback."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        first, last = parse_period(start, end)
        written = report(settings_file, content, first, last, Path(output) if output else None)
    except ReportRefused as refused:
        print("\n".join(refused.lines), file=err)
        return 1
    except (ContentFolderMissing, EnvironmentValueError) as error:
        print(error, file=err)
        return 1
    except RuntimeError as error:  # WeasyPrint without its libraries: plugins.paper says what to install
        print(f"Kein Bericht geschrieben: {error}", file=err)
        return 1
    except OSError as error:
        print(f"Kein Bericht geschrieben: {error.filename or ''} {error.strerror or error} — Pfad und "
              "Schreibrechte prüfen".replace("  ", " ").strip(), file=err)
        return 1
    except Exception as error:  # last line of defence: a German line, no traceback
        print(f"Kein Bericht geschrieben: {type(error).__name__}: {error}", file=err)
        return 1
    for line in written.notes:
        print(f"Hinweis: {line}", file=err)
    for address in written.refused:
        print(f"Hinweis: nicht in die PDF geladen (nur Dateien dieser Website): {address}", file=err)
    print(f"Bericht geschrieben: {display_path(written.folder)}/", file=out)
    for path in written.files:
        pages = f" ({written.pages} Seite{'n' if written.pages != 1 else ''})"
        extra = pages if path.suffix == ".pdf" else ""
        print(f"  {path.name}{extra}", file=out)
    return 0
