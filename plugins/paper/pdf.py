"""HTML to accessible PDF with WeasyPrint, only from local files, rendered once per input.

A print document is HTML whose addresses are those of the public site: links in the PDF
lead to the site, and images are read from the content folder instead of the network.
Nothing else is fetched: a post or an editorial naming another host gets no request, only
a warning. Each PDF is stored under the hash of everything it is made of (HTML, the local
files it shows, the fonts, the WeasyPrint version) and placed into the site as a hard link,
so a build whose print input did not change renders and writes no PDF. The rendering itself
(``render.py``) happens in small processes of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from plugins.engine.outputs import pool_size
from plugins.programme.files import write_atomically
from plugins.programme.problems import BuildStopped

from .render import FAILED, FONTS, QR_SCHEME, LocalFiles, PrintDocument, Work, render_pdf

__all__ = ["QR_SCHEME", "LocalFiles", "PrintCache", "PrintDocument", "PrintedFile", "place",
           "render_pdf"]

logger = logging.getLogger("pelican.paper")
Rendered = tuple[bytes, int, list[str]]  # a PDF, its page count, the addresses it was refused
# Documents one rendering process takes before a second one pays back its start.
DOCS_PER_PROCESS = 12
SECONDS_PER_DOCUMENT = 60  # a rendering process that takes longer is stopped: the build fails
ROOT = Path(__file__).resolve().parent.parent.parent  # where ``plugins`` can be imported from


@dataclass(frozen=True)
class PrintedFile:
    """A made PDF as the pages that link it describe it, and where it is stored."""

    path: str  # relative to the site
    pages: int
    size: int  # bytes
    stored: Path  # in the print cache: the site's file is a link to it


def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for font in sorted(FONTS.glob("*.ttf")):
        digest.update(font.name.encode() + b"\0" + font.read_bytes())
    return digest.hexdigest()


class PrintCache:
    """PDFs by the hash of their input, kept between builds (clean ones included)."""

    def __init__(self, folder: Path, files: LocalFiles, started: Iterable[RenderingProcess] = ()) -> None:
        self.digests: dict[Path, bytes] = {}
        self.folder, self.files = folder, files
        # The version from the package metadata: importing WeasyPrint costs half a second, and a
        # build whose PDFs are all stored never needs it.
        self.salt = f"weasyprint {version('weasyprint')}\0{_fonts_digest()}\0"
        self.started = list(started)

    def key(self, document: PrintDocument) -> str:
        digest = hashlib.sha256((self.salt + document.html).encode())
        for path in self.files.referenced(document.html):
            if path not in self.digests:  # the logo is in every document: read it once
                self.digests[path] = hashlib.sha256(path.read_bytes()).digest()
            digest.update(self.digests[path])
        return digest.hexdigest()

    def _stored(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.pdf", self.folder / f"{key}.json"

    def lookup(self, key: str) -> int | None:
        pdf, meta = self._stored(key)
        try:
            return int(json.loads(meta.read_text(encoding="utf-8"))["pages"]) if pdf.is_file() else None
        except (OSError, ValueError, KeyError):
            return None

    def store(self, key: str, data: bytes, pages: int) -> None:
        """Write atomically: builds running side by side may share the cache."""
        self.folder.mkdir(parents=True, exist_ok=True)
        pdf, meta = self._stored(key)
        for target, payload in ((pdf, data), (meta, json.dumps({"pages": pages}).encode())):
            write_atomically(target, payload, 0o644)  # the site's PDFs are links to these

    def make(self, documents: list[PrintDocument]) -> dict[str, PrintedFile]:
        """Every document as a PrintedFile; renders (on every core) only what is not stored."""
        keys = {d.path: self.key(d) for d in documents}
        pages = {d.path: self.lookup(keys[d.path]) for d in documents}
        missing = [d for d in documents if pages[d.path] is None]
        rendered = _render_all(missing, self.files, self.started)
        self.started = []
        for document, (data, count, refused) in zip(missing, rendered, strict=True):
            for url in refused:
                logger.warning("Druckfassung %s: %s wurde nicht geladen (nur Dateien dieser Website)",
                               document.path, url)
            self.store(keys[document.path], data, count)
            pages[document.path] = count
        made = {}
        for document in documents:
            stored = self._stored(keys[document.path])[0]
            made[document.path] = PrintedFile(document.path, pages[document.path] or 0,
                                              stored.stat().st_size, stored)
        return made


def place(made: Iterable[PrintedFile], output: Path) -> None:
    """Link each made PDF into the site (a copy where links are impossible)."""
    for printed in made:
        source, target = printed.stored, output / printed.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


class RenderingProcess:
    """One ``python -m plugins.paper.render``. Started ahead (``PrintCache.expect``), it loads
    WeasyPrint and the fonts while the build still reads content; given no work, it ends."""

    def __init__(self) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen([sys.executable, "-m", "plugins.paper.render"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors)
        # A build that stops before its PDFs drops this object: the process reads the end of its
        # input and ends.
        self.close = weakref.finalize(self, RenderingProcess._end, self.process, self.errors)

    def render(self, documents: list[PrintDocument], files: LocalFiles,
               retried: bool = False) -> list[Rendered]:
        budget = SECONDS_PER_DOCUMENT * (len(documents) + 1)
        try:
            work = pickle.dumps(Work(files, documents))
            output, _ = self.process.communicate(len(work).to_bytes(8, "big") + work, timeout=budget)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise BuildStopped(f"Druckfassungen: nach {budget} s nicht fertig ({len(documents)} PDFs, "
                               f"darunter {documents[0].path}) — ein Dokument ist zu groß oder zu "
                               f"verschachtelt; ohne PDFs bauen: SLS_PRINT=0") from None
        if self.process.returncode < 0 and not retried:
            # Killed by a signal (rarely, a crash in the C libraries below WeasyPrint on a busy
            # machine): the same documents once more, in a fresh process.
            again = RenderingProcess()
            try:
                return again.render(documents, files, retried=True)
            finally:
                again.close()
        if self.process.returncode != 0:
            self.errors.seek(0)
            code = self.process.returncode
            ended = f"durch Signal {-code}" if code < 0 else f"mit Status {code}"
            lines = self.errors.read().decode(errors="replace").strip().splitlines() or [
                f"Druckfassungen: der Druckprozess endete {ended}, ohne Meldung — noch einmal bauen; "
                "bleibt es so, ohne PDFs bauen: SLS_PRINT=0"]
            raise BuildStopped(lines[0] if self.process.returncode == FAILED else lines[-1])
        made: list[Rendered] = pickle.loads(output)
        return made

    @staticmethod
    def _end(process: subprocess.Popen[bytes], errors: Any) -> None:
        if process.stdin is not None and not process.stdin.closed:
            with contextlib.suppress(OSError):  # no work: said by a length of zero
                process.stdin.write(bytes(8))
                process.stdin.close()
        if process.stdout is not None:
            process.stdout.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()


def start_ahead(folder: Path) -> list[RenderingProcess]:
    """A rendering process started now if the print cache ``folder`` holds no PDF (a first
    build: every PDF is to be made), so that it is ready when the documents are."""
    return [] if any(folder.glob("*.pdf")) else [RenderingProcess()]


def _render_all(documents: list[PrintDocument], files: LocalFiles,
                started: list[RenderingProcess]) -> list[Rendered]:
    """Every document rendered, in order, by processes of their own (``render.py``): one per
    DOCS_PER_PROCESS documents, up to one per core (each process loads WeasyPrint, about a
    quarter of a second, which a few documents do not pay back). ``started``: processes
    started ahead, used first."""
    count = max(1, min(pool_size(len(documents)), -(-len(documents) // DOCS_PER_PROCESS)))
    count = count if documents else 0
    for unused in started[count:]:
        unused.close()
    if not documents:
        return []
    processes = started[:count] + [RenderingProcess() for _ in range(count - len(started))]
    shares = [documents[i::count] for i in range(count)]
    try:
        with ThreadPoolExecutor(count) as threads:
            rendered = list(threads.map(RenderingProcess.render, processes, shares, [files] * count))
    finally:
        for process in processes:
            process.close()
    results: list[Rendered | None] = [None] * len(documents)
    for offset, made in enumerate(rendered):
        results[offset::count] = made
    return [result for result in results if result is not None]
