"""What readers can follow: the whole programme, each cluster and each measure, as a feed
(Atom and RSS) and as a calendar; one list of subjects for both.

The addresses are published and must never change: the site's feed is ``feeds/all.*``, its
calendar ``kalender/alle.ics`` (named so when each was first published); clusters and
measures are ``cluster/<slug>`` and ``massnahmen/<slug>`` in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Programme

FEED_FOLDER = "feeds"
CALENDAR_FOLDER = "kalender"
SITE_FEED, SITE_CALENDAR = "all", "alle"


@dataclass(frozen=True)
class Subject:
    """Something readers follow: the programme (``site``), a cluster or a measure."""

    kind: str  # site, cluster, measure
    key: str  # "cluster/<slug>", "massnahmen/<slug>"; "" for the site
    title: str  # the cluster's or measure's title; the programme's name for the site
    page_url: str  # its page
    entity: Any = None  # the Cluster or Measure


def subjects(programme: Programme) -> list[Subject]:
    return [Subject("site", "", programme.name, ""),
            *(Subject("cluster", f"cluster/{c.slug}", c.title, c.url, c) for c in programme.clusters),
            *(Subject("measure", f"massnahmen/{m.slug}", m.title, m.url, m) for m in programme.measures)]


@dataclass(frozen=True)
class FeedSpec:
    """One subject with an Atom and an RSS feed."""

    key: str  # "all", "cluster/<slug>", "massnahmen/<slug>"
    title: str
    description: str
    page_url: str  # the HTML page this feed follows
    kind: str  # site, cluster, measure
    subject: Any = None  # the Cluster or Measure

    @property
    def atom_path(self) -> str:
        return f"{FEED_FOLDER}/{self.key}.atom.xml"

    @property
    def rss_path(self) -> str:
        return f"{FEED_FOLDER}/{self.key}.rss.xml"


@dataclass(frozen=True)
class CalendarSpec:
    """One subscribable calendar: all events, a cluster's or a measure's."""

    key: str  # "alle", "cluster/<slug>", "massnahmen/<slug>"
    title: str
    description: str

    @property
    def path(self) -> str:
        return f"{CALENDAR_FOLDER}/{self.key}.ics"


def _feed(subject: Subject, programme: Programme) -> FeedSpec:
    name, word = programme.name, programme.cluster_word
    if subject.kind == "site":
        return FeedSpec(SITE_FEED, f"{name} – alle Neuigkeiten",
                        f"Alle Neuigkeiten aus den Maßnahmen von {name}.", "", "site")
    if subject.kind == "cluster":
        return FeedSpec(subject.key, f"{name} – {word.singular} {subject.title}",
                        f"Neuigkeiten {word.from_the} {subject.title}.", subject.page_url, "cluster",
                        subject.entity)
    return FeedSpec(subject.key, f"{name} – Maßnahme {subject.title}",
                    f"Neuigkeiten zur Maßnahme {subject.title}.", subject.page_url, "measure", subject.entity)


def _calendar(subject: Subject, programme: Programme) -> CalendarSpec:
    name, word = programme.name, programme.cluster_word
    if subject.kind == "site":
        return CalendarSpec(SITE_CALENDAR, f"{name} – alle Termine", f"Alle Beteiligungstermine von {name}.")
    if subject.kind == "cluster":
        return CalendarSpec(subject.key, f"{name} – Termine {word.in_one} {subject.title}",
                            f"Termine {word.in_one} {subject.title}.")
    return CalendarSpec(subject.key, f"{name} – Termine zu {subject.title}",
                        f"Termine zur Maßnahme {subject.title}.")


class _Catalogue:
    """One spec per subject, by kind: the site's, and the clusters' and measures' by slug."""

    make: Any  # (subject, programme) -> spec

    def __init__(self, programme: Programme) -> None:
        found = [(s, type(self).make(s, programme)) for s in subjects(programme)]
        self.site = next(spec for subject, spec in found if subject.kind == "site")
        self.clusters = {s.entity.slug: spec for s, spec in found if s.kind == "cluster"}
        self.measures = {s.entity.slug: spec for s, spec in found if s.kind == "measure"}


class FeedCatalogue(_Catalogue):
    """All feeds of the programme, looked up by what a page shows; with more than one language
    edition, a feed per other language of its translated posts (``languages``, by key)."""

    make = staticmethod(_feed)

    def __init__(self, programme: Programme) -> None:
        super().__init__(programme)
        from .catalogues import say

        self.languages = {
            e.key: FeedSpec(f"sprache/{e.key}", f"{programme.name} – {e.name}",
                            say(e.key, "Alle Neuigkeiten von %(name)s auf %(language)s.", name=programme.name,
                                language=e.name), "", "language", e)
            for e in programme.editions[1:]}

    def all(self) -> list[FeedSpec]:
        return [self.site, *self.clusters.values(), *self.measures.values(), *self.languages.values()]

    def for_page(self, measure: Any = None, cluster: Any = None, article: Any = None,
                 edition: str | None = None) -> list[FeedSpec]:
        """Feeds a page links in its head: the feed of its language edition (a post's, else the
        page's ``edition``: a start page, list or search in another language) first, the site
        feed, and the feeds of what the page is about."""
        language = getattr(article, "lang", None) or edition
        specs = [self.languages[language], self.site] if language in self.languages else [self.site]
        if cluster is not None:
            specs.append(self.clusters[cluster.slug])
        if measure is not None:
            specs.append(self.measures[measure.slug])
        if article is not None:
            specs += [self.measures[m.slug] for m in getattr(article, "measures", [])]
        return specs


class CalendarCatalogue(_Catalogue):
    """All calendars of the programme; with more than one language edition, a calendar per
    other language (``languages``, by key): every event, in that language where translated."""

    make = staticmethod(_calendar)

    def __init__(self, programme: Programme) -> None:
        super().__init__(programme)
        from .catalogues import say

        self.languages = {
            e.key: CalendarSpec(f"sprache/{e.key}", f"{programme.name} – {e.name}",
                                say(e.key, "Alle Termine von %(name)s, übersetzt, wo es eine Übersetzung "
                                    "gibt.", name=programme.name))
            for e in programme.editions[1:]}
