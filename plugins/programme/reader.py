"""Pelican reader for Markdown with YAML front matter, the way git-based CMSs write it.

It never raises for an editor's mistake: problems travel in the metadata
(so they survive Pelican's content cache) and the build fails once, listing
all of them. Pelican's own habit of logging and skipping a file is avoided.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime

from .parallel import markdown_for, parse, prefetch, take
from .problems import display_path
from .registry import Programme, load_programme
from .schema import ARTICLE
from .slugs import german_slug

_programmes: dict[tuple[str, float], Programme] = {}


def programme_for(settings: dict) -> Programme:
    """The programme registry named by PROGRAMME_FILE, reloaded when the file changes."""
    path = os.path.abspath(settings["PROGRAMME_FILE"])
    key = (path, os.stat(path).st_mtime if os.path.exists(path) else 0.0)
    if key not in _programmes:
        _programmes.clear()
        _programmes[key] = load_programme(display_path(path))
    return _programmes[key]


def _safe(moment: datetime) -> SafeDatetime:
    return SafeDatetime.fromtimestamp(moment.timestamp(), tz=moment.tzinfo)


class ProgrammeMarkdownReader(BaseReader):
    """Markdown + YAML front matter, checked against the programme's schema."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def __init__(self, settings: dict) -> None:
        super().__init__(settings)
        self._markdown = markdown_for(settings)

    def read(self, source_path: str) -> tuple[str, dict]:
        prefetch(self.settings)
        parsed = take(source_path) or parse(source_path, self.settings, self._markdown,
                                            programme_for(self.settings))
        content, post, kind = parsed
        return content, self._metadata(post, kind, source_path)

    def _tag(self, name: str) -> Tag:
        tag = Tag(name, self.settings)
        tag.slug = german_slug(name, self.settings.get("SLUG_REGEX_SUBSTITUTIONS"))
        return tag

    def _metadata(self, post, kind: str, source_path: str) -> dict:
        meta = dict(post.meta)
        settings = self.settings
        # Keep Pelican from skipping the file: the build fails on the problem instead.
        meta.setdefault("title", Path(source_path).stem)
        if kind == ARTICLE and "date" not in meta:
            meta["date"] = datetime(1970, 1, 1, tzinfo=ZoneInfo(settings["TIMEZONE"]))
        for name in ("date", "modified"):
            if name in meta:
                meta[name] = _safe(meta[name])
        meta.setdefault("slug", german_slug(str(meta["title"]), settings.get("SLUG_REGEX_SUBSTITUTIONS")))
        if "tags" in meta:
            meta["tags"] = [self._tag(tag) for tag in meta["tags"]]
        if "authors" in meta:
            meta["authors"] = [Author(name, settings) for name in meta["authors"]]
        elif "author" in meta:
            meta["author"] = Author(meta["author"], settings)
        meta.setdefault("status", "published")
        meta.setdefault("newsletter", True)
        meta.setdefault("lang", settings.get("DEFAULT_LANG", "de"))
        if "measure" in meta:
            meta["measure_slugs"] = meta.pop("measure")
        # Pelican needs a category for every article, drafts included; measures
        # and clusters replace categories everywhere the reader looks.
        meta["category"] = Category(settings.get("DEFAULT_CATEGORY") or "misc", settings)
        meta["source_problems"] = post.problems
        meta["source_links"] = post.links
        meta["source_lines"] = post.lines
        meta["source_display_path"] = post.path
        meta["content_kind"] = kind
        return meta
