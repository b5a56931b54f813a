"""Shared fixtures: real Markdown content, real builds in a subprocess."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROGRAMME = ROOT / "content" / "programme.yml"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_build(workdir: Path, content: Path, output: Path, programme: Path = PROGRAMME,
              settings: Path = ROOT / "pelicanconf.py", env: dict | None = None) -> Run:
    """Build like an editor would, as a separate process, from ``workdir``."""
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.build", "--settings", str(settings), "--content",
         str(content), "--output", str(output), "--programme", str(programme)],
        cwd=workdir, capture_output=True, text=True, timeout=180,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **(env or {})},
    )
    return Run(done.returncode, done.stdout, done.stderr)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with a hash of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture
def good_content(tmp_path: Path) -> Path:
    """A small valid content folder (with the real programme data) the test may add files to."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    shutil.copy(PROGRAMME, content / "programme.yml")
    return content
