"""Formatting for readers of the site, the feeds and the emails: German dates, machine dates."""

from __future__ import annotations

from datetime import datetime

MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember")


def date_de(moment: datetime) -> str:
    """German long date, independent of the machine's locale: „1. Juni 2022“."""
    return f"{moment.day}. {MONTHS_DE[moment.month - 1]} {moment.year}"


def isodate(moment: datetime) -> str:
    """Machine-readable date-time for ``<time datetime>``."""
    return moment.isoformat(timespec="minutes")
