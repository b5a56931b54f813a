"""Publication dates: ISO 8601 or ``YYYY-MM-DD HH:MM``; naive times are local time.

Pelican silently shifts a wall-clock time that does not exist (spring DST gap)
or exists twice (autumn fold). A post's date decides feed ids and newsletter
issues, so such times are refused with a fix instead of being guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

_GERMAN_DATE = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:,?\s+(?P<t>\d{1,2}:\d{2}))?(?:\s*Uhr)?$"
)


class DateProblem(ValueError):
    """A date an editor wrote that cannot be used, with the suggested fix."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_date(raw: str, timezone: str = "Europe/Berlin") -> datetime:
    """Return an aware datetime for a front-matter date, or raise DateProblem."""
    text = str(raw).strip()
    tz = ZoneInfo(timezone)
    example = "z. B. 2022-06-01 10:00"
    german = _GERMAN_DATE.match(text)
    if german:
        suggestion = f"{german['y']}-{int(german['m']):02d}-{int(german['d']):02d}"
        if german["t"]:
            hours, minutes = german["t"].split(":")
            suggestion += f" {int(hours):02d}:{minutes}"
        raise DateProblem(
            f"Datum „{text}“ ist nicht im Format JJJJ-MM-TT",
            f"schreibe „{suggestion}“",
        )
    try:
        if len(text) == 10:
            parsed = datetime.combine(date.fromisoformat(text), time(0, 0))
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise DateProblem(
            f"Datum „{text}“ ist kein gültiges Datum",
            f"schreibe JJJJ-MM-TT oder JJJJ-MM-TT SS:MM, {example}",
        ) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # year 1 or 9999 overflow in time zone arithmetic
        raise DateProblem(f"Datum „{text}“ liegt nicht zwischen {FIRST_YEAR} und {LAST_YEAR}",
                          f"prüfe die Jahreszahl, {example}")
    if parsed.tzinfo is not None:
        return parsed
    return localize(parsed, tz, text)


def localize(naive: datetime, tz: ZoneInfo, text: str = "") -> datetime:
    """Attach ``tz`` to a naive wall-clock time, refusing DST gaps and folds."""
    text = text or naive.isoformat(sep=" ", timespec="minutes")
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    day = naive.strftime("%Y-%m-%d")
    if first.utcoffset() != second.utcoffset():
        # fold=0 and fold=1 disagree: the time is either skipped or repeated.
        round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(tz)
        if round_trip.replace(tzinfo=None) != naive:
            return _raise_gap(text, naive, day)
        summer, winter = _offset(first), _offset(second)
        raise DateProblem(
            f"Uhrzeit „{text}“ gibt es am {day} in {tz.key} zweimal (Zeitumstellung)",
            f"gib den Zeitversatz an: „{naive:%Y-%m-%dT%H:%M}{summer}“ (Sommerzeit) "
            f"oder „{naive:%Y-%m-%dT%H:%M}{winter}“ (Winterzeit), "
            "oder wähle eine andere Uhrzeit",
        )
    return first


def _raise_gap(text: str, naive: datetime, day: str) -> datetime:
    raise DateProblem(
        f"Uhrzeit „{text}“ gibt es am {day} nicht (Zeitumstellung auf Sommerzeit)",
        f"wähle eine Uhrzeit ab 03:00, z. B. „{day} 03:{naive:%M}“",
    )


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
