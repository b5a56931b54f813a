"""A build replaces its output folder: it refuses any folder it did not make itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_build, snapshot

from pipeline.build import MARKER, output_problem


def test_output_content_is_refused_and_content_stays_intact(tmp_path: Path, good_content: Path) -> None:
    before = snapshot(good_content)
    done = subprocess.run([sys.executable, "-m", "pipeline.build", "--content", str(good_content),
                           "--output", str(good_content)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "Ausgabeordner „content“ ist der Inhaltsordner" in done.stderr, done.stderr
    assert snapshot(good_content) == before


def test_the_project_its_parents_and_folders_inside_content_are_refused(good_content: Path) -> None:
    assert "das Projektverzeichnis" in (output_problem(ROOT, good_content) or "")
    assert "enthält ihn" in (output_problem(ROOT.parent, good_content) or "")
    assert "enthält ihn" in (output_problem(good_content.parent, good_content) or "")
    assert "liegt im Inhaltsordner" in (output_problem(good_content / "posts" / "out", good_content) or "")


def test_a_folder_not_made_by_a_build_is_kept(tmp_path: Path, good_content: Path) -> None:
    documents = tmp_path / "dokumente"
    documents.mkdir()
    (documents / "brief.txt").write_text("Wichtig", encoding="utf-8")
    run = run_build(tmp_path, good_content, documents)
    assert run.code == 1 and "stammt nicht von einem Build" in run.stderr
    assert (documents / "brief.txt").read_text(encoding="utf-8") == "Wichtig"


def test_a_previous_build_and_an_empty_folder_may_be_replaced(tmp_path: Path, good_content: Path) -> None:
    empty = tmp_path / "leer"
    empty.mkdir()
    assert run_build(tmp_path, good_content, empty).code == 0
    assert (empty / MARKER).is_file()
    assert run_build(tmp_path, good_content, empty).code == 0
