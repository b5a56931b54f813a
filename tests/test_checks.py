"""The accessibility and privacy gate bites: a broken page fails with the rule names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # the gate over broken sites


def test_broken_page_fails_the_gate_naming_each_rule(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "checks.run", "--site", str(FIXTURES / "broken-site"),
                           "--report", str(report)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    which = f"({FIXTURES / 'broken-site'})"
    assert done.stderr.splitlines()[0].startswith("Barrierefreiheits- und Datenschutzprüfung für „")
    assert done.stderr.splitlines()[0].endswith(which) and f"{which} NICHT bestanden" in done.stderr
    for expected in ("axe image-alt", "axe color-contrast", "https://fonts.googleapis.com",
                     # Keyboard, reflow and contrast findings name the element and its text.
                     "Tastatur index.html: kein sichtbarer Fokus: .nofocus „Ohne Fokusrahmen“",
                     "Umbruch index.html: .wide „Ein sehr breiter Kasten, der bei 320 Pixeln nicht "
                     "umbricht.“ ist 900 px breit (Bildschirm 320 px)",
                     "Kontrast index.html: .faint „Dieser Text ist kaum zu lesen.“ hat nur 1.67:1",
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


PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body><a href="#inhalt">Zum Inhalt springen</a>
<main id="inhalt" tabindex="-1"><h1>{title}</h1>{body}</main></body>
</html>
"""


def test_reflow_is_checked_on_every_page_and_names_the_element(tmp_path: Path) -> None:
    """Not a sample per template: the one page of many whose name is too long is found."""
    site = tmp_path / "site"
    for number in range(1, 6):
        folder = site / "massnahmen" / f"m{number}"
        folder.mkdir(parents=True)
        name = "Kurzer Name" if number != 4 else "Breitbandausbauförderprogrammkoordinierungsstellenleitung"
        body = f'<p><span class="sls-name" style="white-space: nowrap; font-size: 2rem">{name}</span></p>'
        page = PAGE.format(title=f"Maßnahme {number}", body=body)
        (folder / "index.html").write_text(page, encoding="utf-8")

    done = subprocess.run([sys.executable, "-m", "checks.run", "--site", str(site)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)

    reflow = [line for line in done.stderr.splitlines() if line.startswith("Umbruch")]
    assert all(line.startswith("Umbruch massnahmen/m4/index.html: ") for line in reflow), reflow
    reflow = [line for line in reflow if "Bildschirm 320 px" in line]
    assert len(reflow) == 1, done.stderr
    assert reflow[0].startswith("Umbruch massnahmen/m4/index.html: .sls-name "
                                "„Breitbandausbauförderprogrammkoordinierungsstellenleitung“ ist "), reflow
    assert reflow[0].endswith("px breit (Bildschirm 320 px)"), reflow
