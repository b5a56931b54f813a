"""What an editor writes in the real Sveltia UI (German browser, test repository in the
browser's storage) builds into every channel: posts with only the required fields and with
every field and an uploaded photo, and events."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cms_session import (
    READ_FILES,
    content,
    field,
    filled,
    open_new_post,
    phone_photo,
    poll,
    saved_posts,
    scrolled_to,
    served,
    type_body,
)
from conftest import ROOT, environment, run_build

pytestmark = pytest.mark.slow  # the CMS in a real browser


def new_post_with_required_fields(page, served: str, summary: str) -> None:
    """A new post with date, measure and summary filled in (the title goes in last: the form
    re-renders while other fields change)."""
    open_new_post(page, served)
    field(page, "date").locator("input[type=datetime-local]").fill("2026-11-30T10:00")
    field(page, "measure").get_by_text("Option auswählen").click()
    page.get_by_role("option", name="Coworking Newsroom (Partizipation)").click()
    field(page, "summary").locator("textarea").fill(summary)


def test_a_post_written_in_the_cms_with_only_required_fields_builds(browser, served: str, content: Path,
                                                                     tmp_path: Path) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    new_post_with_required_fields(page, served, "Jeden Donnerstag beantworten wir Fragen.")
    type_body(page, "Kommen Sie vorbei, wir helfen gern.")
    # The form re-renders while other fields change: the title goes in last.
    filled(page, {"title": "Sprechstunde für Bürger im Newsroom"})
    page.get_by_role("button", name="Speichern").first.click()
    saved = poll(lambda: saved_posts(page))
    context.close()
    assert len(saved) == 1, saved
    (name, text), = saved.items()
    assert "modified:" not in text and "image:" not in text  # empty optional fields are not written
    posts = tmp_path / "content"
    shutil.copytree(content, posts)
    (posts / "posts" / Path(name).name).write_text(text, encoding="utf-8")

    run = run_build(tmp_path, posts, tmp_path / "site", programme=posts / "programme.yml")

    assert run.code == 0, run.stderr
    # The CMS names the file after the title, umlauts written out as in German: the address.
    assert Path(name).name.endswith("-sprechstunde-fuer-buerger-im-newsroom.md"), name
    folder = tmp_path / "site" / "aktuelles" / "2026" / "sprechstunde-fuer-buerger-im-newsroom"
    page_file = folder / "index.html"
    assert "Kommen Sie vorbei, wir helfen gern." in page_file.read_text(encoding="utf-8")
    feed = (tmp_path / "site" / "feeds" / "massnahmen" / "coworking-newsroom.atom.xml").read_text("utf-8")
    assert "Sprechstunde für Bürger im Newsroom" in feed


def test_a_post_with_every_field_and_an_uploaded_photo_reaches_every_channel(
        browser, served: str, content: Path, tmp_path: Path) -> None:
    import base64
    import re

    from pipeline.build import build

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_new_post(page, served)
    field(page, "date").locator("input[type=datetime-local]").fill("2026-11-30T10:00")
    for option in ("Coworking Newsroom (Partizipation)", "Mach mit (Partizipation)"):
        field(page, "measure").get_by_text("Option auswählen").click()
        page.get_by_role("option", name=option).click()
    field(page, "summary").locator("textarea").fill("Jeden Donnerstag beantworten wir Fragen.")
    field(page, "summary_easy").locator("textarea").fill("Wir helfen Ihnen gern.")
    tags = field(page, "tags")
    tags.locator("input").first.fill("Beteiligung")
    tags.get_by_role("button", name=re.compile("hinzufügen")).click()
    tags.locator("input").nth(1).fill("Sprechstunde")
    field(page, "image").get_by_role("button", name="Durchsuchen").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("dialog").get_by_role("button", name="Hochladen").click()
    # Named as a phone or a desktop names it: the CMS stores it under an address-safe name.
    chooser.value.set_files(phone_photo(tmp_path / "Foto vom Rathaus (1).jpg"))
    page.get_by_role("dialog").get_by_role("button", name="Einfügen").click()
    field(page, "image_alt").locator("input").fill("Blaue Fläche als Beispielbild")
    # Typed as an editor types Markdown into the rich-text editor: it turns into structure.
    type_body(page, "## Wann und wo\nKommen Sie vorbei.\n- Donnerstags\nab 16 Uhr\n\n"
                    "Mehr zur [Beteiligung](https://www.wuerzburg.de/) lesen.")
    filled(page, {"title": "Sprechstunde: Fragen & Antworten"})
    page.get_by_role("button", name="Speichern").first.click()
    files = poll(lambda: {n: base64.b64decode(data) for n, data in page.evaluate(READ_FILES).items()},
                 lambda found: any(n.endswith(".md") for n in found) and any("/images/" in n for n in found))
    context.close()

    posts = {name: data.decode() for name, data in files.items() if name.endswith(".md")}
    images = {name: data for name, data in files.items() if "/images/" in name}
    assert len(posts) == 1 and len(images) == 1, sorted(files)
    (post_name, text), = posts.items()
    (image_name, photo), = images.items()
    # The photo was re-encoded in the browser: WebP, and the place it was taken is gone.
    assert Path(image_name).name == "foto-vom-rathaus-1.webp"
    assert photo[:4] == b"RIFF" and photo[8:12] == b"WEBP"
    assert b"EXIF" not in photo and b"Exif" not in photo
    site = tmp_path / "content"
    shutil.copytree(content, site)
    (site / "posts" / Path(post_name).name).write_text(text, encoding="utf-8")
    (site / "images" / Path(image_name).name).write_bytes(photo)

    with environment(None, tmp_path):
        result = build(ROOT / "pelicanconf.py", tmp_path / "site", site, site / "programme.yml",
                       overrides={"NEWSLETTER_PREVIEW": {"since": "2026-11-01"}})

    assert result.ok, result.problems
    out = tmp_path / "site"
    article = (out / "aktuelles" / "2026" / "sprechstunde-fragen-antworten" / "index.html").read_text("utf-8")
    assert "<h1>Sprechstunde: Fragen &amp; Antworten</h1>" in article
    for expected in ("<h2", "Wann und wo", "<li>Donnerstags</li>", 'href="https://www.wuerzburg.de/"',
                     "Wir helfen Ihnen gern.", 'alt="Blaue Fläche als Beispielbild"',
                     f"bilder/formate/{Path(image_name).stem}-", ">Beteiligung<", ">Sprechstunde<"):
        assert expected in article, expected
    # The uploaded photo reaches the page as variants for the screen, never as the upload.
    assert f"images/{Path(image_name).name}" not in article
    for measure in ("coworking-newsroom", "mach-mit"):
        assert "Sprechstunde: Fragen &amp; Antworten" in (
            out / "massnahmen" / measure / "index.html").read_text("utf-8")
        assert "Sprechstunde: Fragen &amp; Antworten" in (
            out / "feeds" / "massnahmen" / f"{measure}.atom.xml").read_text("utf-8")
    issue = out / "newsletter-preview"
    assert "Sprechstunde: Fragen &amp; Antworten" in (issue / "issue.html").read_text("utf-8")
    assert "Sprechstunde: Fragen & Antworten" in (issue / "issue.txt").read_text("utf-8")


def test_an_event_written_in_the_cms_builds_into_page_and_calendar(browser, served: str, content: Path,
                                                                   tmp_path: Path) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served + "/admin/")
    page.get_by_text("Mit Test-Repository arbeiten").first.click()
    page.get_by_text("Termine").first.click()
    page.get_by_role("button", name="Neu").first.click()
    field(page, "date").locator("input[type=datetime-local]").fill("2026-06-01T09:00")
    field(page, "measure").get_by_text("Option auswählen").click()
    page.get_by_role("option", name="Mach mit (Partizipation)").click()
    field(page, "summary").locator("textarea").fill("Ideen für den Sommer sammeln – alle sind eingeladen.")
    scrolled_to(page, "place_name").locator("input").fill("Coworking Newsroom")
    scrolled_to(page, "place_street").locator("input").fill("Sanderstraße 4")
    scrolled_to(page, "place_town").locator("input").fill("Würzburg")
    page.mouse.wheel(0, -5000)
    filled(page, {"title": "Sommerabend: Ideen & Austausch", "start": "2026-07-09 18:30",
                  "end": "2026-07-09 20:00"})
    page.get_by_role("button", name="Speichern").first.click()
    saved = poll(lambda: {n: t for n, t in saved_posts(page).items() if "/termine/" in n})
    context.close()
    assert len(saved) == 1, saved
    (name, text), = saved.items()
    site = tmp_path / "content"
    shutil.copytree(content, site)
    (site / "termine").mkdir(exist_ok=True)
    (site / "termine" / Path(name).name).write_text(text, encoding="utf-8")

    run = run_build(tmp_path, site, tmp_path / "site", programme=site / "programme.yml",
                    env={"SLS_NOW": "2026-06-15T12:00"})

    assert run.code == 0, (run.stderr, text)
    event_page = tmp_path / "site" / "termine" / "2026" / "sommerabend-ideen-austausch" / "index.html"
    assert "Donnerstag, 9. Juli 2026, 18:30 bis 20:00\u00a0Uhr" in event_page.read_text(encoding="utf-8")
    calendar = (tmp_path / "site" / "kalender" / "massnahmen" / "mach-mit.ics").read_text(encoding="utf-8")
    assert "SUMMARY;LANGUAGE=de:Sommerabend: Ideen & Austausch" in calendar  # the sample has six languages
    assert "DTSTART;TZID=Europe/Berlin:20260709T183000" in calendar


def test_a_code_block_in_the_editor_reaches_for_no_other_host(browser, served: str) -> None:
    # Sveltia highlights code blocks with Shiki, which it would import from unpkg.com.
    from urllib.parse import urlsplit

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    new_post_with_required_fields(page, served, "Ein Beispiel mit Code.")
    type_body(page, "So sieht es aus:\n```python\nprint(1)\n")
    filled(page, {"title": "Beispiel mit Code"})
    page.get_by_role("button", name="Speichern").first.click()
    saved = poll(lambda: {n: t for n, t in saved_posts(page).items() if "beispiel-mit-code" in n})
    context.close()
    assert len(saved) == 1 and "print(1)" in next(iter(saved.values()))
    assert hosts - {"", urlsplit(served).netloc} == set()
