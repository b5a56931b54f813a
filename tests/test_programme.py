"""Programme data mistakes and the publish gate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROGRAMME, ROOT, filled_in, run_build


def test_measure_in_unknown_cluster_and_weak_contrast_are_reported(
        tmp_path: Path, good_content: Path) -> None:
    text = PROGRAMME.read_text(encoding="utf-8")
    text = text.replace("cluster: datensouveraenitaet", "cluster: daten", 1)
    text = text.replace('text: "#1b1f24"', 'text: "#bbbbbb"', 1)
    broken = good_content / "programme.yml"
    broken.write_text(text, encoding="utf-8")
    rows = text.splitlines()

    run = run_build(tmp_path, good_content, tmp_path / "output", programme=broken)

    assert run.code != 0
    cluster_line = next(i for i, row in enumerate(rows, 1) if "cluster: daten" in row)
    contrast_line = next(i for i, row in enumerate(rows, 1) if 'text: "#bbbbbb"' in row)
    assert f"content/programme.yml:{cluster_line}: Maßnahme „wue-app“ nennt unbekannten Cluster" \
        in run.stderr
    assert f"content/programme.yml:{contrast_line}: Kontrast light.text auf light.background" \
        in run.stderr
    assert not (tmp_path / "output").exists()


def test_feed_ids_need_the_adopters_authority_and_start(tmp_path: Path, good_content: Path) -> None:
    """No feed id is made up: without id_authority and id_since the build says what to set."""
    text = PROGRAMME.read_text(encoding="utf-8")
    text = text.replace("id_authority: stadt.land.smart", "id_authority: Stadt Land Smart", 1)
    text = text.replace("  id_since: 2021\n", "", 1)
    broken = good_content / "programme.yml"
    broken.write_text(text, encoding="utf-8")

    run = run_build(tmp_path, good_content, tmp_path / "output", programme=broken)

    assert run.code != 0
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "id_authority:" in row)
    assert f"content/programme.yml:{line}: feeds.id_authority „Stadt Land Smart“ ist kein Domainname" \
        in run.stderr
    assert "feeds.id_since „“ ist kein Jahr — setze das Startjahr des Programms" in run.stderr


def run_publish(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env_extra}
    return subprocess.run([sys.executable, "-m", "invoke", "publish", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def test_publish_refuses_while_placeholders_remain() -> None:
    done = run_publish({"SITEURL": "https://example.org"})

    assert done.returncode != 0
    assert "[PLATZHALTER: Telefonnummer]" in done.stderr
    assert "Veröffentlichung abgelehnt" in done.stderr


@pytest.mark.slow  # builds through the command line (CONTRIBUTING.md: the slow tier)
def test_publish_refuses_without_public_address(tmp_path: Path, good_content: Path) -> None:
    clean = good_content / "programme.yml"
    text = PROGRAMME.read_text(encoding="utf-8")
    clean.write_text(filled_in(text), encoding="utf-8")
    env = {"SLS_CONTENT": str(good_content), "SLS_PROGRAMME": str(clean)}

    without = run_publish(env)
    assert without.returncode != 0
    assert "SITEURL ist nicht gesetzt" in without.stderr

    published = run_publish({**env, "SITEURL": "https://example.org"}, "--output",
                            str(tmp_path / "live"))
    assert published.returncode == 0, published.stderr
    home = (tmp_path / "live" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/impressum/"' in home


def test_publish_refuses_sample_events_and_sample_figures_marked_as_examples(tmp_path: Path,
                                                                            good_content: Path) -> None:
    clean = good_content / "programme.yml"
    clean.write_text(filled_in(PROGRAMME.read_text(encoding="utf-8")), encoding="utf-8")
    (good_content / "termine").mkdir()
    (good_content / "termine" / "2026-03-beispiel.md").write_text(
        "---\ntitle: Sprechstunde\nstart: 2026-03-12 17:00\nend: 2026-03-12 19:00\ndate: 2026-02-01 09:00\n"
        "measure: coworking-newsroom\nsummary: Fragen und Antworten.\nplace_name: Coworking Newsroom\n"
        "place_town: Würzburg\nexample: true\n---\n", encoding="utf-8")
    (good_content / "kennzahlen").mkdir()
    (good_content / "kennzahlen" / "besuche.yml").write_text(
        "title: Besuche\nunit: Besuche\ndirection: mehr-ist-besser\nvalues:\n  - date: 2025-01-31\n"
        "    value: 3\n    source: Beispiel\nexample: true  # erfunden\n", encoding="utf-8")
    env = {"SLS_CONTENT": str(good_content), "SLS_PROGRAMME": str(clean), "SITEURL": "https://example.org"}

    done = run_publish(env, "--output", str(tmp_path / "live"))

    assert done.returncode != 0
    assert "termine/2026-03-beispiel.md:10: Beispieltermin (example: true)" in done.stderr
    assert "kennzahlen/besuche.yml:8: Beispielzahlen (example: true)" in done.stderr
    assert not (tmp_path / "live").exists()
