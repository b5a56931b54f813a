"""Adoption without touching code: `invoke new-site` in a fresh clone, then every command an
adopter runs, with the adopter's folder, as separate processes in that clone."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from adopter_repo import changed_files, command, git, scratch_repository
from conftest import invented

from checks.server import free_port

pytestmark = pytest.mark.slow  # commands in a scratch clone, as separate processes

FOLDER = "sites/beispielhausen"
ANSWERS = """\
name: beispielhausen.vernetzt
owner: Gemeinde Beispielhausen
clusters:
  - title: Mobilität
    measures: [Rufbus]
"""
# What new-site may change outside the new folder, and reports that it did.
REPORTED = {".pre-commit-config.yaml", ".gitlab-ci.yml", ".github/workflows/site.yml"}
INVOKE = ".venv/bin/invoke"


def new_site(repository: Path, answers: str = ANSWERS, folder: str = FOLDER) -> subprocess.CompletedProcess:
    answer_file = repository.parent / "answers.yml"
    answer_file.write_text(answers, encoding="utf-8")
    done = command(repository, INVOKE, "new-site", folder, "--answers", str(answer_file))
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def adopter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    repository = scratch_repository(tmp_path_factory.mktemp("adopter") / "repo")
    return repository, new_site(repository)


def test_new_site_changes_only_its_folder_and_what_it_reports(adopter) -> None:
    repository, done = adopter
    changed = changed_files(repository)
    assert {path for path in changed if not path.startswith(f"{FOLDER}/")} == REPORTED
    for path in REPORTED:
        assert path in done.stdout
    content = repository / FOLDER
    programme = yaml.safe_load((content / "programme.yml").read_text(encoding="utf-8"))
    assert programme["programme"]["name"] == "beispielhausen.vernetzt"
    assert [m["slug"] for m in programme["measures"]] == ["rufbus"]
    year = time.localtime().tm_year
    assert programme["feeds"] == {"id_authority": "beispielhausen.vernetzt", "id_since": year}
    texts = "\n".join(p.read_text(encoding="utf-8") for p in content.rglob("*.md"))
    assert "beispielhausen.vernetzt" in texts and "Gemeinde Beispielhausen" in texts
    assert "Würzburg" not in texts and "stadt.land.smart" not in texts and "Musterstadt" not in texts
    assert (content / "images" / "logo.svg").is_file()


def test_the_new_site_builds(adopter) -> None:
    # That a new site passes the gate at once is shown by tests/test_guide.py, which runs
    # `invoke check` over the site the guide's `new-site` writes (the same scaffold, more measures).
    repository, _ = adopter
    site = repository.parent / "site"
    built = command(repository, INVOKE, "build", "--content", FOLDER, "--output", str(site))
    assert built.returncode == 0, built.stderr
    home = (repository.parent / "site" / "index.html").read_text(encoding="utf-8")
    assert "beispielhausen.vernetzt" in home and "Willkommen bei beispielhausen.vernetzt" in home


def test_newsletter_preview_of_the_new_site(adopter) -> None:
    repository, _ = adopter
    output = repository.parent / "preview"
    done = command(repository, INVOKE, "newsletter.preview", "--content", FOLDER, "--output", str(output))
    assert done.returncode == 0, done.stderr
    issue = (output / "newsletter-preview" / "issue.html").read_text(encoding="utf-8")
    assert "Willkommen bei beispielhausen.vernetzt" in issue
    assert "Newsletter von beispielhausen.vernetzt" in issue


def test_newsletter_send_and_status_use_the_folders_record(adopter, tmp_path: Path) -> None:
    """Without NEWSLETTER_PROVIDER the provider is the outbox: an .eml, nothing sent; the record
    of sent issues is the adopter's own, inside the folder."""
    repository, _ = adopter
    live = {"SITEURL": "https://www.beispielhausen.example"}
    record = repository / FOLDER / "newsletter" / "issues.yml"
    before = record.read_text(encoding="utf-8")
    try:
        sent = command(repository, INVOKE, "newsletter.send", "--content", FOLDER, "--yes", env=live)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert "1 Beitrag, 1 Termin" in sent.stdout
        issues = yaml.safe_load(record.read_text(encoding="utf-8"))["issues"]
        assert [issue["number"] for issue in issues] == [1]
        assert (repository / "outbox" / "beispielhausen-vernetzt-newsletter-0001.eml").is_file()
        status = command(repository, INVOKE, "newsletter.status", "--content", FOLDER, env=live)
        assert status.returncode == 0, status.stderr
        assert "beispielhausen-vernetzt-newsletter-0001" in status.stdout
    finally:  # the next tests start from the folder as new-site wrote it
        record.write_text(before, encoding="utf-8")


def test_publish_refuses_placeholders_then_publishes_with_real_values(adopter) -> None:
    repository, _ = adopter
    content = repository / FOLDER
    live = {"SITEURL": "https://www.beispielhausen.example"}
    refused = command(repository, INVOKE, "publish", "--content", FOLDER, "--output",
                      str(repository.parent / "refused"), env=live)
    assert refused.returncode == 1
    assert "Veröffentlichung abgelehnt" in refused.stderr and f"{FOLDER}/programme.yml:" in refused.stderr
    assert "Beispieltermin (example: true)" in refused.stderr
    assert not (repository.parent / "refused").exists()

    programme = yaml.safe_load((content / "programme.yml").read_text(encoding="utf-8"))
    programme = invented(programme)
    programme["legal"]["accessibility"]["statement_date"] = yaml.safe_load("2026-12-01")
    (content / "programme.yml").write_text(yaml.safe_dump(programme, allow_unicode=True), encoding="utf-8")
    for text in content.rglob("*.md"):
        text.write_text(re.sub(r"\[PLATZHALTER:[^\]]*\]", "Beispielangabe der Gemeinde",
                               text.read_text(encoding="utf-8")), encoding="utf-8")
    for sample in (content / "termine").glob("*.md"):
        sample.unlink()

    done = command(repository, INVOKE, "publish", "--content", FOLDER, "--output",
                   str(repository.parent / "live"), env=live)
    assert done.returncode == 0, done.stdout + done.stderr
    home = (repository.parent / "live" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.beispielhausen.example/' in home and "PLATZHALTER" not in home


def test_serve_uses_the_folder_and_a_busy_port_is_one_german_line(adopter) -> None:
    repository, _ = adopter
    port = free_port()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        taken = command(repository, INVOKE, "serve", "--content", FOLDER, "-p", str(port), timeout=60)
    assert taken.returncode == 1
    assert "Traceback" not in taken.stderr
    assert taken.stderr.strip().splitlines() == [
        f"Port {port} ist belegt – wähle einen anderen: make serve PORT={port + 1} "
        f"oder .venv/bin/invoke serve -p {port + 1}"]

    server = subprocess.Popen([INVOKE, "serve", "--content", FOLDER, "-p", str(port), "--output",
                               str(repository.parent / "served")], cwd=repository, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith("Vorschau:"):
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert "beispielhausen.vernetzt" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_commands_changed_nothing_outside_the_folder(adopter) -> None:
    """After build, gate, preview, publish and serve: still only the folder and what new-site
    reported (outputs went where the commands were told, caches are ignored by git)."""
    repository, _ = adopter
    assert {path for path in changed_files(repository) if not path.startswith(f"{FOLDER}/")} == REPORTED


def test_a_misspelled_measure_fails_the_hook_and_the_pipelines(tmp_path: Path) -> None:
    """The adopter's folder is checked by its own pre-commit hook, which both pipelines run
    (`bash .ci/run` ends with `pre-commit run --all-files`), and the pipelines set SLS_CONTENT."""
    repository = scratch_repository(tmp_path / "repo")
    new_site(repository)
    post = repository / FOLDER / "posts" / "2026-01-05-tippfehler.md"
    post.write_text("---\ntitle: Tippfehler\ndate: 2026-01-05 10:00\nmeasure: rufbuss\n"
                    "summary: Eine Maßnahme, falsch geschrieben.\n---\n\nText.\n", encoding="utf-8")
    git(repository, "add", "-A")

    hook = command(repository, ".venv/bin/pre-commit", "run", "--all-files", "--hook-stage", "pre-commit",
                   "content-check-sites-beispielhausen")
    assert hook.returncode == 1
    said = hook.stdout + hook.stderr
    assert f"{FOLDER}/posts/2026-01-05-tippfehler.md:4: unbekannte Maßnahme „rufbuss“ — meintest du" in said

    gitlab = yaml.safe_load((repository / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    github = (repository / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    assert gitlab["variables"]["SLS_CONTENT"] == FOLDER
    assert f"SLS_CONTENT: ${{{{ vars.SLS_CONTENT || '{FOLDER}' }}}}" in github
    assert "bash .ci/run" in gitlab["test"]["script"]
    assert "bash .ci/run" in github
    assert "pre-commit run --all-files" in (repository / ".ci" / "run").read_text(encoding="utf-8")
    # What the test job's gate and the editors' check see with the pipelines' variable:
    fast = command(repository, INVOKE, "check", "--fast", env={"SLS_CONTENT": FOLDER})
    assert fast.returncode == 1 and "unbekannte Maßnahme „rufbuss“" in fast.stderr


def test_new_site_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path) -> None:
    repository = scratch_repository(tmp_path / "repo")
    (repository / FOLDER).mkdir(parents=True)
    (repository / FOLDER / "notiz.txt").write_text("schon da", encoding="utf-8")
    answers = tmp_path / "answers.yml"
    answers.write_text(ANSWERS, encoding="utf-8")

    done = command(repository, INVOKE, "new-site", FOLDER, "--answers", str(answers))

    assert done.returncode == 1
    assert done.stderr.startswith(f"Nicht angelegt: {FOLDER} ist nicht leer")
    assert changed_files(repository) == {f"{FOLDER}/notiz.txt"}
    assert [p.name for p in (repository / FOLDER).iterdir()] == ["notiz.txt"]


def test_every_task_answers_help_with_its_help() -> None:
    # `invoke new-site --help` ran the task with "--help" as its folder (a required positional).
    from conftest import ROOT

    tasks = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "--complete"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60).stdout.split()
    assert "new-site" in tasks and "build" in tasks
    refused = {}
    for task in tasks:
        done = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), task, "--help"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or not done.stdout.startswith("Usage:"):
            refused[task] = (done.stdout + done.stderr)[:200]
    assert refused == {}
