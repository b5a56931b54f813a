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
from zoneinfo import ZoneInfo

from plugins.programme.catalogues import say
from plugins.programme.events import CALENDAR_STATUS, Event
from plugins.programme.identity import event_calendar_uid
from plugins.programme.urls import absolute

if TYPE_CHECKING:
    import icalendar

ZONE = "Europe/Berlin"


def event_uid(event: Event, authority: str) -> str:
    return event.uid or event_calendar_uid(authority, event.key)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _description(event: Event) -> str:
    """The event in words, in its own language (the interface catalogue's; German without)."""
    key = event.lang
    lines = [event.summary]
    if event.status_label:
        lines.insert(0, say(key, "Stand: %(status)s", status=say(key, event.status_label)))
    if event.example:
        lines.insert(0, say(key, "Beispieltermin: Datum und Uhrzeit sind nicht echt."))
    if event.accessibility:
        lines.append(say(key, "Barrierefreiheit: %(features)s",
                         features="; ".join(text for _key, text in event.accessibility)))
    if event.transit:
        lines.append(say(key, "Anreise: %(transit)s", transit=event.transit))
    if event.registration == "link":
        lines.append(say(key, "Anmeldung: %(how)s", how=event.registration_url))
    elif event.registration == "hinweis":
        lines.append(say(key, "Anmeldung: %(how)s", how=event.registration_note))
    else:
        lines.append(say(key, "Keine Anmeldung nötig."))
    return "\n\n".join(lines)


def vevent(event: Event, base_url: str, authority: str, language: str = "") -> icalendar.Event:
    """``language``: the event's language tag (RFC 5646), set on its texts where given."""
    import icalendar  # here: a development rebuild keeps its calendars and need not load it

    component = icalendar.Event()
    component.add("uid", event_uid(event, authority))
    component.add("dtstamp", _utc(event.last_modified))
    component.add("last-modified", _utc(event.last_modified))
    component.add("created", _utc(event.announced))
    component.add("sequence", event.sequence)
    title = event.title if not event.cancelled else say(event.lang, "Abgesagt: %(title)s", title=event.title)
    texts = {"LANGUAGE": language} if language else {}
    component.add("summary", title, parameters=texts)
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
    url = absolute(base_url.rstrip("/") + "/", event.url)
    component.add("url", url)
    component.add("description", _description(event) + f"\n\n{url}", parameters=texts)
    # Postponed with a new date is confirmed again; without one ("neuer Termin folgt") tentative.
    component.add("status", "TENTATIVE" if event.new_date_pending
                  else CALENDAR_STATUS.get(event.status, "CONFIRMED"))
    component.add("transp", "OPAQUE")
    if event.measures:  # one line: some readers (the Python "ics" library) refuse a second one
        component.add("categories", [measure.title for measure in event.measures])
    return component


END = b"END:VCALENDAR\r\n"


def _transitions(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """(local onset in the offset before, offset before, offset after, name after) of each change
    of ``zone``'s offset in ``year``: day by day, then by the half hour within the day of a change
    (zones change on the hour or half hour)."""
    found: list[tuple[datetime, timedelta, timedelta, str]] = []

    def offset(moment: datetime) -> timedelta:
        value = moment.astimezone(zone).utcoffset()
        assert value is not None
        return value

    day = datetime(year, 1, 1, tzinfo=UTC)
    before = offset(day)
    while day.year == year:
        following = day + timedelta(days=1)
        if offset(following) != before:
            moment = day
            while offset(moment) == before:
                moment += timedelta(minutes=30)
            after = offset(moment)
            found.append(((moment + before).replace(tzinfo=None), before, after,
                          str(moment.astimezone(zone).tzname())))
            before = after
        day = following
    return found


def _rule(onset: datetime) -> tuple[int, str]:
    """(month, BYDAY) of a yearly rule that hits ``onset``'s day: "-1SU" for the last Sunday."""
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[onset.weekday()]
    last = (onset + timedelta(days=7)).month != onset.month
    return onset.month, f"-1{weekday}" if last else f"{(onset.day - 1) // 7 + 1}{weekday}"


def vtimezone(name: str, years: tuple[int, int]) -> icalendar.Timezone:
    """The zone as yearly rules (RRULE), as tzdata-based clients write it, when its changes follow
    one rule through ``years`` (Europe/Berlin: last Sunday of March and of October). Some clients
    (ical.js: Thunderbird, Nextcloud) misread the one-off RDATE form that
    ``icalendar.Timezone.from_tzinfo`` writes and shift a whole summer by an hour; that form is
    kept only for zones whose rules changed within ``years``."""
    import icalendar

    zone = ZoneInfo(name)
    # From the year before: a reader places a time before the first onset in no zone at all
    # (ical.js: UTC), so the rules begin before the first event.
    changes = {year: _transitions(zone, year) for year in range(years[0] - 1, years[1] + 1)}
    shapes = {tuple((_rule(onset), onset.time(), before, after, label)
                    for onset, before, after, label in found) for found in changes.values()}
    if len(shapes) != 1:
        return icalendar.Timezone.from_tzinfo(zone, name, date(years[0], 1, 1), date(years[1] + 1, 12, 31))
    component = icalendar.Timezone()
    component.add("tzid", name)
    first = changes[years[0] - 1]
    if not first:  # no daylight saving time: one offset
        offset = datetime(years[0] - 1, 1, 1, tzinfo=zone)
        only = icalendar.TimezoneStandard()
        only.add("dtstart", datetime(1970, 1, 1))
        only.add("tzoffsetfrom", offset.utcoffset())
        only.add("tzoffsetto", offset.utcoffset())
        only.add("tzname", offset.tzname())
        component.add_component(only)
        return component
    for onset, before, after, label in first:
        part = icalendar.TimezoneDaylight() if after > before else icalendar.TimezoneStandard()
        month, byday = _rule(onset)
        part.add("dtstart", onset)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", label)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": byday})
        component.add_component(part)
    return component


def zone_years(events: Iterable[Event]) -> tuple[int, int]:
    """The years a build's VTIMEZONE covers: those of all its events (the same in every calendar
    of the build, so a calendar file changes only with the content)."""
    years = [moment.year for event in events for moment in (event.when.start, event.when.end)]
    return (min(years), max(years)) if years else (1970, 1970)


class Calendars:
    """The calendars of one build. Each event is serialised once and shared by every calendar
    that carries it (its own, all, its clusters', its measures'): folding lines is most of the
    cost of iCalendar output."""

    def __init__(self, base_url: str, authority: str, product: str, years: tuple[int, int],
                 languages: dict[str, str] | None = None) -> None:
        """``languages``: the language tag of each edition's key, for the events in other
        languages than the site's own (their texts say which they are in)."""
        self.base_url, self.authority, self.product = base_url, authority, product
        self.languages = languages or {}
        self._events: dict[int, bytes] = {}
        self._zone = b""
        self.years = years

    def _event(self, event: Event) -> bytes:
        key = id(event)
        if key not in self._events:
            self._events[key] = vevent(event, self.base_url, self.authority,
                                       self.languages.get(event.lang, "")).to_ical()
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
        if not self._zone:
            # Every calendar holds it, an empty one too (RFC 5545 asks for one component at least).
            self._zone = vtimezone(ZONE, self.years).to_ical()
        head = cal.to_ical()
        return head[: -len(END)] + self._zone + b"".join(self._event(e) for e in events) + END
