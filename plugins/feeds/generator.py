"""Pelican generator writing the feeds (site, clusters, measures, other languages) and the
/feeds/ overview page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Any

from plugins.engine.outputs import NO_POSTS, Files, Page, Renderer, shows
from plugins.programme.build_state import state_of
from plugins.programme.channels import FEED_FOLDER
from plugins.programme.edition_pages import edition_path, foreign_editions
from plugins.programme.editions import published_translations

from .entry_cache import EntryCache
from .event_items import event_items
from .feed import EPOCH, FeedSettings, build_feed, entry_data, serialize, updated_of


def _by_date(items: list) -> list:
    """Newest first; stable, so posts keep Pelican's order among equal dates."""
    return sorted(items, key=lambda item: item.date, reverse=True)


class FeedsGenerator(Renderer):
    """Reads the enriched articles; writes feeds only from published posts."""

    def generate_context(self) -> None:
        state = state_of(self.settings)
        self.catalogue = state.shared.feeds  # also the templates' `feeds` (discovery links)
        self.feed_settings = FeedSettings.of(self.settings, state.programme)

    def outputs(self) -> Iterator[Any]:
        state = state_of(self.settings)
        programme = state.programme
        # Posts (newest first, no drafts or future posts) and announced events, by date.
        announced = [item for item in event_items(state.shared.agenda.events, self.settings["PATH"],
                                                  self.feed_settings.authority)
                     if item.date <= state.config.now]
        published = _by_date([*self.context.get("articles", []), *announced])
        self.newest = max((updated_of(a) for a in published), default=EPOCH)
        # Every feed carries the newest FEED_MAX_ITEMS entries: a reader keeps what it has seen,
        # and the whole history is on the measure and cluster pages. (Feeds that carried all of a
        # cluster's posts grew to megabytes, fetched by every subscriber's reader at every poll.)
        limit = int(self.settings.get("FEED_MAX_ITEMS") or 50)
        site_posts = published[:limit]
        # A group of feeds shares its entries and its entry cache: the site feed, and each cluster
        # with its measures.
        yield Files(partial(self._group, "site", [(self.catalogue.site, site_posts)]), shows(site_posts),
                    weight=len(site_posts))
        for cluster in programme.clusters:
            feeds = []
            for spec in [self.catalogue.clusters[cluster.slug],
                         *(self.catalogue.measures[m.slug] for m in cluster.measures)]:
                slug = spec.subject.slug
                if spec.kind == "cluster":
                    articles = programme.updates_by_cluster.get(slug, [])
                    events = [i for i in announced if any(c.slug == slug for c in i.clusters)]
                else:
                    articles = programme.updates_by_measure.get(slug, [])
                    events = [i for i in announced if any(m.slug == slug for m in i.measures)]
                feeds.append((spec, (_by_date([*articles, *events]) if events else articles)[:limit]))
            everything = [item for _spec, items in feeds for item in items]
            yield Files(partial(self._group, f"cluster-{cluster.slug}", feeds), shows(everything),
                        weight=len(everything))
        # Each other language: its translated posts (their originals are published, or they
        # would not be here: plugins/programme/tree.py), in a feed in that language.
        translated = published_translations(self.context.get("articles", []))
        for key, spec in self.catalogue.languages.items():
            posts = _by_date([t for t in translated if t.lang == key])[:limit]
            settings = replace(self.feed_settings, lang=spec.subject.lang)
            yield Files(partial(self._group, f"language-{key}", [(spec, posts)], settings), shows(posts),
                        weight=len(posts))
        # The overview, also in each language with pages of its own (/<key>/feeds/).
        for key in [programme.editions[0].key, *foreign_editions(programme)]:
            url = edition_path(programme, f"{FEED_FOLDER}/", key)
            yield Page(f"{url}index.html", "feeds", url, NO_POSTS, {"edition": key})

    def _group(self, name: str, feeds: list[tuple[Any, list]],
               settings: FeedSettings | None = None) -> Iterator[tuple[str, bytes]]:
        """The files of one group of feeds, one after the other (each carries its posts in full);
        each post's entry is made once for the group."""
        settings = settings or self.feed_settings
        group = EntryCache.for_settings(self.settings).group(name)
        entries: dict[int, Any] = {}
        for spec, articles in feeds:
            for article in articles:
                if id(article) not in entries:
                    entries[id(article)] = group.entry(entry_data(article, settings))
            latest = max((updated_of(a) for a in articles), default=None)
            feed = build_feed(spec, [entries[id(a)] for a in articles], settings,
                              self.context["programme"], self.newest, latest)
            yield spec.atom_path, serialize(feed, spec, settings, "atom")
            yield spec.rss_path, serialize(feed, spec, settings, "rss")
            del feed
        group.save()
