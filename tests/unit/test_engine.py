"""The build engine with real forks: every output written once by the pool, never by the
parent; a generator that reads the site sees all files before it; one beside the writers runs
while they write; a worker's error and warnings reach the parent; a development rebuild skips
what shows none of the edited posts."""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from waiting import poll

from plugins.engine import EngineWriter, planned_writer, with_sections
from plugins.engine.outputs import ALWAYS, NO_POSTS, Files, Renderer, Shows
from plugins.engine.plan import Plan

PAGES = 7


class Pages(Renderer):
    """A renderer of small files: ``broken`` fails while writing (in a worker), ``unready`` while
    declaring its outputs (in the parent)."""

    def __init__(self, folder: Path, name: str, broken: int | None = None,
                 unready: bool = False) -> None:  # no Pelican generator around it
        self.output_path, self.name, self.broken, self.unready = str(folder), name, broken, unready

    def outputs(self) -> Any:
        if self.unready:
            raise ValueError(f"{self.name} lässt sich nicht vorbereiten")
        for number in range(PAGES):
            yield Files(partial(self.page, number), NO_POSTS)

    def page(self, number: int) -> list[tuple[str, bytes]]:
        if number == self.broken:
            raise ValueError(f"{self.name} {number} lässt sich nicht schreiben")
        if number == 3:
            logging.getLogger("plugins.test").warning("Hinweis aus %s %d", self.name, number)
        return [(f"{self.name}-{number}.txt", str(os.getpid()).encode())]


class Reader:
    """A generator that reads what the sections before it wrote (like the search index)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: list[str] = []

    def generate_output(self, _writer: object) -> None:
        self.seen = sorted(p.name for p in self.folder.iterdir())


def run(generators: list[Any], workers: int = 2, while_waiting: Any = lambda: None) -> None:
    writer = type("Split", (EngineWriter,), {"workers": workers})("/nonexistent", settings={})
    for generator in with_sections(generators, while_waiting):  # as Pelican runs them
        generator.generate_output(writer)


def writers_of(folder: Path, names: list[str]) -> list[str]:
    return [(folder / name).read_text(encoding="utf-8") for name in names]


def test_each_file_is_written_once_by_the_pool_and_the_next_generator_sees_them_all(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    reader = Reader(tmp_path)
    with caplog.at_level(logging.WARNING):
        run([Pages(tmp_path, "a"), Pages(tmp_path, "b"), reader, Pages(tmp_path, "c")])
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{n}-{i}.txt" for n in "abc" for i in range(PAGES))
    assert reader.seen == sorted(f"{n}-{i}.txt" for n in "ab" for i in range(PAGES))
    writers = set(writers_of(tmp_path, written))
    # Workers write everything; the parent renders nothing, so what rendering leaves in a
    # process's memory never adds to the largest process, the parent.
    assert 2 <= len(writers) <= 4 and str(os.getpid()) not in writers
    # Each warning once, whichever worker wrote the page.
    messages = [r.getMessage() for r in caplog.records if r.name == "plugins.test"]
    assert sorted(messages) == ["Hinweis aus a 3", "Hinweis aus b 3", "Hinweis aus c 3"]


def children() -> set[int]:
    """This process's children, running or not yet reaped (an earlier test's build may have left
    its own: a detached removal of a replaced site)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except (OSError, ValueError):
            continue
        if int(stat.rpartition(")")[2].split()[1]) == os.getpid():
            found.add(int(entry.name))
    return found


@pytest.mark.parametrize(("pages", "error"),
                         [({"broken": 0}, "a 0 lässt sich nicht schreiben"),
                          ({"broken": 6}, "a 6 lässt sich nicht schreiben"),
                          ({"unready": True}, "a lässt sich nicht vorbereiten")],
                         ids=["in a worker, first page", "in a worker, last page", "in the parent"])
def test_an_error_in_any_process_is_the_builds_error(tmp_path: Path, pages: dict[str, Any],
                                                      error: str) -> None:
    reader = Reader(tmp_path)
    before = children()
    with pytest.raises(ValueError, match=error):
        run([Pages(tmp_path, "a", **pages), reader])
    assert reader.seen == []  # the build stopped before anything read the site
    assert children() <= before  # no worker is left behind


class Uneven(Renderer):
    """One costly output (like a cluster's feeds) and many cheap ones (like event pages): the
    costly one takes until every cheap one is written (or a deadline passes)."""

    def __init__(self, folder: Path) -> None:
        self.output_path, self.folder = str(folder), folder

    def outputs(self) -> Any:
        for number in range(CHEAP + 1):
            yield Files(partial(self.page, number), NO_POSTS, weight=100 if number == CHEAP else 1)

    def page(self, number: int) -> list[tuple[str, bytes]]:
        if number == CHEAP:
            poll(lambda: all((self.folder / f"out-{n}.txt").exists() for n in range(CHEAP)), 5)
        return [(f"out-{number}.txt", str(os.getpid()).encode())]


CHEAP = 40


def test_the_costly_output_starts_first_and_the_other_worker_takes_the_cheap_ones(tmp_path: Path) -> None:
    run([Uneven(tmp_path)])
    writers = writers_of(tmp_path, [f"out-{n}.txt" for n in range(CHEAP + 1)])
    assert str(os.getpid()) not in writers
    # Handing out the outputs in their order would leave cheap ones queued behind the costly
    # one: they would be written only after its deadline, by the same worker.
    assert writers[CHEAP] not in writers[:CHEAP]


class Editions:
    """A generator whose result only a later section shows (like the print editions): it runs in
    the parent while the section before it is still being written."""

    beside_writers = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs: list[int] = []

    def generate_output(self, _writer: object) -> None:
        self.runs.append(os.getpid())
        (self.folder / "editions-made").write_text("", encoding="utf-8")


class Waiting(Pages):
    """Pages whose writers finish only once the editions exist (or give up after a while)."""

    def page(self, number: int) -> list[tuple[str, bytes]]:
        poll((Path(self.output_path) / "editions-made").exists, 3)
        seen = "while writing" if (Path(self.output_path) / "editions-made").exists() else "after"
        return [(f"{self.name}-{number}.txt", seen.encode())]


class Offers(Pages):
    """Pages showing what Editions made."""

    def __init__(self, folder: Path, editions: Editions) -> None:
        super().__init__(folder, "offer")
        self.editions = editions

    def page(self, number: int) -> list[tuple[str, bytes]]:
        return [(f"offer-{number}.txt", str(self.editions.runs).encode())]


def test_a_generator_beside_the_writers_runs_in_the_parent_while_they_write(tmp_path: Path) -> None:
    editions = Editions(tmp_path)
    run([Waiting(tmp_path, "post"), editions, Offers(tmp_path, editions)])
    assert editions.runs == [os.getpid()]  # once, in the parent, while the posts were written
    assert set(writers_of(tmp_path, [f"post-{n}.txt" for n in range(PAGES)])) == {"while writing"}
    # The next section's pages show what it made.
    assert set(writers_of(tmp_path, [f"offer-{n}.txt" for n in range(PAGES)])) == {str([os.getpid()])}


def test_work_for_the_waiting_parent_runs_once_while_the_pool_writes(tmp_path: Path) -> None:
    runs: list[int] = []

    def manifest() -> None:  # e.g. the development cache's manifest: reads no output
        runs.append(os.getpid())
        (tmp_path / "editions-made").write_text("", encoding="utf-8")  # what Waiting waits for

    run([Waiting(tmp_path, "post"), Pages(tmp_path, "page")], while_waiting=manifest)
    assert runs == [os.getpid()]
    assert set(writers_of(tmp_path, [f"post-{n}.txt" for n in range(PAGES)])) == {"while writing"}


class Showing(Renderer):
    """Outputs that show given posts (by source path)."""

    def __init__(self, folder: Path, outputs: dict[str, Shows]) -> None:
        self.output_path, self.declared = str(folder), outputs

    def outputs(self) -> Any:
        for name, shown in self.declared.items():
            yield Files(partial(list, [(name, b"neu")]), shown)


def test_a_development_rebuild_writes_only_what_shows_an_edited_post(tmp_path: Path) -> None:
    outputs = {"beitrag.html": frozenset({"posts/a.md"}),
               "liste.html": frozenset({"posts/a.md", "posts/b.md"}),
               "anderer.html": frozenset({"posts/b.md"}), "kalender.ics": NO_POSTS,
               "vorschau.html": ALWAYS}
    writer = planned_writer(Plan(articles={"posts/a.md"}), tmp_path)(str(tmp_path), settings={})
    Showing(tmp_path, outputs).generate_output(writer)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beitrag.html", "liste.html", "vorschau.html"]


def test_a_process_with_other_threads_never_forks_its_build() -> None:
    # The live preview rebuilds in a watcher thread beside its HTTP server: a forked child would
    # inherit locks those threads hold. Such a build runs in one process, whatever its size.
    import threading

    from plugins.programme.prefetch import cores, workers_for

    assert workers_for(10**6) == cores()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers_for(10**6) == 1
    finally:
        stop.set()
        other.join()


class Failing:
    """A generator after a section that fails while the section's pool still writes."""

    beside_writers = True

    def generate_output(self, _writer: object) -> None:
        raise ValueError("Druckausgabe fehlgeschlagen")


def test_a_failure_while_the_pool_writes_leaves_no_worker_behind(tmp_path: Path) -> None:
    from plugins.engine import stop_writing

    settings: dict[str, Any] = {"SITENAME": "Test"}  # Pelican's writer replaces an empty one
    writer = type("Split", (EngineWriter,), {"workers": 2})("/nonexistent", settings=settings)
    before = children()
    with pytest.raises(ValueError, match="Druckausgabe"):
        for generator in with_sections([Pages(tmp_path, "a"), Failing()]):
            generator.generate_output(writer)
    stop_writing(settings)  # what pipeline.build does after every build
    assert children() <= before
