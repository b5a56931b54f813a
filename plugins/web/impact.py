"""What the programme achieves, on the site: each indicator as a chart with its summary and
table (on its measure's page and on /wirkung/), and the figures as open data (CSV)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from plugins.programme.charts import chart_svg, table_rows
from plugins.programme.formatting import csv_table, figure_text, month_de, text_cell
from plugins.programme.indicators import DIRECTION_TEXT, Indicator, number, summary
from plugins.programme.placeholders import is_placeholder
from plugins.programme.reach import latest_counts, measure_paths, tally

from .opendata import Catalogue, Dataset, Distribution, catalogue_turtle

IMPACT_URL = "wirkung/"
DATA_FOLDER = "daten"
ALL_CSV = f"{DATA_FOLDER}/kennzahlen.csv"


@dataclass(frozen=True)
class IndicatorView:
    """An indicator as a page shows it."""

    indicator: Indicator
    measure: Any  # the Measure, or None for the programme as a whole
    chart: Markup
    summary: str
    rows: list[dict[str, Any]]
    csv_url: str
    direction: str
    target: str  # "400 bis 31.12.2027", or ""

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def anchor(self) -> str:
        """Its id on a page: never one of the page's own (``inhalt``, ``offene-daten`` …)."""
        return anchor(self.indicator)


def anchor(indicator: Indicator) -> str:
    return f"kennzahl-{indicator.key}"


def views(programme: Any) -> list[IndicatorView]:
    """Every indicator of the programme, programme-wide ones first, then in the measures' order."""
    order = {m.slug: index for index, m in enumerate(programme.measures)}
    ranked = sorted(programme.indicators, key=lambda i: (order.get(i.measure, -1), i.title.casefold()))
    return [view(indicator, programme) for indicator in ranked]


def view(indicator: Indicator, programme: Any) -> IndicatorView:
    target = indicator.target
    return IndicatorView(
        indicator, programme.measure(indicator.measure) if indicator.measure else None,
        Markup(chart_svg(indicator, f"kennzahl-{indicator.key}")), summary(indicator), table_rows(indicator),
        csv_url(indicator), DIRECTION_TEXT[indicator.direction],
        f"{number(target.value)} bis {target.day.strftime('%d.%m.%Y')}" if target else "")


def csv_url(indicator: Indicator) -> str:
    return f"{DATA_FOLDER}/kennzahlen/{indicator.key}.csv"






HEADER = ("kennzahl", "titel", "massnahme", "einheit", "richtung", "datum", "wert", "quelle", "anmerkung",
          "ziel_wert", "ziel_datum", "beispiel")


def _rows(indicator: Indicator) -> Iterable[list[str]]:
    target = indicator.target
    for value in indicator.values:
        yield [indicator.key, text_cell(indicator.title), indicator.measure, text_cell(indicator.unit),
               DIRECTION_TEXT[indicator.direction].replace(" ", "-"), value.day.isoformat(),
               figure_text(value.value), text_cell(value.source), text_cell(value.note),
               figure_text(target.value) if target else "", target.day.isoformat() if target else "",
               "ja" if indicator.example else "nein"]




def csv_files(programme: Any) -> Iterable[tuple[str, bytes]]:
    """One CSV per indicator and one of all (RFC 4180, UTF-8, ISO dates, decimal point)."""
    indicators = sorted(programme.indicators, key=lambda i: i.key)
    if not indicators:
        return
    for indicator in indicators:
        yield csv_url(indicator), csv_table(HEADER, _rows(indicator))
    yield ALL_CSV, csv_table(HEADER, (row for indicator in indicators for row in _rows(indicator)))


# Reach without tracking: page views per measure and month, subscribers per list.
REACH_CSV = f"{DATA_FOLDER}/reichweite.csv"
SUBSCRIBERS_CSV = f"{DATA_FOLDER}/abonnements.csv"
CATALOGUE = f"{DATA_FOLDER}/katalog.ttl"
REACH_MONTHS = 12


@dataclass(frozen=True)
class Reach:
    months: list[tuple[str, str, int]]  # (month "2026-11", its name, views of every page), newest first
    measures: list[tuple[Any, int, int]]  # (measure, views in the months shown, in the newest month)
    subscribers_day: date | None
    subscribers: list[tuple[str, str, int]]  # (list, language name, subscribers) on that day
    rows: list[tuple[str, str, int]]  # (month, measure slug or "alle", views): the CSV

    @property
    def empty(self) -> bool:
        return not self.months and not self.subscribers


def reach(programme: Any, site_url: str, today: date | None = None) -> Reach:
    """The figures /wirkung/ shows; months after ``today``'s (a hostile or broken log) are left out."""
    originals = {id(post): post for posts in programme.updates_by_measure.values() for post in posts}
    posts = [(item.url, [m.slug for m in post.measures])
             for post in originals.values() for item in [post, *getattr(post, "translations", ())]]
    pages = measure_paths(programme, urlsplit(site_url).path.rstrip("/"), posts)
    last = today.strftime("%Y-%m") if today else "9999-12"
    tallied = tally(programme.page_views, pages, lambda month: month <= last)
    totals, by_measure = tallied.totals, tallied.by_measure
    shown = sorted(totals, reverse=True)[:REACH_MONTHS]
    newest = shown[0] if shown else ""
    measures = [(m, sum(by_measure.get((w, m.slug), 0) for w in shown), by_measure.get((newest, m.slug), 0))
                for m in programme.measures] if shown else []
    rows = sorted([(w, "alle", v) for w, v in totals.items()]
                  + [(w, s, v) for (w, s), v in by_measure.items()])
    names = {edition.key: edition.name for edition in programme.editions}
    latest, subscribers = latest_counts(programme.subscriber_counts, names)
    return Reach([(w, month_de(date.fromisoformat(w + "-01")), totals[w]) for w in shown], measures, latest,
                 subscribers, rows)


def reach_files(programme: Any, figures: Reach) -> Iterable[tuple[str, bytes]]:
    if figures.rows:
        yield REACH_CSV, csv_table(("monat", "massnahme", "aufrufe"), figures.rows)
    if programme.subscriber_counts:
        yield SUBSCRIBERS_CSV, csv_table(("datum", "liste", "sprache", "abonnements"),
                                      sorted((d, text_cell(n), lang, c)
                                             for (d, n, lang), c in programme.subscriber_counts.items()))




def catalogue_ready(programme: Any) -> bool:
    """The catalogue is written once licence, publisher and contact are filled in."""
    given = programme.open_data
    return all(given.get(key) and not is_placeholder(str(given[key]))
               for key in ("licence", "publisher", "publisher_url", "contact_email"))


def catalogue(programme: Any, feeds: Any, calendars: Any, site_url: str) -> str:
    """The site's datasets (indicators, feeds, calendars) as a DCAT-AP.de catalogue."""
    given = programme.open_data
    site = site_url.rstrip("/") + "/"
    impact_page = site + IMPACT_URL
    datasets = []
    for indicator in sorted(programme.indicators, key=lambda i: i.key):
        days = [v.day for v in indicator.values]
        measure = programme.measure(indicator.measure) if indicator.measure else None
        described = indicator.description or indicator.title
        datasets.append(Dataset(
            f"kennzahlen/{indicator.key}", indicator.title, f"{described} ({summary(indicator)})",
            f"{impact_page}#{anchor(indicator)}",
            tuple(k for k in ("Kennzahl", measure.title if measure else programme.name) if k),
            max(days) if days else None,
            (Distribution(f"{indicator.title} (CSV)", site + csv_url(indicator), site + csv_url(indicator),
                          "text/csv", "CSV"),),
            temporal_start=min(days) if days else None, temporal_end=max(days) if days else None))
    if programme.indicators:
        datasets.append(Dataset(
            "kennzahlen", f"Alle Kennzahlen von {programme.name}",
            f"Alle Kennzahlen der Maßnahmen von {programme.name} mit Zielen, Werten und Quellen.",
            impact_page, ("Kennzahl", programme.name),
            max((v.day for i in programme.indicators for v in i.values), default=None),
            (Distribution("Alle Kennzahlen (CSV)", site + ALL_CSV, site + ALL_CSV, "text/csv", "CSV"),)))
    for spec in feeds.all():
        page = site + spec.page_url if spec.page_url else site
        datasets.append(Dataset(
            f"feeds/{spec.key}", f"Neuigkeiten: {spec.title}", spec.description, page,
            ("Neuigkeiten", "Feed"), None,
            (Distribution(f"{spec.title} (Atom)", site + spec.atom_path, site + spec.atom_path,
                          "application/atom+xml", "ATOM"),
             Distribution(f"{spec.title} (RSS)", site + spec.rss_path, site + spec.rss_path,
                                "application/rss+xml", "RSS"))))
    for spec, _events in calendars.calendars():
        datasets.append(Dataset(
            f"kalender/{spec.key}", f"Termine: {spec.title}", spec.description, site + "termine/",
            ("Termine", "Kalender"), None,
            (Distribution(f"{spec.title} (iCalendar)", site + spec.path, site + spec.path, "text/calendar",
                          "ICS"),)))
    return catalogue_turtle(Catalogue(
        site, f"Offene Daten von {programme.name}",
        f"Kennzahlen, Neuigkeiten und Termine von {programme.name}.", programme.editions[0].lang,
        str(given["publisher"]), str(given["publisher_url"]), f"http://dcat-ap.de/def/licenses/{given['licence']}",
        "", str(given["contact_email"]), tuple(datasets)))
