"""What a renderer hands the engine: its outputs, each saying which content it shows.

A renderer (``Renderer``) declares its outputs and never asks how the build runs: whether
this is a development rebuild that skips what an edit cannot change, or a cold build that
writes on every core, is the engine's decision alone (``plugins.engine``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pelican.generators import Generator

from .state import plan_of

# Which posts an output shows, by source path. ``ALWAYS``: it may show anything (the engine
# renders it in every build); ``NO_POSTS``: it shows programme data, settings and templates only,
# so a development rebuild after post edits keeps the last build's copy.
Shows = frozenset[str] | None
ALWAYS: Shows = None
NO_POSTS: Shows = frozenset()


def shows(items: Iterable[Any]) -> frozenset[str]:
    """The source paths of posts (or anything with a ``source_path``) an output lists."""
    return frozenset(path for item in items if (path := getattr(item, "source_path", None)))


@dataclass(frozen=True)
class Job:
    """One unit of writing: an output, or a page Pelican's own generators write."""

    run: Callable[[Any], None]  # called with the engine's writer
    shows: Shows
    weight: int = 1  # relative cost, so that a pool starts on the costly ones


class Output(Protocol):
    def job(self, generator: Any) -> Job: ...


@dataclass(frozen=True)
class Page:
    """A page rendered from one of the theme's templates."""

    path: str  # relative to the output folder
    template: str
    url: str
    shows: Shows
    values: Mapping[str, Any] = field(default_factory=dict)  # besides the shared context

    def job(self, generator: Any) -> Job:
        template, context = generator.get_template(self.template), generator.context

        def run(writer: Any) -> None:
            writer.render_page(self.path, template, context, url=self.url,
                               template_name=self.template, **self.values)
        return Job(run, self.shows)


@dataclass(frozen=True)
class Files:
    """Files made by a function: ``make`` returns (path relative to the output folder, content)
    pairs, best as a generator: each file is written as soon as it is made, and its content can
    be dropped before the next one is made. It may also write files of its own and return none."""

    make: Callable[[], Iterable[tuple[str, bytes]]]
    shows: Shows
    weight: int = 1

    def job(self, generator: Any) -> Job:
        output = generator.output_path

        def run(writer: Any) -> None:
            for relative, data in self.make():
                write_bytes(os.path.join(output, relative), data)
        return Job(run, self.shows, self.weight)


def write_bytes(target: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.isfile(target):  # never write through a hard link (the print cache, an older site)
        os.unlink(target)
    with open(target, "wb") as handle:
        handle.write(data)


class Renderer(Generator):  # type: ignore[misc]
    """A Pelican generator that declares its outputs (``outputs``) and lets the engine write
    them. Work that is not writing (which addresses redirect, each page's last change) belongs
    in ``prepare``, which runs in every build before the outputs are asked for."""

    def prepare(self) -> None:
        """Everything this renderer learns besides rendering; the default learns nothing."""

    def outputs(self) -> Iterable[Output]:
        raise NotImplementedError

    def generate_output(self, writer: Any) -> None:
        self.prepare()
        for output in self.outputs():
            job = output.job(self)
            submit = getattr(writer, "submit", None)
            if submit is not None:
                submit(job)
            else:  # Pelican's own writer (the engine not enabled): write at once
                job.run(_PlainWriter(writer))


class _PlainWriter:
    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def render_page(self, *args: Any, **kwargs: Any) -> None:
        self.writer.write_file(*args, **kwargs)


def select(settings: Mapping[str, Any], items: Iterable[Any],
           shows_of: Callable[[Any], Shows]) -> list[Any]:
    """The ``items`` this build must make (all of them, unless a development rebuild proved
    that what an item shows is unchanged): for renderers whose work is not a written file (the
    print editions' PDFs, the search index)."""
    plan = plan_of(settings)
    return [item for item in items if plan is None or touches(shows_of(item), plan.articles)]


def touches(shown: Shows, changed: Iterable[str]) -> bool:
    return shown is None or not shown.isdisjoint(changed)


def pool_size(items: int, least: int = 2) -> int:
    """How many processes should share ``items`` independent pieces of work (1: do them here)."""
    from plugins.programme.prefetch import cores

    if items < least or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(cores(), items)
