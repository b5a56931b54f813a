"""docs/adopt.md stays true: its marked steps run, in order, in one shell, on a fresh copy of
the repository. `<!-- step -->` must succeed, `<!-- step: fails -->` must be refused."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from adopter_repo import changed_files, command, scratch_repository
from conftest import ROOT

PASSED = re.compile(r"Barrierefreiheits- und Datenschutzprüfung für „[^“]+“ \(Inhalte: ([^)]+)\) bestanden\.")
pytestmark = pytest.mark.slow  # the adoption guide's commands in a scratch clone, the gate included

GUIDE = ROOT / "docs" / "adopt.md"
STEP = re.compile(r"<!-- step(?P<fails>: fails)? -->\n```sh\n(?P<script>.*?)```", re.S)


def steps() -> list[tuple[str, bool]]:
    return [(m["script"], bool(m["fails"])) for m in STEP.finditer(GUIDE.read_text(encoding="utf-8"))]


def test_the_guide_has_the_steps_from_clone_to_publish() -> None:
    scripts = "\n".join(script for script, _ in steps())
    for command_line in ("make build", "invoke new-site", "export SLS_CONTENT=", "invoke check --fast",
                         "invoke check\n", "newsletter.preview", "invoke publish"):
        assert command_line in scripts, command_line
    assert steps()[-1][1]  # publishing right after new-site is refused (placeholders)


def test_the_guides_commands_work_in_order(tmp_path: Path) -> None:
    repository = scratch_repository(tmp_path / "repo")
    lines = ["set -euo pipefail"]
    for number, (script, fails) in enumerate(steps(), 1):
        lines.append(f"echo '### Schritt {number}'")
        if fails:
            lines.append(f"if ( {script.strip()} ); then echo 'Schritt {number} hätte scheitern sollen'; "
                         "exit 97; fi")
        else:
            lines.append(script)
    # Print editions of the sample site are tested in test_print.py; here they would only cost time.
    done = command(repository, "bash", "-c", "\n".join(lines), env={"SLS_PRINT": "0"}, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    passed = PASSED.search(done.stdout)  # the report names the site and its content folder
    assert passed and passed.group(1) == "sites/beispielhausen/", done.stdout[-3000:]
    assert "Veröffentlichung abgelehnt" in done.stderr
    assert {path for path in changed_files(repository) if not path.startswith("sites/beispielhausen/")} \
        == {".pre-commit-config.yaml", ".gitlab-ci.yml", ".github/workflows/site.yml"}
    assert subprocess.run(["test", "-x", str(repository / ".git" / "hooks" / "pre-commit")]).returncode == 0
