"""Events as feed entries: announced on their ``date:``, linking to the event page.

The feeds' entry builder reads posts by their attributes; an EventItem offers the same ones,
so one builder writes both and every feed reader sees a date like a post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from plugins.programme.events import Event
from plugins.programme.formatting import when_de
from plugins.programme.identity import event_entry_id


def _facts(event: Event) -> str:
    where = "Online" if event.online else (event.place.one_line if event.place else "")
    rows = [("Wann", when_de(event.when.start, event.when.end)), ("Wo", where)]
    if event.status_label:
        rows.insert(0, ("Stand", event.status_label))
    if event.example:
        rows.insert(0, ("Hinweis", "Beispieltermin – Datum und Ort sind nicht echt"))
    return "".join(f"<p><strong>{name}:</strong> {escape(value)}</p>" for name, value in rows if value)


@dataclass
class EventItem:
    """The attributes of a post that the feed builder reads, for one event."""

    event: Event
    source_path: str
    title: str = field(init=False)
    url: str = field(init=False)
    date: datetime = field(init=False)
    modified: datetime | None = field(init=False)
    slug: str = field(init=False)
    uid: str = ""
    measures: list[Any] = field(init=False)
    clusters: list[Any] = field(init=False)
    tags: list[Any] = field(default_factory=list)
    authors: list[Any] = field(default_factory=list)
    image: str = field(init=False)
    content: str = field(init=False)
    metadata: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        event = self.event
        self.title = f"Termin: {'Abgesagt: ' if event.cancelled else ''}{event.title}"
        self.url, self.date, self.modified = event.url, event.announced, event.modified
        self.slug, self.measures, self.clusters = event.slug, event.measures, event.clusters
        self.image = event.image
        self.content = _facts(event) + f"<p>{escape(event.summary)}</p>" + event.content
        self.metadata = {"summary": f"{when_de(event.when.start, event.when.end)}: {event.summary}"}


def event_items(events: list[Event], content_root: str, authority: str) -> list[EventItem]:
    items = []
    for event in events:
        item = EventItem(event, f"{content_root}/{event.source}")
        item.uid = event.uid or event_entry_id(authority, event.announced, event.key)
        items.append(item)
    return items
