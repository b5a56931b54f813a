"""Checks that need every file: duplicate slugs and internal links."""

from __future__ import annotations

import os
from collections.abc import Iterable

from pelican.contents import Content

from .crossfile import duplicate_slugs, missing, resolve, unpublished
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
    def line(item: Content) -> int:
        lines = item.metadata.get("source_lines", {})
        return lines.get("slug", lines.get("title", 1))

    return duplicate_slugs(((item.metadata.get("content_kind", "article"), item.lang, item.slug),
                            _where(item), line(item)) for item in contents)


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
