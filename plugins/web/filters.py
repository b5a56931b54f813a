"""Template filters of the web renderer."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from plugins.programme.formatting import size_de


def filesize(content_root: str, path: str) -> str:
    """German file size of a file under content/, e.g. „12 MB“."""
    full = Path(content_root) / path
    if not full.is_file():
        return "Größe unbekannt"
    return size_de(full.stat().st_size)


def breakable(text: str) -> Markup:
    """``text`` escaped, with a line-break opportunity (``<wbr>``) after each dot, slash and
    hyphen: a name without spaces ("stadt.land.smart") breaks there on a narrow screen, not
    inside a word."""
    return Markup(re.sub(r"([./-])", r"\1<wbr>", str(escape(text))))
