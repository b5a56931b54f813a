"""Editors' mistakes: one line `path:line: problem — fix`, non-zero exit, old site kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, PROGRAMME, run_build, run_build_cli, snapshot

from pipeline.content_check import main as content_check

# fixture file → (line, words the problem must contain, words of the fix)
CASES = {
    "unknown-measure.md": (4, "unbekannte Maßnahme „smart-place“", "meintest du „smart-places“?"),
    "malformed-yaml.md": (2, "kein gültiges YAML", "Anführungszeichen"),
    "german-date.md": (3, "nicht im Format JJJJ-MM-TT", "schreibe „2022-06-01 10:00“"),
    "dst-gap.md": (3, "gibt es am 2024-03-31 nicht", "2024-03-31 03:30"),
    "dst-fold.md": (3, "zweimal", "2024-10-27T02:30+01:00"),
    "image-without-alt.md": (6, "hat keinen Alternativtext", "ergänze „image_alt: …“"),
    "inline-image-without-alt.md": (10, "hat keinen Alternativtext", "![Was zu sehen ist]"),
    "missing-link.md": (8, "2022-01-01-gibt-es-nicht.md", "prüfe den Dateinamen"),
    "2024-06-01-ausblick.md": (1, "Slug „ausblick“ wird auch von", "benenne die Datei um"),
}


def content_check_cli(workdir: Path, content: Path, programme: Path = PROGRAMME
                      ) -> subprocess.CompletedProcess[str]:
    """The editors' check as the pre-commit hook runs it: a separate process."""
    return subprocess.run([sys.executable, "-m", "pipeline.content_check", "--content", str(content),
                           "--programme", str(programme)], cwd=workdir, capture_output=True, text=True,
                          timeout=60, env={"PATH": os.environ["PATH"]})


@pytest.fixture
def published_site(tmp_path: Path, good_content: Path) -> Path:
    output = tmp_path / "output"
    first = run_build(tmp_path, good_content, output)
    assert first.code == 0, first.stderr
    return output


@pytest.mark.parametrize("name", sorted(CASES))
def test_mistake_is_reported_with_line_and_fix_and_site_is_kept(
        name: str, tmp_path: Path, good_content: Path, published_site: Path) -> None:
    line, problem, fix = CASES[name]
    before = snapshot(published_site)
    shutil.copy(FIXTURES / "broken" / name, good_content / "posts" / name)

    run = run_build(tmp_path, good_content, published_site)

    assert run.code != 0
    reported = [row for row in run.stderr.splitlines() if row.startswith(f"content/posts/{name}:")]
    assert len(reported) >= 1, run.stderr
    assert any(row.startswith(f"content/posts/{name}:{line}: ") and problem in row and " — " in row
               and fix in row.split(" — ", 1)[1] for row in reported), reported
    assert snapshot(published_site) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".output.staging")]
    assert leftovers == []


def test_missing_required_fields_are_all_named(tmp_path: Path, good_content: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "missing-fields.md", good_content / "posts")

    run = run_build(tmp_path, good_content, tmp_path / "output")

    assert run.code != 0
    rows = [r for r in run.stderr.splitlines() if r.startswith("content/posts/missing-fields.md:")]
    for field in ("title", "date", "measure", "summary"):
        assert any(f"Pflichtfeld „{field}“" in row and "ergänze" in row for row in rows), (field, rows)
    assert not (tmp_path / "output").exists()


def test_all_problems_of_a_build_are_reported_together(tmp_path: Path, good_content: Path) -> None:
    for name in ("unknown-measure.md", "dst-gap.md", "missing-link.md"):
        shutil.copy(FIXTURES / "broken" / name, good_content / "posts")

    run = run_build_cli(tmp_path, good_content, tmp_path / "output")  # end to end, as editors run it

    assert run.code != 0
    for name in ("unknown-measure.md", "dst-gap.md", "missing-link.md"):
        assert f"content/posts/{name}:" in run.stderr


def test_programme_and_content_problems_come_in_one_run(tmp_path: Path, good_content: Path) -> None:
    """An adopter fixes everything in one round: a failed contrast in the programme data does
    not hide a misspelled measure in a post, and a broken event header is one message."""
    programme = tmp_path / "programme.yml"
    text = PROGRAMME.read_text(encoding="utf-8")
    colours = text.index("colors:")
    programme.write_text(text[:colours] + text[colours:].replace("primary:", "primary: \"#fafafa\" #", 1),
                         encoding="utf-8")
    shutil.copy(FIXTURES / "broken" / "unknown-measure.md", good_content / "posts")
    (good_content / "termine").mkdir(exist_ok=True)
    (good_content / "termine" / "kaputt.md").write_text(
        "---\ntitle: Kaputt\nstart: 2027-03-04 17:00\nsummary: \"offen\n---\n\nText.\n", encoding="utf-8")

    for run in (run_build_cli(tmp_path, good_content, tmp_path / "output", programme),
                content_check_cli(tmp_path, good_content, programme)):
        rows = run.stderr.splitlines()
        assert any(r.startswith("programme.yml:") and "Kontrast" in r and "primary" in r for r in rows), rows
        assert any(r.startswith("content/posts/unknown-measure.md:4: unbekannte Maßnahme")
                   for r in rows), rows
        event = [r for r in rows if r.startswith("content/termine/kaputt.md:")]
        assert len(event) == 1 and "kein gültiges YAML" in event[0], event
    assert not (tmp_path / "output").exists()


def test_a_measure_defined_wrongly_is_reported_once(tmp_path: Path, good_content: Path) -> None:
    """A measure whose cluster is misspelled is one mistake, in the programme data; the posts
    that name it are not told a second time that the measure is unknown."""
    programme = tmp_path / "programme.yml"
    text = PROGRAMME.read_text(encoding="utf-8")
    start = text.index("  - slug: smart-places")
    cluster = text.index("cluster:", start)
    end = text.index("\n", cluster)
    programme.write_text(text[:cluster] + "cluster: gibts-nicht" + text[end:], encoding="utf-8")
    (good_content / "posts" / "orte.md").write_text(
        "---\ntitle: Orte\ndate: 2023-08-01 10:00\nmeasure: smart-places\nsummary: Orte.\n---\n\nText.\n",
        encoding="utf-8")

    rows = content_check_cli(tmp_path, good_content, programme).stderr.splitlines()

    assert any("„smart-places“ nennt unbekannten Cluster „gibts-nicht“" in r for r in rows), rows
    assert not any("unbekannte Maßnahme „smart-places“" in r for r in rows), rows


def test_unknown_field_suggests_the_right_name(tmp_path: Path, good_content: Path) -> None:
    post = good_content / "posts" / "tippfehler.md"
    post.write_text("---\ntitle: Tippfehler\ndate: 2023-08-01 10:00\nmeasure: meet-me\n"
                    "sumary: Ein Tippfehler im Feldnamen.\n---\n\nText.\n", encoding="utf-8")

    run = run_build(tmp_path, good_content, tmp_path / "output")

    assert run.code != 0
    assert "content/posts/tippfehler.md:5: unbekanntes Feld „sumary“ — meintest du „summary“?" \
        in run.stderr


def test_good_content_builds_and_hides_drafts_and_future_posts(
        tmp_path: Path, published_site: Path) -> None:
    pages = {str(p.relative_to(published_site)) for p in published_site.rglob("index.html")}

    assert "aktuelles/2023/erstes-treffen/index.html" in pages
    assert "aktuelles/2023/ausblick/index.html" in pages
    everything = "\n".join(p.read_text(encoding="utf-8") for p in published_site.rglob("*.html"))
    assert "Noch nicht fertig" not in everything
    assert "Beitrag aus der Zukunft" not in everything
    assert not (published_site / "drafts").exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_content_check_reports_the_same_line_without_building(
        name: str, tmp_path: Path, good_content: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    line, problem, fix = CASES[name]
    shutil.copy(FIXTURES / "broken" / name, good_content / "posts" / name)
    monkeypatch.chdir(tmp_path)

    code = content_check(["--content", str(good_content), "--programme", str(PROGRAMME)])

    assert code == 1
    assert any(row.startswith(f"content/posts/{name}:{line}: ") and problem in row and fix in row
               for row in capsys.readouterr().err.splitlines())
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(("mistake", "code"), [(None, 0), ("unknown-measure.md", 1)])
def test_content_check_command_exit_code(mistake: str | None, code: int, tmp_path: Path,
                                         good_content: Path) -> None:
    if mistake:
        shutil.copy(FIXTURES / "broken" / mistake, good_content / "posts" / mistake)
    done = content_check_cli(tmp_path, good_content)
    assert done.returncode == code, done.stderr
    assert ("content/posts/unknown-measure.md:4: unbekannte Maßnahme" in done.stderr) == bool(mistake)


def test_parallel_parsing_builds_the_same_site_and_reports_the_same_problems(
        tmp_path: Path, good_content: Path) -> None:
    sequential = run_build(tmp_path, good_content, tmp_path / "sequential")
    parallel = run_build(tmp_path, good_content, tmp_path / "parallel",
                         env={"SLS_PARALLEL_MIN_FILES": "1"})
    assert sequential.code == parallel.code == 0, parallel.stderr
    assert snapshot(tmp_path / "sequential") == snapshot(tmp_path / "parallel")
    shutil.copy(FIXTURES / "broken" / "dst-gap.md", good_content / "posts")
    broken = run_build(tmp_path, good_content, tmp_path / "broken", env={"SLS_PARALLEL_MIN_FILES": "1"})
    assert broken.code != 0
    expected = "content/posts/dst-gap.md:3: Uhrzeit „2024-03-31 02:30“ gibt es am 2024-03-31 nicht"
    assert expected in broken.stderr


@pytest.mark.parametrize("how", ["--content", "SLS_CONTENT", "empty SLS_CONTENT"])
def test_a_content_folder_that_does_not_exist_is_one_line(how: str, tmp_path: Path) -> None:
    """Set wrong (a typo in --content or in the CI variable), said in German; set empty (an
    unset CI variable), the default folder is used."""
    missing = tmp_path / "sites" / "beispilhausen"
    env = {"PATH": os.environ["PATH"]}
    args = [sys.executable, "-m", "pipeline.content_check"]
    if how == "--content":
        args += ["--content", str(missing)]
    else:
        env["SLS_CONTENT"] = "" if how.startswith("empty") else str(missing)
    done = subprocess.run(args, cwd=PROGRAMME.parent.parent, capture_output=True, text=True, timeout=60,
                          env=env)
    if how.startswith("empty"):
        assert done.returncode == 0, done.stderr
        return
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"{missing}: Inhaltsordner gibt es nicht — prüfe --content bzw. SLS_CONTENT, oder lege einen "
        "an: .venv/bin/invoke new-site sites/<name>"]
