"""Which feeds exist and where: one entry for the site, each cluster and each measure.

Paths are stable and documented (README); templates read this catalogue for
discovery links, the feeds generator writes exactly these files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FEED_FOLDER = "feeds"


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


class FeedCatalogue:
    """All feeds of the programme, looked up by what a page shows."""

    def __init__(self, programme) -> None:
        name = programme.name
        self.site = FeedSpec("all", f"{name} – alle Neuigkeiten",
                             f"Alle Neuigkeiten aus den Maßnahmen von {name}.", "", "site")
        self.clusters = {
            c.slug: FeedSpec(f"cluster/{c.slug}", f"{name} – Cluster {c.title}",
                             f"Neuigkeiten aus dem Cluster {c.title}.", c.url, "cluster", c)
            for c in programme.clusters
        }
        self.measures = {
            m.slug: FeedSpec(f"massnahmen/{m.slug}", f"{name} – Maßnahme {m.title}",
                             f"Neuigkeiten zur Maßnahme {m.title}.", m.url, "measure", m)
            for m in programme.measures
        }

    def all(self) -> list[FeedSpec]:
        return [self.site, *self.clusters.values(), *self.measures.values()]

    def for_page(self, measure=None, cluster=None, article=None) -> list[FeedSpec]:
        """Feeds a page links in its head: the site feed plus what the page is about."""
        specs = [self.site]
        if cluster is not None:
            specs.append(self.clusters[cluster.slug])
        if measure is not None:
            specs.append(self.measures[measure.slug])
        if article is not None:
            specs += [self.measures[m.slug] for m in getattr(article, "measures", [])]
        return specs
