"""`invoke new-site FOLDER` writes a site only where a site belongs: never into git's own folder,
a hidden or ignored one, or the project's code, and a name too long for a file system is a German
line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.scaffold import Answers, ScaffoldError, new_site


@pytest.mark.parametrize(("folder", "words"), [
    (".git/hooks/x", "beginnt mit einem Buchstaben oder einer Ziffer"),
    (".venv/x", "beginnt mit einem Buchstaben oder einer Ziffer"),
    ("sites/.versteckt", "beginnt mit einem Buchstaben oder einer Ziffer"),
    ("sites/-x", "beginnt mit einem Buchstaben oder einer Ziffer"),
    ("node_modules/x", "„node_modules/x“ gehört dem Projekt"),
    ("plugins/evil", "„plugins/evil“ gehört dem Projekt"),
    ("Plugins/evil", "gehört dem Projekt"),  # the same folder on macOS and Windows
    ("sites/" + "a" * 300, "ist zu lang"),
])
def test_a_folder_where_no_site_belongs_is_refused_and_nothing_is_written(
        tmp_path: Path, folder: str, words: str) -> None:
    (tmp_path / ".git").mkdir()
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(ScaffoldError) as refused:
        new_site(tmp_path, Path(folder), Answers.from_options("Beispielstadt", ["Eins: Rufbus"], ""))
    assert words in str(refused.value)
    assert sorted(tmp_path.rglob("*")) == before


def test_a_site_under_sites_is_written(tmp_path: Path) -> None:
    created = new_site(tmp_path, Path("sites/beispielstadt"),
                       Answers.from_options("Beispielstadt", ["Eins: Rufbus"], ""))
    assert (created.folder / "programme.yml").is_file()


def test_a_folder_git_ignores_is_refused(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    (tmp_path / ".gitignore").write_text("outbox/\n*.pyc\n", encoding="utf-8")
    for folder in ("outbox/x", "sites/a.pyc"):
        with pytest.raises(ScaffoldError) as refused:
            new_site(tmp_path, Path(folder), Answers.from_options("Beispielstadt", ["Eins: Rufbus"], ""))
        assert "die git nicht aufnimmt" in str(refused.value)
    assert not (tmp_path / "outbox").exists() and not (tmp_path / "sites").exists()
