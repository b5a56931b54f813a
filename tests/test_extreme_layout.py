"""Layouts that survive any content: the theme wraps and reflows at 320 px (what 400 % zoom gives
a 1280 px window) and at 200 % text for a programme with six clusters and twelve measures whose
names, titles, link texts and places are as long as German compounds make them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from adopter_repo import command, scratch_repository
from extreme import ANSWERS, extreme_posts

PASSED = re.compile(r"Barrierefreiheits- und Datenschutzprüfung für „[^“]+“ \(Inhalte: ([^)]+)\) bestanden\.")
pytestmark = pytest.mark.slow  # the gate over an extreme programme, through the CLI

FOLDER = "sites/extrem"


@pytest.fixture(scope="module")
def extreme_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repository = scratch_repository(tmp_path_factory.mktemp("extreme") / "repo")
    answers = repository.parent / "answers.yml"
    answers.write_text(ANSWERS, encoding="utf-8")
    done = command(repository, ".venv/bin/invoke", "new-site", FOLDER, "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    content = repository / FOLDER
    programme = yaml.safe_load((content / "programme.yml").read_text(encoding="utf-8"))
    assert (len(programme["clusters"]), len(programme["measures"])) == (6, 12)
    extreme_posts(content, [measure["slug"] for measure in programme["measures"]])
    return repository


def test_the_extreme_programme_passes_the_gate(extreme_site: Path) -> None:
    done = command(extreme_site, ".venv/bin/invoke", "check", "--content", FOLDER, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    passed = PASSED.search(done.stdout)  # the report names the site and its content folder
    assert passed and passed.group(1) == f"{FOLDER}/", done.stdout[-500:]
    checked = int(done.stdout.split("Geprüft: ", 1)[1].split(" Seiten", 1)[0])
    assert checked >= 40  # every page: 12 measures, 6 clusters, tags, posts, events, search


def test_a_long_file_name_gets_a_short_address(extreme_site: Path, tmp_path: Path) -> None:
    # Only the addresses matter here: no search index, no print editions.
    done = command(extreme_site, ".venv/bin/invoke", "build", "--content", FOLDER, "--output", str(tmp_path),
                   env={"SLS_SEARCH_INDEX": "0", "SLS_PRINT": "0"})
    assert done.returncode == 0, done.stderr
    folders = [p.name for p in (tmp_path / "aktuelles").rglob("*") if p.is_dir()]
    assert folders and max(len(name) for name in folders) <= 80
    assert sum(name.startswith("teil-") for name in folders) == 3
