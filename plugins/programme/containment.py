"""Every file content refers to must lie inside the content folder.

Editors' content is untrusted: a link such as ``{attach}../../../proc/self/environ`` or an
uploaded symlink would otherwise publish any file of the build machine.
"""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path

OUTSIDE_FIX = "verweise nur auf Dateien unter content/, z. B. „{static}/images/bild.png“"


def _normal(relative: str) -> str:
    """``relative`` as written, below its folder ("/a/./b" is "a/b"; "" is ".")."""
    return posixpath.normpath(relative.lstrip("/")) if relative else "."


def _escapes(normal: str) -> bool:
    return normal == ".." or normal.startswith("../")


def lexically_inside(relative: str) -> bool:
    """True when ``relative`` stays below its folder as written (no ``..`` leads out); a symbolic
    link on the way may still lead elsewhere (``inside`` follows them)."""
    return not _escapes(_normal(relative))


def first_link(root: Path, relative: str) -> str | None:
    """The first part of ``relative`` (below ``root``, as written) that is a symbolic link, as a
    path relative to ``root``; None without one."""
    parts = _normal(relative).split("/")
    for count in range(1, len(parts) + 1):
        if (root / "/".join(parts[:count])).is_symlink():
            return "/".join(parts[:count])
    return None


def inside(root: Path, relative: str) -> bool:
    """True when ``root/relative`` — ``..`` resolved and symlinks followed — is inside ``root``."""
    normal = _normal(relative)
    if _escapes(normal):
        return False
    if normal == "." or (os.name == "posix" and _no_link_below(os.fspath(root), normal)):
        return True
    base = root.resolve()
    return (base / normal).resolve().is_relative_to(base)


def _no_link_below(root: str, normal: str) -> bool:
    """Whether no part of ``normal`` below ``root`` is a symbolic link: then the path is inside,
    found with a few lstat calls per file instead of resolving the whole path twice (thousands of
    links and images per build). POSIX only: elsewhere "\\" separates too, and junctions are no
    links to lstat. False for anything unusual, which is resolved in full."""
    current = root
    for part in normal.split("/"):
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return False
        except FileNotFoundError:
            return True  # nothing below a missing part can be a link
        except OSError:
            return False
    return True
