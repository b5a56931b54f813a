"""A process that builds again and again (the live preview, the test suite) keeps nothing of
its earlier builds: Pelican memoizes every post's content on its class and never lets go, so
every build's posts, settings, generators and templates stayed alive in the process."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from conftest import ROOT

from pipeline.build import build


def test_a_build_keeps_nothing_of_the_build_before(tmp_path: Path, good_content: Path) -> None:
    first = build(ROOT / "pelicanconf.py", tmp_path / "site", good_content, keep_generators=True)
    assert first.ok, first.report()
    posts = [post for generator in first.generators for post in getattr(generator, "articles", [])]
    assert posts and all(post.content for post in posts)  # rendered: Pelican's memo holds them
    gone = [weakref.ref(post) for post in posts] + [weakref.ref(first.generators[0])]
    del first, posts

    second = build(ROOT / "pelicanconf.py", tmp_path / "site", good_content)
    assert second.ok, second.report()
    gc.collect()
    assert [ref for ref in gone if ref() is not None] == []
