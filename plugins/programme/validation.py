"""Checks that need every file: duplicate slugs and internal links."""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import unquote, urlparse

from pelican.contents import Content

from .problems import Problem


def site_problems(contents: Iterable[Content], context: dict, content_root: str) -> list[Problem]:
    """Every problem of the build: per-file ones plus those across files."""
    contents = list(contents)
    problems: list[Problem] = []
    for item in contents:
        problems.extend(item.metadata.get("source_problems", ()))
    problems.extend(_duplicate_slugs(contents))
    for item in contents:
        problems.extend(_broken_links(item, context, content_root))
    return problems


def _where(item: Content) -> str:
    return item.metadata.get("source_display_path", item.source_path)


def _duplicate_slugs(contents: list[Content]) -> list[Problem]:
    groups: dict[tuple, list[Content]] = defaultdict(list)
    for item in contents:
        kind = item.metadata.get("content_kind", "article")
        groups[(kind, item.lang, item.slug)].append(item)
    problems = []
    for (_kind, _lang, slug), items in groups.items():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(_where(o) for o in items if o is not item)
            lines = item.metadata.get("source_lines", {})
            line = lines.get("slug", lines.get("title", 1))
            problems.append(Problem(
                _where(item), line, f"Slug „{slug}“ wird auch von {others} verwendet",
                "gib einem der Beiträge ein eigenes „slug: …“ oder einen anderen Titel"))
    return problems


def _broken_links(item: Content, context: dict, content_root: str) -> list[Problem]:
    problems = []
    generated = context.get("generated_content", {})
    static = context.get("static_content", {})
    source_dir = posixpath.dirname(item.get_relative_source_path())
    for link in item.metadata.get("source_links", ()):
        target = unquote(urlparse(link.target).path)
        if not target:
            continue  # a pure #fragment link to the page itself
        relative = target[1:] if target.startswith("/") else posixpath.normpath(
            posixpath.join(source_dir, target))
        if link.what == "filename":
            linked = generated.get(relative)
            if linked is None and relative not in static:
                problems.append(Problem(
                    _where(item), link.line,
                    f"Link auf „{link.target}“: diese Datei gibt es nicht",
                    "prüfe den Dateinamen; {filename} ist relativ zu dieser Datei "
                    "oder beginnt mit / für content/"))
            elif linked is not None and getattr(linked, "status", "published") != "published":
                problems.append(Problem(
                    _where(item), link.line,
                    f"Link auf „{link.target}“: dieser Beitrag ist nicht veröffentlicht",
                    "veröffentliche ihn zuerst oder entferne den Link"))
        elif relative not in static and not os.path.isfile(os.path.join(content_root, relative)):
            problems.append(Problem(
                _where(item), link.line, f"Link auf „{link.target}“: diese Datei gibt es nicht",
                "lege die Datei unter content/ ab oder korrigiere den Pfad"))
    return problems
