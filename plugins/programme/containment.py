"""Every file content refers to must lie inside the content folder.

Editors' content is untrusted: a link such as ``{attach}../../../proc/self/environ`` or an
uploaded symlink would otherwise publish any file of the build machine.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

OUTSIDE_FIX = "verweise nur auf Dateien unter content/, z. B. „{static}/images/bild.png“"


def inside(root: Path, relative: str) -> bool:
    """True when ``root/relative`` — ``..`` resolved and symlinks followed — is inside ``root``."""
    normal = posixpath.normpath(relative.lstrip("/")) if relative else "."
    if normal == ".." or normal.startswith("../"):
        return False
    base = root.resolve()
    return (base / normal).resolve().is_relative_to(base)
