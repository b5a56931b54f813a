"""The sections of a split build, with real forks: every output written once, a later generator
sees all of a section's files, and a child's error and warnings reach the parent."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from waiting import poll

from plugins.parallel import Sections, Share

PAGES = 7


class Pages:
    """A generator that only writes files: each process its share of them."""

    splits_output = True

    def __init__(self, share: Share, folder: Path, name: str, broken: int | None = None,
                 everywhere: bool = False) -> None:
        self.share, self.folder, self.name, self.broken = share, folder, name, broken
        self.everywhere = everywhere  # the error is in what every process runs, the parent too

    def generate_output(self, _writer: object) -> None:
        for number in range(PAGES):
            if self.everywhere and number == self.broken:
                raise ValueError(f"{self.name} {number} lässt sich nicht vorbereiten")
            if not self.share.mine():
                continue
            if number == self.broken:
                raise ValueError(f"{self.name} {number} lässt sich nicht schreiben")
            if number == 3:
                logging.getLogger("plugins.test").warning("Hinweis aus %s %d", self.name, number)
            (self.folder / f"{self.name}-{number}.txt").write_text(str(os.getpid()), encoding="utf-8")


class Reader:
    """A generator that reads what the sections before it wrote (like the search index)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: list[str] = []

    def generate_output(self, _writer: object) -> None:
        self.seen = sorted(p.name for p in self.folder.iterdir())


def run(generators: list) -> None:
    for generator in generators:  # as Pelican runs them
        generator.generate_output(None)


def test_each_file_is_written_once_and_the_next_generator_sees_them_all(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    share = Share()
    reader = Reader(tmp_path)
    generators = [Pages(share, tmp_path, "a"), Pages(share, tmp_path, "b"), reader,
                  Pages(share, tmp_path, "c")]
    Sections(share, generators, 2).wrap()
    with caplog.at_level(logging.WARNING):
        run(generators)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{n}-{i}.txt" for n in "abc" for i in range(PAGES))
    assert reader.seen == sorted(f"{n}-{i}.txt" for n in "ab" for i in range(PAGES))
    writers = {(tmp_path / name).read_text(encoding="utf-8") for name in written}
    # The children of each section write everything (which one writes a page is whichever asks
    # first); the parent renders nothing, so what rendering leaves in a process's memory never
    # adds to the largest process, the parent.
    assert 2 <= len(writers) <= 4 and str(os.getpid()) not in writers
    # Each warning once, whichever child wrote the page.
    messages = [r.getMessage() for r in caplog.records if r.name == "plugins.test"]
    assert sorted(messages) == ["Hinweis aus a 3", "Hinweis aus b 3", "Hinweis aus c 3"]
    assert share.count == 1  # after the build: serial again
    assert "generate_output" not in vars(generators[0])  # the wrapping is undone


@pytest.mark.parametrize(("broken", "everywhere", "error"),
                         [(0, False, "a 0 lässt sich nicht schreiben"),
                          (1, False, "a 1 lässt sich nicht schreiben"),
                          (2, True, "a 2 lässt sich nicht vorbereiten")],
                         ids=["in a child, first page", "in a child, second page", "in the parent too"])
def test_an_error_in_any_process_is_the_builds_error(tmp_path: Path, broken: int, everywhere: bool,
                                                      error: str) -> None:
    share = Share()
    generators = [Pages(share, tmp_path, "a", broken=broken, everywhere=everywhere), Reader(tmp_path)]
    Sections(share, generators, 2).wrap()
    with pytest.raises(ValueError, match=error):
        run(generators)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child is left behind
    assert "generate_output" not in vars(generators[0]) and share.count == 1


class Uneven(Pages):
    """One costly output (like a cluster's feeds) and many cheap ones (like event pages): the
    costly one takes until every cheap one is written (or a deadline passes)."""

    def generate_output(self, _writer: object) -> None:
        for number in range(CHEAP + 1):
            if not self.share.mine():
                continue
            if number == 0:
                poll(lambda: all((self.folder / f"{self.name}-{n}.txt").exists()
                                 for n in range(1, CHEAP + 1)), 5)
            (self.folder / f"{self.name}-{number}.txt").write_text(str(os.getpid()), encoding="utf-8")


CHEAP = 20


def test_a_child_that_drew_a_costly_output_leaves_the_cheap_ones_to_the_other(tmp_path: Path) -> None:
    share = Share()
    generators = [Uneven(share, tmp_path, "out")]
    Sections(share, generators, 2).wrap()
    run(generators)
    writers = [(tmp_path / f"out-{n}.txt").read_text(encoding="utf-8") for n in range(CHEAP + 1)]
    assert str(os.getpid()) not in writers
    # Taking turns by number (every second output) would leave half of the cheap ones to the
    # child busy with the costly one: they would be written only after its deadline.
    assert writers[0] not in writers[1:]


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


class Posts(Pages):
    """Pages whose writers finish only once Editions has run (or give up after a while)."""

    def generate_output(self, _writer: object) -> None:
        mine = [number for number in range(PAGES) if self.share.mine()]
        if self.share.index < 0:
            return  # the parent writes nothing
        poll((self.folder / "editions-made").exists, 3)
        seen = "while writing" if (self.folder / "editions-made").exists() else "after"
        for number in mine:
            (self.folder / f"post-{number}.txt").write_text(seen, encoding="utf-8")


class Offers(Pages):
    """Pages showing what Editions made."""

    def __init__(self, share: Share, folder: Path, editions: Editions) -> None:
        super().__init__(share, folder, "offer")
        self.editions = editions

    def generate_output(self, _writer: object) -> None:
        for number in range(PAGES):
            if self.share.mine():
                (self.folder / f"offer-{number}.txt").write_text(str(self.editions.runs), encoding="utf-8")


def test_a_generator_beside_the_writers_runs_in_the_parent_while_they_write(tmp_path: Path) -> None:
    share, editions = Share(), Editions(tmp_path)
    generators = [Posts(share, tmp_path, "post"), editions, Offers(share, tmp_path, editions)]
    Sections(share, generators, 2).wrap()
    run(generators)
    # It ran once, in the parent, while the posts were still being written (not after them).
    assert editions.runs == [os.getpid()]
    assert {(tmp_path / f"post-{n}.txt").read_text(encoding="utf-8") for n in range(PAGES)} == {
        "while writing"}
    # The next section's pages show what it made.
    assert {(tmp_path / f"offer-{n}.txt").read_text(encoding="utf-8") for n in range(PAGES)} == {
        str([os.getpid()])}


def test_idle_work_runs_once_in_the_parent_while_the_children_write(tmp_path: Path) -> None:
    share, runs = Share(), []

    def idle() -> None:  # e.g. the development cache's manifest: reads no output
        runs.append(os.getpid())
        (tmp_path / "editions-made").write_text("", encoding="utf-8")  # what Posts waits for

    generators = [Posts(share, tmp_path, "post"), Pages(share, tmp_path, "page")]
    Sections(share, generators, 2, idle).wrap()
    run(generators)
    assert runs == [os.getpid()]
    assert {(tmp_path / f"post-{n}.txt").read_text(encoding="utf-8") for n in range(PAGES)} == {
        "while writing"}


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
