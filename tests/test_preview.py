"""The live preview: a saved post is re-rendered alone; anything else takes a full build."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from conftest import FIXTURES, ROOT

from pipeline.preview import Preview


def article(output: Path) -> Path:
    return output / "aktuelles" / "2023" / "ausblick-auf-den-sommer" / "index.html"


def touch_later(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5  # mtime must differ even on coarse file systems
    os.utime(path, (stamp, stamp))


def test_saved_post_is_rerendered_alone_then_a_full_build_follows(
        tmp_path: Path, good_content: Path) -> None:
    content = good_content
    output = tmp_path / "output"
    preview = Preview(ROOT / "pelicanconf.py", output, str(content))
    assert preview.full().ok
    index_before = (output / "index.html").read_text(encoding="utf-8")

    post = content / "posts" / "2023-06-01-ausblick.md"
    touch_later(post, post.read_text(encoding="utf-8") + "\nNeu: Sommerfest im Newsroom.\n")
    posts = preview.changed_posts()
    assert posts == [post]
    assert preview.fast(posts)
    assert "Sommerfest im Newsroom" in article(output).read_text(encoding="utf-8")
    assert (output / "index.html").read_text(encoding="utf-8") == index_before  # only the post

    touch_later(post, post.read_text(encoding="utf-8").replace("measure: [mach-mit, wue-app]",
                                                               "measure: [mach-mt]"))
    message = preview.on_change()  # a mistake: no fast path, the full build reports it
    assert "unbekannte Maßnahme „mach-mt“" in message
    assert "Sommerfest im Newsroom" in article(output).read_text(encoding="utf-8")


def test_new_file_needs_a_full_build(tmp_path: Path, good_content: Path) -> None:
    content = good_content
    preview = Preview(ROOT / "pelicanconf.py", tmp_path / "output", str(content))
    assert preview.full().ok
    shutil.copy(FIXTURES / "cms-post.md", content / "posts" / "2026-11-02-neu.md")
    assert preview.changed_posts() is None
