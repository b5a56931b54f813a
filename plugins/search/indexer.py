"""Run Pagefind (the pinned PyPI package with its bundled binary: nothing is downloaded) over
the built site.

Only pages whose template marks their content with ``data-pagefind-body`` are indexed: posts,
pages, measures and events. Lists, the CMS, the newsletter preview and drafts carry no such
mark. The language of each page (``<html lang>``) selects Pagefind's stemming, so a search for
"Beteiligungen" finds "Beteiligung".
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

BUNDLE = "pagefind"  # /pagefind/: index and Pagefind's own JavaScript and WebAssembly
SCRIPT = Path(__file__).with_name("search.js")
SCRIPT_TARGET = "suche/suche.js"
# Where indexable pages are: fewer files to open than the whole site (lists and tag pages skipped).
GLOB = "{aktuelles/[0-9]*/*/index.html,massnahmen/*/index.html,termine/[0-9]*/*/index.html,*/index.html}"
TIMEOUT = 600


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message is for the person building."""


class IndexRun:
    """Pagefind working in its own process while the build goes on."""

    def __init__(self, site: Path, process: subprocess.Popen[str], bundle: str = BUNDLE) -> None:
        self.site, self.process, self.bundle = site, process, bundle

    @classmethod
    def start(cls, site: Path, bundle: str = BUNDLE) -> IndexRun:
        shutil.rmtree(site / bundle, ignore_errors=True)
        from pagefind_bin import get_executable  # the pinned binary itself: no Python in between

        command = [str(get_executable()), "--site", str(site), "--output-subdir", bundle,
                   "--glob", GLOB, "--silent"]
        return cls(site, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          stdin=subprocess.DEVNULL, text=True), bundle)

    def wait(self) -> None:
        """Wait for the index; a failure is the build's failure, never a half-written index."""
        try:
            out, err = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise SearchIndexError(f"Suchindex: Pagefind brauchte länger als {TIMEOUT} s") from None
        if self.process.returncode != 0 or not (self.site / self.bundle / "pagefind.js").is_file():
            detail = (err or out).strip().splitlines()[-1:] or ["ohne Meldung"]
            raise SearchIndexError(f"Suchindex konnte nicht erstellt werden (Pagefind: {detail[0][:200]})")


def write_search_script(site: Path) -> None:
    target = site / SCRIPT_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # may be a hard link into the previous site
    shutil.copyfile(SCRIPT, target)


# A development rebuild carries the previous index over and returns at once; this process, started
# after the new site is in place, indexes it anew beside the old index and then swaps the two.
NEXT = ".pagefind-next"
RETIRED = ".pagefind-old"
RUNNING = ".pagefind-refresh.pid"  # while it runs: a new build stops it before reading the site


def refresh_later(site: Path) -> None:
    """Re-index ``site`` in a detached process (the command does not wait for it)."""
    # Run as a script, not as plugins.search.indexer: the package would load Pelican first.
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(site)],
                               start_new_session=True, stdin=subprocess.DEVNULL,
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
    shutil.rmtree(site / NEXT, ignore_errors=True)
    retired = site / RETIRED
    if retired.exists() and not (site / BUNDLE).exists():  # stopped between its two renames
        retired.rename(site / BUNDLE)
    shutil.rmtree(retired, ignore_errors=True)


def refresh(site: Path) -> None:
    """Index ``site`` into NEXT, then swap it in; on failure the previous index stays."""
    try:
        IndexRun.start(site, NEXT).wait()
        shutil.rmtree(site / RETIRED, ignore_errors=True)
        if (site / BUNDLE).exists():
            (site / BUNDLE).rename(site / RETIRED)
        (site / NEXT).rename(site / BUNDLE)
    finally:
        for leftover in (NEXT, RETIRED):
            shutil.rmtree(site / leftover, ignore_errors=True)
        (site / RUNNING).unlink(missing_ok=True)


if __name__ == "__main__":
    # Background work: the editor's next save (the preview, a rebuild) comes first. Pagefind
    # inherits the lower priority.
    with contextlib.suppress(OSError):
        os.nice(10)
    refresh(Path(sys.argv[1]))
