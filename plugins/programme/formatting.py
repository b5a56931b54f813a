"""Formatting for readers of the site, the feeds and the emails: German dates, machine dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember")


def date_de(moment: date) -> str:
    """German long date, independent of the machine's locale: „1. Juni 2022“."""
    return f"{moment.day}. {MONTHS_DE[moment.month - 1]} {moment.year}"


def month_de(moment: date) -> str:
    """„November 2026“."""
    return f"{MONTHS_DE[moment.month - 1]} {moment.year}"


def is_calendar_date(value: object) -> bool:
    """A date (or date-time) as YAML reads „2026-12-01“: shown in German, never as written."""
    return isinstance(value, date)


def isodate(moment: date) -> str:
    """Machine-readable date or date-time for ``<time datetime>``."""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    return moment.isoformat(timespec="minutes")


WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def day_de(moment: date) -> str:
    """„Donnerstag, 12. März 2026“."""
    return f"{WEEKDAYS_DE[moment.weekday()]}, {date_de(moment)}"


def clock_de(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def when_de(start: date, end: date) -> str:
    """An event's time in words: „Donnerstag, 12. März 2026, 17:00 bis 19:00 Uhr“; all-day
    events (dates) without times; several days with both days named."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        if start.date() == end.date():
            return f"{day_de(start)}, {clock_de(start)} bis {clock_de(end)}\u00a0Uhr"
        return f"{day_de(start)}, {clock_de(start)}\u00a0Uhr, bis {day_de(end)}, {clock_de(end)}\u00a0Uhr"
    if start == end:
        return f"{day_de(start)}, ganztägig"
    return f"{day_de(start)}, bis {day_de(end)}"


def start_de(moment: date) -> str:
    """A start as a short phrase (earlier dates of a moved event)."""
    if isinstance(moment, datetime):
        return f"{day_de(moment)}, {clock_de(moment)}\u00a0Uhr"
    return day_de(moment)


def json_ld(data: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: "<" escaped, so no text an
    editor wrote (a title with ``</script>``) can end the element."""
    import json

    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def size_de(size: int) -> str:
    """A file size as German readers write it: „2,0 KB“, „240 KB“, „1,2 MB“."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = size / factor
            # A no-break space: "30" and "KB" stay on one line.
            return (f"{value:.1f}".replace(".", ",") if value < 10 else f"{value:.0f}") + f"\u00a0{unit}"
    return f"{size}\u00a0Bytes"


def text_cell(value: object) -> str:
    """A CSV text cell no spreadsheet runs as a formula (a leading =, +, -, @, tab or CR starts one):
    such a text gets a leading apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def figure_text(value: float) -> str:
    """A figure for machines: 12, 12.5 (no thousands separator, a decimal point)."""
    if float(value).is_integer():
        return str(int(value))
    # The shortest decimal that reads back as the same float, never in exponent form
    # (0.000000001, not 1e-09: spreadsheets and people read it the same way).
    from decimal import Decimal

    return format(Decimal(repr(float(value))), "f")


def csv_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A table for download: RFC 4180 (CRLF), UTF-8, the header first."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
