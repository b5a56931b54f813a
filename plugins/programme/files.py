"""Writing files so that no reader ever sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write then rename: a crash never leaves half a file that looks complete, and processes
    writing the same file at once (a split build, builds side by side) each replace it whole.
    ``mode`` for files a web server must read (mkstemp makes them private)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# A text an editor writes (a post, an editorial, programme data, the record of sent issues): the
# longest real one is a few ten kilobytes; a file larger than this is refused before it is parsed,
# so that no single file can keep the build busy (or fill its memory).
MAX_TEXT_BYTES = 1_000_000


class TextProblem(ValueError):
    """Why an editor's text file cannot be read: a German message, its fix and 1-based line."""

    def __init__(self, line: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path``, within the budget; ``TextProblem`` otherwise."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise TextProblem(1, f"Datei ist größer als {MAX_TEXT_BYTES // 1_000_000} MB",
                              "teile den Text auf mehrere Beiträge auf; Bilder und PDFs gehören nach "
                              "content/images/ bzw. als eigene Datei daneben")
        data = path.read_bytes()
    except OSError as error:
        raise TextProblem(1, f"Datei nicht lesbar ({error.strerror})",
                          "prüfe, ob es die Datei gibt und ob sie gelesen werden darf") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TextProblem(data[: error.start].count(b"\n") + 1, "Datei ist nicht in UTF-8 gespeichert",
                          "im Editor „als UTF-8 speichern“ wählen und die Umlaute prüfen") from None
