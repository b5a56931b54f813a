"""Pelican generator writing the 24 feeds and the /feeds/ overview page."""

from __future__ import annotations

import os

from pelican.generators import Generator

from plugins.parallel import share_of
from plugins.programme.build_state import state_of

from .catalogue import FEED_FOLDER, FeedCatalogue
from .entry_cache import EntryCache, EntryGroup
from .event_items import event_items
from .feed import EPOCH, build_feed, entry_data, serialize, updated_of


def _by_date(items: list) -> list:
    """Newest first; stable, so posts keep Pelican's order among equal dates."""
    return sorted(items, key=lambda item: item.date, reverse=True)


class FeedsGenerator(Generator):
    """Reads the enriched articles; writes feeds only from published posts."""

    splits_output = True  # only writes files: cold builds share its pages out (plugins.parallel)

    def generate_context(self) -> None:
        self.settings.setdefault("FEED_MAX_ITEMS", 50)
        self.settings.setdefault("PUBLIC_URL", self.settings.get("SITEURL") or "http://127.0.0.1:8000")
        self.settings.setdefault("FEED_ID_AUTHORITY", self.context["programme"].id_authority)
        self.catalogue = FeedCatalogue(self.context["programme"])
        # Templates put discovery links and "Feed abonnieren" links from this.
        self.context["feeds"] = self.catalogue

    def generate_output(self, writer) -> None:
        programme = self.context["programme"]
        # Posts (newest first, no drafts or future posts) and announced events, by date.
        agenda = self.context.get("agenda")
        now = state_of(self.settings).config.now
        announced = [item for item in event_items(agenda.events if agenda else [], self.settings["PATH"],
                                                  self.settings["FEED_ID_AUTHORITY"])
                     if item.date <= now]
        published = _by_date([*self.context.get("articles", []), *announced])
        newest = max((updated_of(a) for a in published), default=EPOCH)
        limit = int(self.settings["FEED_MAX_ITEMS"])
        site_posts = published[:limit]
        plan = self.context.get("INCREMENTAL_PLAN")  # development rebuild: only touched feeds

        def touched(articles: list) -> bool:
            return plan is None or any(a.source_path in plan.articles for a in articles)

        # A cold build on several cores writes the site feed and each cluster's feeds in one of
        # its processes (plugins.parallel): a cluster's feeds share their entries. The heaviest
        # first, so that the section's small pages even out the processes' ends.
        clusters = programme.clusters
        groups = [(len(site_posts), None), *((2 * len(programme.updates_by_cluster.get(c.slug, [])), c)
                                             for c in clusters)]
        share, cache = share_of(self.settings), EntryCache.for_settings(self.settings)
        site_ids = {id(a) for a in site_posts}
        kept: dict = {}  # entries of the site feed's posts, made for a cluster's feeds
        for _weight, cluster in sorted(groups, key=lambda group: -group[0]):
            if not share.mine():
                continue
            if cluster is None:
                if touched(site_posts):
                    group = cache.group("site")
                    self._write_feed(self.catalogue.site, site_posts, kept, newest, group)
                    group.save()
                continue
            # One cluster at a time: a post's entry is built once for its cluster and measure
            # feeds, then dropped, so memory holds one cluster's entries, not the archive's.
            entries = dict(kept)
            group, complete = cache.group(f"cluster-{cluster.slug}"), True
            specs = [self.catalogue.clusters[cluster.slug]]
            specs += [self.catalogue.measures[m.slug] for m in cluster.measures]
            for spec in specs:
                slug = spec.subject.slug
                if spec.kind == "cluster":
                    articles = programme.updates_by_cluster.get(slug, [])
                    events = [i for i in announced if any(c.slug == slug for c in i.clusters)]
                else:
                    articles = programme.updates_by_measure.get(slug, [])
                    events = [i for i in announced if any(m.slug == slug for m in i.measures)]
                articles = _by_date([*articles, *events]) if events else articles
                if touched(articles):  # untouched feeds are carried over unchanged
                    self._write_feed(spec, articles, entries, newest, group)
                else:
                    complete = False
            if group.used:
                group.save(complete)
            kept.update((key, entry) for key, entry in entries.items() if key in site_ids)
        if plan is None:  # the list of feeds: the same after post edits
            writer.write_file(f"{FEED_FOLDER}/index.html", self.get_template("feeds"), self.context,
                              url=f"{FEED_FOLDER}/", template_name="feeds")

    def _write_feed(self, spec, articles: list, entries: dict, newest, group: EntryGroup) -> None:
        """``entries``: this build's (key, entry) by article, shared by the feeds of a cluster."""
        for article in articles:
            known = entries.get(id(article))
            if known is None:
                data = entry_data(article, self.settings)
                entries[id(article)] = (data.key, group.entry(data))
            else:
                group.keep(*known)
        latest = max((updated_of(a) for a in articles), default=None)
        feed = build_feed(spec, [entries[id(a)][1] for a in articles], self.settings,
                          self.context["programme"], newest, latest)
        self._write(spec.atom_path, serialize(feed, spec, self.settings, "atom"))
        self._write(spec.rss_path, serialize(feed, spec, self.settings, "rss"))

    def _write(self, relative: str, data: bytes) -> None:
        target = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
