"""Pelican generator for participation dates: /termine/, one page and one .ics per event,
and the subscribable calendars under /kalender/."""

from __future__ import annotations

import os
from typing import Any
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from plugins.parallel import share_of
from plugins.programme.build_state import state_of

from .agenda import Agenda
from .calendar import Calendars, zone_years
from .structured import event_jsonld


class EventsGenerator(Generator):  # type: ignore[misc]
    """Reads the build's events (checked by the content model); writes pages and calendars."""

    splits_output = True  # only writes files: cold builds share its pages out (plugins.parallel)

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

    def generate_output(self, writer: Any) -> None:
        programme, base = state_of(self.settings).programme, self.base
        authority = self.settings.get("FEED_ID_AUTHORITY") or programme.id_authority
        # A development rebuild after post edits: an event file or a new day would have made it a
        # full build, so the overview and the calendars are those of the previous build.
        carried = self.context.get("INCREMENTAL_PLAN") is not None
        calendars = Calendars(base, authority, programme.name, zone_years(self.agenda.events))
        if not carried:
            writer.write_file("termine/index.html", self.get_template("events"), self.context,
                              url="termine/", template_name="events")
        for event in self.agenda.events:
            writer.write_file(event.url + "index.html", self.get_template("event"), self.context,
                              event=event, url=event.url, template_name="event",
                              structured_data=event_jsonld(event, base, programme))
            if not carried:
                self._write(event.ics_url, calendars, [event], event.title, event.summary)
        for spec, events in ([] if carried else self.agenda.calendars()):
            self._write(spec.path, calendars, events, spec.title, spec.description)

    def _write(self, relative: str, calendars: Calendars, events: list[Any], title: str,
               description: str) -> None:
        if not share_of(self.settings).mine():  # another process writes this calendar
            return
        target = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(calendars.calendar(events, title, description))
