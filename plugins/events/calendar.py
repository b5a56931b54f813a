"""Events as iCalendar (RFC 5545) with the `icalendar` library: one file per event and
subscribable calendars of many.

Everything in a calendar comes from the content, so unchanged content gives byte-identical
files: ``UID`` from the event's file name (or its ``uid:``) and the programme's id authority,
never the domain; ``DTSTAMP``/``LAST-MODIFIED`` from ``modified:`` or the announcement date;
``SEQUENCE`` from the moves and status changes the content records. A client that subscribed
updates a moved event in place because UID stays and SEQUENCE grows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from plugins.programme.events import CALENDAR_STATUS, Event

if TYPE_CHECKING:
    import icalendar

ZONE = "Europe/Berlin"


def event_uid(event: Event, authority: str) -> str:
    return event.uid or f"termin-{event.key}@{authority}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _description(event: Event) -> str:
    lines = [event.summary]
    if event.status_label:
        lines.insert(0, f"Stand: {event.status_label}")
    if event.example:
        lines.insert(0, "Beispieltermin: Datum und Uhrzeit sind nicht echt.")
    if event.accessibility:
        lines.append("Barrierefreiheit: " + "; ".join(text for _key, text in event.accessibility))
    if event.transit:
        lines.append(f"Anreise: {event.transit}")
    if event.registration == "link":
        lines.append(f"Anmeldung: {event.registration_url}")
    elif event.registration == "hinweis":
        lines.append(f"Anmeldung: {event.registration_note}")
    else:
        lines.append("Keine Anmeldung nötig.")
    return "\n\n".join(lines)


def vevent(event: Event, base_url: str, authority: str) -> icalendar.Event:
    import icalendar  # here: a development rebuild keeps its calendars and need not load it

    component = icalendar.Event()
    component.add("uid", event_uid(event, authority))
    component.add("dtstamp", _utc(event.last_modified))
    component.add("last-modified", _utc(event.last_modified))
    component.add("created", _utc(event.announced))
    component.add("sequence", event.sequence)
    title = event.title if not event.cancelled else f"Abgesagt: {event.title}"
    component.add("summary", title)
    start, end = event.when.start, event.when.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        component.add("dtstart", start)
        component.add("dtend", end)
    else:
        assert isinstance(start, date) and isinstance(end, date)
        component.add("dtstart", start)
        component.add("dtend", end + timedelta(days=1))  # DTEND of a date is exclusive
    if event.place is not None and event.status != "online-statt-vor-ort":
        component.add("location", event.place.one_line)
    elif event.online_url:
        component.add("location", event.online_url)
    url = urljoin(base_url.rstrip("/") + "/", event.url)
    component.add("url", url)
    component.add("description", _description(event) + f"\n\n{url}")
    # Postponed with a new date is confirmed again; without one ("neuer Termin folgt") tentative.
    component.add("status", "TENTATIVE" if event.new_date_pending
                  else CALENDAR_STATUS.get(event.status, "CONFIRMED"))
    component.add("transp", "OPAQUE")
    for measure in event.measures:
        component.add("categories", [measure.title])
    return component


END = b"END:VCALENDAR\r\n"


class Calendars:
    """The calendars of one build. Each event is serialised once and shared by every calendar
    that carries it (its own, all, its clusters', its measures'): folding lines is most of the
    cost of iCalendar output."""

    def __init__(self, base_url: str, authority: str, product: str) -> None:
        self.base_url, self.authority, self.product = base_url, authority, product
        self._events: dict[int, bytes] = {}
        self._zones: dict[tuple[int, int], bytes] = {}

    def _event(self, event: Event) -> bytes:
        key = id(event)
        if key not in self._events:
            self._events[key] = vevent(event, self.base_url, self.authority).to_ical()
        return self._events[key]

    def calendar(self, events: Iterable[Event], name: str, description: str) -> bytes:
        """A VCALENDAR holding ``events``, with the VTIMEZONE their times refer to."""
        import icalendar

        cal = icalendar.Calendar()
        cal.add("prodid", f"-//{self.product}//Termine//DE")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", name)
        cal.add("x-wr-caldesc", description)
        cal.add("x-wr-timezone", ZONE)
        # Clients poll subscribed calendars; twice a day is often enough for participation dates.
        cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT12H")
        items = list(events)
        timed = [e.when for e in items if isinstance(e.when.start, datetime)]
        zone = b""
        if timed:
            # Only the years the events need: the same content gives the same VTIMEZONE.
            years = (min(w.start for w in timed).year, max(w.end for w in timed).year)  # type: ignore[type-var]
            if years not in self._zones:
                self._zones[years] = icalendar.Timezone.from_tzinfo(
                    ZoneInfo(ZONE), ZONE, date(years[0], 1, 1), date(years[1] + 1, 12, 31)).to_ical()
            zone = self._zones[years]
        head = cal.to_ical()
        return head[: -len(END)] + zone + b"".join(self._event(e) for e in items) + END
