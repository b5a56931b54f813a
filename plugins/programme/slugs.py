"""URL slugs as Pelican makes them, but with German umlauts written out (ä → ae)."""

from __future__ import annotations

from pelican.utils import slugify

_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                                 "ß": "ss"})
# Pelican's default substitutions (settings.DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]).
DEFAULT_SUBSTITUTIONS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


def german_slug(text: str, substitutions: list | None = None) -> str:
    """A URL slug that writes umlauts as ae/oe/ue/ss instead of dropping the dots."""
    return slugify(text.translate(_GERMAN_LETTERS), regex_subs=substitutions or DEFAULT_SUBSTITUTIONS)
