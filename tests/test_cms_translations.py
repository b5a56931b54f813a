"""Translations in the browser editor: a post and its translation side by side in a German
Chromium, machine translation (a third party's service) not offered, and a translation saved
there builds (real Sveltia UI, test repository in the browser's storage)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from cms_session import READ_REPOSITORY, content, field, poll, saved_posts, served
from conftest import FIXTURES, ROOT, copy_good_content
from test_cms_roundtrip import open_with_files

from pipeline.content_check import content_reading

pytestmark = pytest.mark.slow  # the CMS in a real browser

NAME = "2023-05-02-erstes-treffen"
ENGLISH = """---
title: "First meeting in the newsroom"
summary: "In the coworking newsroom we collected questions from the neighbourhood."
---

We collected questions from the neighbourhood.
"""


def german_browser(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1400, "height": 900})
    return context, context.new_page()


def side_by_side(page, served: str, stored: str, original: str, translation: str, entry: list[str],
                 translated: str):
    """The CMS with ``stored`` (".md" and ".en.md") in its repository, the entry opened by clicking
    the texts ``entry`` and its English translation in the right pane: the two title inputs."""
    open_with_files(page, served, {f"{stored}.md": original, f"{stored}.en.md": translation})
    for text in entry:
        page.get_by_text(text).first.click()
    field(page, "title").wait_for(timeout=10000)
    # Side by side: German on the left, the English translation in the right pane.
    page.get_by_role("combobox", name="Inhaltssprache wechseln").last.click()
    page.get_by_role("option", name="Englisch").click()
    titles = page.locator('section[data-key-path="title"] input')
    poll(lambda: titles.count() == 2 and titles.last.input_value().startswith(translated))
    return titles


def test_a_post_and_its_translation_side_by_side_and_a_saved_translation_builds(
        browser, served: str, tmp_path: Path) -> None:
    original = (FIXTURES / "good" / "posts" / f"{NAME}.md").read_text(encoding="utf-8")
    stored = f"sveltia-cms-test/content/posts/{NAME}"
    context, page = german_browser(browser)
    try:
        titles = side_by_side(page, served, stored, original, ENGLISH,
                              ["Erstes Treffen im Newsroom: Fragen & Antworten"], "First")
        assert titles.first.input_value() == "Erstes Treffen im Newsroom: Fragen & Antworten"
        assert titles.last.input_value() == "First meeting in the newsroom"
        # No machine translation: no "Übersetzen"/"Aus … übersetzen" button anywhere.
        assert page.get_by_role("button", name=re.compile("übersetzen", re.IGNORECASE)).count() == 0
        titles.last.fill("First meeting in the newsroom: questions and answers")
        page.get_by_role("button", name="Speichern").first.click()
        saved = poll(lambda: saved_posts(page).get(f"{stored}.en.md", ENGLISH),
                     lambda text: text != ENGLISH)
        files = saved_posts(page)
    finally:
        context.close()
    # The translation keeps only what it says in its own words; date and measure are the original's.
    assert "measure:" not in saved and "date:" not in saved, saved
    # What was saved builds: the content check reads both files as the build does.
    folder = copy_good_content(tmp_path / "content")
    (folder / "posts" / f"{NAME}.md").write_text(files.get(f"{stored}.md", original), encoding="utf-8")
    (folder / "posts" / f"{NAME}.en.md").write_text(saved, encoding="utf-8")
    problems, sources, _config = content_reading(str(folder))
    assert [str(p) for p in problems] == []
    english = next(s for s in sources if s.relative == f"posts/{NAME}.en.md")
    assert english.lang == "en" and english.key == f"posts/{NAME}"
    assert english.post.meta["title"] == "First meeting in the newsroom: questions and answers"
    assert english.post.meta["measure"] == ["coworking-newsroom"]  # from its original



# An event as an editor writes one.
EVENT = (FIXTURES / "event-sprechstunde.md").read_text(encoding="utf-8")
EVENT_EN = """---
title: Consultation hour
summary: Questions and answers about the measures.
---

Drop in.
"""


def test_an_event_and_its_translation_side_by_side_and_the_saved_translation_keeps_no_time_of_its_own(
        browser, served: str, tmp_path: Path) -> None:
    stored = "sveltia-cms-test/content/termine/2026-03-sprechstunde"
    context, page = german_browser(browser)
    try:
        titles = side_by_side(page, served, stored, EVENT, EVENT_EN, ["Termine", "Sprechstunde im Newsroom"],
                              "Consultation hour")
        assert titles.last.input_value() == "Consultation hour"
        assert titles.first.input_value() == "Sprechstunde im Newsroom"
        titles.last.fill("Consultation hour in the Newsroom")
        page.get_by_role("button", name="Speichern").first.click()
        saved = poll(lambda: saved_posts(page).get(f"{stored}.en.md", EVENT_EN),
                     lambda text: text != EVENT_EN)
    finally:
        context.close()
    # The time, place and measure are the original's: the translation never writes them.
    for fact in ("start:", "end:", "place_name:", "measure:", "status:", "registration:"):
        assert fact not in saved, saved
    folder = copy_good_content(tmp_path / "content")
    (folder / "termine").mkdir(exist_ok=True)
    (folder / "termine" / "2026-03-sprechstunde.md").write_text(EVENT, encoding="utf-8")
    (folder / "termine" / "2026-03-sprechstunde.en.md").write_text(saved, encoding="utf-8")
    problems, sources, _config = content_reading(str(folder))
    assert [str(p) for p in problems] == []
    english = next(s for s in sources if s.relative == "termine/2026-03-sprechstunde.en.md")
    assert english.post.meta["title"] == "Consultation hour in the Newsroom"
    assert english.post.meta["place_name"] == "Coworking Newsroom"  # from its original


PROGRAMME_EN = """programme:
  tagline: Smart city for the city and district of Würzburg
clusters:
  - slug: partizipation
    title: Participation
"""


def test_the_programmes_texts_in_another_language_are_edited_in_the_cms_and_build(
        browser, served: str, tmp_path: Path) -> None:
    """programme.en.yml as a form: each cluster and measure chosen by its German name, its
    English title edited and saved; what was saved is read by the build as it reads the file."""
    stored = "sveltia-cms-test/content/programme.en.yml"
    context, page = german_browser(browser)
    try:
        open_with_files(page, served, {stored: PROGRAMME_EN})
        page.get_by_text("Programmtexte in anderen Sprachen").first.click()
        page.get_by_text("English (en)").first.click()
        tagline = page.locator('section[data-key-path="programme.tagline"] input').first
        tagline.wait_for(timeout=10000)
        assert tagline.input_value() == "Smart city for the city and district of Würzburg"
        tagline.fill("Smart city for Würzburg, city and district")
        page.get_by_role("button", name="Speichern").first.click()
        files = poll(lambda: page.evaluate(READ_REPOSITORY),
                     lambda found: "Würzburg, city and district" in str(found.get(stored, "")))
    finally:
        context.close()
    saved = files[stored]
    assert "Smart city for Würzburg, city and district" in saved and "Participation" in saved, saved
    folder = copy_good_content(tmp_path / "content")
    shutil.copyfile(ROOT / "content" / "programme.yml", folder / "programme.yml")
    (folder / "programme.en.yml").write_text(saved, encoding="utf-8")
    problems, _sources, _config = content_reading(str(folder))
    assert [str(p) for p in problems if "veraltet" not in str(p)] == []
