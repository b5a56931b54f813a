"""Parse all sources of a cold build on every core at once.

Markdown and YAML are a third of a cold build and Pelican reads files one after
another. When the first file is read, all sources start being parsed in a process pool
(fork: workers inherit the loaded code); the reader takes each result as it comes.
Cached development builds skip this, since they re-read only changed files.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .markdown_body import BodyRenderer
from .model import Programme
from .tree import ContentConfig, Source, original_beside, read_source

MIN_FILES = 200  # below this a pool costs more than it saves
ORPHAN_CHECK_SECONDS = 0.5


@dataclass(frozen=True)
class ParsedSource:
    """A source read, checked and rendered, with the file's mtime when it was read and, for a
    translation, the stamp of its original then (``original_stamp``)."""

    mtime_ns: int
    html: str
    source: Source
    original: str | None = None


def original_stamp(path: str | Path) -> str | None:
    """For a file named like a translation ("x.en.md"), a hash of its original ("x.md"), "" while
    there is none; None for any other file. A translation takes date, measures and image from its
    original, says whether it is older than it, and is refused without one: a copy cached with
    another original (or none) is stale."""
    original = original_beside(Path(path))
    if original is None:
        return None
    try:
        return hashlib.sha256(original.read_bytes()).hexdigest()
    except OSError:
        return ""


def parse_one(path: Path, config: ContentConfig, programme: Programme, body: BodyRenderer) -> ParsedSource:
    stamp = path.stat().st_mtime_ns
    original = original_stamp(path)
    source = read_source(path, config, programme)
    html = body.html(source)
    # The Markdown is not needed once rendered; dropping it keeps Pelican's cache (which
    # stores the source with the article) half the size.
    source.post.body = ""
    return ParsedSource(stamp, html, source, original)


# Set in each worker process by its initializer (never in the parent): what every task needs.
_worker: dict[str, Any] = {}


def worker_of_this_build() -> None:
    """In a pool's worker process: Ctrl+C is the parent's to handle (it shuts the pool down),
    and a worker whose parent is gone ends itself. An idle worker would otherwise wait for work
    forever (a sibling holds its queue open) and keep the terminal's output open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _init(config: ContentConfig, programme: Programme, body: BodyRenderer) -> None:
    worker_of_this_build()
    _worker.update(config=config, programme=programme, body=body)


def _work(path: Path) -> ParsedSource:
    return parse_one(path, _worker["config"], _worker["programme"], _worker["body"])


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def workers_for(files: int, threshold: int = MIN_FILES) -> int:
    """How many processes should share work on ``files`` sources: 1 when forking would not pay
    off or is not safe (fewer than ``threshold``, one core, no fork on this system, other threads
    running). The setting PARALLEL_MIN_FILES lowers the threshold, for tests that must see the
    parallel paths."""
    if files < threshold or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.active_count() > 1:
        # Never fork from a threaded process (the live preview's server and watcher): a child
        # would inherit locks other threads hold (logging, I/O) and could hang on them.
        return 1
    return cores()


class PoolReading:
    """Sources parsed in a pool, handed out as the reader asks for them.

    The pool parses in the order Pelican reads (posts, pages, then events, each sorted; see
    ``plugin.read_in_order``), so while it parses the next files this process already builds
    Pelican's objects from the first ones, instead of waiting for all of them.
    """

    def __init__(self, pool: ProcessPoolExecutor, paths: list[Path]) -> None:
        self.pool = pool
        self.results = zip(paths, pool.map(_work, paths, chunksize=25), strict=True)
        self.ready: dict[str, ParsedSource] = {}
        self.open = True

    def take(self, path: Path) -> ParsedSource | None:
        """The parsed source at ``path`` (absolute), or None when the pool did not parse it."""
        key = str(path)
        while key not in self.ready and self.open:
            try:
                found, parsed = next(self.results)
            except StopIteration:
                self.close()
                break
            except BaseException:
                self.close()
                raise
            self.ready[str(found)] = parsed
        return self.ready.pop(key, None)

    def close(self) -> None:
        if self.open:
            self.open = False
            self.pool.shutdown(wait=True, cancel_futures=True)


def parse_in_pool(paths: list[Path], config: ContentConfig, programme: Programme,
                  body: BodyRenderer) -> PoolReading | None:
    """The sources at ``paths`` being parsed in a pool; None when a pool would not pay off."""
    workers = workers_for(len(paths), config.parallel_from)
    if workers < 2:
        return None
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_init, initargs=(config, programme, body))
    return PoolReading(pool, paths)
