"""Indicators in the browser editor: the collection "Kennzahlen" opens an indicator as a form in a
German Chromium, and what the CMS saves is read by the build as the editor meant it (dates stay
dates, figures stay figures) — real Sveltia UI, test repository in the browser's storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from cms_session import READ_REPOSITORY, content, poll, served  # noqa: F401 (fixtures)
from conftest import copy_good_content
from test_cms_roundtrip import open_with_files
from test_cms_translations import german_browser

from pipeline.content_check import content_reading

pytestmark = pytest.mark.slow  # the CMS in a real browser

INDICATOR = """title: Besuche im Newsroom
measure: coworking-newsroom
unit: Besuche
direction: mehr-ist-besser
target:
  value: 60
  date: 2027-12-31
values:
  - date: 2025-03-31
    value: 12
    source: Zählung am Eingang
  - date: 2026-10-31
    value: 48.5
    source: Zählung am Eingang
"""


def test_an_indicator_is_edited_in_the_cms_and_what_it_saves_builds(browser, served: str,  # noqa: F811
                                                                   tmp_path: Path) -> None:
    stored = "sveltia-cms-test/content/kennzahlen/besuche-newsroom.yml"
    context, page = german_browser(browser)
    try:
        open_with_files(page, served, {stored: INDICATOR})
        page.get_by_text("Kennzahlen").first.click()
        page.get_by_text("Besuche im Newsroom").first.click()
        title = page.locator('section[data-key-path="title"] input').first
        title.wait_for(timeout=10000)
        assert title.input_value() == "Besuche im Newsroom"
        unit = page.locator('section[data-key-path="unit"] input').first
        assert unit.input_value() == "Besuche"
        title.fill("Besuche im Coworking Newsroom")
        page.get_by_role("button", name="Speichern").first.click()
        files = poll(lambda: page.evaluate(READ_REPOSITORY),
                     lambda found: "Coworking Newsroom" in str(found.get(stored, "")))
    finally:
        context.close()
    saved = files[stored]
    folder = copy_good_content(tmp_path / "content")
    (folder / "kennzahlen").mkdir()
    (folder / "kennzahlen" / "besuche-newsroom.yml").write_text(saved, encoding="utf-8")
    problems, _sources, config = content_reading(str(folder))
    assert [str(p) for p in problems] == [], saved
    from plugins.programme.tree import read_programme_of

    indicator = read_programme_of(config).programme.indicators[0]
    assert indicator.title == "Besuche im Coworking Newsroom"
    assert [(v.day.isoformat(), v.value) for v in indicator.values] == [
        ("2025-03-31", 12), ("2026-10-31", 48.5)]
    assert indicator.target is not None and indicator.target.day.isoformat() == "2027-12-31"
