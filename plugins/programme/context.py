"""What the renderers share, computed once per build by the core: the agenda (events,
upcoming and past, per measure and cluster), which posts and events name each other, and what
readers can follow (feeds and calendars). Renderers read it and never change it; the
clusters' and measures' posts are on the Programme (``updates_by_cluster``/``_by_measure``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .agenda import Agenda, version_of
from .channels import FeedCatalogue
from .events import Event
from .model import Programme


@dataclass(frozen=True)
class BuildContext:
    agenda: Agenda
    feeds: FeedCatalogue

    @classmethod
    def of(cls, programme: Programme, events: list[Event], posts: Sequence[Any], now: datetime,
           zone: ZoneInfo, base_url: str) -> BuildContext:
        """``posts``: the published posts (each with ``slug`` and its ``events`` in ``metadata``)."""
        agenda = Agenda(events, now, zone, programme, base_url)
        relate(posts, agenda)
        return cls(agenda, FeedCatalogue(programme))


def relate(posts: Sequence[Any], agenda: Agenda) -> None:
    """Posts and events name each other by slug; both pages show the other side: each post gets
    ``related_events`` and each event ``related_posts`` (the posts it names first, then those
    naming it, in the posts' order)."""
    by_slug = {post.slug: post for post in posts}
    for post in by_slug.values():
        named = post.metadata.get("events", [])
        post.related_events = [agenda.by_slug[s] for s in named if s in agenda.by_slug]
    naming: dict[int, list[Any]] = {}
    for post in by_slug.values():
        for event in post.related_events:
            posts_of = naming.setdefault(id(event), [])
            if not posts_of or posts_of[-1] is not post:  # a post naming an event twice
                posts_of.append(post)
    for event in agenda.events:
        related = [by_slug[s] for s in event.post_slugs if s in by_slug]
        related += [p for p in naming.get(id(event), []) if p not in related]
        event.related_posts = related
    # Translations show the other side in their own language where it is translated.
    for post in by_slug.values():
        for translation in getattr(post, "translations", ()):
            translation.related_events = [version_of(e, translation.lang) for e in post.related_events]
    for event in agenda.events:
        for translation in event.translations:
            translation.related_posts = [version_of(p, translation.lang) for p in event.related_posts]
