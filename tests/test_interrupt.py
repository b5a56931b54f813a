"""Ctrl+C during a build: one German line, no traceback from any process, no staging folder
left behind, and the previous site untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from waiting import poll

from benchmarks.corpus import write_corpus

pytestmark = pytest.mark.slow  # a build of a few hundred posts, interrupted


@pytest.mark.parametrize(("moment", "print_editions"), [("reading", "1"), ("writing", "0")])
def test_ctrl_c_stops_every_process_and_leaves_the_last_site(tmp_path: Path, moment: str,
                                                             print_editions: str) -> None:
    content = tmp_path / "content"
    write_corpus(content, 600, 1, "varied")
    output = tmp_path / "site"
    env = {**os.environ, "SLS_PARALLEL_MIN_FILES": "1", "SLS_SEARCH_INDEX": "0", "SLS_PRINT": "0"}
    command = [sys.executable, "-m", "pipeline.build", "--content", str(content), "--output", str(output)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    before = (output / "index.html").read_bytes()
    env["SLS_PRINT"] = print_editions
    build = subprocess.Popen([sys.executable, "-m", "pipeline.build", "--content", str(content),
                              "--output", str(output)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    # Interrupt while the posts are read (the reading processes exist) or once pages are being
    # written (the writing processes exist): as a terminal does, to the whole process group.
    def at_the_moment() -> bool:
        staging = list(tmp_path.glob(".site.staging-*"))
        return build.poll() is not None or bool(
            staging and (moment == "reading" or any(staging[0].rglob("*.html"))))

    poll(at_the_moment, 60)
    assert build.poll() is None, build.communicate()[1]
    os.killpg(build.pid, signal.SIGINT)
    _out, errors = build.communicate(timeout=60)
    assert build.returncode == 130, errors
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors, errors
    assert "Build abgebrochen (Strg+C)" in errors
    assert list(tmp_path.glob(".site.staging-*")) == []
    assert (output / "index.html").read_bytes() == before


def test_a_build_killed_outright_leaves_a_staging_folder_the_next_build_removes(
        tmp_path: Path, good_content: Path) -> None:
    # kill -9 or a power cut: the killed build cannot clean up; the next build of the same site
    # removes what it left (a folder of a build still running stays).
    from conftest import run_build

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    abandoned = tmp_path / f".site.staging-{ended.pid}-abc123"
    (abandoned / "aktuelles").mkdir(parents=True)
    running = tmp_path / f".site.staging-{os.getpid()}-def456"
    running.mkdir()
    assert run_build(tmp_path, good_content, tmp_path / "site").code == 0
    assert not abandoned.exists() and running.is_dir()
    assert [p.name for p in tmp_path.glob(".site.staging-*")] == [running.name]
