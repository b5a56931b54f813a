"""The site on a phone, in a real Chromium: on every page type the main heading starts in the
upper half of the first screen at 360×640 and 320×568, and the navigation opens behind "Menü"
with Enter, Space or a tap, without JavaScript; wider screens show it at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, static_site

from pipeline.build import build

pytestmark = pytest.mark.slow  # a build and a real browser

PHONES = [(360, 640), (320, 568)]



@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    site = tmp_path_factory.mktemp("phone") / "site"
    result = build(output=site, content=ROOT / "content", overrides={"PRINT_EDITIONS": False})
    assert result.ok, result.errors + result.problems
    with static_site(site) as base:
        yield base, site


def page_types(site: Path) -> dict[str, str]:
    """One address of each page type a visitor meets."""
    def first(pattern: str) -> str:
        found = sorted(site.glob(pattern))
        assert found, pattern
        return "/" + found[0].parent.relative_to(site).as_posix() + "/"

    return {"home": "/", "list": "/aktuelles/", "article": first("aktuelles/20*/*/index.html"),
            "measure": first("massnahmen/*/index.html"), "cluster": first("cluster/*/index.html"),
            "event": first("termine/20*/*/index.html"), "search": "/suche/",
            "newsletter": "/newsletter/", "legal": "/impressum/", "tag": first("themen/*/index.html"),
            "impact": "/wirkung/"}


@pytest.mark.parametrize(("width", "height"), PHONES, ids=["360x640", "320x568"])
def test_the_main_heading_starts_in_the_upper_half_of_a_phones_first_screen(
        served: tuple[str, Path], browser, width: int, height: int) -> None:
    base, site = served
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        late = {}
        for kind, address in page_types(site).items():
            page.goto(base + address)
            box = page.locator("main h1").bounding_box()
            assert box is not None, kind
            if box["y"] >= height / 2:
                late[kind] = round(box["y"])
            # Nothing wider than the screen: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= width, kind
        assert late == {}
    finally:
        context.close()


@pytest.mark.parametrize("key", ["Enter", " "], ids=["Enter", "Space"])
def test_the_menu_opens_from_the_keyboard_without_javascript(
        served: tuple[str, Path], browser, key: str) -> None:
    base, _site = served
    context = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/aktuelles/")
        menu_link = page.locator(".sls-nav--menu a[href$='/termine/']")
        assert not menu_link.is_visible()
        # The keyboard's way there: skip link, name, search, then "Menü".
        for _ in range(4):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Menü"
        page.keyboard.press(key)
        assert menu_link.is_visible()
        page.keyboard.press("Tab")  # the first item of the opened navigation is next
        assert page.evaluate("document.activeElement.getAttribute('href')").endswith("/aktuelles/")
        # The wide navigation and the search field are not there on a phone.
        assert not page.locator(".sls-nav--wide").is_visible()
        assert not page.locator("#kopfzeile-suche").is_visible()
        page.locator(".sls-header__search-link").click()
        assert page.url.endswith("/suche/")
    finally:
        context.close()


def test_a_wide_screen_shows_navigation_and_search_at_once(served: tuple[str, Path], browser) -> None:
    base, _site = served
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(base + "/aktuelles/")
        assert page.locator(".sls-nav--wide a[href$='/termine/']").is_visible()
        assert page.locator("#kopfzeile-suche").is_visible()
        assert not page.locator(".sls-menu__button").is_visible()
        assert not page.locator(".sls-header__search-link").is_visible()
    finally:
        context.close()


def test_the_home_pages_first_screen_names_the_programme_once(served: tuple[str, Path], browser) -> None:
    base, _site = served
    context = browser.new_context(viewport={"width": 360, "height": 640})
    try:
        page = context.new_page()
        page.goto(base + "/")
        name = page.evaluate("document.querySelector('.sls-brand__name').textContent.trim()")
        # Visible text wholly on the first screen, element by element (a name may be split into
        # several text nodes by its line-break opportunities).
        seen = page.evaluate("""(name) => {
          let count = 0;
          for (const el of document.querySelectorAll("body *")) {
            if (!el.checkVisibility() || [...el.children].some((c) => c.textContent.includes(name))) continue;
            const box = el.getBoundingClientRect();
            if (box.height > 0 && box.bottom <= innerHeight)
              count += el.textContent.replace(/\\s+/g, "").split(name).length - 1;
          }
          return count;
        }""", name)
        assert seen == 1, seen
    finally:
        context.close()
