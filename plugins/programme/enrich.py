"""Enrich the build's articles with the programme: measure → cluster, once.

Articles are Pelican's objects, used here only through the attributes they carry
(``measure_slugs`` from the reader), so this module needs no Pelican.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .model import Cluster, Measure, Programme


def enrich_articles(articles: Iterable[Any], programme: Programme) -> None:
    """Attach ``measures`` and the derived ``clusters`` to every article."""
    for article in articles:
        # Pelican formats the URL from settings on every access; renderers ask thousands
        # of times, so it is computed once here (Pelican honours override_url).
        article.override_url = article.url
        measures = [programme.measure(slug) for slug in getattr(article, "measure_slugs", [])]
        article.measures = [m for m in measures if m is not None]
        article.clusters = _unique(m.cluster for m in article.measures)


def index_updates(published: list[Any], programme: Programme) -> None:
    """Per-measure and per-cluster lists, newest first, computed in one pass."""
    by_measure: dict[str, list[Any]] = {m.slug: [] for m in programme.measures}
    by_cluster: dict[str, list[Any]] = {c.slug: [] for c in programme.clusters}
    for article in published:  # already sorted newest first by Pelican
        for measure in article.measures:
            by_measure[measure.slug].append(article)
        for cluster in article.clusters:
            by_cluster[cluster.slug].append(article)
    programme.updates_by_measure = by_measure
    programme.updates_by_cluster = by_cluster


def _unique(items: Iterable[Cluster | Measure]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
