"""Enrich Pelican's content objects with the programme: measure → cluster, once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from pelican.contents import Article

from .registry import Cluster, Measure, Programme

MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember")


def enrich_articles(articles: Iterable[Article], programme: Programme) -> None:
    """Attach ``measures`` and the derived ``clusters`` to every article."""
    for article in articles:
        # Pelican formats the URL from settings on every access; renderers ask thousands
        # of times, so it is computed once here (Pelican honours override_url).
        article.override_url = article.url
        measures = [programme.measure(slug) for slug in getattr(article, "measure_slugs", [])]
        article.measures = [m for m in measures if m is not None]
        article.clusters = _unique(m.cluster for m in article.measures)


def index_updates(published: list[Article], programme: Programme) -> None:
    """Per-measure and per-cluster lists, newest first, computed in one pass."""
    by_measure: dict[str, list[Article]] = {m.slug: [] for m in programme.measures}
    by_cluster: dict[str, list[Article]] = {c.slug: [] for c in programme.clusters}
    for article in published:  # already sorted newest first by Pelican
        for measure in article.measures:
            by_measure[measure.slug].append(article)
        for cluster in article.clusters:
            by_cluster[cluster.slug].append(article)
    programme.updates_by_measure = by_measure
    programme.updates_by_cluster = by_cluster


def _unique(items: Iterable[Cluster | Measure]) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def date_de(moment: datetime) -> str:
    """German long date, independent of the machine's locale: „1. Juni 2022“."""
    return f"{moment.day}. {MONTHS_DE[moment.month - 1]} {moment.year}"


def isodate(moment: datetime) -> str:
    """Machine-readable date-time for ``<time datetime>``."""
    return moment.isoformat(timespec="minutes")


def origin(url: str) -> str:
    """Scheme and host of ``url`` (for a Content-Security-Policy source)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
