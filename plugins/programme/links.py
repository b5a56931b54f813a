"""Internal links ({filename}, {static}, {attach}) resolved the way Pelican resolves them."""

from __future__ import annotations

import posixpath
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
