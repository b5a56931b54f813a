"""The accessibility and privacy gate (`invoke check`) over the programme's own site (and, in
tests/test_gate_example.py, over the adopters' example), once each per test run: axe, IBM,
HTML_CodeSniffer and the Nu checker on every page and the newsletter email, requests to other
hosts, CSP, keyboard, reflow and contrast.

The programme's run leaves its report in reports/accessibility.json when the test run ends
(tests/conftest.py): it dates the live accessibility statement (the publish job takes it from
the test job)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT

from checks.run import build_and_check

PASSED = re.compile(r"Barrierefreiheits- und Datenschutzprüfung für „[^“]+“ \(Inhalte: ([^)]+)\) bestanden\.")
pytestmark = pytest.mark.slow  # a real browser and the Nu checker over every page

def passes_the_gate(content: Path, report: Path | None, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SLS_SEARCH_INDEX", "1")  # the search page is checked with results on screen
    code = build_and_check(ROOT / "pelicanconf.py", str(content), report)
    shown = capsys.readouterr()
    assert code == 0, shown.out + shown.err
    passed = PASSED.search(shown.out)  # the report names the site and its content folder
    assert passed and passed.group(1).rstrip("/").endswith(content.name), shown.out[-500:]
    checked = int(shown.out.split("Geprüft: ", 1)[1].split(" Seiten", 1)[0])
    pages = {path for path in content.rglob("*.md") if "newsletter" not in path.parts}
    assert checked > len(pages), "every post and page, and the lists, tags and measures besides"
    if report is not None:
        written = json.loads(report.read_text(encoding="utf-8"))
        assert written["failures"] == 0 and written["pages_checked"] == checked


def test_every_page_of_the_programme_s_site_passes_the_gate(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    report = Path(os.environ["TEST_REPORTS_FOLDER"]) / "accessibility.json"
    passes_the_gate(ROOT / "content", report, monkeypatch, capsys)
