"""Template filters of the web renderer."""

from __future__ import annotations

from pathlib import Path

from plugins.programme.formatting import size_de


def filesize(content_root: str, path: str) -> str:
    """German file size of a file under content/, e.g. „12 MB“."""
    full = Path(content_root) / path
    if not full.is_file():
        return "Größe unbekannt"
    return size_de(full.stat().st_size)
