"""Run Pagefind (the pinned PyPI package with its bundled binary: nothing is downloaded) over
the built site.

Only pages whose template marks their content with ``data-pagefind-body`` are indexed: posts,
pages, measures and events. Lists, the CMS, the newsletter preview and drafts carry no such
mark. The language of each page (``<html lang>``) selects Pagefind's stemming, so a search for
"Beteiligungen" finds "Beteiligung".

The index comes in parts, which the search page merges (Pagefind's ``mergeIndex``; the parts
share the main index's WebAssembly, so a part costs the browser a few small files): the main
index under /pagefind/ holds pages, measures and events, and the posts are split into parts of
at most ``PART_PAGES`` posts and, on average, ``PART_BYTES`` of indexed text under
/pagefind/teil-N/. One Pagefind process holds one part, so its memory stays bounded however many
posts there are and however long they are, and after a post edit only the part holding the post
is indexed again.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import IO, Any

from plugins.programme.addresses import SEARCH_INDEX

BUNDLE = SEARCH_INDEX  # /pagefind/: the main index and Pagefind's own JavaScript and WebAssembly
SCRIPT = Path(__file__).with_name("search.js")
SCRIPT_TARGET = "suche/suche.js"


def _in_every_language(*patterns: str) -> tuple[str, ...]:
    """The German pages' globs and their translations', which lie under their language's key
    (two or three letters: /en/…, /ls/…). Pagefind keeps an index per page language."""
    prefixes = ("", "[a-z][a-z]/", "[a-z][a-z][a-z]/")
    return tuple(prefix + pattern for prefix in prefixes for pattern in patterns)


# The main index: pages, measures, events (the glob keeps lists and tag pages out of its way).
MAIN_PAGES = _in_every_language("massnahmen/*/index.html", "termine/[0-9]*/*/index.html", "*/index.html")
POST_PAGES = _in_every_language("aktuelles/[0-9]*/*/index.html")
MARK = b"data-pagefind-body"
PART_PAGES = 400  # posts per part, at most
# Indexed HTML per part (on average): Pagefind's memory grows steeply with it (measured with
# 2,000-word posts: 2.6 MB 60 MiB, 3.9 MB 81 MiB, 6.1 MB 107 MiB), more than with the number of
# posts. Below this it stays under a render worker's.
PART_BYTES = 3_000_000
PARTS = "teile.json"  # in the bundle: the parts the search page merges
PART = "teil-"
# What a part needs when merged into the main index (which brings code and WebAssembly).
# Names, or endings after a ".": each language's metadata (.pf_meta) and WebAssembly (.pagefind).
PART_FILES = ("pagefind-entry.json", "index", "fragment", "filter", ".pf_meta")
# The main index adds what search.js runs: Pagefind's API, its worker and WebAssembly. Its
# ready-made interfaces (pagefind-ui, -modular-ui, -component-ui, -highlight: ~420 KB) are
# never loaded by our page and are not published.
MAIN_FILES = (*PART_FILES, "pagefind.js", "pagefind-worker.js", ".pagefind")
# A part lists its pages in a glob: addresses are slugs (plugins.programme.slugs), never glob syntax.
GLOB_SAFE = re.compile(r"^[A-Za-z0-9_./-]+$")
TIMEOUT = 600
NOISE = ("note:", "stack backtrace:", "thread '")  # around a Rust panic's message


def part_pages_of(settings: Mapping[str, Any]) -> int:
    return int(settings.get("SEARCH_PART_PAGES", PART_PAGES))


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message is for the person building."""


@dataclass(frozen=True)
class Layout:
    """Which posts each part of the index holds: decided by the built site alone, so the build
    and a later refresh of the same site agree."""

    part_pages: int
    parts: tuple[tuple[str, ...], ...]  # site-relative post pages, per part

    @classmethod
    def of(cls, site: Path, part_pages: int = PART_PAGES) -> Layout:
        sizes = {path.relative_to(site).as_posix(): _indexed_size(path.read_bytes())
                 for pattern in POST_PAGES for path in site.glob(pattern)}
        pages = sorted(page for page, size in sizes.items() if size)  # not a withdrawn post's notice
        unsafe = [page for page in pages if not GLOB_SAFE.match(page)]
        if unsafe:
            raise SearchIndexError(f"Suchindex: Adresse mit unerwarteten Zeichen: /{unsafe[0]}")
        part_pages = max(1, part_pages)
        # Parts of an equal number of posts, none more than part_pages, and as many more as keep
        # their text at PART_BYTES on average (long posts: smaller parts). The count changes only
        # when the total crosses a step, so an edit keeps the other parts as they are.
        count = min(len(pages), max(-(-len(pages) // part_pages), -(-sum(sizes.values()) // PART_BYTES)))
        bounds = [len(pages) * number // count for number in range(count + 1)] if count else [0]
        return cls(part_pages, tuple(tuple(pages[a:b]) for a, b in pairwise(bounds)))

    def digests(self) -> list[str]:
        return [hashlib.sha256("\n".join(part).encode()).hexdigest() for part in self.parts]

    def record(self) -> str:
        return json.dumps({"part_pages": self.part_pages,
                           "parts": [{"path": f"{PART}{number}/", "pages": digest}
                                     for number, digest in enumerate(self.digests(), 1)]})


_HTML_OPEN = re.compile(rb"<html[^>]*>")
_TITLE = re.compile(rb"<title>.*?</title>", re.S)


def _marked(page: bytes) -> tuple[int, int] | None:
    """Where the content Pagefind indexes lies in ``page``: from the element marked
    ``data-pagefind-body`` to the end of ``<main>``; None for a page without the mark."""
    mark = page.find(MARK)
    if mark < 0:
        return None
    end = page.find(b"</main>", mark)
    return page.rfind(b"<", 0, mark), end if end > 0 else len(page)


def _indexed_size(page: bytes) -> int:
    """How many bytes of ``page`` Pagefind reads; 0 for a page without the mark."""
    span = _marked(page)
    return 0 if span is None else span[1] - span[0]


def lean_page(page: bytes) -> bytes | None:
    """What Pagefind reads of a page: the ``<html>`` tag (its language), the title, and the page's
    main content from its ``data-pagefind-body`` element on (every filter and meta of our
    templates is inside it); None for a page without one. The header, navigation, footer and
    head of a page are most of its bytes and Pagefind indexes none of them, but it would parse
    them all: given only this, it writes the same words, fragments and filters in a quarter of
    the time at 1,000 posts (measured; tests/test_search.py searches the result)."""
    span = _marked(page)
    if span is None:
        return None
    start, end = span
    html = _HTML_OPEN.search(page)
    title = _TITLE.search(page)
    return (b'<!doctype html>' + (html[0] if html else b"<html>") + b'<head><meta charset="utf-8">'
            + (title[0] if title else b"") + b"</head><body>" + page[start:end]
            + b"</body></html>")


def _pages_of(site: Path, patterns: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
    """The pages of ``site`` matching ``patterns`` (Pagefind's globs, one level per ``*``), with
    the address Pagefind gives a file there ("a/b/index.html": "/a/b/")."""
    seen: set[Path] = set()
    for pattern in patterns:
        for path in sorted(site.glob(pattern)):  # the same site, the same index
            if path.is_file() and path not in seen:
                seen.add(path)
                page = path.relative_to(site).as_posix()
                yield "/" + page.removesuffix("index.html"), path.read_bytes()


def _message(number: int, payload: dict[str, Any]) -> bytes:
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b","


def _answer(message: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(base64.b64decode(message)).get("payload")
    except (ValueError, AttributeError):
        answer = None
    return answer if isinstance(answer, dict) else {"type": "Error", "message": "unlesbare Antwort"}


class _Service:
    """One Pagefind process in its service mode (the protocol of the ``pagefind`` package:
    base64-encoded JSON messages, each ended by a comma, one answer per message). Pages go in
    from memory; nothing is written but the index. Its answers are read as they come (Pagefind
    stops reading while its own output is full); past ``TIMEOUT`` the process is killed."""

    def __init__(self, errors: IO[bytes]) -> None:
        from pagefind_bin import get_executable  # the pinned binary itself

        self.errors = errors  # a panic's message (a file: it never fills up)
        self.process = subprocess.Popen([str(get_executable()), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors)
        self.timer = threading.Timer(TIMEOUT, self.process.kill)
        self.timer.start()
        self.sent = 0
        self.answers: list[dict[str, Any]] = []
        self.answered = threading.Condition()
        self.ended = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        stream, pending = self.process.stdout.fileno(), bytearray()
        try:
            while chunk := os.read(stream, 1 << 18):
                pending += chunk
                if b"," not in chunk:  # a long answer (the index's files) comes in many pieces
                    continue
                *messages, rest = bytes(pending).split(b",")
                pending = bytearray(rest)
                with self.answered:
                    self.answers.extend(_answer(message) for message in messages)
                    self.answered.notify()
        finally:
            with self.answered:
                self.ended = True  # Pagefind ended (or said what cannot be read)
                self.answered.notify()

    def send(self, payload: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.sent += 1
        self.process.stdin.write(_message(self.sent, payload))

    def finish(self) -> list[dict[str, Any]]:
        """Every answer, once Pagefind has answered every message (or ended). Pagefind drops
        what it has not answered when its input ends: that waits for the answers."""
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            self.process.stdin.flush()
        with self.answered:
            self.answered.wait_for(lambda: len(self.answers) >= self.sent or self.ended)
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.reader.join()
        self.process.wait()
        self.timer.cancel()
        return self.answers

    def last_words(self) -> str:
        """Pagefind's own last line on its error output, not the lines about a backtrace."""
        self.errors.seek(0)
        lines = [line.strip() for line in self.errors.read().decode("utf-8", "replace").splitlines()
                 if line.strip() and not line.lstrip().startswith(NOISE)]
        return lines[-1] if lines else ""


def _kept(path: str, keep: tuple[str, ...]) -> bool:
    name = path.split("/", 1)[0]
    return name in keep or name.endswith(tuple(item for item in keep if item.startswith(".")))


def _write_index(pages: Iterator[tuple[str, bytes]], output: Path, keep: tuple[str, ...]) -> int:
    """Pagefind's index of ``pages`` (address, HTML), the files named in ``keep`` written at
    ``output``; how many pages it holds. Pagefind hands its files over in its answer (it may end
    before files it writes itself are complete); raises SearchIndexError with its own message."""
    with tempfile.TemporaryFile() as errors:
        service = _Service(errors)
        count = 0
        try:
            service.send({"type": "NewIndex", "config": None})  # a new process's first index: 0
            for url, html in pages:
                service.send({"type": "AddFile", "index_id": 0, "url": url, "file_path": None,
                              "file_contents": html.decode("utf-8", "replace")})
                count += 1
            service.send({"type": "GetFiles", "index_id": 0})
        except BrokenPipeError:
            pass  # Pagefind ended early: its answers say why
        finally:
            answers = service.finish()
        last_words = service.last_words()
    if service.process.returncode == -signal.SIGKILL:
        raise SearchIndexError(f"Suchindex: Pagefind brauchte länger als {TIMEOUT} s")
    problems = [str(answer.get("message", "")).strip() for answer in answers if answer.get("type") == "Error"]
    files = answers[-1].get("files") if answers else None
    if problems or len(answers) < service.sent or not isinstance(files, list):
        reason = next((problem for problem in problems if problem), last_words) or "ohne Meldung"
        raise SearchIndexError(f"Suchindex konnte nicht erstellt werden (Pagefind: {reason[:200]}) "
                               "— die Website ohne Suche bauen: SLS_SEARCH_INDEX=0 make build")
    try:
        for file in files:
            path = PurePosixPath(str(file.get("path", "")))
            if path.is_absolute() or ".." in path.parts or not _kept(path.as_posix(), keep):
                continue
            target = output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(str(file.get("content", ""))))
    except OSError as error:
        raise SearchIndexError(f"Suchindex konnte nicht geschrieben werden ({error.strerror}: "
                               f"{error.filename}) — die Website ohne Suche bauen: "
                               "SLS_SEARCH_INDEX=0 make build") from None
    return count


def _pagefind(site: Path, subdir: str, pages: tuple[str, ...], keep: tuple[str, ...] = MAIN_FILES) -> None:
    """One Pagefind run over ``pages`` (site-relative paths or globs), only the files in ``keep``
    written; a failure is the build's failure, never a half-written index."""
    shutil.rmtree(site / subdir, ignore_errors=True)
    lean = ((url, copy) for url, page in _pages_of(site, pages) if (copy := lean_page(page)) is not None)
    if not _write_index(lean, site / subdir, keep):
        # No page with content to index (a site without pages, measures, events): Pagefind
        # indexes the pages as they are, as it always did, rather than finding none.
        _write_index(_pages_of(site, pages), site / subdir, keep)
    if not (site / subdir / "pagefind-entry.json").is_file():
        raise SearchIndexError("Suchindex konnte nicht erstellt werden (Pagefind schrieb keinen Index) "
                               "— die Website ohne Suche bauen: SLS_SEARCH_INDEX=0 make build")


def _index_part(site: Path, subdir: str, pages: tuple[str, ...]) -> None:
    _pagefind(site, subdir, pages, PART_FILES)


def _waiting_parts(bundle: str) -> str:
    """Where the parts of ``bundle`` wait, beside it: the main index's run starts from an empty
    folder."""
    return f".{bundle.lstrip('.')}-teile"


def index_site(site: Path, bundle: str = BUNDLE, part_pages: int = PART_PAGES,
               others_written: Callable[[], bool] = lambda: True) -> bool:
    """The whole index of ``site`` into ``bundle``: the posts' parts first (a build writes the
    posts' pages first), then, once ``others_written`` says the pages, measures and events are
    there too, the main index. False when it says they never will be (the build failed).
    Pagefind indexes on one core: as many runs at once as there are cores (each holds one part,
    so the largest process stays that of one run)."""
    layout = Layout.of(site, part_pages)
    waiting = _waiting_parts(bundle)
    shutil.rmtree(site / waiting, ignore_errors=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        # Threads only feed and wait for their Pagefind. The main index has a thread of its own:
        # it starts the moment the build says the site is written, not after the parts.
        with ThreadPoolExecutor(max(1, cores)) as runs, ThreadPoolExecutor(1) as last:
            parts = [runs.submit(_index_part, site, f"{waiting}/{PART}{number}", pages)
                     for number, pages in enumerate(layout.parts, 1)]
            if not others_written():
                for part in parts:
                    part.cancel()
                return False
            main = last.submit(_pagefind, site, bundle, MAIN_PAGES)
            for run in (*parts, main):
                run.result()  # the first failure is the index's
        for number in range(1, len(layout.parts) + 1):
            (site / waiting / f"{PART}{number}").rename(site / bundle / f"{PART}{number}")
        (site / bundle / PARTS).write_text(layout.record(), encoding="utf-8")
        return True
    finally:
        shutil.rmtree(site / waiting, ignore_errors=True)


GO = "weiter\n"  # the build to its index run: every page is written, the main index may start


class IndexRun:
    """The index being written in its own process group while the build goes on: the posts'
    parts as soon as the posts' pages are written, the main index once ``wait`` says the rest
    of the site is there."""

    def __init__(self, site: Path, process: subprocess.Popen[str]) -> None:
        self.site, self.process = site, process

    @classmethod
    def start(cls, site: Path, part_pages: int = PART_PAGES) -> IndexRun:
        # Run as a script, not as plugins.search.indexer: the package would load Pelican first.
        command = [sys.executable, str(Path(__file__).resolve()), "index", str(site), str(part_pages)]
        return cls(site, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          stdin=subprocess.PIPE, text=True, start_new_session=True))

    def wait(self) -> None:
        """Every page is written: the main index may start; return when the index is complete."""
        try:
            _out, err = self.process.communicate(GO, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()
            raise SearchIndexError(f"Suchindex: Pagefind brauchte länger als {TIMEOUT} s") from None
        if self.process.returncode != 0 or not (self.site / BUNDLE / PARTS).is_file():
            lines = err.strip().splitlines()
            raise SearchIndexError(lines[-1] if lines else "Suchindex konnte nicht erstellt werden")


def write_search_script(site: Path) -> None:
    target = site / SCRIPT_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # may be a hard link into the previous site
    shutil.copyfile(SCRIPT, target)


# A development rebuild carries the previous index over and returns at once; this process, started
# after the new site is in place, indexes again what the rebuild changed, beside the index in use,
# and then swaps the new parts in. Names of the parts in the making and of the ones they replace:
NEXT = ".pagefind-next"
RETIRED = ".pagefind-old"
PART_NEXT, PART_RETIRED = ".next-", ".old-"  # + the part's name, inside the bundle
RUNNING = ".pagefind-refresh.pid"  # while it runs: a new build stops it before reading the site


def refresh_later(site: Path, changed: list[str], part_pages: int = PART_PAGES) -> None:
    """Index the pages ``changed`` (site-relative) anew in a detached process (the command does
    not wait for it)."""
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "refresh", str(site),
                                str(part_pages), *changed], start_new_session=True, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (site / RUNNING).write_text(str(process.pid), encoding="utf-8")


def refresh_running(site: Path) -> int | None:
    """The pid of a background refresh of ``site`` that is still running."""
    try:
        pid = int((site / RUNNING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child (a long-lived preview): reaped
            return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a finished process nobody has reaped yet still answers kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


def _restore(final: Path, retired: Path) -> None:
    """Undo a swap stopped between its two renames; then drop what was replaced."""
    if retired.exists() and not final.exists():
        retired.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def _swap(final: Path, fresh: Path, retired: Path) -> None:
    shutil.rmtree(retired, ignore_errors=True)
    if final.exists():
        final.rename(retired)
    fresh.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def _leftovers(site: Path) -> None:
    shutil.rmtree(site / NEXT, ignore_errors=True)
    shutil.rmtree(site / _waiting_parts(NEXT), ignore_errors=True)
    _restore(site / BUNDLE, site / RETIRED)
    bundle = site / BUNDLE
    for child in list(bundle.glob(f"{PART_NEXT}{PART}*")):
        shutil.rmtree(child, ignore_errors=True)
    for child in list(bundle.glob(f"{PART_RETIRED}{PART}*")):
        _restore(bundle / child.name.removeprefix(PART_RETIRED), child)


def cancel_refresh(site: Path) -> None:
    """Stop a background refresh of ``site``: a new build makes the index it was making stale
    (and starts its own). Leaves the last complete index in place."""
    pid = refresh_running(site)
    if pid is not None:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGTERM)  # Pagefind included: the refresh leads its own session
        deadline = time.monotonic() + 10
        while refresh_running(site) is not None and time.monotonic() < deadline:
            time.sleep(0.02)
    (site / RUNNING).unlink(missing_ok=True)
    _leftovers(site)


def _in_main_index(site: Path, page: str) -> bool:
    path = PurePosixPath(page)
    if not any(len(path.parts) == len(PurePosixPath(p).parts) and path.match(p) for p in MAIN_PAGES):
        return False
    file = site / page
    return file.is_file() and MARK in file.read_bytes()


def refresh(site: Path, changed: list[str], part_pages: int = PART_PAGES) -> None:
    """Index anew the parts of ``site``'s index that hold a ``changed`` page, then swap them in;
    on failure the previous index stays. A site whose posts are not those the index was made
    for (another layout, an index from before parts) is indexed whole."""
    bundle = site / BUNDLE
    try:
        layout = Layout.of(site, part_pages)
        try:
            recorded = json.loads((bundle / PARTS).read_text(encoding="utf-8"))
            same = recorded == json.loads(layout.record())
        except (OSError, ValueError):
            same = False
        if not same:
            index_site(site, NEXT, part_pages)
            _swap(bundle, site / NEXT, site / RETIRED)
            return
        edited = set(changed)
        stale = [(number, pages) for number, pages in enumerate(layout.parts, 1) if edited & set(pages)]
        main = any(_in_main_index(site, page) for page in edited)
        for number, pages in stale:
            _index_part(site, f"{BUNDLE}/{PART_NEXT}{PART}{number}", pages)
        if main:
            _pagefind(site, NEXT, MAIN_PAGES)
        for number, _pages in stale:
            name = f"{PART}{number}"
            _swap(bundle / name, bundle / f"{PART_NEXT}{name}", bundle / f"{PART_RETIRED}{name}")
        if main:
            # The parts in use join the new main index as hard links: the swap stays one rename.
            for part in bundle.glob(f"{PART}*"):
                shutil.copytree(part, site / NEXT / part.name, copy_function=os.link)
            shutil.copyfile(bundle / PARTS, site / NEXT / PARTS)
            _swap(bundle, site / NEXT, site / RETIRED)
    finally:
        _leftovers(site)
        (site / RUNNING).unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    command, site = argv[0], Path(argv[1])
    try:
        if command == "index":  # in a build, which says when the rest of the site is written
            if not index_site(site, BUNDLE, int(argv[2]), lambda: sys.stdin.readline() == GO):
                return 1  # the build ended without its site: nothing to index
        else:
            # Background work: the editor's next save (the preview, a rebuild) comes first.
            # Pagefind inherits the lower priority.
            with contextlib.suppress(OSError):
                os.nice(10)
            refresh(site, argv[3:], int(argv[2]))
    except SearchIndexError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
