"""URL slugs as Pelican makes them, but with German umlauts written out (ä → ae).

Pelican's ``slugify`` is reproduced here (same steps, same libraries) so the content
model needs no Pelican: the build and the editors' check compute identical slugs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import unidecode
from markupsafe import Markup

_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                                 "ß": "ss"})
# Pelican's default substitutions (settings.DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]).
DEFAULT_SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-"))
# What a slug written by an editor (front matter ``slug:``) or in programme data may look like.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A slug is a folder name (at most 255 bytes on every file system) and part of printed addresses:
# one made from a long title is cut at a word boundary; one written by an editor may be longer.
MAX_MADE_SLUG = 80
MAX_WRITTEN_SLUG = 120


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def german_slug(text: str, substitutions: Iterable[tuple[str, str]] | None = None) -> str:
    """A URL slug that writes umlauts as ae/oe/ue/ss instead of dropping the dots."""
    rules = tuple((str(a), str(b)) for a, b in substitutions) if substitutions else DEFAULT_SUBSTITUTIONS
    return _german_slug(str(text), rules)


@functools.lru_cache(maxsize=8192)  # tags, measures and clusters are slugged again and again
def _german_slug(text: str, substitutions: tuple[tuple[str, str], ...]) -> str:
    value = _nfkc(Markup(text.translate(_GERMAN_LETTERS)).striptags())
    value = unidecode.unidecode(value)
    for source, replacement in substitutions:
        value = re.sub(_nfkc(source), _nfkc(replacement), value, flags=re.IGNORECASE)
    return _shortened(value.lower().strip())


def _shortened(slug: str) -> str:
    if len(slug) <= MAX_MADE_SLUG:
        return slug
    cut = slug[:MAX_MADE_SLUG + 1].rsplit("-", 1)[0]
    return (cut if len(cut) >= MAX_MADE_SLUG // 2 else slug[:MAX_MADE_SLUG]).strip("-")
