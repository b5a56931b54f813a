"""Checks that need every file: duplicate slugs and internal links."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable

from pelican.contents import Content

from .links import missing, resolve, unpublished
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
    source = item.get_relative_source_path()
    for link in item.metadata.get("source_links", ()):
        relative = resolve(source, link.target)
        if relative is None:
            continue
        if link.what == "filename":
            linked = generated.get(relative)
            if linked is None and relative not in static:
                problems.append(missing(_where(item), link.line, link.target, link.what))
            elif linked is not None and getattr(linked, "status", "published") != "published":
                problems.append(unpublished(_where(item), link.line, link.target))
        elif relative not in static and not os.path.isfile(os.path.join(content_root, relative)):
            problems.append(missing(_where(item), link.line, link.target, link.what))
    return problems
