"""Print editions: tagged, German, titled PDFs with embedded fonts, text in reading order, QR codes
that a decoder reads as the right pages' addresses, links on the pages that say size and page
count, nothing from another host, and rebuilds that render only what changed."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_build
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

pytestmark = pytest.mark.slow  # WeasyPrint, pdftoppm and zbarimg over real PDFs

BASE = "https://beteiligung.example"
ENV = {"SLS_NOW": "2026-12-01T12:00"}
POSTER = "termine/2027/sprechstunde-wue-app/aushang-sprechstunde-wue-app.pdf"
ISSUE = "newsletter/2/newsletter-2.pdf"
LARGE = "newsletter/2/newsletter-2-grossdruck.pdf"


def settings_with_cache(folder: Path, cache: Path, extra: str = "") -> Path:
    settings = folder / "settings.py"
    # PUBLIC_URL set here: pelicanconf reads SITEURL from the environment once per process.
    settings.write_text(f"from pelicanconf import *  # noqa\nCACHE_PATH = {str(cache)!r}\n"
                        f"PUBLIC_URL = {BASE!r}\n{extra}", encoding="utf-8")
    return settings


def build_into(folder: Path, content: Path, output: Path, cache: Path, extra: str = "") -> Path:
    run = run_build(folder, content, output, settings=settings_with_cache(folder, cache, extra),
                    env={**ENV, "SLS_PRINT": "1"})
    assert run.code == 0, run.stderr
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built with a cache of its own: every PDF is rendered by this build."""
    folder = tmp_path_factory.mktemp("print")
    return build_into(folder, ROOT / "content", folder / "site", folder / "cache")


def resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def structure(node) -> Iterator[DictionaryObject]:
    """Every element of a PDF's structure tree."""
    node = resolved(node)
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            yield node
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids]) if kids is not None else []:
            yield from structure(kid)
    elif isinstance(node, list):
        for item in node:
            yield from structure(item)


def outline_titles(items) -> list[str]:
    found: list[str] = []
    for item in items:
        found += outline_titles(item) if isinstance(item, list) else [item.title]
    return found


def font_sizes(reader: PdfReader) -> dict[float, str]:
    """Effective font size → the text set in it."""
    sizes: dict[float, str] = {}

    def visit(text, cm, tm, _font, size) -> None:
        if text.strip():
            effective = round(size * (tm[3] or 1) * (cm[3] or 1), 1)
            sizes[effective] = sizes.get(effective, "") + text

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


def pdf_text(path: Path, *options: str) -> str:
    """The text as poppler extracts it, without the invisible characters that steer line breaks."""
    done = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60)
    return " ".join(done.stdout.replace("\u2060", "").replace("\u200b", "").split())


def qr_codes(path: Path, tmp_path: Path) -> set[str]:
    """What zbarimg (Debian's zbar-tools) reads from every page printed at 150 dpi."""
    found: set[str] = set()
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True,
                   timeout=60)
    for image in sorted(tmp_path.glob("page*.png")):
        done = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True,
                              timeout=60)
        found.update(line for line in done.stdout.splitlines() if line)
        image.unlink()
    return found


def issue_cards(site: Path, number: int) -> list[tuple[str, str]]:
    """(title, address) of the posts as the issue's archive page lists them."""
    page = (site / "newsletter" / str(number) / "index.html").read_text(encoding="utf-8")
    return [(html.unescape(title), BASE + href.removeprefix(BASE)) for href, title in
            re.findall(r'<h3 class="sls-card__title"><a href="([^"]+)">([^<]+)</a>', page)]


@pytest.mark.parametrize("name", [ISSUE, LARGE, POSTER])
def test_each_pdf_is_tagged_german_titled_with_bookmarks_alt_text_and_embedded_fonts(site: Path,
                                                                                      name: str) -> None:
    reader = PdfReader(site / name)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "de"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert "stadt.land.smart" in reader.metadata.title
    elements = list(structure(root["/StructTreeRoot"]))
    assert {"H1", "P"} <= {str(e["/S"]).lstrip("/") for e in elements}
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert figures and all(str(e.get("/Alt", "")).strip() for e in figures)
    for page in reader.pages:
        for font in resolved(page["/Resources"]).get("/Font", {}).values():
            font = resolved(font)
            descriptor = resolved(resolved(font["/DescendantFonts"][0])["/FontDescriptor"]) \
                if "/DescendantFonts" in font else resolved(font["/FontDescriptor"])
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    if name != POSTER:
        titles = outline_titles(reader.outline)
        assert "Cluster Kommunikation" in titles and "Cluster Partizipation" in titles
        assert [t for t, _ in issue_cards(site, 2)] == [t for t in titles if not t.startswith(
            ("Cluster", "In Leichter", "Impressum", "Beteiligung abgeschlossen"))]


def test_the_issue_carries_every_post_in_reading_order_and_its_qr_codes_lead_to_them(
        site: Path, tmp_path: Path) -> None:
    cards = issue_cards(site, 2)
    assert len(cards) == 4
    for name in (ISSUE, LARGE):
        for order in ("-raw", None):  # content stream order and the order on the page
            text = pdf_text(site / name, *([order] if order else []))
            positions = [text.find(title) for title, _ in cards]
            assert -1 not in positions and positions == sorted(positions), (name, order, positions)
            assert "In Leichter Sprache" in text and "Impressum" in text
        assert qr_codes(site / name, tmp_path) == {address for _, address in cards}


def test_body_text_is_at_least_12_pt_and_16_pt_in_large_print(site: Path) -> None:
    assert min(font_sizes(PdfReader(site / ISSUE))) >= 12
    large = font_sizes(PdfReader(site / LARGE))
    assert min(large) >= 16
    body = max(large, key=lambda size: len(large[size]))  # the size most text is set in
    assert body == 16


def test_the_poster_is_readable_from_afar_and_its_codes_open_the_event_and_its_calendar(
        site: Path, tmp_path: Path) -> None:
    reader = PdfReader(site / POSTER)
    assert len(reader.pages) == 1
    sizes = font_sizes(reader)
    assert "SprechstundezurWueApp" in sizes[max(sizes)].replace(" ", "") and max(sizes) >= 36
    text = pdf_text(site / POSTER)
    # The facts of content/termine/2027-02-sprechstunde-wue-app.md, in words.
    for expected in ("Donnerstag, 18. Februar 2027, 16:00 bis 17:30 Uhr", "Verschoben",
                     "Zuvor geplant: Donnerstag, 11. Februar 2027",
                     "Coworking Newsroom, Sanderstraße 4, Würzburg",
                     "Barrierefreiheit", "Anmeldung", "Keine Anmeldung nötig", "Beispieltermin"):
        assert expected in text, expected
    page = f"{BASE}/termine/2027/sprechstunde-wue-app/"
    assert qr_codes(site / POSTER, tmp_path) == {page, page + "termin.ics"}
    # Printed for typing (a line may break inside it, never with an added hyphen).
    assert "beteiligung.example/termine/2027/sprechstunde-wue-app/" in text.replace(" ", "")


@pytest.mark.parametrize("key", ["ar", "uk"])
def test_an_events_poster_in_another_language_and_script_reads_in_order(site: Path, tmp_path: Path,
                                                                        key: str) -> None:
    """Arabic right to left and Ukrainian in Cyrillic: the PDF says its language, embeds the
    fonts that draw the script, and its text comes out in reading order."""
    address = f"{key}/termine/2027/offene-sprechstunde/"
    poster = site / address / "aushang-offene-sprechstunde.pdf"
    reader = PdfReader(poster)
    assert reader.trailer["/Root"]["/Lang"] == key and len(reader.pages) == 1
    fonts = {str(resolved(f)["/BaseFont"]).split("+")[-1]
             for f in resolved(reader.pages[0]["/Resources"])["/Font"].values()}
    assert any(name.startswith("DejaVu-Sans") for name in fonts), fonts  # Arabic and Cyrillic glyphs
    # The words in the order they are read, as poppler puts right-to-left lines back together
    # (without its embedding marks, and without the commas, which its bidi pass sets beside
    # the neighbouring number instead of the word).
    text = " ".join(pdf_text(poster).translate({0x202A: " ", 0x202B: " ", 0x202C: " ", ord("،"): " ",
                                                ord(","): " "}).split())
    expected = {"ar": ["ساعة استشارة مفتوحة", "الخميس 14 يناير 2027 من الساعة", "إمكانية الوصول",
                       "التسجيل", "صفحة 1 من 1"],
                "uk": ["Відкриті консультаційні години", "четвер 14 січня 2027 р. з 16:00 до 18:00",
                       "Доступність", "Реєстрація не потрібна", "Сторінка 1 з 1"]}[key]
    positions = [text.find(words) for words in expected]
    assert -1 not in positions and positions == sorted(positions), (text, positions)
    page = f"{BASE}/{address}"
    assert qr_codes(poster, tmp_path) == {page, page + "termin.ics"}
    # The translated page offers it in its language.
    html_page = (site / address / "index.html").read_text(encoding="utf-8")
    label = {"ar": "ملصق للطباعة (PDF، صفحة واحدة،", "uk": "Оголошення для друку (PDF, 1 сторінка,"}[key]
    assert label in html_page


def test_an_event_that_is_over_has_no_poster(site: Path) -> None:
    """Nobody pins up a notice for a meeting that has taken place (the build's day: 2026-12-01)."""
    past = site / "termine" / "2022" / "zukunftswerkstatt"
    assert (past / "index.html").is_file() and not list(past.glob("*.pdf"))
    assert "type=\"application/pdf\"" not in (past / "index.html").read_text(encoding="utf-8")
    assert (site / POSTER).is_file()


def test_only_the_newest_issues_and_the_coming_weeks_events_go_on_paper(tmp_path: Path) -> None:
    """However long the archive grows, printing stays bounded: here the newest issue only and
    posters for the next 60 days (the build's day: 2026-12-01)."""
    site = build_into(tmp_path, ROOT / "content", tmp_path / "site", tmp_path / "cache",
                      "PRINT_ISSUES = 1\nPRINT_POSTER_DAYS = 60\n")
    assert (site / ISSUE).is_file() and (site / LARGE).is_file()
    older = site / "newsletter" / "1"
    assert not list(older.glob("*.pdf"))
    page = html.unescape(re.sub(r"\s+", " ", (older / "index.html").read_text(encoding="utf-8")))
    assert "application/pdf" not in page
    assert ("Eine Druckfassung (PDF) gibt es für die neueste Ausgabe; diese Seite können Sie über "
            "Ihren Browser ausdrucken.") in page
    soon = site / "termine" / "2027" / "offene-sprechstunde"  # 14 January: 44 days ahead
    assert (soon / "aushang-offene-sprechstunde.pdf").is_file()
    assert "Aushang zum Ausdrucken" in (soon / "index.html").read_text(encoding="utf-8")
    later = site / POSTER  # 18 February: 79 days ahead
    assert not list(later.parent.glob("*.pdf"))
    assert "Aushang zum Ausdrucken" not in (later.parent / "index.html").read_text(encoding="utf-8")


def test_no_pdf_links_or_loads_anything_from_another_host(site: Path) -> None:
    pdfs = sorted(site.rglob("*.pdf"))
    # The newest of the two issues in two sizes (PRINT_ISSUES = 1); the two events not yet over
    # (both within 90 days), one of them in five more languages.
    assert len(pdfs) == 2 + 2 + 5
    for path in pdfs:
        data = path.read_bytes()
        assert b"/URL" not in data and b"/Launch" not in data and b"/JavaScript" not in data
        for page in PdfReader(path).pages:
            for annotation in page.get("/Annots") or []:
                action = resolved(resolved(annotation).get("/A")) or {}
                if "/URI" in action:
                    assert str(action["/URI"]).startswith(BASE + "/"), (path, action["/URI"])


def test_pages_offer_the_pdfs_with_their_page_count_and_size(site: Path) -> None:
    for page, name, text in (
            ("termine/2027/sprechstunde-wue-app/index.html", POSTER, "Aushang zum Ausdrucken"),
            ("newsletter/2/index.html", ISSUE, "Zum Ausdrucken"),
            ("newsletter/2/index.html", LARGE, "Zum Ausdrucken in Großdruck")):
        shown = (site / page).read_text(encoding="utf-8")
        pages = len(PdfReader(site / name).pages)
        size = (site / name).stat().st_size
        words = f"{pages} Seite{'n' if pages > 1 else ''}, {round(size / 1024)}\u00a0KB"
        assert f'href="/{name}" type="application/pdf">{text} (PDF, {words})</a>' in shown, (page, words)
    archive = (site / "newsletter" / "index.html").read_text(encoding="utf-8")
    assert "Zum Ausdrucken und Aushängen" in archive and "Großdruck" in archive


def cached(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (cache / "print").glob("*.pdf")}


def test_a_rebuild_renders_only_the_pdfs_whose_input_changed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = tmp_path / "cache"
    first = build_into(tmp_path, content, tmp_path / "first", cache)
    before = cached(cache)
    assert len(before) == 9

    second = build_into(tmp_path, content, tmp_path / "second", cache)
    assert cached(cache) == before  # nothing rendered, nothing written
    for path in second.rglob("*.pdf"):
        assert path.read_bytes() == (first / path.relative_to(second)).read_bytes()
        assert path.stat().st_ino in {(cache / "print" / n).stat().st_ino for n in before}  # a link

    event = content / "termine" / "2027-02-sprechstunde-wue-app.md"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("summary: Fragen", "summary: Jetzt neu – Fragen"), encoding="utf-8")
    third = build_into(tmp_path, content, tmp_path / "third", cache)
    after = cached(cache)
    assert set(before) < set(after) and len(after) == len(before) + 1
    assert {n: after[n] for n in before} == before
    assert "Jetzt neu" not in pdf_text(first / POSTER)
    assert "Jetzt neu" in pdf_text(third / POSTER)


def test_a_changed_package_version_renders_every_pdf_again(tmp_path: Path, monkeypatch) -> None:
    # One toolchain key over the one cache root: a PDF rendered by another version of any package
    # (WeasyPrint, its fonts library...) is never reused. A distribution folder on sys.path stands
    # for the upgrade, as pip leaves it (name and version in the folder's name).
    packages = tmp_path / "packages"
    (packages / "druckwerk-1.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(packages))
    cache = tmp_path / "cache"
    first = build_into(tmp_path, ROOT / "content", tmp_path / "first", cache)
    before = cached(cache)
    assert before and cached(cache) == before
    (packages / "druckwerk-1.0.dist-info").rename(packages / "druckwerk-1.1.dist-info")
    second = build_into(tmp_path, ROOT / "content", tmp_path / "second", cache)
    after = cached(cache)
    assert sorted(after) == sorted(before)  # the same inputs...
    assert all(after[name] != before[name] for name in before)  # ...each rendered again
    assert sorted(p.name for p in second.rglob("*.pdf")) == sorted(p.name for p in first.rglob("*.pdf"))


def test_with_print_switched_off_no_page_offers_a_pdf(tmp_path: Path) -> None:
    run = run_build(tmp_path, ROOT / "content", tmp_path / "site",
                    settings=settings_with_cache(tmp_path, tmp_path / "cache"), env={**ENV, "SLS_PRINT": "0"})
    assert run.code == 0, run.stderr
    assert not list((tmp_path / "site").rglob("*.pdf"))
    page = tmp_path / "site" / "termine" / "2027" / "sprechstunde-wue-app" / "index.html"
    assert "Aushang zum Ausdrucken" not in page.read_text(encoding="utf-8")


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request (none may arrive)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def test_remote_and_outside_files_are_never_loaded(tmp_path: Path, counting_server) -> None:
    from plugins.paper.pdf import LocalFiles, PrintDocument, render_pdf

    other, requests = counting_server
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "posts").mkdir()
    (content / "posts" / "secret.md").write_text("geheim", encoding="utf-8")
    shutil.copy(ROOT / "content" / "images" / "logo.svg", content / "images" / "logo.svg")
    outside = tmp_path / "outside.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    os.symlink(outside, content / "images" / "link.svg")
    files = LocalFiles(BASE, content, ["images"])
    assert files.path_of(f"{BASE}/images/logo.svg") == (content / "images" / "logo.svg").resolve()
    for refused in (f"{BASE}/images/link.svg", f"{BASE}/images/../posts/secret.md", f"{BASE}/posts/secret.md",
                    f"{other}/images/logo.svg", f"file://{outside}", "file:///etc/passwd"):
        assert files.path_of(refused) is None, refused
    page = (f'<html lang="de"><head><title>T</title><link rel="stylesheet" href="{other}/style.css">'
            f'<style>@import url("{other}/import.css"); body {{ background: url("{other}/bg.png") }}</style>'
            f'</head><body><h1>T</h1><img src="{other}/a.png" alt="a"><img src="images/link.svg" alt="b">'
            f'<img src="file:///etc/passwd" alt="c"><img src="images/logo.svg" alt="Logo"></body></html>')
    data, pages, refused = render_pdf(PrintDocument("t.pdf", page), files)
    assert requests == []
    assert pages == 1 and data.startswith(b"%PDF")
    assert {f"{other}/a.png", f"{BASE}/images/link.svg", "file:///etc/passwd"} <= set(refused)


def test_programme_text_in_the_page_footer_stays_one_css_string() -> None:
    from plugins.paper.editions import css_string

    hostile = 'Gemeinde "A" \\ </style><img src=x> ; } @import url(http://x/);'
    value = str(css_string(hostile))
    assert value.startswith('"') and value.endswith('"') and value.count('"') == 2
    assert "<" not in value and "\\" not in value.replace("\\22 ", "").replace("\\5c ", "").replace(
        "\\3c ", "").replace("\\3e ", "")


def test_a_hostile_event_prints_as_text_and_fetches_nothing(tmp_path: Path, counting_server) -> None:
    other, requests = counting_server
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "termine" / "2027-03-feindlich.md").write_text(
        "---\n"
        "title: \"<script>alert(1)</script> {{ 7*7 }} Treffen\"\n"
        "slug: feindlich\n"
        "start: 2027-02-04 17:00\nend: 2027-02-04 19:00\ndate: 2026-11-20 09:00\n"
        "measure: mach-mit\n"
        f"summary: \"<img src='{other}/spy.png'> Ein Treffen\"\n"
        f"transit: \"<link rel=stylesheet href='{other}/x.css'>Bus\"\n"
        "place_name: Rathaus\nplace_town: Würzburg\n"
        "---\n\nText.\n", encoding="utf-8")
    site = build_into(tmp_path, content, tmp_path / "site", tmp_path / "cache")
    text = pdf_text(site / "termine" / "2027" / "feindlich" / "aushang-feindlich.pdf")
    # Jinja never evaluates content ("49" alone could be part of the loopback port).
    assert "<script>alert(1)</script> {{ 7*7 }} Treffen" in text and "49 Treffen" not in text
    assert f"<img src='{other}/spy.png'> Ein Treffen" in text
    assert requests == []


def test_a_long_title_still_makes_a_one_page_poster_and_a_paragraph_is_no_title(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    words = "Bürgerbusbedarfsverkehrsplattformintegration und Terminvereinbarung im Ortsteil "
    event = ("---\ntitle: \"{title}\"\nslug: lang\nstart: 2027-02-04 17:00\nend: 2027-02-04 19:00\n"
             "date: 2026-11-20 09:00\nmeasure: mach-mit\nsummary: Ein Treffen.\n"
             "place_name: Rathaus\nplace_town: Würzburg\n---\n\nText.\n")
    path = content / "termine" / "2027-03-lang.md"
    path.write_text(event.format(title=(words * 5)[:395].strip()), encoding="utf-8")
    site = build_into(tmp_path, content, tmp_path / "site", tmp_path / "cache")
    assert len(PdfReader(site / "termine" / "2027" / "lang" / "aushang-lang.pdf").pages) == 1
    path.write_text(event.format(title=(words * 9).strip()), encoding="utf-8")
    run = run_build(tmp_path, content, tmp_path / "site2",
                    settings=settings_with_cache(tmp_path, tmp_path / "c2"), env=ENV)
    assert run.code != 0 and "2027-03-lang.md:2: Titel hat" in run.stderr, run.stderr
