"""The programme as renderers see it: programme, clusters and measures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .editions import Edition, editions_of


@dataclass(eq=False)
class Cluster:
    """A group of measures (Handlungsfeld)."""

    slug: str
    title: str
    description: str
    measures: list[Measure] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"cluster/{self.slug}/"


@dataclass(eq=False)
class Measure:
    """One of the programme's measures (Maßnahme); posts name it by slug."""

    slug: str
    title: str
    cluster: Cluster
    phase: str
    phase_title: str
    description: str
    contact: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"massnahmen/{self.slug}/"


GENDERS = {"m": ("im", "diesem", "des"), "n": ("im", "diesem", "des"), "f": ("in der", "dieser", "der")}


@dataclass(frozen=True)
class GroupWord:
    """The programme's own word for a group of measures (``programme.cluster_word``: "Cluster",
    "Handlungsfeld", "Themenfeld" …) in the forms the pages need."""

    singular: str = "Cluster"
    plural: str = "Cluster"
    plural_dative: str = "Clustern"  # "in drei Clustern"
    genitive: str = "Clusters"  # "Termine des Clusters"
    gender: str = "m"  # m, f or n: der, die or das

    @property
    def in_one(self) -> str:
        """"im Cluster", "im Handlungsfeld", "in der Gruppe"."""
        return f"{GENDERS[self.gender][0]} {self.singular}"

    @property
    def this(self) -> str:
        """Dative: "(aus) diesem Cluster", "(in) dieser Gruppe"."""
        return f"{GENDERS[self.gender][1]} {self.singular}"

    @property
    def of_the(self) -> str:
        """Genitive: "des Clusters", "des Handlungsfelds", "der Gruppe"."""
        return f"{GENDERS[self.gender][2]} {self.genitive if self.gender != 'f' else self.singular}"

    @property
    def from_the(self) -> str:
        """"aus dem Cluster", "aus der Gruppe"."""
        return f"aus {'der' if self.gender == 'f' else 'dem'} {self.singular}"


WORD_FIELDS = ("singular", "plural", "plural_dative", "genitive", "gender")


@dataclass(eq=False)
class Programme:
    """Everything the renderers know about the programme besides the posts."""

    source: str
    data: dict[str, Any]
    clusters: list[Cluster]
    measures: list[Measure]
    lines: dict[tuple[Any, ...], int]
    # Measures defined with a mistake (reported on the programme file, left out of the site).
    flawed_measures: frozenset[str] = frozenset()
    # Filled per build by the enrichment step; renderers read, never recompute.
    updates_by_measure: dict[str, list[Any]] = field(default_factory=dict)
    updates_by_cluster: dict[str, list[Any]] = field(default_factory=dict)
    # The programme's texts in the other editions (programme.<key>.yml; plugins/programme/
    # programme_texts.py), by edition key.
    texts: dict[str, Any] = field(default_factory=dict)
    # The indicators (content/kennzahlen/; plugins/programme/indicators.py), in file order.
    indicators: list[Any] = field(default_factory=list)
    # Reach without tracking (content/daten/, written by `invoke reach`; plugins/programme/reach.py):
    # page views by (month, path) and subscriber counts by (date, list, language).
    page_views: dict[tuple[str, str], int] = field(default_factory=dict)
    subscriber_counts: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.data["programme"]["name"])

    @property
    def short_name(self) -> str:
        """The name where space is short (a phone's header): ``programme.short_name``, else the
        name itself."""
        return str(self.data["programme"].get("short_name") or self.name)

    @property
    def cluster_word(self) -> GroupWord:
        """How pages, feeds, calendars, emails and print name a cluster."""
        given = self.data["programme"].get("cluster_word")
        if not isinstance(given, dict):
            return GroupWord()
        found = {key: str(given[key]).strip() for key in WORD_FIELDS if str(given.get(key) or "").strip()}
        if found.get("gender") not in GENDERS:
            found.pop("gender", None)
        return GroupWord(**found)

    @property
    def editions(self) -> tuple[Edition, ...]:
        """The language editions, the site's own first (``languages:``; German alone without)."""
        return self._editions

    def edition(self, key: str) -> Edition:
        """The edition of a post's ``lang``; the site's own for one not configured."""
        return self._edition_by_key.get(key, self._editions[0])

    @property
    def info(self) -> dict[str, Any]:
        return dict(self.data["programme"])

    @property
    def open_data(self) -> dict[str, Any]:
        """``open_data:``: licence, publisher and contact of the site's data catalogue."""
        value = self.data.get("open_data")
        return dict(value) if isinstance(value, dict) else {}

    @property
    def legal(self) -> dict[str, Any]:
        return dict(self.data.get("legal", {}))

    @property
    def design(self) -> dict[str, Any]:
        return dict(self.data.get("design", {}))

    @property
    def newsletter(self) -> dict[str, Any]:
        return dict(self.data.get("newsletter") or {})

    @property
    def id_authority(self) -> str:
        """The authority of permanent ids (feed entries, calendar UIDs): never the domain. Empty
        when it is not written (the programme data check reports that)."""
        feeds = self.data.get("feeds")
        return str(feeds.get("id_authority") or "") if isinstance(feeds, dict) else ""

    @property
    def id_since(self) -> str:
        """The date in the programme's tag URIs (RFC 4151): its start, as written (e.g. 2021)."""
        return str((self.data.get("feeds") or {})["id_since"])

    @property
    def generator(self) -> str:
        """How feeds name the software that wrote them."""
        return str((self.data.get("feeds") or {}).get("generator")
                   or f"{self.name} (Pelican, feedgen)")

    def __post_init__(self) -> None:
        # Looked up for every post several times per build: index once.
        self._by_slug = {m.slug: m for m in self.measures}
        self._editions = editions_of(self.data)
        self._edition_by_key = {e.key: e for e in self._editions}

    def measure(self, slug: str) -> Measure | None:
        return self._by_slug.get(slug)

    def cluster(self, slug: str) -> Cluster | None:
        return next((c for c in self.clusters if c.slug == slug), None)
