"""Live preview for editors: a saved post is on screen in well under a second.

A full build of a large archive takes seconds because Pelican renders every
page again. The preview keeps the last full build's context in memory; when
only existing posts changed, it re-reads just those files, checks them, and
writes just their pages into the served folder. A full build then follows in
the background, so lists, feeds and measure pages catch up a moment later.
"""

from __future__ import annotations

import threading
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from pipeline.build import BuildResult, build
from plugins.programme.enrich import enrich_articles

CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


class Preview:
    """Full builds plus a one-post fast path, serialised by one lock."""

    def __init__(self, settings_file: Path, output: Path, content: str | None = None) -> None:
        self.settings_file, self.output, self.content = settings_file, output, content
        self.lock = threading.Lock()
        self.generator: ArticlesGenerator | None = None
        self.context: dict | None = None
        self.stamps: dict[Path, float] = {}
        self.posts_root: Path | None = None
        signals.all_generators_finalized.connect(self._remember, weak=False)

    def _remember(self, generators) -> None:
        articles = [g for g in generators if isinstance(g, ArticlesGenerator)]
        if articles:
            self.generator, self.context = articles[0], articles[0].context

    def _snapshot(self) -> dict[Path, float]:
        root = Path(self.context["PATH"]) if self.context else Path(self.content or "content")
        return {p: p.stat().st_mtime for p in root.rglob("*") if p.is_file()}

    def full(self) -> BuildResult:
        with self.lock:
            result = build(self.settings_file, self.output, self.content, overrides=CACHED)
            if result.ok:
                self.stamps = self._snapshot()
            else:
                self.context = None  # never fast-path on top of a failed build
            return result

    def changed_posts(self) -> list[Path] | None:
        """Posts whose files changed since the last full build; None if anything else changed."""
        if self.context is None:
            return None
        now = self._snapshot()
        if set(now) != set(self.stamps):
            return None  # a file was added or removed: lists and links change
        changed = [p for p, stamp in now.items() if self.stamps[p] != stamp]
        article_roots = [Path(self.context["PATH"]) / d for d in self.context["ARTICLE_PATHS"]]
        if not changed or any(p.suffix != ".md" or not any(r in p.parents for r in article_roots)
                              for p in changed):
            return None
        return changed

    def fast(self, posts: list[Path]) -> bool:
        """Re-render ``posts`` alone; False when only a full build can show the change."""
        with self.lock:
            generator, context = self.generator, self.context
            if generator is None or context is None:
                return False
            rendered = []
            for path in posts:
                article = generator.readers.read_file(
                    base_path=context["PATH"], path=str(path.relative_to(context["PATH"])),
                    content_class=Article, context=context)
                if article.metadata.get("source_problems") or article.status != "published":
                    return False  # the full build reports the problem or hides the draft
                enrich_articles([article], context["programme"])
                rendered.append(article)
            writer = Writer(str(self.output), settings=generator.settings)
            for article in rendered:
                # Files of incremental builds are hard links to earlier sites: replace, never
                # write through a link.
                (self.output / article.save_as).unlink(missing_ok=True)
                writer.write_file(article.save_as, generator.get_template(article.template), context,
                                  article=article, category=getattr(article, "category", None),
                                  url=article.url, blog=True)
            return True

    def on_change(self) -> str:
        """What the watcher calls; returns a line for the console."""
        posts = self.changed_posts()
        if posts and self.fast(posts):
            threading.Thread(target=self.full, daemon=True).start()
            return f"Vorschau aktualisiert: {', '.join(p.name for p in posts)} (Gesamtbau läuft)"
        return self.full().report()
