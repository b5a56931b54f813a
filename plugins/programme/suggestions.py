"""What an editor most likely meant: the closest known name for a misspelt one."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .model import Programme


def closest(wrong: str, known: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The known name closest to ``wrong`` (case-insensitive), if any is close enough."""
    found = difflib.get_close_matches(wrong.lower(), sorted(known), n=1, cutoff=cutoff)
    return found[0] if found else None


def closest_measure(programme: Programme, wrong: str) -> str | None:
    """The measure slug an editor most likely meant by ``wrong`` (a slug or a title)."""
    candidates = {m.slug: m.slug for m in programme.measures}
    candidates.update({m.title.lower(): m.slug for m in programme.measures})
    key = str(wrong).strip().lower()
    key_slug = re.sub(r"[^a-z0-9]+", "-", key.replace("ü", "ue")).strip("-")
    for probe in (key, key_slug):
        if probe in candidates:
            return candidates[probe]
        close = difflib.get_close_matches(probe, list(candidates), n=1, cutoff=0.6)
        if close:
            return candidates[close[0]]
    return None
