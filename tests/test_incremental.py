"""Development rebuilds render only what an edit changes, and end up identical to a full build."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_build, snapshot

pytestmark = pytest.mark.slow  # several whole builds per test


def build(tmp_path: Path, content: Path, output: Path, cache: bool) -> None:
    settings = tmp_path / "settings.py"
    settings.write_text("from pelicanconf import *  # noqa\n"
                        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n", encoding="utf-8")
    if not cache:  # a clean build needs no process of its own (tests/test_stateless.py)
        run = run_build(tmp_path, content, output, programme=content / "programme.yml", settings=settings,
                        env={"SLS_SEARCH_INDEX": "1", "SLS_PRINT": "1"})
        assert run.code == 0, run.stderr
        return
    done = subprocess.run([sys.executable, "-m", "pipeline.build", "--settings", str(settings),
                           "--content", str(content), "--output", str(output),
                           *(["--cache"] if cache else [])],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def test_body_edit_rebuild_equals_a_full_build(tmp_path: Path, good_content: Path) -> None:
    content = good_content
    build(tmp_path, content, tmp_path / "dev", cache=True)
    post = content / "posts" / "2023-06-01-ausblick.md"
    edit(post, "Im Sommer laden wir", "Im Sommer 2023 laden wir")
    edit(post, "summary: Was im Sommer ansteht.", "summary: Was im Sommer alles ansteht.")

    build(tmp_path, content, tmp_path / "dev", cache=True)
    build(tmp_path, content, tmp_path / "full", cache=False)

    assert snapshot(tmp_path / "dev") == snapshot(tmp_path / "full")
    page = (tmp_path / "dev" / "aktuelles" / "2023" / "ausblick" / "index.html")
    assert "Im Sommer 2023 laden wir" in page.read_text(encoding="utf-8")
    assert "Was im Sommer alles ansteht." in (tmp_path / "dev" / "index.html").read_text(encoding="utf-8")


def _stale_reading(cache: Path, post: str, stamp: str | None) -> None:
    """The cache as older code left it: the post's cached HTML differs; ``stamp`` is the code's."""
    readers = cache / "ArticlesGenerator-Readers"
    with readers.open("rb") as stream:
        known = pickle.load(stream)
    key = next(k for k in known if k.endswith(post))
    file_stamp, (html, metadata) = known[key]
    known[key] = (file_stamp, (html.replace("Im Sommer", "Von alter Software"), metadata))
    with readers.open("wb") as stream:
        pickle.dump(known, stream)
    if stamp is not None:
        (cache / "reader-code.sha256").write_text(stamp, encoding="ascii")


def test_an_update_of_the_renderer_renders_unchanged_posts_anew(tmp_path: Path, good_content: Path) -> None:
    page = tmp_path / "dev" / "aktuelles" / "2023" / "ausblick" / "index.html"
    build(tmp_path, good_content, tmp_path / "dev", cache=True)
    # Without a code update the cached form is used (programme data changed: a full build) ...
    _stale_reading(tmp_path / "cache", "2023-06-01-ausblick.md", stamp=None)
    os.utime(good_content / "programme.yml")
    build(tmp_path, good_content, tmp_path / "dev", cache=True)
    assert "Von alter Software" in page.read_text(encoding="utf-8")
    # ... after one, no post keeps what the older code made of it.
    _stale_reading(tmp_path / "cache", "2023-06-01-ausblick.md", stamp="older code")
    os.utime(good_content / "programme.yml")
    build(tmp_path, good_content, tmp_path / "dev", cache=True)
    build(tmp_path, good_content, tmp_path / "full", cache=False)
    assert "Von alter Software" not in page.read_text(encoding="utf-8")
    assert snapshot(tmp_path / "dev") == snapshot(tmp_path / "full")


def test_edits_that_move_a_post_between_lists_rebuild_everything(
        tmp_path: Path, good_content: Path) -> None:
    content = good_content
    build(tmp_path, content, tmp_path / "dev", cache=True)
    edit(content / "posts" / "2023-06-01-ausblick.md", "tags: Sommer, Beteiligung", "tags: Sommer, Kultur")
    shutil.copy(FIXTURES / "cms-post.md", content / "posts" / "2026-11-02-neu.md")

    build(tmp_path, content, tmp_path / "dev", cache=True)
    build(tmp_path, content, tmp_path / "full", cache=False)

    assert snapshot(tmp_path / "dev") == snapshot(tmp_path / "full")
    assert (tmp_path / "dev" / "themen" / "kultur" / "index.html").is_file()


def test_with_events_a_post_edit_and_an_event_edit_rebuild_like_a_full_build(
        tmp_path: Path, good_content: Path) -> None:
    content = good_content
    (content / "termine").mkdir()
    event = content / "termine" / "2026-03-treffen.md"
    event.write_text("---\ntitle: Treffen im Newsroom\nstart: 2026-03-12 17:00\nend: 2026-03-12 19:00\n"
                     "date: 2023-05-01 09:00\nmeasure: coworking-newsroom\nsummary: Fragen und Antworten.\n"
                     "place_name: Coworking Newsroom\nplace_town: Würzburg\n"
                     "posts: [ausblick]\n---\n", encoding="utf-8")
    build(tmp_path, content, tmp_path / "dev", cache=True)
    edit(content / "posts" / "2023-06-01-ausblick.md", "summary: Was im Sommer ansteht.",
         "summary: Was im Sommer alles ansteht.")
    build(tmp_path, content, tmp_path / "dev", cache=True)
    build(tmp_path, content, tmp_path / "full", cache=False)
    assert snapshot(tmp_path / "dev") == snapshot(tmp_path / "full")
    # The event page lists the related post: its new summary is there.
    page = tmp_path / "dev" / "termine" / "2026" / "treffen" / "index.html"
    assert "Was im Sommer alles ansteht." in page.read_text(encoding="utf-8")

    edit(event, "start: 2026-03-12 17:00\nend: 2026-03-12 19:00",
         "start: 2026-03-19 17:00\nend: 2026-03-19 19:00\nprevious_starts: [2026-03-12 17:00]")
    build(tmp_path, content, tmp_path / "dev", cache=True)
    build(tmp_path, content, tmp_path / "full", cache=False)
    assert snapshot(tmp_path / "dev") == snapshot(tmp_path / "full")
    assert "20260319T170000" in (tmp_path / "dev" / "kalender" / "alle.ics").read_text(encoding="utf-8")
