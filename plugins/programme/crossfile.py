"""Checks across files, shared by the build and the editors' content check: duplicate slugs,
and internal links ({filename}, {static}, {attach}) resolved the way Pelican resolves them."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import unquote, urlparse

from .problems import Problem

MISSING_FIX = "prüfe den Dateinamen; {filename} ist relativ zu dieser Datei oder beginnt mit / für content/"


def resolve(source_relative: str, target: str) -> str | None:
    """Path of ``target`` relative to content/, seen from the file ``source_relative``."""
    path = unquote(urlparse(target).path)
    if not path:
        return None  # "#part" of the same page
    if path.startswith("/"):
        return path[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_relative), path))


def missing(where: str, line: int, target: str, what: str) -> Problem:
    if what == "filename":
        return Problem(where, line, f"Link auf „{target}“: diese Datei gibt es nicht", MISSING_FIX)
    return Problem(where, line, f"Link auf „{target}“: diese Datei gibt es nicht",
                   "lege die Datei unter content/ ab oder korrigiere den Pfad")


def unpublished(where: str, line: int, target: str) -> Problem:
    return Problem(where, line, f"Link auf „{target}“: dieser Beitrag ist nicht veröffentlicht",
                   "veröffentliche ihn zuerst oder entferne den Link")


def duplicate_slugs(entries: Iterable[tuple[tuple[str, ...], str, int]]) -> list[Problem]:
    """One problem per file whose (kind, lang, slug) another file has too.

    ``entries`` are (group key ending with the slug, displayed path, line to fix).
    """
    groups: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for key, where, line in entries:
        groups[key].append((where, line))
    problems = []
    for key, files in groups.items():
        for where, line in files if len(files) > 1 else []:
            others = ", ".join(other for other, _line in files if other != where)
            problems.append(Problem(where, line, f"Slug „{key[-1]}“ wird auch von {others} verwendet",
                                    "gib einer der Dateien ein eigenes „slug: …“ (bei Terminen z. B. mit "
                                    "dem Monat) oder benenne die Datei um"))
    return problems
