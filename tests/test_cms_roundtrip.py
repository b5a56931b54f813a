"""The browser editor as editors use it: in German, offline from third parties, and a post
created in the real Sveltia UI (test repository in the browser's storage) builds into the site."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import FIXTURES, PROGRAMME, ROOT, environment, run_build
from PIL import Image

from checks.browser import launch
from checks.server import StaticServer, free_port

# The test-repo backend keeps the repository in the origin-private file system. The CMS may be
# writing while we read: an entry that vanishes between listing and reading is skipped.
READ_REPOSITORY = """async () => {
  const files = {};
  async function walk(folder, prefix) {
    for await (const [name, entry] of folder.entries()) {
      try {
        if (entry.kind === 'directory') await walk(entry, prefix + name + '/');
        else files[prefix + name] = await (await entry.getFile()).text();
      } catch (error) { /* written right now: read again on the next poll */ }
    }
  }
  await walk(await navigator.storage.getDirectory(), '');
  return files;
}"""
SIGN_IN = {"de-DE": "Mit Test-Repository arbeiten", "de-AT": "Mit Test-Repository arbeiten",
           "de-CH": "Mit Test-Repository arbeiten", "en-US": "Work with Test Repository"}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cms-roundtrip") / "content"
    shutil.copytree(FIXTURES / "good", folder)
    shutil.copyfile(ROOT / "content" / "images" / "logo.svg", folder / "images" / "logo.svg")
    data = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    data["cms"] = {"backend": "test-repo", "repo": "beispiel/stadt-land-smart", "branch": "main",
                   "editorial_workflow": False}  # the test backend saves directly
    (folder / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(content: Path) -> Iterator[str]:
    run = run_build(content.parent, content, content.parent / "site", programme=content / "programme.yml")
    assert run.code == 0, run.stderr
    with StaticServer(content.parent / "site", free_port()) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("locale", sorted(SIGN_IN))
def test_the_cms_speaks_the_browsers_language_and_asks_no_other_host(browser, served: str,
                                                                     locale: str) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served + "/admin/")
    page.get_by_text(SIGN_IN[locale]).first.wait_for(timeout=20000)
    page.wait_for_timeout(700)  # a retry loop would show up as hundreds of requests here
    context.close()
    foreign = [url for url in requests if urlsplit(url).netloc != urlsplit(served).netloc
               and urlsplit(url).scheme.startswith("http")]
    assert foreign == [] and len(requests) < 50, (foreign, len(requests))
    if locale.startswith("de"):
        assert any(urlsplit(url).path == "/admin/locales/de.json" for url in requests)


def field(page, name: str):
    # The preview pane repeats every field; the editor's comes first.
    return page.locator(f'section[data-key-path="{name}"]').first


def open_new_post(page, served: str) -> None:
    page.goto(served + "/admin/")
    page.get_by_text("Mit Test-Repository arbeiten").first.click()
    page.get_by_role("button", name="Neu").first.click()


def saved_posts(page) -> dict[str, str]:
    return {name: text for name, text in page.evaluate(READ_REPOSITORY).items() if name.endswith(".md")}


def test_a_post_written_in_the_cms_with_only_required_fields_builds(browser, served: str, content: Path,
                                                                     tmp_path: Path) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if True:
        open_new_post(page, served)
        field(page, "date").locator("input[type=datetime-local]").fill("2026-11-30T10:00")
        field(page, "measure").get_by_text("Option auswählen").click()
        page.get_by_role("option", name="Coworking Newsroom (Partizipation)").click()
        field(page, "summary").locator("textarea").fill("Jeden Donnerstag beantworten wir Fragen.")
        page.mouse.move(300, 500)  # the body field is created once the editor pane scrolls to it
        body = page.locator('section[data-key-path="body"] [contenteditable="true"]').first
        for _ in range(12):
            page.mouse.wheel(0, 700)
            if body.count():
                break
            page.wait_for_timeout(100)
        body.click()
        page.keyboard.type("Kommen Sie vorbei, wir helfen gern.")
        # The form re-renders while other fields change: the title goes in last.
        field(page, "title").locator("input").fill("Sprechstunde im Newsroom")
        page.get_by_role("button", name="Speichern").first.click()
        for _ in range(50):
            saved = saved_posts(page)
            if saved:
                break
            page.wait_for_timeout(100)
    context.close()
    assert len(saved) == 1, saved
    (name, text), = saved.items()
    assert "modified:" not in text and "image:" not in text  # empty optional fields are not written
    posts = tmp_path / "content"
    shutil.copytree(content, posts)
    (posts / "posts" / Path(name).name).write_text(text, encoding="utf-8")

    run = run_build(tmp_path, posts, tmp_path / "site", programme=posts / "programme.yml")

    assert run.code == 0, run.stderr
    page_file = tmp_path / "site" / "aktuelles" / "2026" / "sprechstunde-im-newsroom" / "index.html"
    assert "Kommen Sie vorbei, wir helfen gern." in page_file.read_text(encoding="utf-8")
    feed = (tmp_path / "site" / "feeds" / "massnahmen" / "coworking-newsroom.atom.xml").read_text("utf-8")
    assert "Sprechstunde im Newsroom" in feed


READ_FILES = """async () => {
  const files = {};
  async function walk(folder, prefix) {
    for await (const [name, entry] of folder.entries()) {
      try {
        if (entry.kind === 'directory') { await walk(entry, prefix + name + '/'); continue; }
        const bytes = new Uint8Array(await (await entry.getFile()).arrayBuffer());
        files[prefix + name] = btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
      } catch (error) { /* written right now: read again on the next poll */ }
    }
  }
  await walk(await navigator.storage.getDirectory(), '');
  return files;
}"""


def phone_photo(path: Path) -> Path:
    """A JPEG as a phone writes it: with the place it was taken in its EXIF data."""
    exif = Image.Exif()
    exif[0x010F] = "Telefon"
    exif[0x8825] = {1: "N", 2: (49.0, 47.0, 30.0), 3: "E", 4: (9.0, 55.0, 50.0)}
    Image.new("RGB", (640, 360), (30, 90, 160)).save(path, exif=exif, quality=90)
    return path


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
    chooser.value.set_files(phone_photo(tmp_path / "handyfoto.jpg"))
    page.get_by_role("dialog").get_by_role("button", name="Einfügen").click()
    field(page, "image_alt").locator("input").fill("Blaue Fläche als Beispielbild")
    page.mouse.move(300, 500)  # the body field is created once the editor pane scrolls to it
    body = page.locator('section[data-key-path="body"] [contenteditable="true"]').first
    for _ in range(12):
        page.mouse.wheel(0, 700)
        if body.count():
            break
        page.wait_for_timeout(100)
    body.click()
    # Typed as an editor types Markdown into the rich-text editor: it turns into structure.
    page.keyboard.type("## Wann und wo\nKommen Sie vorbei.\n- Donnerstags\nab 16 Uhr\n\n")
    page.keyboard.type("Mehr zur [Beteiligung](https://www.wuerzburg.de/) lesen.")
    field(page, "title").locator("input").fill("Sprechstunde: Fragen & Antworten")
    page.get_by_role("button", name="Speichern").first.click()
    for _ in range(50):
        files = {name: base64.b64decode(data) for name, data in page.evaluate(READ_FILES).items()}
        if any(name.endswith(".md") for name in files) and any("/images/" in n for n in files):
            break
        page.wait_for_timeout(100)
    context.close()

    posts = {name: data.decode() for name, data in files.items() if name.endswith(".md")}
    images = {name: data for name, data in files.items() if "/images/" in name}
    assert len(posts) == 1 and len(images) == 1, sorted(files)
    (post_name, text), = posts.items()
    (image_name, photo), = images.items()
    # The photo was re-encoded in the browser: WebP, and the place it was taken is gone.
    assert image_name.endswith(".webp") and photo[:4] == b"RIFF" and photo[8:12] == b"WEBP"
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
                     f"images/{Path(image_name).name}", ">Beteiligung<", ">Sprechstunde<"):
        assert expected in article, expected
    for measure in ("coworking-newsroom", "mach-mit"):
        assert "Sprechstunde: Fragen &amp; Antworten" in (
            out / "massnahmen" / measure / "index.html").read_text("utf-8")
        assert "Sprechstunde: Fragen &amp; Antworten" in (
            out / "feeds" / "massnahmen" / f"{measure}.atom.xml").read_text("utf-8")
    issue = out / "newsletter-preview"
    assert "Sprechstunde: Fragen &amp; Antworten" in (issue / "issue.html").read_text("utf-8")
    assert "Sprechstunde: Fragen & Antworten" in (issue / "issue.txt").read_text("utf-8")


def scrolled_to(page, name: str):
    """The editor's field ``name``; the form creates fields as the pane scrolls to them."""
    page.mouse.move(300, 500)
    for _ in range(20):
        if field(page, name).count():
            break
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(100)
    return field(page, name)


def test_an_event_written_in_the_cms_builds_into_page_and_calendar(browser, served: str, content: Path,
                                                                   tmp_path: Path) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served + "/admin/")
    page.get_by_text("Mit Test-Repository arbeiten").first.click()
    page.get_by_text("Termine").first.click()
    page.get_by_role("button", name="Neu").first.click()
    field(page, "start").locator("input").fill("2026-07-09 18:30")
    field(page, "end").locator("input").fill("2026-07-09 20:00")
    field(page, "date").locator("input[type=datetime-local]").fill("2026-06-01T09:00")
    field(page, "measure").get_by_text("Option auswählen").click()
    page.get_by_role("option", name="Mach mit (Partizipation)").click()
    field(page, "summary").locator("textarea").fill("Ideen für den Sommer sammeln – alle sind eingeladen.")
    scrolled_to(page, "place_name").locator("input").fill("Coworking Newsroom")
    scrolled_to(page, "place_street").locator("input").fill("Sanderstraße 4")
    scrolled_to(page, "place_town").locator("input").fill("Würzburg")
    page.mouse.wheel(0, -5000)
    field(page, "title").locator("input").fill("Sommerabend: Ideen & Austausch")
    page.get_by_role("button", name="Speichern").first.click()
    for _ in range(50):
        saved = {n: t for n, t in saved_posts(page).items() if "/termine/" in n}
        if saved:
            break
        page.wait_for_timeout(100)
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
    assert "Donnerstag, 9. Juli 2026, 18:30 bis 20:00 Uhr" in event_page.read_text(encoding="utf-8")
    calendar = (tmp_path / "site" / "kalender" / "massnahmen" / "mach-mit.ics").read_text(encoding="utf-8")
    assert "SUMMARY:Sommerabend: Ideen & Austausch" in calendar
    assert "DTSTART;TZID=Europe/Berlin:20260709T183000" in calendar


def test_the_cms_refuses_to_save_without_a_required_field(browser, served: str) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if True:
        open_new_post(page, served)
        field(page, "summary").locator("textarea").fill("Ohne Titel, ohne Datum.")
        page.get_by_role("button", name="Speichern").first.click()
        field(page, "title").locator('[aria-invalid="true"]').wait_for(timeout=10000)
        alert = page.get_by_role("alert").filter(has_text="korrigieren").first.inner_text()
        saved = saved_posts(page)
    context.close()
    assert saved == {} and "Fehler" in alert


def test_the_preview_pane_looks_like_the_article_page(browser, served: str) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: errors.append(response.url) if response.status >= 400 else None)
    open_new_post(page, served)
    field(page, "measure").get_by_text("Option auswählen").click()
    page.get_by_role("option", name="Coworking Newsroom (Partizipation)").click()
    field(page, "summary").locator("textarea").fill("Jeden Donnerstag beantworten wir Fragen.")
    field(page, "summary_easy").locator("textarea").fill("Wir helfen Ihnen gern.")
    field(page, "title").locator("input").fill("Vorschau im Stil der Website")
    frame = None
    for _ in range(50):
        frames = [f for f in page.frames if f.url.startswith("blob:")]
        if frames and "Leichter Sprache" in frames[0].inner_text("body"):
            frame = frames[0]
            break
        page.wait_for_timeout(100)
    assert frame is not None, [f.inner_text("body") for f in page.frames if f.url.startswith("blob:")]
    styles = frame.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(link => link.getAttribute('href'))")
    heading = frame.inner_text("article h1")
    facts = frame.inner_text("article .sls-facts")
    easy = frame.inner_text("article .sls-easy")
    context.close()
    assert any("/theme/css/site." in href for href in styles), styles
    assert heading == "Vorschau im Stil der Website"
    assert "Coworking Newsroom" in facts and "Partizipation" in facts, facts
    assert "Wir helfen Ihnen gern." in easy
    # The template needs Immutable.js: served from /admin/vendor/, no other host asked.
    assert any(urlsplit(url).path.startswith("/admin/vendor/immutable/") for url in requests)
    assert [url for url in requests if urlsplit(url).scheme.startswith("http")
            and urlsplit(url).netloc != urlsplit(served).netloc] == []
    assert errors == [], errors


SEED = """async ([path, text]) => {
  let folder = await navigator.storage.getDirectory();
  const parts = path.split('/');
  for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, {create: true});
  const file = await folder.getFileHandle(parts[parts.length - 1], {create: true});
  const writable = await file.createWritable();
  await writable.write(text);
  await writable.close();
}"""


def test_editing_a_hand_written_post_changes_only_what_the_editor_changed(browser, served: str) -> None:
    from plugins.programme.post_source import read_post
    from plugins.programme.programme_file import load_programme

    name = "2023-05-02-erstes-treffen.md"
    original = (FIXTURES / "good" / "posts" / name).read_text(encoding="utf-8")
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served + "/admin/")
    page.get_by_text("Mit Test-Repository arbeiten").first.wait_for(timeout=20000)
    page.evaluate(SEED, [f"sveltia-cms-test/content/posts/{name}", original])
    page.get_by_text("Mit Test-Repository arbeiten").first.click()
    page.get_by_text("Erstes Treffen im Newsroom: Fragen & Antworten").first.click()
    summary = field(page, "summary").locator("textarea")
    summary.wait_for(timeout=10000)
    summary.fill("Neue Zusammenfassung aus dem CMS.")
    page.get_by_role("button", name="Speichern").first.click()
    for _ in range(50):
        saved = saved_posts(page).get(f"sveltia-cms-test/content/posts/{name}", original)
        if saved != original:
            break
        page.wait_for_timeout(100)
    context.close()
    programme = load_programme(PROGRAMME)
    before, after = (read_post(name, text, programme, "article", str(FIXTURES / "good"))
                     for text in (original, saved))
    assert after.problems == [] and after.body == before.body
    changed = {key for key in {**before.meta, **after.meta} if before.meta.get(key) != after.meta.get(key)}
    # What Sveltia adds are the defaults the build assumes anyway.
    assert changed - {"status", "newsletter", "lang"} == {"summary"}
    assert (after.meta["status"], after.meta["newsletter"], after.meta["lang"]) == ("published", True, "de")
