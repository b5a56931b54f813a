"""The browser editor as editors use it: in German, offline from third parties, its preview in
the site's style, refusing incomplete posts, and careful with hand-written files
(real Sveltia UI in Chromium, test repository in the browser's storage)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from cms_session import SIGN_IN, content, field, open_new_post, poll, saved_posts, served
from conftest import FIXTURES, PROGRAMME

pytestmark = pytest.mark.slow  # the CMS in a real browser


@pytest.mark.parametrize("locale", sorted(SIGN_IN))
def test_the_cms_speaks_the_browsers_language_and_asks_no_other_host(browser, served: str,
                                                                     locale: str) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served + "/admin/")
    page.get_by_text(SIGN_IN[locale]).first.wait_for(timeout=20000)
    # Quiet for half a second: a retry loop would never let the network become idle.
    page.wait_for_load_state("networkidle", timeout=20000)
    context.close()
    foreign = [url for url in requests if urlsplit(url).netloc != urlsplit(served).netloc
               and urlsplit(url).scheme.startswith("http")]
    assert foreign == [] and len(requests) < 50, (foreign, len(requests))
    if locale.startswith("de"):
        assert any(urlsplit(url).path == "/admin/locales/de.json" for url in requests)


def test_the_cms_refuses_to_save_without_a_required_field(browser, served: str) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
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
    def preview():
        frames = [f for f in page.frames if f.url.startswith("blob:")]
        return frames[0] if frames and "Leichter Sprache" in frames[0].inner_text("body") else None

    frame = poll(preview)
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


def open_with_files(page, served: str, files: dict[str, str]) -> None:
    """The CMS with ``files`` (path in its test repository → text) in its test repository."""
    page.goto(served + "/admin/")
    page.get_by_text("Mit Test-Repository arbeiten").first.wait_for(timeout=20000)
    for path, text in files.items():
        page.evaluate(SEED, [path, text])
    page.get_by_text("Mit Test-Repository arbeiten").first.click()


def test_editing_a_hand_written_post_changes_only_what_the_editor_changed(browser, served: str) -> None:
    from plugins.programme.post_source import read_post
    from plugins.programme.programme_file import load_programme

    name = "2023-05-02-erstes-treffen.md"
    original = (FIXTURES / "good" / "posts" / name).read_text(encoding="utf-8")
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_with_files(page, served, {f"sveltia-cms-test/content/posts/{name}": original})
    page.get_by_text("Erstes Treffen im Newsroom: Fragen & Antworten").first.click()
    summary = field(page, "summary").locator("textarea")
    summary.wait_for(timeout=10000)
    summary.fill("Neue Zusammenfassung aus dem CMS.")
    page.get_by_role("button", name="Speichern").first.click()
    saved = poll(lambda: saved_posts(page).get(f"sveltia-cms-test/content/posts/{name}", original),
                 lambda text: text != original)
    context.close()
    programme = load_programme(PROGRAMME)
    before, after = (read_post(name, text, programme, "article", str(FIXTURES / "good"))
                     for text in (original, saved))
    assert after.problems == [] and after.body == before.body
    changed = {key for key in {**before.meta, **after.meta} if before.meta.get(key) != after.meta.get(key)}
    # What Sveltia adds are the defaults the build assumes anyway.
    assert changed - {"status", "newsletter", "lang"} == {"summary"}
    assert (after.meta["status"], after.meta["newsletter"], after.meta["lang"]) == ("published", True, "de")
