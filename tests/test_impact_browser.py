"""What a screen reader gets from an indicator, in a real Chromium: the chart is one image whose
name is the indicator and its summary, followed by the table of every value with its source."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import ROOT, static_site

from pipeline.build import build

pytestmark = pytest.mark.slow  # a build and a real browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("impact") / "site"
    result = build(output=site, content=ROOT / "content", overrides={"PRINT_EDITIONS": False})
    assert result.ok, result.errors + result.problems
    with static_site(site) as base:
        yield base


@pytest.mark.parametrize("address", ["/massnahmen/coworking-newsroom/", "/wirkung/"])
def test_the_accessibility_tree_gives_the_charts_summary_and_its_table(served: str, browser,
                                                                       address: str) -> None:
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        page.goto(served + address)
        tree = page.locator("#kennzahl-besuche-coworking-newsroom").aria_snapshot()
    finally:
        context.close()
    # The sample file content/kennzahlen/besuche-coworking-newsroom.yml: 120 (March 2025) to 310
    # (October 2026), target 400 by the end of 2027.
    summary = "Besuche: von 120 im März 2025 auf 310 im Oktober 2026; Ziel 400 bis Ende 2027"
    lines = [line.strip().replace("- '", "- ", 1) for line in tree.splitlines()]
    image = next(line for line in lines if line.startswith("- img"))
    assert "Besuche im Coworking Newsroom je Monat" in image and summary in image
    assert any(line.startswith('- table "Werte: Besuche im Coworking Newsroom je Monat"') for line in lines)
    rows = [line for line in lines if line.startswith("- row ")]
    assert rows[0] == '- row "Stand Besuche Quelle":'
    assert [row.split('"')[1].split(" Beispielwert")[0] for row in rows[1:]] == [
        "31.10.2026 310", "30.04.2026 240", "31.10.2025 185", "31.03.2025 120"]
