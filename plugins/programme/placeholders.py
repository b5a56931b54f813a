"""Placeholders: values the adopter must still fill in. Visible on every page, refused on publish."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from .model import Programme
from .problems import Problem

# The one marker. Programme data and content write it as „[PLATZHALTER: …]“.
PLACEHOLDER = "PLATZHALTER"


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and PLACEHOLDER in value


def programme_placeholders(programme: Programme) -> list[Problem]:
    """Every programme-data value still marked as a placeholder, as publish-blocking problems."""
    found: list[Problem] = []

    def visit(value: Any, path: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))
        elif is_placeholder(value):
            found.append(Problem(programme.source, programme.lines.get(path, 0) + 1,
                                 f"Platzhalter in {'.'.join(map(str, path))}: {value}",
                                 "trage die echte Angabe ein"))

    visit(programme.data, ())
    return found


def text_placeholders(path: Path, shown_as: str) -> list[Problem]:
    """One problem per line of a content file that still holds a placeholder."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [Problem(shown_as, number, "Platzhalter im Text", "ersetze ihn durch die echte Angabe")
            for number, line in enumerate(lines, 1) if PLACEHOLDER in line]


# „[PLATZHALTER: …]“ in a body: marked like the programme data's placeholders (never across a
# line, so a forgotten „]“ does not mark the rest of the paragraph).
_IN_TEXT = r"\[" + PLACEHOLDER + r":[^\]\n]*\]"


class _MarkPlaceholder(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Element, int, int]:
        element = Element("mark", {"class": "sls-placeholder"})
        element.text = m.group(0)
        return element, m.start(0), m.end(0)


class PlaceholderExtension(Extension):
    """Marks placeholders in Markdown bodies visibly, as the templates mark them in data."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Above links (160): „[PLATZHALTER: …](…)“ is a placeholder, not a link text.
        md.inlinePatterns.register(_MarkPlaceholder(_IN_TEXT, md), "sls-placeholder", 175)
