"""Cold builds write the site on every core, not only parse it there.

Pelican runs the generators' output one after the other in one process, and
rendering pages is half of a cold build. Consecutive generators that only write
files form a *section*: when one starts, the build forks one child per core
(the children inherit everything read so far), each child renders every n-th
page and writes every n-th feed or calendar of the section (``Share.mine``)
while the parent runs the same generators rendering nothing, and at its end the
parent waits for its children. Everything besides rendering and writing runs in
every process alike, so the parent ends a section knowing what a serial build
knows (sitemap dates, redirects); only who wrote which file differs, and the
output is byte-identical to a serial build.

Generators that hand state to later ones (the print editions say each PDF's
size) or read the written site (the search index) run in the parent alone,
between sections. One that reads neither the written site nor anything the
section before it writes says so (``beside_writers = True``) and runs in the
parent while that section's children are still writing, instead of after them; so does the
build's work that reads no output (``BuildState.idle_work``).
Development rebuilds that render a handful of pages do not fork
(plugins.incremental).
"""

from __future__ import annotations

import logging
import mmap
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from plugins.incremental import SkippingWriter, was_planned
from plugins.programme.build_state import PerBuild, state_of
from plugins.programme.prefetch import workers_for
from plugins.programme.problems import ContentProblemsError

SETTING = "SLS_PARALLEL"
PARENT = -1  # a section's share index of the parent: no page or file is its turn
# Pelican's own generators that only write pages; ours say so with `splits_output = True`.
WRITE_ONLY = (ArticlesGenerator, PagesGenerator)
LOCK_TIMEOUT = 60  # seconds; a turn's claim holds the lock for microseconds


def splits(generator: Any) -> bool:
    return isinstance(generator, WRITE_ONLY) or bool(getattr(generator, "splits_output", False))


def beside(generator: Any) -> bool:
    return not splits(generator) and bool(getattr(generator, "beside_writers", False))


class Claims:
    """The turns of one section, each taken by the first child that asks for it: a child that
    drew cheap pages takes more of them, and the children end together instead of one waiting
    for the other (a feed of hundreds of posts costs as much as a hundred pages)."""

    CAPACITY = 1 << 20  # turns; shared memory is only allocated where it is touched

    def __init__(self, count: int) -> None:
        self.count = count
        self.memory = mmap.mmap(-1, self.CAPACITY)  # anonymous and shared with forked children
        self.lock = multiprocessing.get_context("fork").Lock()

    def take(self, turn: int, index: int) -> bool:
        if turn >= self.CAPACITY:  # a section this large: each child its every n-th turn
            return turn % self.count == index
        # A child killed while holding the lock (out of memory) must fail the build, not hang it.
        if not self.lock.acquire(timeout=LOCK_TIMEOUT):
            raise RuntimeError("ein Schreibprozess hält die Verteilung der Seiten fest")
        try:
            if self.memory[turn]:
                return False
            self.memory[turn] = 1
            return True
        finally:
            self.lock.release()

    def close(self) -> None:
        self.memory.close()


class Share(PerBuild):
    """Which process writes what: outside a section (and in serial builds) this one writes all."""

    def __init__(self) -> None:
        self.index, self.count, self._turn = 0, 1, 0
        self.generators: list[Any] = []
        self.claims: Claims | None = None  # during a section: which child took which turn

    def mine(self) -> bool:
        """Whether this process writes the section's next page or file (every process asks in
        the same order, so each output has exactly one writer)."""
        turn, self._turn = self._turn, self._turn + 1
        if self.count == 1:
            return True
        if self.index == PARENT:
            return False
        if self.claims is None:
            return turn % self.count == self.index
        return self.claims.take(turn, self.index)

    def begin(self, index: int, count: int) -> None:
        self.index, self.count, self._turn = index, count, 0

    def end(self) -> None:
        self.begin(0, 1)

    @property
    def leader(self) -> bool:
        """Whether this process writes the section's single, cheap files (e.g. the stylesheet)."""
        return self.index == 0


def share_of(settings: Any) -> Share:
    """This build's share (a serial one when the plugin is not enabled)."""
    share = settings.get(SETTING)
    return share if isinstance(share, Share) else Share()


class _Turn:
    """A template stand-in: renders the page in the process whose turn it is; elsewhere Pelican's
    writer goes through the same steps with nothing rendered and nothing written."""

    def __init__(self, template: Any, writer: SplitWriter) -> None:
        self.template, self.writer = template, writer

    def render(self, context: Any) -> str:
        if self.writer.share.mine():
            return str(self.template.render(context))
        self.writer.skip_next = True
        return ""


class SplitWriter(SkippingWriter):  # type: ignore[misc]
    share: Share = Share()

    def write_file(self, name: Any, template: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        return super().write_file(name, _Turn(template, self), context, *args, **kwargs)


class Sections:
    """Runs each generator's output; forks at the start of a section, joins at its end."""

    def __init__(self, share: Share, generators: Sequence[Any], workers: int,
                 idle: Callable[[], None] = lambda: None) -> None:
        self.share, self.workers = share, workers
        self.idle = idle  # the build's work for a waiting parent (BuildState.do_idle_work)
        self.generators = list(generators)
        self.splitting = [splits(g) for g in self.generators]
        self.originals: dict[int, Callable[[Any], None]] = {}
        self.done: set[int] = set()  # generators the parent already ran beside a section
        self.children: list[tuple[int, int]] = []  # (pid, read end of its pipe), in the parent
        self.pipe: int | None = None  # in a child: the write end to the parent
        self.records: list[logging.LogRecord] = []

    def wrap(self) -> None:
        for position, generator in enumerate(self.generators):
            if hasattr(generator, "generate_output"):
                original = self.originals[position] = generator.generate_output
                generator.generate_output = self._runner(position, original)

    def unwrap(self) -> None:
        for generator in self.generators:
            vars(generator).pop("generate_output", None)

    def _runner(self, position: int, original: Callable[[Any], None]) -> Callable[[Any], None]:
        def run(writer: Any) -> None:
            self.run(position, original, writer)
        return run

    def run(self, position: int, original: Callable[[Any], None], writer: Any) -> None:
        section = self.splitting[position]
        if section and self.share.count == 1:
            self._fork()
        ends = section and (position + 1 == len(self.generators) or not self.splitting[position + 1])
        try:
            if position not in self.done:
                original(writer)
            if ends and self.pipe is not None:
                self._leave(None)  # a child's section is done: it exits here
            if ends:
                self._beside(position + 1, writer)
                self.idle()
                self._join()
        except BaseException as error:
            if self.pipe is not None:
                self._leave(error)
            self._abandon()
            self.unwrap()
            raise
        if position + 1 == len(self.generators):
            self.unwrap()

    def _beside(self, position: int, writer: Any) -> None:
        """In the parent at a section's end: run the generators after it that may run while its
        children write (the parent would only wait for them otherwise)."""
        share = (self.share.index, self.share.count)
        self.share.end()  # the parent writes everything such a generator writes
        try:
            while position < len(self.generators) and beside(self.generators[position]):
                if position in self.originals:
                    self.originals[position](writer)
                self.done.add(position)
                position += 1
        finally:
            self.share.begin(*share)

    def _fork(self) -> None:
        # Every share goes to a child; the parent renders nothing (PARENT). What rendering and
        # serialising leave in a process's memory (a cluster feed of hundreds of full posts:
        # +8 MiB) stays in the children, which start smaller, and the build's largest process
        # is the parent at its size before the section (84 -> 72 MiB at 1,000 posts).
        self.share.claims = Claims(self.workers)
        for index in range(self.workers):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child renders its share of this section, then leaves
                os.close(read)
                for _pid, earlier in self.children:
                    os.close(earlier)
                self.children, self.pipe = [], write
                self.share.begin(index, self.workers)
                self._capture_logs()
                return
            os.close(write)
            self.children.append((pid, read))
        self.share.begin(PARENT, self.workers)

    def _capture_logs(self) -> None:
        """In a child, log records go to the parent (which shows them as its own), not out."""
        records = self.records

        class Capture(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if record not in records:
                    records.append(record)

        capture = Capture(logging.WARNING)
        for logger in (logging.getLogger(), logging.getLogger("pelican")):
            logger.handlers = [capture]

    def _leave(self, error: BaseException | None) -> None:
        """End this child: send its log and its error (if any) to the parent, exit at once (no
        cleanup of the parent's objects runs twice)."""
        status = 0 if error is None else 1
        try:
            for record in self.records:
                record.msg, record.args = record.getMessage(), None
                record.exc_info, record.exc_text = None, None
            data = pickle.dumps({"records": self.records, "error": _portable(error)})
            assert self.pipe is not None
            with os.fdopen(self.pipe, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            status = 2
        finally:
            os._exit(status)

    def _join(self) -> None:
        failures: list[BaseException] = []
        for pid, read in self.children:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _pid, status = os.waitpid(pid, 0)
            report = pickle.loads(data) if data else {"records": [], "error": None}
            for record in report["records"]:
                logging.getLogger(record.name).handle(record)
            if report["error"] is not None:
                failures.append(report["error"])
            elif status != 0:
                failures.append(RuntimeError(f"ein Schreibprozess endete mit Status {status}"))
        self.children = []
        self._release()
        if failures:
            raise failures[0]

    def _abandon(self) -> None:
        """The parent failed: its children's pages are not needed any more."""
        for pid, read in self.children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
        self.children = []
        self._release()

    def _release(self) -> None:
        if self.share.claims is not None:
            self.share.claims.close()
            self.share.claims = None
        self.share.end()


def _portable(error: BaseException | None) -> BaseException | None:
    """The error as the parent can raise it: itself when it survives pickling, else its text."""
    if error is None:
        return None
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


def start_build(pelican: Any) -> None:
    pelican.settings[SETTING] = Share()


def remember(generators: list[Any]) -> None:
    share = generators[0].settings.get(SETTING)
    if isinstance(share, Share):
        share.generators = list(generators)


def writer_class(pelican: Any) -> type[SplitWriter] | None:
    """The splitting writer for a cold build big enough to pay for the forks (else Pelican's)."""
    share = pelican.settings.get(SETTING)
    if not isinstance(share, Share) or was_planned(pelican.settings) or not share.generators:
        return None
    articles = sum(len(getattr(g, "articles", [])) for g in share.generators)
    workers = workers_for(articles)
    if workers < 2:
        return None
    Sections(share, share.generators, workers, state_of(pelican.settings).do_idle_work).wrap()
    return type("SplitWriter", (SplitWriter,), {"share": share})


def register() -> None:
    signals.initialized.connect(start_build)
    signals.all_generators_finalized.connect(remember)
    signals.get_writer.connect(writer_class)
