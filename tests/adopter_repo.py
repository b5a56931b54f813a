"""A scratch copy of this repository, as an adopter has it after cloning, to run commands in."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scratch_repository(target: Path) -> Path:
    """The working tree (tracked and new files, not ignored ones) as a fresh git repository;
    .venv and node_modules are linked, as `make` would have set them up."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for linked, stamp, inputs in ((".venv", ".installed", ("pyproject.toml", "constraints.txt")),
                                  ("node_modules", ".installed", ("package.json", "package-lock.json"))):
        (target / linked).symlink_to(ROOT / linked)
        # Set up already, as `make` left it: its inputs are not newer than its stamp (else make
        # would reinstall into the shared environment, pointing it at this copy).
        done = (ROOT / linked / stamp).stat().st_mtime
        for name in inputs:
            os.utime(target / name, (done - 1, done - 1))
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-qm", "clone")
    return target


def git(repository: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repository, capture_output=True, text=True, check=True,
                          timeout=60).stdout


def command(repository: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 300
            ) -> subprocess.CompletedProcess[str]:
    """A command as the adopter types it in the repository (nothing of this test's environment
    but PATH and HOME: no SLS_* variable leaks in)."""
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
             "SLS_SEARCH_INDEX": "1", **(env or {})}
    return subprocess.run(args, cwd=repository, capture_output=True, text=True, env=clean, timeout=timeout)


def changed_files(repository: Path) -> set[str]:
    """What `git status` shows as changed or new, file by file."""
    return {line[3:].rstrip("/") for line in git(repository, "status", "--porcelain", "--untracked-files=all")
            .splitlines()}
