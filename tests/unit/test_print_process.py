"""The processes that render PDFs: small (nothing of the build in them), started ahead on a
first build, gone when they are not needed, and the PDFs they make as the build would."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from pypdf import PdfReader
from waiting import wait_for

from plugins.paper.pdf import LocalFiles, PrintCache, PrintDocument, start_ahead

PAGE = ('<html lang="de"><head><title>Aushang</title></head><body><h1>Aushang</h1>'
        '<img src="sls-qr:https://beteiligung.example/termine/" alt="QR-Code: Termine"></body></html>')


def test_the_rendering_process_loads_nothing_of_the_build() -> None:
    probe = ("import sys, plugins.paper.render; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in {'pelican', 'jinja2', 'markdown'} "
             "or m.startswith(('plugins.engine', 'plugins.programme', 'pipeline'))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_a_first_build_starts_a_renderer_ahead_which_ends_when_nothing_is_left_to_render(
        tmp_path: Path) -> None:
    store = tmp_path / "print"
    [process] = start_ahead(store)  # no PDF stored yet: a first build
    assert process.process.poll() is None
    PrintCache(store, LocalFiles("https://beteiligung.example", tmp_path, ["images"]), [process]).make([])
    wait_for(lambda: process.process.poll() is not None, "the renderer ending")
    assert process.process.returncode == 0


def test_pdfs_come_from_the_renderer_started_ahead_and_later_builds_start_none(tmp_path: Path) -> None:
    store = tmp_path / "print"
    files = LocalFiles("https://beteiligung.example", tmp_path, ["images"])
    made = PrintCache(store, files, start_ahead(store)).make([PrintDocument("a.pdf", PAGE)])
    reader = PdfReader(made["a.pdf"].stored)
    assert len(reader.pages) == made["a.pdf"].pages == 1
    assert "Aushang" in reader.pages[0].extract_text()
    assert start_ahead(store) == []  # PDFs are stored: most of them will be reused


def test_a_renderer_killed_by_a_signal_is_replaced_once_and_the_pdfs_still_come(tmp_path: Path) -> None:
    store = tmp_path / "print"
    [process] = start_ahead(store)
    process.process.send_signal(signal.SIGSEGV)  # as a crash in the libraries below WeasyPrint
    process.process.wait(timeout=30)
    made = PrintCache(store, LocalFiles("https://beteiligung.example", tmp_path, ["images"]),
                      [process]).make([PrintDocument("a.pdf", PAGE)])
    assert "Aushang" in PdfReader(made["a.pdf"].stored).pages[0].extract_text()


def test_a_phone_photo_is_printed_at_print_resolution_without_its_metadata() -> None:
    import io

    from PIL import Image

    from plugins.paper.render import PRINT_WIDTH, print_sized

    exif = Image.Exif()
    exif[0x010F] = "Beispielkamera"
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "#3a6").save(buffer, "JPEG", exif=exif)
    with Image.open(io.BytesIO(print_sized(buffer.getvalue(), "image/jpeg"))) as printed:
        assert printed.size == (PRINT_WIDTH, PRINT_WIDTH * 3 // 4)
        assert not printed.getexif()
    small = io.BytesIO()
    Image.new("RGB", (800, 600), "#3a6").save(small, "PNG")
    assert print_sized(small.getvalue(), "image/png") == small.getvalue()  # already fine: unchanged


def test_the_shared_print_stylesheet_styles_pages_exactly_as_an_inline_one(tmp_path: Path) -> None:
    """The print stylesheet is parsed once per process and handed to WeasyPrint apart from the
    document; the pages must not change, the document's own later styles still winning."""
    from plugins.paper.render import Renderer, render_pdf

    files = LocalFiles("https://beteiligung.example", tmp_path, ["images"])
    page = ('<html lang="de"><head><title>Aushang</title><style{shared}>h1 {{ color: #c00; '
            'font-size: 40pt; border-bottom: 4pt solid #00c }} p {{ margin-left: 3cm }}</style>'
            '<style>h1 {{ color: #060 }}</style></head><body><h1>Aushang</h1><p>Text</p></body></html>')
    shared = Renderer()
    pictures = []
    for number, marker in enumerate(("", " data-shared", " data-shared")):  # twice: parsed once
        pdf = tmp_path / f"{number}.pdf"
        pdf.write_bytes(render_pdf(PrintDocument("a.pdf", page.format(shared=marker)), files, shared)[0])
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", pdf, tmp_path / str(number)],
                       check=True, timeout=60)
        pictures.append((tmp_path / f"{number}.png").read_bytes())
    assert pictures[0] == pictures[1] == pictures[2]
