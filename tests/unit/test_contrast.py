"""A contrast too low is refused with a colour that would pass, as close to the chosen one as
possible (mixed towards black or white), not only with the rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from plugins.programme.contrast import contrast_ratio, nearest_passing
from plugins.programme.programme_file import read_programme


@pytest.mark.parametrize(("foreground", "background"), [("#888888", "#ffffff"), ("#77aaff", "#ffffff"),
                                                        ("#333333", "#000000"), ("#e3001b", "#1e1e1e"),
                                                        ("#abc", "#fff")])
def test_the_proposed_colour_passes_and_a_closer_mix_would_not(foreground: str, background: str) -> None:
    assert contrast_ratio(foreground, background) < 4.5
    proposed = nearest_passing(foreground, background)
    assert proposed is not None and contrast_ratio(proposed, background) >= 4.5
    assert proposed.startswith("#") and len(proposed) == 7


def test_the_refusal_names_the_colour_to_take(tmp_path: Path) -> None:
    text = (ROOT / "content" / "programme.yml").read_text(encoding="utf-8")
    light = text.index("light:")
    text = text[:light] + text[light:].replace('text: "#1b1f24"', 'text: "#999999"', 1)
    programme = tmp_path / "programme.yml"
    programme.write_text(text, encoding="utf-8")
    found = [p for p in read_programme(programme).problems if "Kontrast light.text" in p.message]
    assert found, [str(p) for p in read_programme(programme).problems]
    proposed = found[0].fix.split("nimm z. B. ", 1)[1].split(" ", 1)[0]
    assert contrast_ratio(proposed, "#ffffff") >= 4.5 and proposed != "#000000"
