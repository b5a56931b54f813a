"""Incremental development rebuilds (`invoke serve`, `pipeline.build --cache`): render only
what a post edit can change and carry the rest over from the previous output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from .plan import Plan, make_plan, write_manifest

_state: dict = {}


class _ReusePages:
    """A template stand-in for paginated lists: a page that lists none of the changed posts
    is exactly the page of the previous build, so its text is reused instead of rendered."""

    def __init__(self, template, plan: Plan, previous: Path) -> None:
        self.template, self.plan, self.previous = template, plan, previous

    def render(self, context) -> str:
        page = context.get("articles_page")
        old = self.previous / context.get("output_file", "")
        if page is not None and old.is_file() and not any(
                a.source_path in self.plan.articles for a in page.object_list):
            return old.read_text(encoding="utf-8")
        return self.template.render(context)


class IncrementalWriter(Writer):
    """Skips pages the plan does not touch; they are carried over when the build ends."""

    plan: Plan = Plan()
    previous: Path = Path()

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
        return super().write_file(name, _ReusePages(template, plan, self.previous), context,
                                  *args, **kwargs)


def decide(generators) -> None:
    context = generators[0].context
    settings = generators[0].settings
    articles = [a for g in generators if isinstance(g, ArticlesGenerator)
                for a in (*g.articles, *g.translations)]
    _state.clear()
    _state["articles"] = articles
    plan = make_plan(settings, articles, context["programme"])
    context["INCREMENTAL_PLAN"] = plan
    _state["plan"] = plan


def writer_class(_pelican):
    plan = _state.get("plan")
    if plan is None:
        return None
    previous = Path(_pelican.settings["INCREMENTAL_FROM"])
    return type("PlannedWriter", (IncrementalWriter,), {"plan": plan, "previous": previous})


def finish(pelican) -> None:
    settings = pelican.settings
    write_manifest(settings, _state.get("articles", []))
    if _state.get("plan") is not None:
        carry_over(Path(settings["INCREMENTAL_FROM"]), Path(settings["OUTPUT_PATH"]))


def carry_over(previous: Path, output: Path) -> None:
    """Hard-link every file of the previous site that this build did not write.

    Links are safe here: nothing writes into this output again, and the next build
    writes into a fresh staging folder.
    """
    for folder, _dirs, files in os.walk(previous):
        relative = Path(folder).relative_to(previous)
        for name in files:
            target = output / relative / name
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(Path(folder) / name, target)
            except OSError:
                shutil.copy2(Path(folder) / name, target)


def register() -> None:
    signals.all_generators_finalized.connect(decide)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(finish)
