"""Problems found in content, reported to editors as ``path:line: problem — fix``."""

from __future__ import annotations

import errno
import os
import zlib
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, with the line where the editor can fix it."""

    path: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        # One line whatever the content quoted in it holds: a line break or control character
        # from a title, slug or file name shows as its escape, never as a line of its own.
        # Line 0: no line to name (a command's option, "--since: …").
        where = f"{self.path}:{self.line}" if self.line else self.path
        return _one_line(f"{where}: {self.message} — {self.fix}")


def _one_line(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ContentProblemsError(Exception):
    """Raised once per build with every problem found, so editors see all at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        noun = "Problem" if count == 1 else "Probleme"
        super().__init__(f"{count} {noun} im Inhalt:\n" + "\n".join(map(str, self.problems)))


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as editors see it: relative to the working directory when possible."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


_OS_REASONS = {errno.ENOENT: "gibt es nicht", errno.EACCES: "keine Leserechte",
               errno.EPERM: "keine Leserechte",
               errno.EISDIR: "ist ein Ordner", errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
               errno.ELOOP: "Verweise (Symlinks) im Kreis", errno.ENAMETOOLONG: "Name zu lang",
               errno.EIO: "Lesefehler des Datenträgers"}


def reason_in_german(error: BaseException) -> str:
    """Why a file could not be read, in German (the operating system's own words are English)."""
    if isinstance(error, zlib.error):
        return "beschädigte gzip-Datei"
    if isinstance(error, EOFError):
        return "die Datei endet mitten in den Daten (abgeschnitten?)"
    if isinstance(error, OSError) and error.errno in _OS_REASONS:
        return _OS_REASONS[error.errno]
    if isinstance(error, OSError) and error.errno is None:  # gzip and zlib say "not a gzipped file"
        return "beschädigte oder keine gzip-Datei"
    return f"Fehler {getattr(error, 'errno', None) or type(error).__name__}"


class BuildStopped(Exception):
    """The build cannot go on for a reason outside the content (a tool, an installed package):
    one German line for whoever runs it, shown as it is."""
