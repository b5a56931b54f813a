"""Review before publishing: the merge request's pipeline builds the site and puts the links to
the posts it changes on the merge request (a loopback server shaped after GitLab's notes API)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, environment
from fakes.gitlab import FakeGitLab

from pipeline.build import build
from pipeline.review_note import post_review_note

POST = """---
title: Neue Sprechstunde im Newsroom
date: 2026-11-30 10:00
measure: coworking-newsroom
summary: Ab Dezember jeden Donnerstag.
---

Kommen Sie vorbei.
"""


def git(repository: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture()
def merge_request(tmp_path: Path) -> tuple[Path, str, list]:
    """A repository whose branch adds one post and edits one, and the build of that branch."""
    repository = tmp_path / "repo"
    shutil.copytree(FIXTURES / "good", repository / "content")
    shutil.copyfile(ROOT / "content" / "programme.yml", repository / "content" / "programme.yml")
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", ".")
    git(repository, "-c", "user.name=Redaktion", "-c", "user.email=r@example.org", "commit", "-qm", "Basis")
    base = git(repository, "rev-parse", "HEAD")
    git(repository, "checkout", "-q", "-b", "cms/posts/sprechstunde")
    (repository / "content" / "posts" / "2026-11-30-sprechstunde.md").write_text(POST, encoding="utf-8")
    edited = repository / "content" / "posts" / "2023-06-01-ausblick.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin Satz mehr.\n", encoding="utf-8")
    git(repository, "add", ".")
    git(repository, "-c", "user.name=Redaktion", "-c", "user.email=r@example.org", "commit", "-qm", "Neu")
    with environment(None, tmp_path):
        result = build(ROOT / "pelicanconf.py", tmp_path / "output", repository / "content",
                       keep_generators=True)
    assert result.ok, result.problems
    return repository, base, result.generators


def ci_env(gitlab: FakeGitLab, base: str, job: str = "42", token: str | None = None) -> dict[str, str]:
    return {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_API_V4_URL": gitlab.url + "/api/v4",
            "CI_PROJECT_ID": "7", "CI_MERGE_REQUEST_IID": "3", "CI_JOB_ID": job,
            "CI_PROJECT_URL": "https://opencode.example/stadt/website",
            "REVIEW_NOTE_TOKEN": gitlab.token if token is None else token}


def test_the_merge_request_gets_links_to_the_changed_posts_and_one_note_per_push(
        merge_request, tmp_path: Path) -> None:
    repository, base, generators = merge_request
    said: list[str] = []
    with FakeGitLab() as gitlab:
        gitlab.add("7", "3", "Bitte den Titel prüfen.")
        assert post_review_note(ci_env(gitlab, base), generators, repository, said.append) == 0
        assert post_review_note(ci_env(gitlab, base, job="43"), generators, repository, said.append) == 0
        notes = gitlab.notes[("7", "3")]
    assert notes[0]["body"] == "Bitte den Titel prüfen."  # others' notes stay
    ours = [note["body"] for note in notes if "Vorschau der geänderten Seiten" in note["body"]]
    assert len(ours) == 1, notes  # the second push updated the note
    job = "https://opencode.example/stadt/website/-/jobs/43/artifacts/file/output/"
    new = "aktuelles/2026/sprechstunde/index.html"
    assert f"[Neue Sprechstunde im Newsroom]({job}{new})" in ours[0]
    assert (tmp_path / "output" / new).is_file()  # the link points at a page of the build
    assert "content/posts/2023-06-01-ausblick.md" in ours[0]
    assert "erstes-treffen" not in ours[0]  # unchanged posts are not listed
    assert not any(gitlab.token in line for line in said)


def test_a_wrong_token_is_a_german_error_without_the_token(merge_request, capsys) -> None:
    repository, base, generators = merge_request
    with FakeGitLab() as gitlab:
        code = post_review_note(ci_env(gitlab, base, token="glpat-falsch-9876543210"), generators,
                                repository, lambda line: None)
        assert gitlab.notes == {}
    err = capsys.readouterr().err
    assert code == 1 and "REVIEW_NOTE_TOKEN braucht die Rolle Reporter" in err
    assert "glpat-falsch" not in err


def test_without_a_token_the_links_are_only_printed(merge_request) -> None:
    repository, base, generators = merge_request
    said: list[str] = []
    with FakeGitLab() as gitlab:
        assert post_review_note(ci_env(gitlab, base, token=""), generators, repository, said.append) == 0
        assert gitlab.calls == []
    assert any("aktuelles/2026/sprechstunde/index.html" in line for line in said)
    assert any("REVIEW_NOTE_TOKEN fehlt" in line for line in said)


@pytest.mark.slow  # builds through the command line (CONTRIBUTING.md: the slow tier)
def test_make_review_outside_a_merge_request_builds_and_says_there_is_nothing_to_note(
        tmp_path: Path, good_content: Path) -> None:
    import os
    import sys

    env = {key: value for key, value in os.environ.items() if not key.startswith("CI_")}
    done = subprocess.run([sys.executable, "-m", "invoke", "review", "--content", str(good_content),
                           "--output", str(tmp_path / "site")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "kein Merge Request" in done.stdout and (tmp_path / "site" / "index.html").is_file()
