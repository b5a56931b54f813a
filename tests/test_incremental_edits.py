"""Every kind of edit: the development rebuild (what `make build` does after a first build) ends
up byte-identical to a clean build of the same tree."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, run_build, snapshot
from waiting import wait_for

pytestmark = pytest.mark.slow  # whole builds and a real browser

Edit = Callable[[Path], None]


def replace(relative: str, old: str, new: str) -> Edit:
    def apply(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        stamp = time.time() + 5
        os.utime(path, (stamp, stamp))
    return apply


def delete(relative: str) -> Edit:
    return lambda root: (root / relative).unlink()


def create(relative: str, text: str) -> Edit:
    def apply(root: Path) -> None:
        (root / relative).write_text(text, encoding="utf-8")
    return apply


POST = "content/posts/2023-06-01-ausblick.md"
EVENT = "content/termine/2027-01-offene-sprechstunde.md"  # copied from the sample content
EDITS: dict[str, list[tuple[str, Edit]]] = {
    "posts": [
        ("title", replace(POST, "title: Ausblick auf den Sommer", "title: Ausblick auf den Sommer 2023")),
        ("date", replace(POST, "date: 2023-06-01", "date: 2023-06-03")),
        ("measures", replace(POST, "measure: [mach-mit, wue-app]", "measure: [mach-mit]")),
        ("status", replace("content/posts/2023-09-01-sonderzeichen.md", "\n---\n", "\nstatus: draft\n---\n")),
        ("deleted file", delete("content/posts/2023-05-02-erstes-treffen.md")),
    ],
    "site": [
        ("page", replace("content/pages/impressum.md", "---\n\nAngaben nach § 5 DDG.",
                         "---\n\nAngaben nach § 5 DDG, Stand heute.")),
        ("programme file", replace("content/programme.yml", 'title: "Mach mit"',
                                   'title: "Mach mit bei uns"')),
        ("template", replace("theme/templates/partials/footer.html", "Auf dem Laufenden bleiben",
                             "Immer auf dem Laufenden bleiben")),
    ],
    "more": [
        ("body text", replace(POST, "Im Sommer laden wir zu offenen Terminen ein.",
                              "Im Sommer laden wir zu offenen Terminen und Werkstätten ein.")),
        ("tags", replace(POST, "tags: Sommer, Beteiligung", "tags: Sommer, Beteiligung, Werkstatt")),
        ("event", replace(EVENT, "start: 2027-01-14 16:00", "start: 2027-01-14 15:00")),
        ("new file", create("content/posts/2023-10-01-neu.md",
                            "---\ntitle: Ein neuer Beitrag\ndate: 2023-10-01\nmeasure: mach-mit\n"
                            "summary: Neu im Herbst.\n---\n\nNeuer Text zum Herbst.\n")),
    ],
}
# Edits only of a post's text are the common case: they must stay incremental, not just correct.
PLANNED = {"body text"}


def build(work: Path, output: Path, cache: bool, env: dict[str, str] | None = None) -> str:
    settings = work / "settings.py"
    settings.write_text("from pelicanconf import *  # noqa\n"
                        f"CACHE_PATH = {str(work / 'cache')!r}\nTHEME = {str(work / 'theme')!r}\n",
                        encoding="utf-8")
    if not cache:  # a clean build needs no process of its own (tests/test_stateless.py)
        run = run_build(work, work / "content", output, programme=work / "content" / "programme.yml",
                        settings=settings, env={"SLS_PRINT": "0", "SLS_SEARCH_INDEX": "1", **(env or {})})
        assert run.code == 0, run.stderr
        return run.stdout
    done = subprocess.run([sys.executable, "-m", "pipeline.build", "--settings", str(settings),
                           "--content", str(work / "content"), "--output", str(output),
                           *(["--cache"] if cache else [])],
                          cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "SLS_PRINT": "0",
                               **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("group", sorted(EDITS))
def test_each_kind_of_edit_rebuilds_like_a_clean_build(group: str, tmp_path: Path,
                                                       good_content: Path) -> None:
    shutil.move(good_content, tmp_path / "content")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    (tmp_path / EVENT).parent.mkdir()
    shutil.copy(ROOT / EVENT, tmp_path / EVENT)
    build(tmp_path, tmp_path / "dev", cache=True)
    for kind, apply in EDITS[group]:
        apply(tmp_path)
        report = build(tmp_path, tmp_path / "dev", cache=True)
        if kind in PLANNED:
            assert "nur das Geänderte neu erstellt" in report, (kind, report)
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        build(tmp_path, tmp_path / "clean", cache=False)
        dev, clean = snapshot(tmp_path / "dev"), snapshot(tmp_path / "clean")
        differ = sorted(k for k in dev.keys() | clean.keys() if dev.get(k) != clean.get(k))
        assert differ == [], kind


def test_after_a_rebuild_the_search_finds_the_edit(tmp_path: Path, good_content: Path, browser) -> None:
    """The rebuild returns before the index is rewritten; the search finds the new word soon
    after, on the site as served; a build that starts meanwhile stops the stale refresh first."""
    from checks.server import StaticServer, free_port

    shutil.move(good_content, tmp_path / "content")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    build(tmp_path, tmp_path / "dev", cache=True)
    replace(POST, "Im Sommer laden wir", "Im Sommer laden wir zum Zauberwortfest")(tmp_path)
    assert "nur das Geänderte neu erstellt" in build(tmp_path, tmp_path / "dev", cache=True)

    with StaticServer(tmp_path / "dev", free_port()) as base:
        page = browser.new_context(locale="de-DE").new_page()

        def titles_found() -> list[str]:
            # The index is refreshed after the build: ask again until it answers with the edit.
            page.goto(base + "/suche/?q=Zauberwortfest")
            page.locator("#suche-status", has_text=re.compile("Treffer|nicht verfügbar")).wait_for()
            return page.locator(".sls-search__title").all_inner_texts()

        found = wait_for(titles_found, "the search finds the edited post", 60)
        page.context.close()
    assert [title.strip() for title in found] == ["Ausblick auf den Sommer"]
    # Rebuilds in a row stay incremental, and each stops the stale refresh of the one before.
    for _ in range(2):
        assert "nur das Geänderte neu erstellt" in build(tmp_path, tmp_path / "dev", cache=True)
        # Until the last refresh is done, the previous index serves the searches.
        assert (tmp_path / "dev" / "pagefind" / "pagefind.js").is_file()
    from plugins.search.indexer import refresh_running

    wait_for(lambda: refresh_running(tmp_path / "dev") is None, "the search refresh ends", 60)
    assert refresh_running(tmp_path / "dev") is None
    assert (tmp_path / "dev" / "pagefind" / "pagefind.js").is_file()
    assert not (tmp_path / "dev" / ".pagefind-next").exists()  # nothing left of the stopped ones


def test_a_rebuild_indexes_again_only_the_part_of_the_index_with_the_edited_post(
        tmp_path: Path, good_content: Path) -> None:
    from plugins.search.indexer import refresh_running

    shutil.move(good_content, tmp_path / "content")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    parts = {"SLS_SEARCH_PART_PAGES": "2"}
    build(tmp_path, tmp_path / "dev", cache=True, env=parts)
    bundle = tmp_path / "dev" / "pagefind"
    # A part kept is the same files (hard links when the main index was renewed around it).
    before = {part.name: (part / "pagefind-entry.json").stat().st_ino for part in bundle.glob("teil-*")}
    assert len(before) >= 2
    # Each fragment of Pagefind's index is one page (gzip): the part whose fragments name the post.
    holding = [part.name for part in bundle.glob("teil-*")
               if any(b'"url":"/aktuelles/2023/ausblick' in gzip.decompress(f.read_bytes())
                      for f in (part / "fragment").iterdir())]
    assert len(holding) == 1
    replace(POST, "Im Sommer laden wir", "Im Sommer laden wir zum Zauberwortfest")(tmp_path)
    assert "nur das Geänderte neu erstellt" in build(tmp_path, tmp_path / "dev", cache=True, env=parts)
    wait_for(lambda: refresh_running(tmp_path / "dev") is None, "the search refresh ends", 60)
    after = {part.name: (part / "pagefind-entry.json").stat().st_ino for part in bundle.glob("teil-*")}
    assert sorted(after) == sorted(before)
    assert [name for name in after if after[name] != before[name]] == holding
    assert [child.name for child in bundle.iterdir() if child.name.startswith(".")] == []
