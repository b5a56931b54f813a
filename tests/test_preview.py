"""The live preview: every save rebuilds through the incremental plan; mistakes never replace the site."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import FIXTURES, snapshot
from waiting import poll, wait_for
from watchfiles import Change

from pipeline.build import build
from pipeline.preview import UNPUBLISHED, Preview


def article(output: Path) -> Path:
    return output / "aktuelles" / "2023" / "ausblick" / "index.html"


def settings(tmp_path: Path) -> Path:
    """Development settings with this test's own content cache (tests may run in parallel)."""
    path = tmp_path / "preview_settings.py"
    path.write_text(f"from pelicanconf import *  # noqa\nCACHE_PATH = {str(tmp_path / 'cache')!r}\n",
                    encoding="utf-8")
    return path


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5  # mtime must differ even on coarse file systems
    os.utime(path, (stamp, stamp))


def test_saved_post_is_shown_first_then_the_site_equals_a_clean_build(
        tmp_path: Path, good_content: Path) -> None:
    output = tmp_path / "output"
    preview = Preview(settings(tmp_path), output, str(good_content))
    assert preview.build().ok
    home_before = (output / "index.html").read_text(encoding="utf-8")
    post = good_content / "posts" / "2023-06-01-ausblick.md"
    save(post, post.read_text(encoding="utf-8") + "\nNeu: Sommerfest im Newsroom.\n")
    seen_first: dict[str, str] = {}

    def first_step(line: str, result) -> None:  # before the rebuild: the post's page alone is fresh
        if result is None:
            seen_first.update(line=line, page=article(output).read_text(encoding="utf-8"),
                              home=(output / "index.html").read_text(encoding="utf-8"))

    line = preview.on_changes({(Change.modified, str(post))}, first_step)

    assert "Vorschau aktualisiert" in seen_first["line"]
    assert "Sommerfest im Newsroom" in seen_first["page"] and seen_first["home"] == home_before
    assert line is not None and "2023-06-01-ausblick.md" in line and "Website gebaut" in line
    assert "Sommerfest im Newsroom" in article(output).read_text(encoding="utf-8")
    assert build(settings(tmp_path), tmp_path / "clean", good_content, overrides=UNPUBLISHED).ok
    assert snapshot(output) == snapshot(tmp_path / "clean")


def test_a_mistake_is_reported_and_the_last_good_page_stays(tmp_path: Path, good_content: Path) -> None:
    output = tmp_path / "output"
    preview = Preview(settings(tmp_path), output, str(good_content))
    assert preview.build().ok
    before = article(output).read_text(encoding="utf-8")
    post = good_content / "posts" / "2023-06-01-ausblick.md"
    save(post, post.read_text(encoding="utf-8").replace("measure: [mach-mit, wue-app]", "measure: [mach-mt]"))

    steps: list[tuple[str, object]] = []
    line = preview.on_changes({(Change.modified, str(post))},
                              lambda text, result: steps.append((text, result)))

    assert [result for _text, result in steps if result is None] == []  # no page written on a mistake
    assert line is not None and "unbekannte Maßnahme „mach-mt“" in line
    assert article(output).read_text(encoding="utf-8") == before


def test_a_new_post_is_not_written_alone(tmp_path: Path, good_content: Path) -> None:
    preview = Preview(settings(tmp_path), tmp_path / "output", str(good_content))
    assert preview.build().ok
    new = good_content / "posts" / "2026-11-02-neu.md"
    shutil.copy(FIXTURES / "cms-post.md", new)
    assert not preview.write_edited([str(new)])  # lists and links change: only a rebuild is right


def test_scratch_files_of_editors_trigger_nothing(tmp_path: Path, good_content: Path) -> None:
    preview = Preview(settings(tmp_path), tmp_path / "output", str(good_content))
    scratch = good_content / "posts" / ".#2023-06-01-ausblick.md"
    assert preview.on_changes({(Change.added, str(scratch)), (Change.modified, str(scratch) + "~")}) is None


@contextmanager
def watching(preview: Preview, report) -> Iterator[None]:
    """``preview.watch`` in a thread of its own while the block runs."""
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(report, stop), daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(5)


def save_until(post: Path, text: str, rebuilt: threading.Event, what: str, seconds: float,
               each: float) -> None:
    """Save ``post`` again until ``rebuilt`` is set: the watcher gives no sign that it watches."""
    def saved_and_rebuilt() -> bool:
        save(post, text)
        return rebuilt.wait(each)

    wait_for(saved_and_rebuilt, what, seconds)


def test_the_watcher_rebuilds_after_a_real_save(tmp_path: Path, good_content: Path) -> None:
    output = tmp_path / "output"
    preview = Preview(settings(tmp_path), output, str(good_content))
    assert preview.build().ok
    rebuilt: list[str] = []
    done = threading.Event()

    def report(line: str, _result) -> None:
        rebuilt.append(line)
        if "Website gebaut" in line:
            done.set()

    with watching(preview, report):
        post = good_content / "posts" / "2023-06-01-ausblick.md"
        edited = post.read_text(encoding="utf-8") + "\nNeu: Lesung im Newsroom.\n"
        save_until(post, edited, done, "a rebuild after a save", 20, each=0.2)
    assert "Vorschau aktualisiert" in rebuilt[0]
    assert "Lesung im Newsroom" in article(output).read_text(encoding="utf-8")


def test_drafts_and_scheduled_posts_are_previewed_marked_and_never_built_otherwise(
        tmp_path: Path, good_content: Path) -> None:
    output = tmp_path / "output"
    preview = Preview(settings(tmp_path), output, str(good_content))
    assert preview.build().ok
    pages = preview.unpublished_pages()
    assert len(pages) == 2, pages
    texts = [(output / page / "index.html").read_text(encoding="utf-8") for page in pages]
    assert any("Vorschau: Entwurf – nicht veröffentlicht" in t and "Noch nicht fertig" in t for t in texts)
    assert any("Vorschau: erscheint am 1. Januar 2099" in t for t in texts)
    assert build(settings(tmp_path), tmp_path / "site", good_content).ok
    assert not (tmp_path / "site" / "entwurf").exists()


def test_a_preview_on_its_own_port_writes_its_own_address_into_its_own_folder(
        tmp_path: Path, good_content: Path) -> None:
    # `make serve PORT=8001` wrote 127.0.0.1:8000 into canonical links, feeds, calendars and QR
    # codes, into output/, where a build for publishing may wait.
    published = tmp_path / "output"
    assert build(settings(tmp_path), published, good_content, overrides={"LOAD_CONTENT_CACHE": True,
                                                                         "CACHE_CONTENT": True}).ok
    before = snapshot(published)
    preview = Preview(settings(tmp_path), tmp_path / "preview", str(good_content),
                      public_url="http://127.0.0.1:8001")
    assert preview.build().ok
    post = good_content / "posts" / "2023-06-01-ausblick.md"
    save(post, post.read_text(encoding="utf-8") + "\nNeu: ein Satz nur in der Vorschau.\n")
    assert preview.build().ok  # a rebuild of the preview, planned against the preview's own site
    assert snapshot(published) == before
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "preview").rglob("*")
             if p.is_file() and p.suffix in {".html", ".xml", ".ics", ".txt"}]
    assert any("127.0.0.1:8001" in text for text in texts)
    assert not [text for text in texts if "127.0.0.1:8000" in text]
    # The published folder's next development rebuild compares with its own last build: it shows
    # the edit like a clean build does.
    assert build(settings(tmp_path), published, good_content, overrides={"LOAD_CONTENT_CACHE": True,
                                                                         "CACHE_CONTENT": True}).ok
    assert "ein Satz nur in der Vorschau" in article(published).read_text(encoding="utf-8")


def test_a_file_name_that_is_no_utf8_is_reported_readably_and_the_watcher_goes_on(
        tmp_path: Path, good_content: Path) -> None:
    import json

    from pipeline.dev_server import PreviewState

    output = tmp_path / "output"
    preview = Preview(settings(tmp_path), output, str(good_content))
    assert preview.build().ok
    lines: list[str] = []
    state = PreviewState()
    rebuilt = threading.Event()

    def report(line: str, result) -> None:
        lines.append(line)
        if result is not None:
            state.built(result.ok, line)
        if "Website gebaut" in line:
            rebuilt.set()

    bad = os.path.join(os.fsencode(good_content / "posts"), b"2023-08-01-kaputt\xff.md")
    post = good_content / "posts" / "2023-06-01-ausblick.md"
    with watching(preview, report):
        def reported() -> bool:
            # Written again until the watcher (which gives no sign that it watches) sees it.
            with open(bad, "wb") as handle:
                handle.write(post.read_bytes())
            return poll(lambda: any("kaputt" in line for line in lines), 0.5)

        wait_for(reported, "the file with a name that is no UTF-8 reported", 30)
        os.remove(bad)
        edited = post.read_text(encoding="utf-8") + "\nNeu: Lesung im Newsroom.\n"
        save_until(post, edited, rebuilt, "a rebuild after the file is gone", 30, each=0.5)
    said = "\n".join(lines)
    assert "kaputt\\xff" in said or "kaputt\\udcff" in said, said
    said.encode("utf-8")  # each line can be printed and sent to the open tab
    json.loads(state.as_json())
    assert "Lesung im Newsroom" in article(output).read_text(encoding="utf-8")
