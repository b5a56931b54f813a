"""Template filters of the web renderer."""

from __future__ import annotations

from pathlib import Path


def filesize(content_root: str, path: str) -> str:
    """German file size of a file under content/, e.g. „12,4 MB“."""
    full = Path(content_root) / path
    if not full.is_file():
        return "Größe unbekannt"
    size = full.stat().st_size
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} Bytes"
