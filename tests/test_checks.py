"""The accessibility and privacy gate bites: a broken page fails with the rule names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT


def test_broken_page_fails_the_gate_naming_each_rule(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "checks.run", "--site", str(FIXTURES / "broken-site"),
                           "--report", str(report)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    for expected in ("axe image-alt", "axe color-contrast", "https://fonts.googleapis.com",
                     "kein sichtbarer Fokus", "bei 320 px horizontal scrollbar",
                     "An “img” element must have an “alt” attribute",
                     # The other two engines see the same faults, each in its own words.
                     "IBM Equal Access img_alt_valid", "IBM Equal Access text_contrast_sufficient",
                     "HTML_CodeSniffer WCAG2AA.Principle1.Guideline1_1.1_1_1.H37",
                     "HTML_CodeSniffer WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail"):
        assert expected in done.stderr, expected
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["pages_checked"] == 1
    assert set(data["axe"]) >= {"image-alt", "color-contrast"}
    assert set(data["ibm"]) >= {"img_alt_valid"} and data["htmlcs"]
    assert "index.html" in data["foreign_requests"]


def test_missing_browser_fails_with_a_one_line_install_hint(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "checks.run", "--site", str(FIXTURES / "broken-site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": str(tmp_path), "CHROMIUM": str(tmp_path / "no-chromium")})
    assert done.returncode == 2
    assert "apt-get install chromium" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
