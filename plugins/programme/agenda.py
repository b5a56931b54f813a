"""The build's events ordered for readers: upcoming and past, per measure and cluster.

"Upcoming" is decided by the build's one clock (``SLS_NOW`` in tests), so every page of a
build agrees, and a rebuild on another day moves events from one list to the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .channels import CalendarCatalogue, CalendarSpec
from .edition_pages import edition_path
from .events import Event
from .model import Programme


@dataclass
class Agenda:
    events: list[Event]  # soonest first
    now: datetime
    zone: ZoneInfo
    programme: Programme
    base_url: str  # the public address: calendars are subscribed by absolute URL
    upcoming: list[Event] = field(init=False)
    past: list[Event] = field(init=False)  # latest first

    def __post_init__(self) -> None:
        self.upcoming = [e for e in self.events if e.upcoming(self.now, self.zone)]
        self.past = [e for e in reversed(self.events) if not e.upcoming(self.now, self.zone)]
        self.by_slug = {e.slug: e for e in self.events}
        catalogue = CalendarCatalogue(self.programme)
        self.site, self.clusters, self.measures = catalogue.site, catalogue.clusters, catalogue.measures
        self.languages = catalogue.languages

    def past_by_year(self) -> list[tuple[int, list[Event]]]:
        years: dict[int, list[Event]] = {}
        for event in self.past:
            years.setdefault(event.when.sort_key(self.zone).year, []).append(event)
        return list(years.items())

    def of_measure(self, slug: str, upcoming: bool = True) -> list[Event]:
        pool = self.upcoming if upcoming else self.events
        return [e for e in pool if any(m.slug == slug for m in e.measures)]

    def of_cluster(self, slug: str, upcoming: bool = True) -> list[Event]:
        pool = self.upcoming if upcoming else self.events
        return [e for e in pool if any(c.slug == slug for c in e.clusters)]

    def https_url(self, spec: CalendarSpec) -> str:
        return f"{self.base_url.rstrip('/')}/{spec.path}"

    def subscribe_url(self, spec: CalendarSpec) -> str:
        """webcal: asks the device's calendar to subscribe instead of importing once."""
        return "webcal://" + self.https_url(spec).split("://", 1)[-1]

    def calendars(self) -> list[tuple[CalendarSpec, list[Event]]]:
        """Every calendar with its events; a calendar without events is still written, so a
        subscription made today keeps working when the first date is added."""
        found = [(self.site, self.events)]
        found += [(spec, self.of_cluster(slug, upcoming=False)) for slug, spec in self.clusters.items()]
        found += [(spec, self.of_measure(slug, upcoming=False)) for slug, spec in self.measures.items()]
        found += [(spec, in_language(self.events, key)) for key, spec in self.languages.items()]
        return found

    def translations(self) -> list[Event]:
        """Every translated event (each has its own page and calendar file)."""
        return [translation for event in self.events for translation in event.translations]


def events_page(programme: Programme, key: str) -> str:
    """The address of the events list in edition ``key``."""
    return edition_path(programme, "termine/", key)


def in_language(events: list[Event], key: str) -> list[Event]:
    """``events`` in edition ``key`` where translated, else as they are."""
    return [version_of(event, key) for event in events]


def version_of(item: Any, key: str) -> Any:
    """A post's or event's version in edition ``key``: itself, its translation, or (without
    one) itself."""
    if getattr(item, "lang", None) == key:
        return item
    return next((t for t in getattr(item, "translations", ()) if t.lang == key), item)
