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

from markdown import Markdown
from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime

from .post_source import read_post
from .registry import Programme, load_programme
from .schema import ARTICLE, PAGE
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


def display_path(path: str) -> str:
    """A path as editors see it: relative to the working directory when possible."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _safe(moment: datetime) -> SafeDatetime:
    return SafeDatetime.fromtimestamp(moment.timestamp(), tz=moment.tzinfo)


class ProgrammeMarkdownReader(BaseReader):
    """Markdown + YAML front matter, checked against the programme's schema."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def __init__(self, settings: dict) -> None:
        super().__init__(settings)
        config = dict(settings["MARKDOWN"])
        # As Pelican does: every configured extension is also enabled; "meta" never is,
        # because front matter is YAML and read above.
        extensions = list(config.get("extensions", [])) + list(config.get("extension_configs", {}))
        config["extensions"] = [ext for ext in dict.fromkeys(extensions)
                                if ext != "markdown.extensions.meta"]
        self._markdown = Markdown(**config)

    def _kind(self, source_path: str) -> str:
        relative = Path(os.path.relpath(source_path, self.settings["PATH"])).parts
        page_roots = {Path(p).parts[0] for p in self.settings["PAGE_PATHS"]}
        return PAGE if relative and relative[0] in page_roots else ARTICLE

    def read(self, source_path: str) -> tuple[str, dict]:
        text = Path(source_path).read_text(encoding="utf-8")
        kind = self._kind(source_path)
        post = read_post(
            display_path(source_path), text, programme_for(self.settings), kind,
            self.settings["PATH"], self.settings["TIMEZONE"],
            tuple(self.settings.get("EXTRA_FRONT_MATTER_FIELDS", ())),
        )
        self._markdown.reset()
        content = self._markdown.convert(post.body)
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
