"""Search without third parties: Pagefind indexes the built site in German, /suche/ shows and
filters the results in Chromium, by keyboard, without a request to another host and without
a CSP violation; drafts and what is not content are not found."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, copy_good_content, run_build

from checks.page_checks import WATCH_CSP
from checks.server import StaticServer, free_port

pytestmark = pytest.mark.slow  # Pagefind and a real browser

POST = """---
title: {title}
date: {date}
measure: {measure}
summary: {summary}
{extra}---

{body}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("search")
    content = copy_good_content(work / "content")
    posts = content / "posts"
    (posts / "2024-03-01-sprechstunde.md").write_text(POST.format(
        title="Sprechstunde zur Bürgerbeteiligung", date="2024-03-01 10:00", measure="mach-mit",
        summary="Wie die Beteiligung weitergeht.", extra="",
        body="Die Beteiligung der Bürgerinnen und Bürger geht weiter, jeden Donnerstag. Wir sprechen "
             "über Pläne, Wege, Fragen und Ideen aus allen Orten der Region, von morgens bis abends, "
             "mit allen, die mitreden wollen, und schreiben alles auf, damit nichts verloren geht und "
             "jede und jeder später nachlesen kann, was gesagt und was beschlossen wurde."),
        encoding="utf-8")
    (posts / "2024-04-01-newsroom.md").write_text(POST.format(
        title="Neues aus dem Newsroom", date="2024-04-01 10:00", measure="coworking-newsroom",
        summary="Öffnungszeiten und Angebote.", extra="",
        body="Auch im Newsroom ist Beteiligung möglich: Kommen Sie vorbei."), encoding="utf-8")
    (posts / "2024-05-01-geheim.md").write_text(POST.format(
        title="Noch geheim", date="2024-05-01 10:00", measure="mach-mit", summary="Entwurf.",
        extra="status: draft\n", body="Das Wort Quittenmarmelade steht nur in diesem Entwurf."),
        encoding="utf-8")
    # Translations (the programme data offers Ukrainian and Arabic): searched in their language.
    (posts / "2024-03-01-sprechstunde.uk.md").write_text(
        "---\ntitle: Консультація щодо участі громади\nsummary: Як триває участь мешканців.\n---\n\n"
        "Участь мешканців громади триває щочетверга.\n", encoding="utf-8")
    (posts / "2024-03-01-sprechstunde.ar.md").write_text(
        "---\ntitle: ساعة استشارية حول مشاركة المواطنين\nsummary: كيف تستمر المشاركة.\n---\n\n"
        "تستمر مشاركة المواطنين كل يوم خميس.\n", encoding="utf-8")
    (content / "termine").mkdir(exist_ok=True)
    for language in ("", ".uk", ".ar"):  # the event and two translations of it
        shutil.copy(ROOT / "content" / "termine" / f"2027-01-offene-sprechstunde{language}.md",
                    content / "termine")
    # Parts of two posts: the searches below merge several parts of the index, as on a site with
    # years of posts (plugins/search/indexer.py).
    run = run_build(work, content, work / "site", env={"SLS_SEARCH_INDEX": "1", "SLS_SEARCH_PART_PAGES": "2"})
    assert run.code == 0, run.stderr
    return work / "site"


def test_the_posts_are_indexed_in_parts_of_the_size_set(site: Path) -> None:
    layout = json.loads((site / "pagefind" / "teile.json").read_text(encoding="utf-8"))
    parts = [site / "pagefind" / part["path"] for part in layout["parts"]]
    posts = [post for pattern in ("aktuelles/[0-9]*/*/index.html", "*/aktuelles/[0-9]*/*/index.html")
             for post in site.glob(pattern)  # translations too
             if b"data-pagefind-body" in post.read_bytes()]  # not a withdrawn post's notice
    assert len(parts) == -(-len(posts) // 2) >= 3
    counts = [sum(language["page_count"] for language
                  in json.loads((part / "pagefind-entry.json").read_text())["languages"].values())
              for part in parts]
    assert sum(counts) == len(posts) and max(counts) <= 2


def test_pagefinds_ready_made_interfaces_are_not_published(site: Path) -> None:
    # Our search page runs Pagefind's API only; its UI bundles would be ~420 KB nobody loads.
    published = {path.name for path in (site / "pagefind").rglob("*") if path.is_file()}
    assert "pagefind.js" in published and "pagefind-worker.js" in published
    assert [name for name in published if "-ui." in name or "highlight" in name] == []


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with StaticServer(site, free_port()) as base:
        yield base


# Every plural form of the status (Arabic has six: نتيجة, نتيجتان, نتائج …).
ANSWERED = re.compile("Treffer|nicht verfügbar|Знайдено|Нічого не знайдено|نتيجة|نتيجتان|نتائج")


def results(page) -> tuple[str, list[str]]:
    """The announced status and the result titles, once the search has answered."""
    answered = page.locator("#suche-status", has_text=ANSWERED)
    answered.wait_for(timeout=20000)
    status = answered.inner_text()
    return status, [title.strip() for title in page.locator(".sls-search__title").all_inner_texts()]


def open_search(browser, url: str):
    context = browser.new_context(locale="de-DE")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    return context, page, requests


def test_a_plural_finds_the_singular_and_a_filter_narrows_by_measure(browser, served: str) -> None:
    context, page, requests = open_search(browser, served + "/suche/?q=Beteiligungen")
    status, titles = results(page)
    marks = page.locator(".sls-search__excerpt mark").all_inner_texts()
    excerpts = page.locator(".sls-search__excerpt").all_inner_texts()
    page.goto(served + "/suche/?q=Beteiligungen&massnahme=Mach+mit")
    narrowed_status, narrowed = results(page)
    violations = page.evaluate("window.__cspViolations")
    context.close()
    assert "Sprechstunde zur Bürgerbeteiligung" in titles and "Neues aus dem Newsroom" in titles
    assert "Treffer für „Beteiligungen“" in status
    assert any(mark.startswith("Beteiligung") for mark in marks)  # the hit is highlighted
    # An excerpt cut out of a longer text says so: it never stops in the middle of a sentence.
    assert excerpts and all(text.rstrip().endswith(("…", ".", "!", "?", "“")) for text in excerpts), excerpts
    assert "Sprechstunde zur Bürgerbeteiligung" in narrowed and "Neues aus dem Newsroom" not in narrowed
    expected = "Ein Treffer" if len(narrowed) == 1 else f"{len(narrowed)} Treffer"  # its plural form
    assert narrowed_status.startswith(expected), narrowed_status
    assert violations == []
    assert [url for url in requests if urlsplit(url).netloc != urlsplit(served).netloc] == []


def test_keyboard_only_from_the_header_field_to_a_result(browser, served: str) -> None:
    context, page, _requests = open_search(browser, served + "/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "kopfzeile-suche":
            break
    page.keyboard.type("Newsroom")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Newsroom")
    _status, titles = results(page)
    # The status is a live region; the results follow it in the tab order.
    live = page.get_attribute("#suche-status", "role")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.sls-search__title') !== null"):
            break
    focused = page.evaluate("document.activeElement.textContent")
    context.close()
    assert "Neues aus dem Newsroom" in titles and live == "status"
    assert focused in titles


@pytest.mark.parametrize(("query", "why"), [
    ("Quittenmarmelade", "only in a draft"),
    ("Abonnieren", "only on list and overview pages and in an event's calendar links, not content"),
    ("Kalenderdatei", "only in an event page's calendar link"),
])
def test_drafts_and_non_content_are_not_found(browser, served: str, query: str, why: str) -> None:
    context, page, _requests = open_search(browser, served + f"/suche/?q={query}")
    status, titles = results(page)
    context.close()
    assert titles == [] and status.startswith("Keine Treffer"), (why, titles)


def test_the_cms_is_never_a_result(browser, served: str) -> None:
    # The programme's name is in the title of /admin/ and in posts: only the posts are found.
    context, page, _requests = open_search(browser, served + "/suche/?q=stadt.land.smart")
    _status, titles = results(page)
    links = page.locator(".sls-search__title a").evaluate_all("links => links.map(a => a.href)")
    context.close()
    assert titles and not any("/admin/" in link for link in links), links


def test_the_search_page_says_what_to_do_without_javascript(site: Path) -> None:
    from html import unescape

    page = unescape((site / "suche" / "index.html").read_text(encoding="utf-8"))
    noscript = page.split("<noscript>")[1].split("</noscript>")[0]
    assert "braucht JavaScript" in noscript and "/massnahmen/" in noscript and "/themen/" in noscript
    assert "'wasm-unsafe-eval'" in page and "'unsafe-eval'" not in page.replace("'wasm-unsafe-eval'", "")
    assert "'unsafe-inline'" not in page
    home = (site / "index.html").read_text(encoding="utf-8")
    # Other pages run no script: their only script elements are schema.org data blocks.
    assert "wasm-unsafe-eval" not in home
    scripts = re.findall(r"<script[^>]*>", home)
    assert scripts and set(scripts) == {'<script type="application/ld+json">'}
    assert 'action="/suche/"' in home  # every header has the search field


def test_an_event_is_found_by_its_title(browser, served: str) -> None:
    context, page, _requests = open_search(browser, served + "/suche/?q=Sprechstunde+Coworking")
    _status, titles = results(page)
    context.close()
    assert "Offene Sprechstunde im Coworking Newsroom" in titles


def test_the_main_index_waits_until_the_build_has_written_the_events(tmp_path: Path) -> None:
    # The posts' parts are indexed while the build still writes the event pages; the main index
    # must hold what is written by the time the build says so, not what was there at its start.
    from plugins.search.indexer import index_site

    page = '<html lang="de"><body><main data-pagefind-body><h1>{}</h1><p>{}</p></main></body></html>'
    for path, title in (("aktuelles/2024/a/index.html", "Beitrag"), ("massnahmen/mach-mit/index.html",
                                                                       "Maßnahme")):
        (tmp_path / path).parent.mkdir(parents=True)
        (tmp_path / path).write_text(page.format(title, "Text"), encoding="utf-8")
    event = tmp_path / "termine" / "2027" / "sprechstunde" / "index.html"

    def events_written() -> bool:
        event.parent.mkdir(parents=True)
        event.write_text(page.format("Sprechstunde", "Im Newsroom"), encoding="utf-8")
        return True

    assert index_site(tmp_path, others_written=events_written)
    main = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    part = json.loads((tmp_path / "pagefind" / "teil-1" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert main["languages"]["de"]["page_count"] == 2  # the measure and the event
    assert part["languages"]["de"]["page_count"] == 1  # the post
    assert not list(tmp_path.glob(".*teile*"))  # nothing of the work is left in the site


@pytest.mark.parametrize(("language", "word", "title", "none"), [
    ("uk", "громади", "Консультація щодо участі громади", "Нічого не знайдено"),
    ("ar", "تستمر", "ساعة استشارية حول مشاركة المواطنين", "لا توجد نتائج"),
    # Events and measure pages in the language, not only posts.
    ("uk", "консультаційні", "Відкриті консультаційні години в Coworking Newsroom", "Нічого не знайдено"),
    ("ar", "مفتوحة", "ساعة استشارة مفتوحة في Coworking Newsroom", "لا توجد نتائج"),
])
def test_each_language_searches_its_own_pages_and_no_german_one(browser, served: str, language: str,
                                                                  word: str, title: str, none: str) -> None:
    context, page, requests = open_search(browser, f"{served}/{language}/suche/?q={word}")
    status, titles = results(page)
    # Each fact of a result isolated: a German measure name keeps its place in an Arabic line.
    facts = page.locator(".sls-search__result .sls-meta").first.evaluate(
        "line => [...line.childNodes].map(node => node.nodeName)")
    page.goto(f"{served}/{language}/suche/?q=Beteiligung")  # a German word: no German page here
    german_status, german = results(page)
    page.goto(f"{served}/suche/?q={word}")  # and the German search does not show the translation
    _status, from_german = results(page)
    violations = page.evaluate("window.__cspViolations")
    lang = page.evaluate("document.documentElement.lang")
    context.close()
    assert titles == [title], (status, titles)
    assert facts[0] == "BDI" and set(facts) == {"BDI", "#text"}, facts
    assert german == [] and german_status.startswith(none), german_status
    assert title not in from_german
    assert violations == [] and lang == "de"
    assert [url for url in requests if urlsplit(url).netloc != urlsplit(served).netloc] == []


def test_the_search_finds_under_nginx_with_the_generated_headers(browser, site: Path, tmp_path: Path) -> None:
    """The real server's policies (not Python's file server, which sends none): Pagefind's
    worker runs under its own response's policy."""
    from nginx_site import nginx_serving

    with nginx_serving(site, tmp_path / "nginx") as base:
        context, page, _requests = open_search(browser, base + "/suche/?q=Beteiligungen")
        status, titles = results(page)
        page.goto(base + "/uk/suche/?q=громади")
        uk_status, uk_titles = results(page)
        context.close()
    assert "Sprechstunde zur Bürgerbeteiligung" in titles, status
    assert uk_titles == ["Консультація щодо участі громади"], uk_status


def test_a_pagefind_failure_is_the_builds_error_in_german_and_leaves_no_index(tmp_path: Path) -> None:
    # The index cannot be written (the place for it is a file): a German sentence with the
    # reason, no traceback, and no half-written index.
    from plugins.search.indexer import SearchIndexError, index_site

    page = tmp_path / "aktuelles" / "2024" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="de"><body><main data-pagefind-body><h1>Beitrag</h1></main></body></html>',
                    encoding="utf-8")
    (tmp_path / "blockiert").write_text("kein Ordner", encoding="utf-8")
    with pytest.raises(SearchIndexError) as failure:
        index_site(tmp_path, "blockiert/pagefind")
    message = str(failure.value)
    assert message.startswith("Suchindex konnte nicht geschrieben werden (Not a directory: "), message
    assert "SLS_SEARCH_INDEX=0" in message and "Traceback" not in message
    assert not list(tmp_path.glob(".*teile*")) and (tmp_path / "blockiert").is_file()
