"""The feeds in a real feed reader: newsboat (Debian package) fetches every feed of a build
over HTTP on loopback, as a subscriber's reader would, and stores what it understood in its
SQLite cache; the tests read that cache. An edit must update the entry the reader already has,
not add a second one."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import copy_good_content, run_build
from test_events import PLACE, event
from test_feeds import SPECIAL_TITLE, expected_feed_paths

pytestmark = pytest.mark.slow  # newsboat, a real feed reader

NOW = {"SLS_NOW": "2026-03-01T12:00"}
PUBLISHED = {"Erstes Treffen im Newsroom: Fragen & Antworten", "Ausblick auf den Sommer",
             SPECIAL_TITLE}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """A built site (good fixtures and one event) served over HTTP: (work, content, base URL)."""
    work = tmp_path_factory.mktemp("reader")
    content = copy_good_content(work / "content")
    event(content, "sprechstunde", extra=PLACE, title="Sprechstunde im Newsroom")
    rebuild(work, content)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(Quiet, directory=str(work / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield work, content, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def rebuild(work: Path, content: Path) -> None:
    run = run_build(work, content, work / "output", env=NOW)
    assert run.code == 0, run.stderr


def reload(folder: Path, urls: list[str]) -> sqlite3.Connection:
    """Let newsboat fetch ``urls`` into its cache in ``folder``, as `newsboat -x reload` does."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "urls").write_text("".join(f"{url}\n" for url in urls), encoding="utf-8")
    (folder / "config").write_text("", encoding="utf-8")
    done = subprocess.run(
        ["newsboat", "-u", str(folder / "urls"), "-c", str(folder / "cache.db"),
         "-C", str(folder / "config"), "-x", "reload"],
        capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(folder)},
    )
    assert done.returncode == 0, done.stderr
    return sqlite3.connect(folder / "cache.db")


def items(cache: sqlite3.Connection, url: str) -> dict[str, tuple]:
    rows = cache.execute("SELECT title, url, author, pubDate, content, guid FROM rss_item "
                         "WHERE feedurl = ?", (url,))
    return {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize("path", sorted(f"feeds/{name}" for name in expected_feed_paths()))
def test_newsboat_reads_every_feed_with_its_title_and_entries(
        site: tuple[Path, Path, str], tmp_path: Path, path: str) -> None:
    _work, _content, base = site
    # One cache per feed: newsboat keeps one entry per id across all feeds of a cache.
    cache = reload(tmp_path, [f"{base}/{path}"])
    title, = cache.execute("SELECT title FROM rss_feed WHERE rssurl = ?", (f"{base}/{path}",)).fetchone()
    assert title.startswith("stadt.land.smart – "), title
    got = items(cache, f"{base}/{path}")
    assert not {"Noch nicht fertig", "Beitrag aus der Zukunft"} & set(got)
    if path.startswith("feeds/all."):
        assert PUBLISHED | {"Termin: Sprechstunde im Newsroom"} <= set(got)
    for item_title, (link, _author, published, body, guid) in got.items():
        assert link.startswith("http") and link.endswith("/"), (item_title, link)
        assert published > 0 and guid.startswith("tag:"), item_title
        assert body.strip().startswith("<"), item_title  # the whole post as HTML, not a teaser


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_newsboat_shows_escaped_title_author_date_and_full_text(
        site: tuple[Path, Path, str], tmp_path: Path, fmt: str) -> None:
    _work, _content, base = site
    url = f"{base}/feeds/all.{fmt}.xml"
    link, author, published, body, _guid = items(reload(tmp_path, [url]), url)[SPECIAL_TITLE]
    assert "Redaktion" in author and "Team Hub" in author
    # 2023-09-01 08:15 in Würzburg is 06:15 UTC (summer time).
    assert datetime.fromtimestamp(published, UTC) == datetime(2023, 9, 1, 6, 15, tzinfo=UTC)
    assert "/aktuelles/2023/" in link
    assert "Der Hub sammelt Daten über Straßen und Plätze" in body
    assert "<h2" in body


def test_an_edited_post_updates_the_entry_the_reader_has(
        site: tuple[Path, Path, str], tmp_path: Path) -> None:
    work, content, base = site
    url = f"{base}/feeds/all.atom.xml"
    before = items(reload(tmp_path, [url]), url)
    post = content / "posts" / "2023-06-01-ausblick.md"
    original = post.read_text(encoding="utf-8")
    # A corrected title (the address comes from the file name: it stays), and a body edit.
    edited = original.replace("title: Ausblick auf den Sommer", "title: Ausblick auf den Herbst", 1)
    edited = edited.replace("Im Sommer laden wir", "Im Herbst laden wir", 1)
    assert edited.count("Herbst") == 2
    try:
        post.write_text(edited, encoding="utf-8")
        rebuild(work, content)
        after = items(reload(tmp_path, [url]), url)
    finally:
        post.write_text(original, encoding="utf-8")
        rebuild(work, content)
    assert "Ausblick auf den Sommer" not in after, sorted(after)
    assert len(after) == len(before)
    link, _author, _published, body, guid = after["Ausblick auf den Herbst"]
    assert "Im Herbst laden wir" in body
    assert (link, guid) == (before["Ausblick auf den Sommer"][0], before["Ausblick auf den Sommer"][4])
