"""Placeholders: values the adopter must still fill in. Visible on every page, refused on publish."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
_IN_TEXT = re.compile(r"\[" + PLACEHOLDER + r":[^\]\n<]*\]")
# Rendered HTML as tags and the text between them; code shows what an editor typed, unmarked.
_TAG = re.compile(r"(<[^>]*>)")
_CODE = re.compile(r"<(/?)(code|pre)\b", re.IGNORECASE)


def mark_placeholders(html: str) -> str:
    """``html`` with every placeholder in its text (not in tags, code or code blocks) marked."""
    if PLACEHOLDER not in html:
        return html
    parts, in_code = _TAG.split(html), 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            found = _CODE.match(part)
            if found:
                in_code = max(0, in_code + (-1 if found[1] else 1))
        elif not in_code and PLACEHOLDER in part:
            parts[index] = _IN_TEXT.sub(r'<mark class="sls-placeholder">\g<0></mark>', part)
    return "".join(parts)
