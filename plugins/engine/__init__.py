"""The build engine: the one place that decides what a build writes, and where.

Renderers declare outputs (``outputs.Page``, ``outputs.Files``), each saying which posts it
shows; Pelican's own generators call the writer as always. Every write becomes a ``Job`` and
goes through ``EngineWriter.submit``, which alone decides:

- **what**: a development rebuild after post edits (``plan.make_plan``) skips every job that
  shows none of the edited posts; the previous site keeps those files;
- **where**: a cold build big enough to pay for it writes each *section* (consecutive
  generators that only write: Pelican's posts and pages, and every ``Renderer``) in a
  ``concurrent.futures.ProcessPoolExecutor`` (fork) once the section's generators have declared
  everything. The parent renders nothing; generators after a section that read none of its
  files (``beside_writers = True``: the print editions; Pelican's static files) run in the parent
  meanwhile, and everything else waits until the section's files exist (the search index).
  Pelican's ``content_written`` fires in the process that wrote the file, after it exists.

Everything a generator does besides writing runs in the parent, in Pelican's order, so the
parent ends a build knowing what a serial build knows (sitemap dates, redirects).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, TemplateError
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.writers import Writer

from plugins.programme.prefetch import worker_of_this_build, workers_for
from plugins.programme.problems import ContentProblemsError

from .outputs import Job, Renderer, Shows, shows, touches
from .plan import Plan, make_plan, manifest_data, write_manifest
from .state import SETTING, EngineState, _state, kept_site, plan_of, was_planned

__all__ = ["EngineState", "EngineWriter", "kept_site", "plan_of", "planned_writer", "stop_writing",
           "was_planned", "with_sections"]

WRITE_ONLY = (ArticlesGenerator, PagesGenerator, Renderer)
DEFAULT_GC_THRESHOLDS = (700, 10, 10)  # Python's own
LOG = logging.getLogger(__name__)


def pelican_shows(kwargs: dict[str, Any]) -> Shows:
    """Which posts a page of Pelican's own generators shows, from what it hands the template."""
    if "article" in kwargs:
        return shows([kwargs["article"]])
    if "tag" in kwargs:
        return shows(kwargs.get("articles", ()))
    return None  # lists of posts (paginated: see _ReusePages), pages, the home page


class _ReusePages:
    """A template stand-in for paginated lists in a development rebuild: a page that lists none
    of the edited posts is exactly the previous build's page, which the site keeps."""

    def __init__(self, template: Any, writer: EngineWriter) -> None:
        self.template, self.writer = template, writer

    def render(self, context: Any) -> str:
        page, plan = context.get("articles_page"), self.writer.plan
        old = (self.writer.previous or Path()) / context.get("output_file", "")
        if plan is not None and page is not None and old.is_file() and not any(
                a.source_path in plan.articles for a in page.object_list):
            self.writer.skip_next = True
            return ""
        return str(self.template.render(context))


class EngineWriter(Writer):  # type: ignore[misc]
    """Pelican's writer, with every write going through ``submit``."""

    plan: Plan | None = None  # a development rebuild's plan
    previous: Path | None = None  # the site that rebuild keeps
    workers = 1  # processes of a split cold build
    queue: list[Job] | None = None  # during a section of a split build: its jobs
    skip_next = False
    _muted: ExitStack | None = None

    # -- what goes where -------------------------------------------------------------------
    def write_file(self, name: Any, template: Any, context: Any, *args: Any, **kwargs: Any) -> None:
        """Pelican's own generators (posts, pages, lists) write here."""
        def run(writer: Any) -> None:
            writer.render_page(name, template, context, *args, **kwargs)
        self.submit(Job(run, pelican_shows(kwargs), self._pages(kwargs)))

    def _pages(self, kwargs: dict[str, Any]) -> int:
        """How many pages one of Pelican's calls writes: a paginated list writes one per page
        (the list of all posts: a hundred at 1,000 posts), a costly job for the pool."""
        paginated = self.settings.get("PAGINATED_TEMPLATES") or {}
        if kwargs.get("template_name") not in paginated:
            return 1
        per_page = paginated[kwargs["template_name"]] or self.settings.get("DEFAULT_PAGINATION") or 0
        posts = len(kwargs.get("articles") or ())
        return max(1, -(-posts // per_page)) if per_page else 1

    def submit(self, job: Job) -> None:
        if self.plan is not None and not touches(job.shows, self.plan.articles):
            return  # the previous site keeps it
        if self.queue is not None:
            self.queue.append(job)
        else:
            job.run(self)

    def render_page(self, name: Any, template: Any, context: Any, *args: Any, **kwargs: Any) -> None:
        if self.plan is not None:
            template = _ReusePages(template, self)
        try:
            Writer.write_file(self, name, template, context, *args, **kwargs)
        finally:
            self._announce()

    # -- sections (only in a split build) --------------------------------------------------
    def begin_section(self) -> None:
        self.queue = []

    def end_section(self) -> None:
        jobs, self.queue = self.queue or [], None
        self.join()
        _state(self.settings).pool = _Pool.start(jobs, self, self.workers)

    def join(self, while_waiting: Callable[[], None] = lambda: None) -> None:
        state = _state(self.settings)
        pool, state.pool = state.pool, None
        if pool is not None:
            while_waiting()
            pool.wait()

    # -- Pelican's writer, told to skip a page ----------------------------------------------
    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        # Pelican's writer opens each file through this method; a test pins that it still does
        # (tests/test_engine.py), as there is no public hook for "this page needs no file".
        self._announce()
        if self.skip_next:
            self.skip_next = False
            # Pelican sends content_written right after this file is closed: not for this one.
            self._muted = ExitStack()
            self._muted.enter_context(signals.content_written.muted())
            return open(os.devnull, "w", encoding=encoding)
        if self.plan is not None and os.path.isfile(filename):
            # A rebuild may write into the served site, whose files may be hard links (the print
            # cache's PDFs, an older site): replace them, never write through a link.
            os.unlink(filename)
        return super()._open_w(filename, encoding, override)

    def _announce(self) -> None:
        if self._muted is not None:
            self._muted.close()
            self._muted = None


# -- the pool --------------------------------------------------------------------------------

_SECTION: tuple[list[Job], Any] | None = None  # the section's jobs, inherited by the workers
_RECORDS: list[logging.LogRecord] = []  # in a worker: what it logged since its last answer


class _Capture(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _RECORDS.append(record)


def _in_worker() -> None:
    """A worker's warnings go to the parent (which shows them as its own), not out. Ctrl+C is
    the parent's to handle: it stops the pool (one message, no traceback per worker).

    The cycle collector runs at Python's default pace again: what the parent read is frozen
    (``gc.freeze`` before the fork), so a collection walks only what the worker made, and
    rendering a page leaves cycles (Jinja's contexts and their template references) that, at
    the build's rare pace, pile up and leave the worker's heap fragmented: on the translated
    bench corpus its largest worker grew by 21 MiB instead of 9, at no cost in time."""
    worker_of_this_build()
    gc.set_threshold(*DEFAULT_GC_THRESHOLDS)
    capture = _Capture(logging.WARNING)
    for logger in (logging.getLogger(), logging.getLogger("pelican")):
        logger.handlers = [capture]


def _run_chunk(indices: list[int]) -> tuple[list[logging.LogRecord], BaseException | None]:
    assert _SECTION is not None
    jobs, writer = _SECTION
    error = None
    try:
        for index in indices:
            jobs[index].run(writer)
    except BaseException as raised:
        error = _portable(raised)
    records = list(_RECORDS)
    _RECORDS.clear()
    for record in records:
        record.msg, record.args = record.getMessage(), None
        record.exc_info, record.exc_text = None, None
    return records, error


def _chunks(jobs: list[Job], workers: int) -> list[list[int]]:
    """Costly jobs one by one and first, the cheap ones in small runs: the workers end together."""
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i].weight)
    costly = [[i] for i in order if jobs[i].weight > 1]
    cheap = [i for i in order if jobs[i].weight <= 1]
    size = max(1, len(cheap) // (workers * 8))
    return costly + [cheap[i:i + size] for i in range(0, len(cheap), size)]


class _Pool:
    """A section's jobs being written by a pool of forked workers."""

    def __init__(self, executor: ProcessPoolExecutor | None, futures: list[Future[Any]]) -> None:
        self.executor, self.futures = executor, futures

    @classmethod
    def start(cls, jobs: list[Job], writer: Any, workers: int) -> _Pool | None:
        global _SECTION
        if not jobs:
            return None
        if workers < 2 or len(jobs) < 2:
            for job in jobs:
                job.run(writer)
            return None
        _SECTION = (jobs, writer)
        # Everything read so far is left alone by the cycle collector while the workers are
        # forked: a collection in a worker would write to every object's header and so copy
        # every page the worker shares with this process (a page fault each, costly on a VM).
        gc.freeze()
        try:
            executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                           initializer=_in_worker)
            futures = [executor.submit(_run_chunk, chunk) for chunk in _chunks(jobs, workers)]
        finally:
            _SECTION = None  # the workers have their copy; the parent keeps nothing
            gc.unfreeze()
        return cls(executor, futures)

    def stop(self) -> None:
        """The build failed elsewhere: nothing more is started, what runs ends."""
        assert self.executor is not None
        self.executor.shutdown(wait=True, cancel_futures=True)

    def wait(self) -> None:
        assert self.executor is not None
        failure: BaseException | None = None
        try:
            for future in self.futures:
                if future.cancelled():  # after a failure: not needed any more
                    continue
                records, error = future.result()
                for record in records:
                    logging.getLogger(record.name).handle(record)
                if error is not None and failure is None:
                    failure = error
                    for rest in self.futures:
                        rest.cancel()
        except BaseException:
            self.executor.shutdown(wait=True, cancel_futures=True)
            raise
        self.executor.shutdown(wait=True)
        if failure is not None:
            raise failure


def _portable(error: BaseException) -> BaseException:
    """The error as the parent can raise it: itself when it survives pickling, else its text."""
    if isinstance(error, ContentProblemsError):
        return _Problems(error.problems)
    try:
        copy = pickle.loads(pickle.dumps(error))
        if type(copy) is type(error) and str(copy) == str(error):
            return error
    except Exception:
        pass
    return RuntimeError(f"{type(error).__name__}: {error}")


class _Problems(ContentProblemsError):
    """ContentProblemsError that pickles (Exception pickles its message, not its problems)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (ContentProblemsError, (self.problems,))


# -- sections of the generators --------------------------------------------------------------

def writes_only(generator: Any) -> bool:
    return isinstance(generator, WRITE_ONLY)


def beside(generator: Any) -> bool:
    """Reads none of the files the section before it writes: may run while they are written."""
    return isinstance(generator, StaticGenerator) or bool(getattr(generator, "beside_writers", False))


class _Step:
    """A step of the engine between two generators (Pelican runs it like a generator)."""

    def __init__(self, action: Callable[[Any], None]) -> None:
        self.generate_output = action


def with_sections(generators: list[Any], while_waiting: Callable[[], None] = lambda: None) -> list[Any]:
    """The generators with the engine's steps between them: a section begins before its first
    generator and is handed to the pool after its last; a generator that needs the written
    site (neither writing only nor ``beside``) waits for the pool, and so does the build's end.
    ``while_waiting``: work for the parent before it waits (it reads no output)."""
    begin = _Step(lambda writer: writer.begin_section())
    end = _Step(lambda writer: writer.end_section())
    join = _Step(lambda writer: writer.join(while_waiting))
    steps: list[Any] = []
    inside = False
    for generator in generators:
        if writes_only(generator) != inside:
            steps.append(end if inside else begin)
            inside = not inside
        if not inside and not beside(generator):
            steps.append(join)
        steps.append(generator)
    if inside:
        steps.append(end)
    steps.append(join)
    return steps


# -- Pelican's signals -----------------------------------------------------------------------

def start_build(pelican: Any) -> None:
    pelican.settings[SETTING] = EngineState()


def compile_templates(generator: Any) -> None:
    """Every template of the theme compiled once, before the posts are read: the parse pool keeps
    the other cores busy meanwhile. Every later generator, and every render worker, then loads the
    compiled code from Jinja's bytecode cache instead of compiling the templates it needs itself,
    in the parent between two sections (where nothing else runs) and in each worker again (a cold
    build: 0.6 s of CPU). A template that does not compile is left to the page that uses it,
    which reports it where it is used."""
    state = _state(generator.settings)
    env = generator.env
    if state.templates_compiled or env.bytecode_cache is None:
        return
    state.templates_compiled = True
    for name in FileSystemLoader(Path(generator.settings["THEME"]) / "templates").list_templates():
        with suppress(TemplateError):
            env.get_template(name)


def plan_build(generators: list[Any]) -> None:
    """Decide, once everything is read, what this build must render again."""
    settings = generators[0].settings
    from plugins.programme.build_state import state_of

    state = _state(settings)
    state.generators = generators  # the list Pelican runs next (get_writer adds the steps)
    state.articles = [a for g in generators if isinstance(g, ArticlesGenerator)
                      for a in (*g.articles, *g.translations)]
    state.plan = make_plan(settings, state.articles, state_of(settings).programme)


def _prepare_manifest(settings: Any) -> None:
    # Reads only the sources and the articles, never the output: done while the pool writes.
    state = _state(settings)
    if state.manifest is None:
        state.manifest = manifest_data(settings, state.articles, state.plan)


def planned_writer(plan: Plan, previous: Path) -> type[EngineWriter]:
    """A writer class that renders only what ``plan`` names (the rest comes from ``previous``)."""
    return type("PlannedWriter", (EngineWriter,), {"plan": plan, "previous": previous})


def writer_class(pelican: Any) -> type[EngineWriter]:
    settings = pelican.settings
    state = _state(settings)
    if state.plan is not None:
        return planned_writer(state.plan, Path(settings["INCREMENTAL_FROM"]))
    articles = sum(len(getattr(g, "articles", [])) for g in state.generators)
    workers = workers_for(articles, int(settings.get("PARALLEL_MIN_FILES") or 200))
    if workers >= 2 and state.generators:
        # Pelican runs the list it handed to all_generators_finalized; the steps go into it.
        state.generators[:] = with_sections(state.generators, lambda: _prepare_manifest(settings))
    return type("SplitWriter", (EngineWriter,), {"workers": workers})


def stop_writing(settings: Any) -> None:
    """After a build, failed or not: no worker of it is left (a failure elsewhere in the build
    leaves a section's pool running; its workers finish their current outputs and end)."""
    state = settings.get(SETTING)
    if isinstance(state, EngineState) and state.pool is not None:
        pool, state.pool = state.pool, None
        pool.stop()


def finish(pelican: Any) -> None:
    settings = pelican.settings
    state = _state(settings)
    # Stored only now: a manifest of a build that failed would describe a site that is not there.
    write_manifest(settings, state.articles, state.plan, state.manifest)


def register() -> None:
    signals.initialized.connect(start_build)
    signals.article_generator_preread.connect(compile_templates)
    signals.all_generators_finalized.connect(plan_build)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(finish)
