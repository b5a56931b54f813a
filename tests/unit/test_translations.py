"""Translations as content: a file "x.en.md" beside its original "x.md"; what cannot be meant is
refused at its line, and a translation made from an older text of its original is listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_good_content

from pipeline.content_check import content_reading, main, outdated_lines

ORIGINAL = "posts/2023-05-02-erstes-treffen"
TRANSLATION = """---
title: "First meeting"
summary: "The team met for the first time."
{extra}---

The team met for the first time.
"""


def translate(content: Path, name: str, extra: str = "") -> Path:
    path = content / name
    path.write_text(TRANSLATION.format(extra=extra), encoding="utf-8")
    return path


def problems_of(content: Path) -> list[str]:
    return [str(problem) for problem in content_reading(str(content))[0]]


def test_a_translation_without_its_original_or_in_a_language_not_offered_is_refused(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    translate(content, "posts/2023-05-03-gibt-es-nicht.en.md")
    translate(content, f"{ORIGINAL}.fr.md")
    translate(content, f"{ORIGINAL}.uk.md", extra="lang: tr\n")
    found = problems_of(content)
    assert any("2023-05-03-gibt-es-nicht.en.md:1: Übersetzung ohne Original" in p
               and "posts/2023-05-03-gibt-es-nicht.md" in p for p in found), found
    assert any(f"{ORIGINAL}.fr.md:1:" in p and "„.fr“" in p and "languages:" in p for p in found), found
    assert any(f"{ORIGINAL}.uk.md:4:" in p and "lang: tr" in p for p in found), found
    assert len(found) == 3, found


def test_languages_in_programme_data_are_checked_at_their_line(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    assert "  - key: ar\n    name: العربية\n    dir: rtl\n" in text
    programme.write_text(text.replace("    dir: rtl\n", "    dir: rechts\n  - key: en\n    name: Englisch\n"),
                         encoding="utf-8")
    found = problems_of(content)
    lines = text.split("\n")
    rtl = next(number for number, line in enumerate(lines, 1) if line == "    dir: rtl")
    assert any(f"programme.yml:{rtl}: Schreibrichtung „rechts“ unbekannt" in p for p in found), found
    assert any(f"programme.yml:{rtl + 1}: Sprache „en“ doppelt" in p for p in found), found


def test_a_translation_of_an_older_text_is_listed_until_it_is_recorded_as_current(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.translations import main as record

    content = copy_good_content(tmp_path / "content")
    english = translate(content, f"{ORIGINAL}.en.md")
    assert main(["--content", str(content)]) == 0  # listed, but not a problem: the build goes on
    assert f"{ORIGINAL}.en.md: Übersetzung ist älter als ihr Original" in capsys.readouterr().out
    assert record([str(english)], str(content)) == 0
    assert 'translated_from: "' in english.read_text(encoding="utf-8")
    _problems, sources, config = content_reading(str(content))
    assert outdated_lines(sources, config) == []
    original = content / f"{ORIGINAL}.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    _problems, sources, config = content_reading(str(content))
    assert [line.split(":", 1)[0] for line in outdated_lines(sources, config)] == [str(english)]
