"""Pelican generator for participation dates: /termine/, one page and one .ics per event,
and the subscribable calendars under /kalender/."""

from __future__ import annotations

from typing import Any

from plugins.engine.outputs import NO_POSTS, Files, Page, Renderer, shows
from plugins.programme.build_state import state_of
from plugins.programme.edition_pages import foreign_editions

from .calendar import Calendars, zone_years
from .structured import event_jsonld


class EventsGenerator(Renderer):
    """Reads the build's events (checked by the content model); writes pages and calendars."""

    def generate_context(self) -> None:
        self.base = self.settings.get("PUBLIC_URL") or self.settings.get("SITEURL") or ""
        # The agenda, and which posts and events name each other: the core's (context.py).
        self.agenda = state_of(self.settings).shared.agenda

    def outputs(self) -> Any:
        programme, base = state_of(self.settings).programme, self.base
        authority = self.settings.get("FEED_ID_AUTHORITY") or programme.id_authority
        # With more than one language, each event's texts say which language they are in.
        languages = {e.key: e.lang for e in programme.editions} if len(programme.editions) > 1 else {}
        calendars = Calendars(base, authority, programme.name, zone_years(self.agenda.events), languages)
        own = programme.editions[0].key
        yield Page("termine/index.html", "events", "termine/", NO_POSTS, {"edition": own})
        # Every other language has the list in its words (Leichte Sprache is German: /termine/).
        for key in foreign_editions(programme):
            yield Page(f"{key}/termine/index.html", "events", f"{key}/termine/", NO_POSTS, {"edition": key})
        for event in [*self.agenda.events, *self.agenda.translations()]:
            # An event's page shows the posts about it; its calendar file only the event.
            yield Page(event.url + "index.html", "event", event.url, shows(event.related_posts),
                       {"event": event, "structured_data": event_jsonld(event, base, programme)})
            yield self._calendar(event.ics_url, calendars, [event], event.title, event.summary)
        for spec, events in self.agenda.calendars():
            yield self._calendar(spec.path, calendars, events, spec.title, spec.description)

    @staticmethod
    def _calendar(relative: str, calendars: Calendars, events: list[Any], title: str,
                  description: str) -> Files:
        return Files(lambda: [(relative, calendars.calendar(events, title, description))], NO_POSTS)
