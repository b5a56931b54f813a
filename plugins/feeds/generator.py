"""Pelican generator writing the 24 feeds and the /feeds/ overview page."""

from __future__ import annotations

import os

from pelican.generators import Generator

from .catalogue import FEED_FOLDER, FeedCatalogue
from .feed import EPOCH, build_feed, updated_of


class FeedsGenerator(Generator):
    """Reads the enriched articles; writes feeds only from published posts."""

    def generate_context(self) -> None:
        self.settings.setdefault("FEED_MAX_ITEMS", 50)
        self.settings.setdefault("PUBLIC_URL", self.settings.get("SITEURL") or "http://127.0.0.1:8000")
        self.settings.setdefault("FEED_ID_AUTHORITY",
                                 self.context["programme"].data.get("feeds", {}).get("id_authority")
                                 or "stadt.land.smart")
        self.catalogue = FeedCatalogue(self.context["programme"])
        # Templates put discovery links and "Feed abonnieren" links from this.
        self.context["feeds"] = self.catalogue

    def generate_output(self, writer) -> None:
        programme = self.context["programme"]
        published = self.context.get("articles", [])  # newest first, no drafts or future posts
        newest = max((updated_of(a) for a in published), default=EPOCH)
        limit = int(self.settings["FEED_MAX_ITEMS"])
        for spec in self.catalogue.all():
            if spec.kind == "site":
                articles = published[:limit]
            elif spec.kind == "cluster":
                articles = programme.updates_by_cluster.get(spec.subject.slug, [])
            else:
                articles = programme.updates_by_measure.get(spec.subject.slug, [])
            atom = build_feed(spec, articles, self.settings, programme, newest, "atom")
            self._write(spec.atom_path, atom.atom_str(pretty=True))
            rss = build_feed(spec, articles, self.settings, programme, newest, "rss")
            self._write(spec.rss_path, rss.rss_str(pretty=True))
        writer.write_file(f"{FEED_FOLDER}/index.html", self.get_template("feeds"), self.context,
                          url=f"{FEED_FOLDER}/", template_name="feeds")

    def _write(self, relative: str, data: bytes) -> None:
        target = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
