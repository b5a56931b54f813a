"""Rendering print documents with WeasyPrint, in processes of their own.

``python -m plugins.paper.render`` reads pickled work from its standard input and writes the
PDFs, pickled, to its standard output. It imports nothing of Pelican or of the build: a copy of
the build's process would carry the build's memory as well as WeasyPrint's, and
``multiprocessing`` would import the build's main module again in every worker. WeasyPrint, the
fonts are loaded once per process.
"""

from __future__ import annotations

import ctypes.util
import functools
import mimetypes
import pickle
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

FONTS = Path(__file__).resolve().parent.parent.parent / "theme" / "print" / "fonts"
FONT_SCHEME = "sls-font:"  # fonts are named by this scheme in the CSS, never by a file path
# A QR code is named by the address it encodes and drawn only when a PDF is rendered: the HTML
# (and so the document's hash) stays small, and an unchanged build draws no code at all.
QR_SCHEME = "sls-qr:"
QR_PIXELS = 10  # per module


@dataclass(frozen=True)
class PrintDocument:
    """One PDF to make: where it goes in the site and the HTML it is rendered from."""

    path: str  # relative to the site, e.g. "newsletter/2/newsletter-2.pdf"
    html: str


class LocalFiles:
    """Resolves the site's addresses of content files to the files themselves."""

    def __init__(self, base_url: str, content: Path, folders: Iterable[str]) -> None:
        self.base = base_url.rstrip("/") + "/"
        self.content = content.resolve()
        self.folders = tuple(f.strip("/") for f in folders)
        self.found: dict[str, Path | None] = {}  # url → file: the logo and lead images recur

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


def _fetcher(files: LocalFiles, refused: list[str]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """The QR codes, and the site's own content files and fonts; nothing from a network."""

        def fetch(self, url, headers=None):
            if url.startswith(QR_SCHEME):
                return URLFetcherResponse(url, qr_png(url[len(QR_SCHEME):]),
                                          {"Content-Type": "image/png"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = files.path_of(url)
            if path is None:
                refused.append(url)
                raise ValueError(f"not a local file of this site: {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, print_sized(path.read_bytes(), kind), {"Content-Type": kind})

    return LocalOnlyFetcher()


PRINT_WIDTH = 2480  # pixels: an A4 page's full width at 300 dpi, more than any printed image needs


def print_sized(data: bytes, kind: str) -> bytes:
    """A photo at print resolution: one wider than PRINT_WIDTH (a phone's 4000 px) is scaled
    down and saved without its metadata; a PDF with the original weighed megabytes."""
    if kind not in ("image/jpeg", "image/png", "image/webp"):
        return data
    import io

    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width <= PRINT_WIDTH:
                return data
            upright = ImageOps.exif_transpose(opened)
            height = max(1, round(upright.height * PRINT_WIDTH / upright.width))
            scaled = upright.resize((PRINT_WIDTH, height), Image.Resampling.LANCZOS)
            scaled.info.clear()
            buffer = io.BytesIO()
            if kind == "image/jpeg":
                scaled.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
            else:
                scaled.save(buffer, "PNG" if kind == "image/png" else "WEBP")
            return buffer.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return data  # WeasyPrint reports what it cannot read


@functools.lru_cache(maxsize=256)  # an issue's normal and large print show the same codes
def qr_png(address: str) -> bytes:
    """A QR code as PNG, which the print style scales without smoothing
    (``image-rendering: pixelated``): sharp at any print size, like a vector, but drawn without
    parsing a path of hundreds of segments (an SVG code was a fifth of the rendering time).
    Level M survives a crease or a pin through the notice; the quiet zone of four modules the
    standard asks for. Ten pixels per module: a printer or viewer that smooths anyway still
    gets clean edges. Pillow encodes it (segno's own PNG writer is pure Python)."""
    import io

    import segno
    from PIL import Image

    rows = [bytes(0 if dark else 255 for dark in row)
            for row in segno.make(address, error="m", micro=False).matrix_iter(scale=1, border=4)]
    code = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    buffer = io.BytesIO()
    code.resize((code.width * QR_PIXELS, code.height * QR_PIXELS), Image.Resampling.NEAREST) \
        .convert("1").save(buffer, format="PNG")
    return buffer.getvalue()


def _not_searched(name: str) -> str | None:
    return None


@contextmanager
def _libraries_by_their_file_names() -> Iterator[None]:
    """WeasyPrint tries several names for each C library (Windows' first); through cffi each name
    that is not a file asks ``ctypes.util.find_library``, which runs gcc and ld once per name: a
    quarter of a second per process. On Linux the name that loads is the file's own
    (``libpango-1.0.so.0``), which needs no search."""
    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        yield
    finally:
        ctypes.util.find_library = search


def load_weasyprint() -> Any:
    """The ``weasyprint`` module; a German error where its C libraries are missing."""
    if "weasyprint" not in sys.modules:
        try:
            with _libraries_by_their_file_names():
                import weasyprint
        except OSError:  # a system whose libraries only the search finds
            pass
    try:
        import weasyprint
    except OSError as error:  # cffi could not load Pango
        raise RuntimeError(
            "Druckfassungen (PDF) brauchen die Bibliothek Pango — installiere sie "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0) oder baue ohne PDFs: "
            f"SLS_PRINT=0 make build ({error})") from None
    return weasyprint


# The print stylesheet, the same in every document of a build: parsed once per process, not once
# per document (a seventh of a poster's rendering time).
SHARED_STYLE = re.compile(r"<style data-shared>(.*?)</style>", re.S)


class Renderer:
    """What the documents one process renders share: WeasyPrint's image cache (the logo and the
    lead images recur in many of them), one font configuration (made anew for every document,
    it loaded the system's fonts again each time: a seventh of the rendering time, and 90 MiB
    more in a process after 140 documents) and the parsed print stylesheet."""

    def __init__(self) -> None:
        self.images: dict[Any, Any] = {}
        self._fonts: Any = None
        self._sheets: dict[str, Any] = {}

    def sheet(self, css: str, files: LocalFiles, refused: list[str]) -> Any:
        if css not in self._sheets:
            weasyprint = load_weasyprint()
            self._sheets[css] = weasyprint.CSS(string=css, base_url=files.base, font_config=self.fonts,
                                               url_fetcher=_fetcher(files, refused))
        return self._sheets[css]

    @property
    def fonts(self) -> Any:
        if self._fonts is None:
            load_weasyprint()
            from weasyprint.text.fonts import FontConfiguration

            self._fonts = FontConfiguration()
        return self._fonts


def render_pdf(document: PrintDocument, files: LocalFiles,
               shared: Renderer | None = None) -> tuple[bytes, int, list[str]]:
    """(PDF bytes, page count, refused addresses) of one document, tagged as PDF/UA-1."""
    shared = shared or Renderer()
    weasyprint = load_weasyprint()
    refused: list[str] = []
    html, sheets = document.html, []
    shared_style = SHARED_STYLE.search(html)
    if shared_style:
        # Given to WeasyPrint parsed, the stylesheet counts as the user's rather than the
        # author's; the document's own styles (its footer) still come after it, and the
        # print stylesheet declares nothing "!important": the pages look exactly the same.
        sheets.append(shared.sheet(shared_style.group(1), files, refused))
        html = html[:shared_style.start()] + html[shared_style.end():]
    rendered = weasyprint.HTML(string=html, base_url=files.base,
                               url_fetcher=_fetcher(files, refused)).render(
        cache=shared.images, font_config=shared.fonts, stylesheets=sheets)
    data = rendered.write_pdf(pdf_variant="pdf/ua-1")
    return data, len(rendered.pages), refused


@dataclass(frozen=True)
class Work:
    """What one rendering process is given."""

    files: LocalFiles
    documents: list[PrintDocument]


FAILED = 3  # exit status of a rendering process whose first line of errors is for the editor


def main() -> int:
    try:
        load_weasyprint()
        shared = Renderer()
        shared.fonts  # noqa: B018 - the system's fonts, read while the build reads its content
        # The work comes with its length first: copies of the build's process (its writers)
        # may hold this input open, so its end cannot be what says the work is complete.
        length = int.from_bytes(sys.stdin.buffer.read(8) or bytes(8), "big")
        if not length:  # started ahead, then not needed
            return 0
        work: Work = pickle.loads(sys.stdin.buffer.read(length))
        results = []
        for document in work.documents:
            try:
                results.append(render_pdf(document, work.files, shared))
            except Exception as error:
                raise RuntimeError(f"Druckfassung {document.path} ließ sich nicht erstellen "
                                   f"({type(error).__name__}: {error})") from error
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return FAILED
    pickle.dump(results, sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl+C reaches the whole process group: the build says it once
        sys.exit(130)
