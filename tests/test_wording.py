"""The programme's own word for a group of measures (``programme.cluster_word``) in every place
that names one: pages, search, feeds, calendars; a word with an unknown gender is refused at
its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_good_content

from pipeline.build import build

pytestmark = pytest.mark.slow  # a whole build

WORD = """  cluster_word:
    singular: Handlungsfeld
    plural: Handlungsfelder
    plural_dative: Handlungsfeldern
    genitive: Handlungsfelds
    gender: {gender}
"""


def with_word(content: Path, gender: str) -> Path:
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("programme:\n", "programme:\n" + WORD.format(gender=gender), 1),
                         encoding="utf-8")
    return programme


def test_every_page_feed_and_calendar_says_the_programmes_word(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    with_word(content, "n")
    site = tmp_path / "site"
    result = build(output=site, content=content, overrides={"PRINT_EDITIONS": False, "SEARCH_INDEX": False,
                                                            "CACHE_PATH": str(tmp_path / "cache")})
    assert result.ok, result.errors + result.problems
    cluster = (site / "cluster" / "kommunikation" / "index.html").read_text(encoding="utf-8")
    assert "<title>Handlungsfeld Kommunikation" in cluster
    assert "Maßnahmen in diesem Handlungsfeld" in cluster
    measure = next((site / "massnahmen").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Maßnahme im Handlungsfeld" in measure
    assert "in 3 Handlungsfeldern" in (site / "index.html").read_text(encoding="utf-8")
    assert "Alle Handlungsfelder" in (site / "suche" / "index.html").read_text(encoding="utf-8")
    feed = (site / "feeds" / "cluster" / "kommunikation.atom.xml").read_text(encoding="utf-8")
    assert "– Handlungsfeld Kommunikation</title>" in feed
    calendar = (site / "kalender" / "cluster" / "kommunikation.ics").read_text(encoding="utf-8")
    assert "Termine im Handlungsfeld Kommunikation" in calendar.replace("\r\n ", "")
    # No title, heading, label or option the templates write says "Cluster" (an editor's text may).
    for name in ("cluster/kommunikation/index.html", "index.html", "suche/index.html", "feeds/index.html",
                 "massnahmen/index.html"):
        page = (site / name).read_text(encoding="utf-8")
        assert not re.search(r"<(title|h1|h2|dt|label|option|p class=\"sls-eyebrow\")[^>]*>[^<]*\bCluster",
                             page), name


def test_an_unknown_gender_is_refused_at_its_line(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = with_word(content, "x")
    result = build(output=tmp_path / "site", content=content, overrides={"PRINT_EDITIONS": False,
                                                                         "SEARCH_INDEX": False})
    assert not result.ok
    line = next(number for number, text in enumerate(programme.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip() == "gender: x")
    assert any(f"programme.yml:{line}:" in problem and "Geschlecht „x“" in problem
               for problem in result.problems)
