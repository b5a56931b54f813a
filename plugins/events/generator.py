"""Pelican generator for participation dates: /termine/, one page and one .ics per event,
and the subscribable calendars under /kalender/."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from plugins.engine.outputs import NO_POSTS, Files, Page, Renderer, shows
from plugins.programme.build_state import state_of

from .agenda import Agenda
from .calendar import Calendars, zone_years
from .structured import event_jsonld


class EventsGenerator(Renderer):
    """Reads the build's events (checked by the content model); writes pages and calendars."""

    def generate_context(self) -> None:
        state = state_of(self.settings)
        self.base = self.settings.get("PUBLIC_URL") or self.settings.get("SITEURL") or ""
        self.agenda = Agenda(state.events(), state.config.now, ZoneInfo(self.settings["TIMEZONE"]),
                             state.programme, self.base)
        self.context["agenda"] = self.agenda
        # Posts and events name each other by slug; both pages show the other side.
        articles = {a.slug: a for a in self.context.get("articles", [])}
        for article in articles.values():
            article.related_events = [self.agenda.by_slug[s] for s in article.metadata.get("events", [])
                                      if s in self.agenda.by_slug]
        naming: dict[int, list[Any]] = {}  # event → the posts that name it, in the posts' order
        for article in articles.values():
            for event in article.related_events:
                posts = naming.setdefault(id(event), [])
                if not posts or posts[-1] is not article:  # a post naming an event twice
                    posts.append(article)
        for event in self.agenda.events:
            related = [articles[s] for s in event.post_slugs if s in articles]
            related += [a for a in naming.get(id(event), []) if a not in related]
            event.related_posts = related

    def outputs(self) -> Any:
        programme, base = state_of(self.settings).programme, self.base
        authority = self.settings.get("FEED_ID_AUTHORITY") or programme.id_authority
        calendars = Calendars(base, authority, programme.name, zone_years(self.agenda.events))
        yield Page("termine/index.html", "events", "termine/", NO_POSTS)
        for event in self.agenda.events:
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
