"""HTML to accessible PDF with WeasyPrint, only from local files, rendered once per input.

A print document is HTML whose addresses are those of the public site: links in the PDF
lead to the site, and images are read from the content folder instead of the network.
Nothing else is fetched: a post or an editorial naming another host gets no request, only
a warning. Each PDF is stored under the hash of everything it is made of (HTML, the local
files it shows, the fonts, the WeasyPrint version) and placed into the site as a hard link,
so a build whose print input did not change renders and writes no PDF.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import mimetypes
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from plugins.engine.outputs import map_in_pool, pool_size
from plugins.programme.files import write_atomically

logger = logging.getLogger("pelican.paper")

FONTS = Path(__file__).resolve().parent.parent.parent / "theme" / "print" / "fonts"
FONT_SCHEME = "sls-font:"  # fonts are named by this scheme in the CSS, never by a file path
# A QR code is named by the address it encodes and drawn only when a PDF is rendered: the HTML
# (and so the document's hash) stays small, and an unchanged build draws no code at all.
QR_SCHEME = "sls-qr:"
PARALLEL_FROM = 3  # fewer missing PDFs render faster without starting a pool


@dataclass(frozen=True)
class PrintDocument:
    """One PDF to make: where it goes in the site and the HTML it is rendered from."""

    path: str  # relative to the site, e.g. "newsletter/2/newsletter-2.pdf"
    html: str


@dataclass(frozen=True)
class PrintedFile:
    """A made PDF as the pages that link it describe it, and where it is stored."""

    path: str  # relative to the site
    pages: int
    size: int  # bytes
    stored: Path  # in the print cache: the site's file is a link to it


class LocalFiles:
    """Resolves the site's addresses of content files to the files themselves."""

    def __init__(self, base_url: str, content: Path, folders: Iterable[str]) -> None:
        self.base = base_url.rstrip("/") + "/"
        self.content = content.resolve()
        self.folders = tuple(f.strip("/") for f in folders)
        self.fonts: dict[str, bytes] = {}
        self.found: dict[str, Path | None] = {}  # url → file: the logo and lead images recur

    def font(self, path: Path) -> bytes:
        """A shipped WOFF2 font as plain TrueType, decompressed once per process: WeasyPrint
        would decompress every face again for every document (a third of its time)."""
        if path.name not in self.fonts:
            from fontTools.ttLib import TTFont

            buffer = io.BytesIO()
            face = TTFont(path)
            face.flavor = None
            face.save(buffer)
            self.fonts[path.name] = buffer.getvalue()
        return self.fonts[path.name]

    def path_of(self, url: str) -> Path | None:
        """The file behind ``url``, if it is one of the site's content files, else None."""
        if url not in self.found:
            self.found[url] = self._path_of(url)
        return self.found[url]

    def _path_of(self, url: str) -> Path | None:
        if url.startswith(FONT_SCHEME):
            name = url[len(FONT_SCHEME):]
            candidate = (FONTS / name).resolve()
            return candidate if candidate.parent == FONTS and candidate.is_file() else None
        if not url.startswith(self.base):
            return None
        relative = unquote(url[len(self.base):].split("?", 1)[0].split("#", 1)[0])
        candidate = (self.content / relative).resolve()
        # resolve() follows "..", and links: only a file that really lies in a media folder counts.
        inside = any(candidate.is_relative_to(self.content / folder) for folder in self.folders)
        return candidate if inside and candidate.is_file() else None

    def referenced(self, html: str) -> list[Path]:
        """The local files an HTML document shows (its images), for the document's hash."""
        found = []
        for match in re.finditer(r'\bsrc="([^"]+)"', html):
            address = match.group(1).replace("&amp;", "&")
            if "://" not in address and not address.startswith(("data:", FONT_SCHEME, QR_SCHEME)):
                address = self.base + address.lstrip("/")
            path = self.path_of(address)
            if path is not None:
                found.append(path)
        return found


def _fetcher(files: LocalFiles, refused: list[str]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """data: URIs (the QR codes) and the site's own content files; nothing from a network."""

        def fetch(self, url, headers=None):
            if url.startswith(QR_SCHEME):
                return URLFetcherResponse(url, qr_svg(url[len(QR_SCHEME):]),
                                          {"Content-Type": "image/svg+xml"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = files.path_of(url)
            if path is None:
                refused.append(url)
                raise ValueError(f"not a local file of this site: {url}")
            if url.startswith(FONT_SCHEME):
                return URLFetcherResponse(url, files.font(path), {"Content-Type": "font/ttf"})
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return LocalOnlyFetcher()


def qr_svg(address: str) -> bytes:
    """A QR code as SVG: vector, sharp at any print size; level M survives a crease or a pin
    through the notice; the quiet zone of four modules the standard asks for."""
    import segno

    buffer = io.BytesIO()
    segno.make(address, error="m", micro=False).save(buffer, kind="svg", border=4)
    return buffer.getvalue()


class Renderer:
    """What the documents one process renders share: WeasyPrint's image cache (the logo and the
    lead images recur in many of them) and one font configuration (made anew for every document,
    it loaded the system's fonts again each time: a seventh of the rendering time, and 90 MiB
    more in a process after 140 documents)."""

    def __init__(self) -> None:
        self.images: dict[Any, Any] = {}
        self._fonts: Any = None

    @property
    def fonts(self) -> Any:
        if self._fonts is None:
            from weasyprint.text.fonts import FontConfiguration

            self._fonts = FontConfiguration()
        return self._fonts


def render_pdf(document: PrintDocument, files: LocalFiles,
               shared: Renderer | None = None) -> tuple[bytes, int, list[str]]:
    """(PDF bytes, page count, refused addresses) of one document, tagged as PDF/UA-1."""
    shared = shared or Renderer()
    try:
        from weasyprint import HTML
    except OSError as error:  # cffi could not load Pango
        raise RuntimeError(
            "Druckfassungen (PDF) brauchen die Bibliothek Pango — installiere sie "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0) oder baue ohne PDFs: "
            f"SLS_PRINT=0 make build ({error})") from None

    refused: list[str] = []
    rendered = HTML(string=document.html, base_url=files.base,
                    url_fetcher=_fetcher(files, refused)).render(cache=shared.images,
                                                                 font_config=shared.fonts)
    data = rendered.write_pdf(pdf_variant="pdf/ua-1")
    return data, len(rendered.pages), refused


def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for font in sorted(FONTS.glob("*.woff2")):
        digest.update(font.name.encode() + b"\0" + font.read_bytes())
    return digest.hexdigest()


class PrintCache:
    """PDFs by the hash of their input, kept between builds (clean ones included)."""

    def __init__(self, folder: Path, files: LocalFiles) -> None:
        self.digests: dict[Path, bytes] = {}
        self.folder, self.files = folder, files
        # The version from the package metadata: importing WeasyPrint costs half a second, and a
        # build whose PDFs are all stored never needs it.
        self.salt = f"weasyprint {version('weasyprint')}\0{_fonts_digest()}\0"

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
        for document, (data, count, refused) in zip(missing, _render_all(missing, self.files), strict=True):
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


LANG = re.compile(r'<html[^>]*\blang="([A-Za-z-]{2,20})"')


def _load_hyphenation(documents: list[PrintDocument]) -> None:
    """The hyphenation patterns of the documents' languages, loaded once here: each worker
    loaded them again (German: 0.8 s of CPU per process), now the pool's workers inherit them."""
    import pyphen  # type: ignore[import-untyped]

    for lang in {found.group(1) for d in documents if (found := LANG.search(d.html[:2000]))}:
        fallback = pyphen.language_fallback(lang)
        if fallback:
            pyphen.Pyphen(lang=fallback)  # kept in pyphen's own cache of dictionaries


# Set in each worker process by its initializer (never in the parent).
_worker: dict[str, Any] = {}


def _init(files: LocalFiles) -> None:
    _worker.update(files=files, shared=Renderer())


def _work(document: PrintDocument) -> tuple[bytes, int, list[str]]:
    return render_pdf(document, _worker["files"], _worker["shared"])


def _render_all(documents: list[PrintDocument], files: LocalFiles) -> list[tuple[bytes, int, list[str]]]:
    workers = pool_size(len(documents), PARALLEL_FROM)
    _load_hyphenation(documents)
    if workers < 2:
        shared = Renderer()
        return [render_pdf(d, files, shared) for d in documents]
    return map_in_pool(_work, documents, workers, _init, (files,))
