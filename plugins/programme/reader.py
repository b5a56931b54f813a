"""Pelican reader for Markdown with YAML front matter, the way git-based CMSs write it.

A thin adapter: the content model reads and checks the file (``BuildState.parsed``);
this turns the result into Pelican's metadata. It never raises for an editor's
mistake: problems travel with the source (so they survive Pelican's content cache)
and the build fails once, listing all of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime

from .build_state import state_of
from .schema import ARTICLE
from .slugs import german_slug
from .tree import Source

SOURCE_KEY = "sls_source"  # metadata key of the content model's Source
ORIGINAL_KEY = "sls_original"  # a translation's: the stamp of its original when it was read


def _safe(moment: datetime) -> SafeDatetime:
    return SafeDatetime.fromtimestamp(moment.timestamp(), tz=moment.tzinfo)


class ProgrammeMarkdownReader(BaseReader):
    """Markdown + YAML front matter, checked against the programme's schema."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        parsed = state_of(self.settings).parsed(source_path)
        meta = self._metadata(parsed.source)
        if parsed.original is not None:
            meta[ORIGINAL_KEY] = parsed.original  # Pelican's cache keeps it with the post
        return parsed.html, meta

    def _tag(self, name: str) -> Tag:
        tag = Tag(name, self.settings)
        tag.slug = german_slug(name, self.settings.get("SLUG_REGEX_SUBSTITUTIONS"))
        return tag

    def _metadata(self, source: Source) -> dict[str, Any]:
        post = source.post
        meta = dict(post.meta)
        settings = self.settings
        # Keep Pelican from skipping the file: the build fails on the problem instead.
        meta.setdefault("title", source.relative.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        if source.kind == ARTICLE and "date" not in meta:
            meta["date"] = datetime(1970, 1, 1, tzinfo=ZoneInfo(settings["TIMEZONE"]))
        for name in ("date", "modified"):
            if name in meta:
                meta[name] = _safe(meta[name])
        meta["slug"] = source.slug
        if "tags" in meta:
            meta["tags"] = [self._tag(tag) for tag in meta["tags"]]
        if "authors" in meta:
            meta["authors"] = [Author(name, settings) for name in meta["authors"]]
        elif "author" in meta:
            meta["author"] = Author(meta["author"], settings)
        meta.setdefault("status", "published")
        if meta["status"] == "withdrawn":
            # Not published anywhere; its address explains why it is gone (plugins/web).
            meta["status"], meta["withdrawn"] = "draft", True
        meta.setdefault("newsletter", True)
        meta["lang"] = source.lang
        if "image_alt" in meta and "image_alt" not in post.lines \
                and source.lang != state_of(settings).programme.editions[0].key:
            # A translation that describes its image in no words of its own shows the original's
            # description: the page says which language that is.
            meta["image_alt_of_original"] = True
        meta["translation_key"] = source.key or source.relative
        if "measure" in meta:
            meta["measure_slugs"] = meta.pop("measure")
        # Pelican needs a category for every article, drafts included; measures
        # and clusters replace categories everywhere the reader looks.
        meta["category"] = Category(settings.get("DEFAULT_CATEGORY") or "misc", settings)
        meta[SOURCE_KEY] = source
        return meta
