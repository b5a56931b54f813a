"""Which pages a development rebuild renders again: the plan, from the last build's manifest."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from conftest import PROGRAMME

from plugins.engine.plan import edit_plan, make_plan, write_manifest
from plugins.programme.programme_file import load_programme


@dataclass(frozen=True)
class Post:
    """What the plan reads of an article (Pelican's objects carry the same attributes)."""

    source_path: str
    slug: str
    measure_slugs: list[str]
    tags: list = field(default_factory=list)
    status: str = "published"
    date: datetime = datetime(2026, 11, 1, 10, tzinfo=ZoneInfo("Europe/Berlin"))

    @property
    def save_as(self) -> str:
        return f"aktuelles/2026/{self.slug}/index.html"


def tag(slug: str) -> SimpleNamespace:
    return SimpleNamespace(slug=slug)


@pytest.fixture
def site(tmp_path: Path):
    content, previous, theme = tmp_path / "content", tmp_path / "previous", tmp_path / "theme"
    for folder in (content / "posts", previous, theme):
        folder.mkdir(parents=True)
    settings = {"PATH": str(content), "THEME": str(theme), "CACHE_PATH": str(tmp_path / "cache"),
                "PROGRAMME_FILE": str(PROGRAMME), "INCREMENTAL_FROM": str(previous), "SITENAME": "x"}
    posts = []
    for name, measures, tags in (("a", ["meet-me"], ["daten"]), ("b", ["wue-app"], ["kultur"])):
        path = content / "posts" / f"{name}.md"
        path.write_text("Text", encoding="utf-8")
        posts.append(Post(str(path), name, measures, [tag(t) for t in tags]))
    write_manifest(settings, posts)
    return settings, posts


def edit(post: Post) -> None:
    stamp = os.stat(post.source_path).st_mtime + 10
    os.utime(post.source_path, (stamp, stamp))


@pytest.fixture(scope="module")
def programme():
    return load_programme(PROGRAMME)


def test_nothing_edited_means_nothing_to_render(site, programme) -> None:
    settings, posts = site
    plan = make_plan(settings, posts, programme)
    assert plan is not None and not (plan.articles or plan.tags or plan.measures or plan.clusters)


def test_a_body_edit_renders_the_post_its_tags_measures_and_clusters(site, programme) -> None:
    settings, posts = site
    edit(posts[0])
    plan = make_plan(settings, posts, programme)
    assert plan is not None
    assert (plan.articles, plan.tags, plan.measures, plan.clusters) == (
        {posts[0].source_path}, {"daten"}, {"meet-me"}, {"kommunikation"})


@pytest.mark.parametrize("change", [{"slug": "neu"}, {"measure_slugs": ["mach-mit"]}, {"tags": [tag("neu")]},
                                    {"status": "draft"},
                                    {"date": datetime(2026, 11, 2, tzinfo=ZoneInfo("Europe/Berlin"))}])
def test_an_edit_that_moves_the_post_needs_a_full_build(site, programme, change) -> None:
    settings, posts = site
    edit(posts[0])
    moved = [replace(posts[0], **change), posts[1]]
    assert make_plan(settings, moved, programme) is None
    assert edit_plan(settings, moved[:1], programme) is None


def test_a_new_post_a_changed_setting_or_no_previous_site_need_a_full_build(site, programme,
                                                                            tmp_path: Path) -> None:
    settings, posts = site
    extra = tmp_path / "content" / "posts" / "c.md"
    extra.write_text("Text", encoding="utf-8")
    assert make_plan(settings, [*posts, Post(str(extra), "c", ["meet-me"])], programme) is None
    assert make_plan({**settings, "SITENAME": "anders"}, posts, programme) is None
    assert make_plan({**settings, "INCREMENTAL_FROM": str(tmp_path / "weg")}, posts, programme) is None


def test_a_changed_page_or_theme_file_needs_a_full_build(site, programme, tmp_path: Path) -> None:
    settings, posts = site
    (tmp_path / "theme" / "base.html").write_text("<html>", encoding="utf-8")
    assert make_plan(settings, posts, programme) is None


def test_the_preview_plans_exactly_the_edits_it_was_told_about(site, programme) -> None:
    settings, posts = site
    plan = edit_plan(settings, posts[1:], programme)
    assert plan is not None and plan.articles == {posts[1].source_path} and plan.measures == {"wue-app"}
