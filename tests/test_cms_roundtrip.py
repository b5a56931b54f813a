"""The browser editor as editors use it: in German, offline from third parties, and a post
created in the real Sveltia UI (test repository in the browser's storage) builds into the site."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import FIXTURES, PROGRAMME, run_build

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


def test_the_preview_pane_uses_the_sites_stylesheet(browser, served: str) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_new_post(page, served)
    field(page, "title").locator("input").fill("Vorschau im Stil der Website")
    page.wait_for_timeout(500)
    frames = [frame for frame in page.frames if frame.url.startswith("blob:")]
    styles = [href for frame in frames for href in frame.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(link => link.getAttribute('href'))")]
    text = " ".join(frame.inner_text("body") for frame in frames)
    context.close()
    assert any("/theme/css/site." in href for href in styles), styles
    assert "Vorschau im Stil der Website" in text


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
