"""Incremental development rebuilds (`make build` after a first build, `invoke serve`,
`pipeline.build --cache`): render only what a post edit can change. The staging folder of such
a build holds only those files; pipeline.build moves them into the previous site, which keeps
everything else."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from plugins.programme.build_state import PerBuild, state_of

from .plan import Plan, make_plan, manifest_data, write_manifest

SETTING = "SLS_INCREMENTAL"


class IncrementalState(PerBuild):
    """This build's plan (None: a full build) and the articles it read."""

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.articles: list = []
        self.manifest: dict | None = None  # made while the build waits for its writers, if it does


def _state(settings) -> IncrementalState:
    return settings.setdefault(SETTING, IncrementalState())


class _ReusePages:
    """A template stand-in for paginated lists: a page that lists none of the changed posts
    is exactly the page of the previous build, which keeps it; only the others are rendered."""

    def __init__(self, template, writer: IncrementalWriter) -> None:
        self.template, self.writer = template, writer

    def render(self, context) -> str:
        page = context.get("articles_page")
        old = self.writer.previous / context.get("output_file", "")
        if page is not None and old.is_file() and not any(
                a.source_path in self.writer.plan.articles for a in page.object_list):
            self.writer.skip_next = True
            return ""
        return self.template.render(context)


class SkippingWriter(Writer):
    """Pelican's writer, told by a template stand-in that the page it renders has nothing to
    write (``skip_next``): Pelican's steps around it run, no file is opened, and nothing is
    announced. ``content_written`` reaches plugins only for a file that exists, in the process
    that wrote it: a third-party plugin that post-processes written files (e.g. rewrites their
    images) sees each file once, after it is written, in a split build as in a serial one."""

    skip_next = False
    _muted: ExitStack | None = None

    def _open_w(self, filename, encoding, override=False):
        self._announce()
        if self.skip_next:
            self.skip_next = False
            # Pelican sends content_written right after this file is closed: not for this one.
            self._muted = ExitStack()
            self._muted.enter_context(signals.content_written.muted())
            return open(os.devnull, "w", encoding=encoding)
        return self._open_target(filename, encoding, override)

    def _announce(self) -> None:
        """Written files are announced again (the next page may be this process's)."""
        if self._muted is not None:
            self._muted.close()
            self._muted = None

    def write_file(self, *args, **kwargs):
        try:
            return super().write_file(*args, **kwargs)
        finally:
            self._announce()

    def _open_target(self, filename, encoding, override):
        return super()._open_w(filename, encoding, override)


class IncrementalWriter(SkippingWriter):
    """Writes only pages the plan touches; the previous site keeps all others."""

    plan: Plan = Plan()
    previous: Path = Path()

    def _open_target(self, filename, encoding, override):
        # The live preview writes into the served site, whose files may be hard links (the print
        # cache's PDFs, an older site): replace them, never write through a link.
        if os.path.isfile(filename):
            os.unlink(filename)
        return super()._open_target(filename, encoding, override)

    def write_file(self, name, template, context, *args, **kwargs):
        plan = self.plan
        article = kwargs.get("article")
        if article is not None and article.source_path not in plan.articles:
            return None
        tag = kwargs.get("tag")
        if tag is not None and tag.slug not in plan.tags:
            return None
        measure, cluster = kwargs.get("measure"), kwargs.get("cluster")
        if measure is not None and measure.slug not in plan.measures:
            return None
        if cluster is not None and cluster.slug not in plan.clusters:
            return None
        event = kwargs.get("event")  # an event page shows its related posts, nothing else can change
        if event is not None and not self._shows_edit(event.related_posts):
            return None
        # A newsletter issue's page shows its posts (and events: an event edit is a full build);
        # the archive each issue's subject and number of posts.
        issue = kwargs.get("issue")
        if issue is not None and not self._shows_edit(issue.posts):
            return None
        issues = kwargs.get("issues")
        if issues is not None and not any(self._shows_edit(i.posts) for i in issues):
            return None
        return super().write_file(name, _ReusePages(template, self), context, *args, **kwargs)

    def _shows_edit(self, posts) -> bool:
        return any(post.source_path in self.plan.articles for post in posts)


def start_build(pelican) -> None:
    pelican.settings[SETTING] = IncrementalState()


def plan_rebuild(generators) -> None:
    """Decide, once everything is read, what this build must render again."""
    context = generators[0].context
    state = _state(generators[0].settings)
    state.articles = [a for g in generators if isinstance(g, ArticlesGenerator)
                      for a in (*g.articles, *g.translations)]
    settings = generators[0].settings
    state.plan = make_plan(settings, state.articles, state_of(settings).programme)
    context["INCREMENTAL_PLAN"] = state.plan

    def prepare_manifest() -> None:
        # Reads only the sources and the articles, never the output: it may run at any point.
        state.manifest = manifest_data(settings, state.articles, state.plan)

    state_of(settings).idle_work.append(prepare_manifest)


def was_planned(settings) -> bool:
    """Whether the build that used ``settings`` rendered only what its plan named."""
    state = settings.get(SETTING)
    return isinstance(state, IncrementalState) and state.plan is not None


def planned_writer(plan: Plan, previous: Path) -> type[IncrementalWriter]:
    """A writer class that renders only what ``plan`` names (the rest comes from ``previous``)."""
    return type("PlannedWriter", (IncrementalWriter,), {"plan": plan, "previous": previous})


def writer_class(pelican):
    plan = _state(pelican.settings).plan
    if plan is None:
        return None
    return planned_writer(plan, Path(pelican.settings["INCREMENTAL_FROM"]))


def finish(pelican) -> None:
    settings = pelican.settings
    state = _state(settings)
    # Stored only now: a manifest of a build that failed would describe a site that is not there.
    write_manifest(settings, state.articles, state.plan, state.manifest)


def register() -> None:
    signals.initialized.connect(start_build)
    signals.all_generators_finalized.connect(plan_rebuild)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(finish)
