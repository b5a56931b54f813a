"""Participation dates (content/termine/): read, checked like posts, turned into events.

An event file is Markdown with YAML front matter like a post (same reader, same messages),
plus what a date needs: when (``start``/``end``, all-day when written without a time),
where (a place with address, or a link for online participation), the accessibility of the
place (a vocabulary from programme.yml), registration and status. Pure: no Pelican.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .dates import DateProblem, parse_date
from .model import Cluster, Measure, Programme
from .post_source import PostSource
from .schema import EVENT_TEXTS
from .suggestions import closest

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A whole web address: no space, quote or angle bracket anywhere (they would end it in a page).
_WEB = re.compile(r"https?://[^\s/\"'<>\\]+\.[^\s/\"'<>\\]+(?:[/?#][^\s\"'<>\\]*)?", re.IGNORECASE)
# What a status means for a calendar (RFC 5545 STATUS) and whether it changes the event.
CALENDAR_STATUS = {"geplant": "CONFIRMED", "ausgebucht": "CONFIRMED", "abgesagt": "CANCELLED",
                   "verschoben": "CONFIRMED", "online-statt-vor-ort": "CONFIRMED"}


def N_(message: str) -> str:
    return message


STATUS_LABELS = {"geplant": "", "ausgebucht": N_("Ausgebucht"), "abgesagt": N_("Abgesagt"),
                 "verschoben": N_("Verschoben"), "online-statt-vor-ort": N_("Online statt vor Ort")}


@dataclass(frozen=True)
class When:
    """Start and end: aware datetimes, or dates for all-day events (end = last day)."""

    start: datetime | date
    end: datetime | date

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    def sort_key(self, zone: ZoneInfo) -> datetime:
        return _as_moment(self.start, zone)

    def end_moment(self, zone: ZoneInfo) -> datetime:
        """When the event is over: the end time, or the night after the last day."""
        if isinstance(self.end, datetime):
            return self.end
        return _as_moment(self.end + timedelta(days=1), zone)


def _as_moment(value: datetime | date, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=zone)


@dataclass(frozen=True)
class Place:
    name: str
    street: str
    town: str

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, self.town) if part)

    @property
    def one_line(self) -> str:
        return ", ".join(part for part in (self.name, self.street, self.town) if part)


@dataclass(eq=False)
class Event:
    """One participation date as the renderers see it."""

    source: str  # path relative to the content folder
    key: str  # the file name without extension: stable while the title changes
    slug: str
    title: str
    summary: str
    when: When
    announced: datetime  # ``date:``: orders feeds and newsletter
    measures: list[Measure]
    clusters: list[Cluster]
    status: str = "geplant"
    previous_starts: list[datetime | date] = field(default_factory=list)
    modified: datetime | None = None
    place: Place | None = None
    online_url: str = ""
    accessibility: list[tuple[str, str]] = field(default_factory=list)  # (key, German text)
    transit: str = ""
    registration: str = "keine"
    registration_url: str = ""
    registration_note: str = ""
    registration_deadline: datetime | None = None
    participants: int | None = None  # ``teilnehmende``: entered after the event, for the report
    summary_easy: str = ""
    image: str = ""
    image_alt: str = ""
    example: bool = False
    uid: str = ""
    lang: str = "de"
    post_slugs: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # former addresses (site-relative)
    path: str = ""  # the file as editors see it, for messages
    alias_line: int = 1
    content: str = ""  # the body as HTML
    related_posts: list[Any] = field(default_factory=list)  # filled by the build
    # Languages: what links an event and its translations (the original's path without ".md"),
    # the address prefix of a translation ("en/"), and, filled by the build, the other language
    # versions, the original of a translation and whether it was made from its present text.
    translation_key: str = ""
    prefix: str = ""
    translations: list[Event] = field(default_factory=list)
    original: Event | None = None
    outdated: bool = False
    translated_from: str = ""
    # Of a translation: its texts still in the original's words (``schema.EVENT_TEXTS`` it has
    # none of its own for), shown marked as German.
    untranslated: frozenset[str] = frozenset()

    @property
    def first_start(self) -> datetime | date:
        return first_start(self.previous_starts, self.when) or self.when.start  # an Event has a when

    @property
    def url(self) -> str:
        # The year of the first announced start: a moved event keeps its address.
        return f"{self.prefix}termine/{self.first_start.year}/{self.slug}/"

    @property
    def ics_url(self) -> str:
        return f"{self.url}termin.ics"

    @property
    def cancelled(self) -> bool:
        return self.status == "abgesagt"

    @property
    def new_date_pending(self) -> bool:
        """Postponed without a new date yet ("neuer Termin folgt")."""
        return self.status == "verschoben" and not self.previous_starts

    @property
    def status_label(self) -> str:
        if self.new_date_pending:
            return N_("Verschoben – neuer Termin folgt")
        return STATUS_LABELS.get(self.status, "")

    @property
    def online(self) -> bool:
        return bool(self.online_url) and (self.place is None or self.status == "online-statt-vor-ort")

    @property
    def sequence(self) -> int:
        """RFC 5545 SEQUENCE from the content alone: each move, a status other than planned, and
        the time of the last change (``modified``), two per minute after the announcement. So a
        later revision never gets a lower number, even one that takes a status back ("verschoben"
        to "geplant": one less) as long as its ``modified`` moved on (at least two more); clients
        that compare SEQUENCE would otherwise keep the older version."""
        changed = 0
        if self.modified is not None:
            changed = 1 + 2 * max(0, int((self.modified - self.announced).total_seconds() // 60))
        return (len(self.previous_starts) + (self.status in ("abgesagt", "verschoben",
                                                             "online-statt-vor-ort")) + changed)

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.announced

    def upcoming(self, now: datetime, zone: ZoneInfo) -> bool:
        return self.when.end_moment(zone) > now


def first_start(previous_starts: list[datetime | date], when: When | None) -> datetime | date | None:
    """The first start ever announced: its year is in the event's address, which a move keeps."""
    return previous_starts[0] if previous_starts else (when.start if when is not None else None)


def _parse_when(post: PostSource, name: str, timezone: str) -> datetime | date | None:
    written = post.raw.get(name)
    value = post.meta.get(name)
    if value is None:
        return None
    text = written if written is not None else str(value)
    text = text.strip()
    if (isinstance(value, date) and not isinstance(value, datetime)) or _DAY.fullmatch(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    try:
        return parse_date(text, timezone)
    except DateProblem as problem:
        post.report(name, problem.message, problem.fix)
        return None


def check_event(post: PostSource, programme: Programme, timezone: str) -> None:
    """The checks an event needs beyond those of every content file; fills meta["when"]."""
    if not post.readable:  # one cause, one message: the broken header is reported already
        return
    meta = post.meta
    start, end = (_parse_when(post, name, timezone) for name in ("start", "end"))
    for name in ("start", "end"):
        meta.pop(name, None)
    if start is not None and end is not None:
        if isinstance(start, datetime) != isinstance(end, datetime):
            post.report("end", "Beginn und Ende passen nicht zusammen (eins mit Uhrzeit, eins ohne)",
                        "schreibe beide mit Uhrzeit (JJJJ-MM-TT SS:MM) oder beide ohne (ganztägig)")
        elif end < start:  # type: ignore[operator]
            post.report("end", "Ende liegt vor dem Beginn",
                        "prüfe Datum und Uhrzeit von „end“ (bei ganztägig: der letzte Tag)")
        else:
            meta["when"] = When(start, end)
    _check_moves(post, meta.get("when"), timezone)
    _check_place(post)
    _check_registration(post, meta.get("when"), timezone)
    _check_accessibility(post, programme)
    _check_participants(post)


MAX_PARTICIPANTS = 1_000_000


def _check_participants(post: PostSource) -> None:
    """``teilnehmende``: a whole number of people, entered once the event has begun."""
    meta = post.meta
    if "teilnehmende" not in meta:
        return
    value = meta["teilnehmende"]
    written = post.raw.get("teilnehmende", str(value)).strip()
    # YAML 1.1 reads 0x1F as 31 and 012 as 10: a count means what it shows.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PARTICIPANTS \
            or not re.fullmatch(r"0|[1-9][0-9]*", written):
        post.report("teilnehmende", f"„teilnehmende“ ist keine Anzahl von Menschen („{written}“)",
                    "schreibe eine ganze Zahl ohne Punkt, z. B. „teilnehmende: 35“, oder lass die Zeile weg")
        meta.pop("teilnehmende")


# An event moved more often than this is a new event: the page, poster and calendar name every
# earlier date.
MAX_MOVES = 20


def _check_moves(post: PostSource, when: When | None, timezone: str) -> None:
    meta = post.meta
    earlier: list[datetime | date] = []
    written = meta.pop("previous_starts", [])
    if len(written) > MAX_MOVES:
        post.report("previous_starts", f"„previous_starts“ nennt {len(written)} frühere Termine "
                    f"(höchstens {MAX_MOVES})", "nenne nur die Termine, die Besucherinnen und Besucher "
                    "kennen konnten; sonst lege einen neuen Termin an (eigene Datei)")
        written = []
    for item in written:
        text = str(item).strip()
        try:
            moment: datetime | date = (date.fromisoformat(text) if _DAY.fullmatch(text)
                                       else parse_date(text, timezone))
        except (DateProblem, ValueError):
            post.report("previous_starts", f"früherer Termin „{text}“ ist kein gültiges Datum",
                        "schreibe JJJJ-MM-TT SS:MM, z. B. „2026-03-12 17:00“")
            continue
        if moment in earlier:
            # The page and the poster would say "moved" twice from the same date.
            post.report("previous_starts", f"früherer Termin „{text}“ steht zweimal in der Liste",
                        "nenne jeden früheren Termin einmal")
            continue
        earlier.append(moment)
    if when is not None:
        zone = ZoneInfo(timezone)
        for moment in earlier:
            if _as_moment(moment, zone) >= when.sort_key(zone):
                post.report("start", "der neue Termin liegt nicht nach dem früheren",
                            "ein verschobener Termin beginnt später als zuvor; sonst ist es ein neuer "
                            "Termin (eigene Datei) oder „previous_starts“ stimmt nicht")
                break
    meta["previous_starts"] = sorted(earlier, key=lambda m: _as_moment(m, ZoneInfo(timezone)))


def _check_place(post: PostSource) -> None:
    meta = post.meta
    for name in ("online_url", "registration_url"):
        if name in meta and not _WEB.fullmatch(meta[name]):
            post.report(name, f"„{meta[name]}“ ist kein Link", "schreibe die ganze Adresse mit https://")
            meta.pop(name)
            post.refused.add(name)  # one cause, one message: no "link missing" after it
    has_place = bool(meta.get("place_name"))
    if not has_place and not meta.get("online_url") and "online_url" not in post.refused:
        post.report("place_name" if "place_name" in post.lines else "title",
                    "Ort fehlt: weder ein Ort noch ein Link zur Online-Teilnahme",
                    "ergänze „place_name“, „place_street“ und „place_town“ oder „online_url: https://…“")
    if has_place and not meta.get("place_town"):
        post.report("place_name", f"zum Ort „{meta['place_name']}“ fehlt „place_town“ (PLZ und Ort)",
                    "ergänze z. B. „place_town: 97070 Würzburg“")
    if (meta.get("place_street") or meta.get("place_town")) and not has_place:
        post.report("place_street" if "place_street" in meta else "place_town",
                    "Adresse ohne Namen des Ortes", "ergänze „place_name: …“, z. B. das Gebäude")
    if meta.get("status") == "online-statt-vor-ort" and not meta.get("online_url"):
        post.report("status", "„online-statt-vor-ort“ ohne Link zur Online-Teilnahme",
                    "ergänze „online_url: https://…“")


def _check_registration(post: PostSource, when: When | None, timezone: str) -> None:
    meta = post.meta
    kind = meta.get("registration")
    if kind is None and meta.get("registration_url"):
        kind = meta["registration"] = "link"
    elif kind is None and meta.get("registration_note"):
        kind = meta["registration"] = "hinweis"
    if kind == "link" and not meta.get("registration_url") and "registration_url" not in post.refused:
        post.report("registration", "Anmeldung per Link, aber kein Link",
                    "ergänze „registration_url: https://…“")
    if kind == "hinweis" and not meta.get("registration_note"):
        post.report("registration", "Anmeldung mit Hinweis, aber kein Hinweistext",
                    "ergänze „registration_note: …“ (wie und bis wann man sich anmeldet)")
    deadline = meta.get("registration_deadline")
    if isinstance(deadline, datetime) and when is not None \
            and deadline > when.end_moment(ZoneInfo(timezone)):
        post.report("registration_deadline", "Anmeldeschluss liegt nach dem Ende des Termins",
                    "setze den Anmeldeschluss vor den Beginn")


def _check_accessibility(post: PostSource, programme: Programme) -> None:
    vocabulary = accessibility_vocabulary(programme)
    known = []
    for key in post.meta.get("accessibility", []):
        if key in vocabulary:
            known.append(key)
            continue
        if not vocabulary:
            post.report("accessibility", f"„{key}“: programme.yml nennt keine Merkmale der "
                        "Barrierefreiheit", "ergänze „events: accessibility:“ in programme.yml")
            continue
        guess = closest(key, vocabulary)
        post.report("accessibility", f"unbekanntes Merkmal der Barrierefreiheit „{key}“",
                    f"meintest du „{guess}“?" if guess else f"wähle aus: {', '.join(vocabulary)}")
    post.meta["accessibility"] = known


def accessibility_vocabulary(programme: Programme) -> dict[str, str]:
    """Key → German text, from programme.yml ``events.accessibility``."""
    data = (programme.data.get("events") or {}).get("accessibility") or {}
    return {str(key): str(text) for key, text in data.items()} if isinstance(data, dict) else {}


def event_from(relative: str, key: str, slug: str, post: PostSource, programme: Programme,
               html: str, lang: str = "", translation_key: str = "") -> Event | None:
    """The Event of a checked source (``lang``: its edition's key, a translation's address
    prefix unless it is the first edition's); None while the source has problems."""
    meta = post.meta
    if post.problems or "when" not in meta:
        return None
    measures = [m for m in (programme.measure(s) for s in meta.get("measure", [])) if m is not None]
    clusters: list[Cluster] = []
    for measure in measures:
        if measure.cluster not in clusters:
            clusters.append(measure.cluster)
    vocabulary = accessibility_vocabulary(programme)
    place = Place(meta["place_name"], meta.get("place_street", ""), meta.get("place_town", "")) \
        if meta.get("place_name") else None
    return Event(
        source=relative, key=key, slug=slug, title=meta["title"], summary=meta["summary"],
        when=meta["when"], announced=meta["date"], measures=measures, clusters=clusters,
        status=meta.get("status", "geplant"), previous_starts=meta.get("previous_starts", []),
        modified=meta.get("modified"), place=place, online_url=meta.get("online_url", ""),
        accessibility=[(k, vocabulary[k]) for k in meta.get("accessibility", [])],
        transit=meta.get("transit", ""), registration=meta.get("registration", "keine"),
        registration_url=meta.get("registration_url", ""),
        registration_note=meta.get("registration_note", ""),
        registration_deadline=meta.get("registration_deadline"),
        participants=meta.get("teilnehmende"),
        summary_easy=meta.get("summary_easy", ""), image=meta.get("image", ""),
        image_alt=meta.get("image_alt", ""), example=bool(meta.get("example", False)),
        uid=meta.get("uid", ""), lang=lang or meta.get("lang", "de"), post_slugs=meta.get("posts", []),
        aliases=meta.get("aliases", []), path=post.path, alias_line=post.line_of("aliases"), content=html,
        translation_key=translation_key or key,
        prefix=f"{lang}/" if lang and lang != programme.editions[0].key else "",
        translated_from=str(meta.get("translated_from") or ""),
        untranslated=frozenset(name for name in EVENT_TEXTS if meta.get(name) and name not in post.lines)
        if lang and lang != programme.editions[0].key else frozenset())
