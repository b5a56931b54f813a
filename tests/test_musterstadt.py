"""Transferability: a fictional municipality builds with the same code.

That it passes the same accessibility gate is checked by `invoke test` (the gate runs
over this example after the sample site), not here: the gate is a browser run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_build

MUSTERSTADT = ROOT / "examples" / "musterstadt" / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("musterstadt")
    run = run_build(work, MUSTERSTADT, work / "output", programme=MUSTERSTADT / "programme.yml")
    assert run.code == 0, run.stderr
    return work / "output"


def test_own_programme_clusters_measures_and_colours(site: Path) -> None:
    programme = yaml.safe_load((MUSTERSTADT / "programme.yml").read_text(encoding="utf-8"))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert programme["programme"]["name"] in home
    for cluster in programme["clusters"]:
        assert (site / "cluster" / cluster["slug"] / "index.html").is_file()
    for measure in programme["measures"]:
        assert (site / "massnahmen" / measure["slug"] / "index.html").is_file()
        assert (site / "feeds" / "massnahmen" / f"{measure['slug']}.atom.xml").is_file()
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert f"--sls-color-primary:{programme['design']['colors']['light']['primary']}" in css
    texts = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html")
                    if p.relative_to(site).parts[0] != "admin")
    assert "Würzburg" not in texts and "Smart Places" not in texts  # nothing leaks from stadt.land.smart


def test_musterstadt_content_check_passes() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline.content_check", "--content",
                           str(MUSTERSTADT)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_feeds_and_calendars_name_the_adopter_not_the_original(site: Path) -> None:
    """Feed ids, generator and calendar producer come from the adopter's programme data."""
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    for feed in sorted((site / "feeds").rglob("*.atom.xml")):
        root = ElementTree.parse(feed).getroot()
        assert root.findtext(f"{atom}id", "").startswith("tag:musterstadt.digital,2025:"), feed
        assert "stadt.land.smart" not in (root.findtext(f"{atom}generator") or ""), feed
        for entry in root.iter(f"{atom}entry"):
            assert entry.findtext(f"{atom}id", "").startswith("tag:musterstadt.digital,"), feed
    rss = ElementTree.parse(site / "feeds" / "all.rss.xml").getroot()
    assert "musterstadt.digital" in (rss.findtext("channel/generator") or "")
    leaked = [p.relative_to(site) for p in site.rglob("*") if p.suffix in {".xml", ".ics"}
              and "stadt.land.smart" in p.read_text(encoding="utf-8")]
    assert leaked == []
