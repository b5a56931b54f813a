"""Run Pagefind (the pinned PyPI package with its bundled binary: nothing is downloaded) over
the built site.

Only pages whose template marks their content with ``data-pagefind-body`` are indexed: posts,
pages, measures and events. Lists, the CMS, the newsletter preview and drafts carry no such
mark. The language of each page (``<html lang>``) selects Pagefind's stemming, so a search for
"Beteiligungen" finds "Beteiligung".
"""

from __future__ import annotations

import shutil
import subprocess
import sys
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

    def __init__(self, site: Path, process: subprocess.Popen[str]) -> None:
        self.site, self.process = site, process

    @classmethod
    def start(cls, site: Path) -> IndexRun:
        shutil.rmtree(site / BUNDLE, ignore_errors=True)
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE,
                   "--glob", GLOB, "--silent"]
        return cls(site, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          stdin=subprocess.DEVNULL, text=True))

    def wait(self) -> None:
        """Wait for the index; a failure is the build's failure, never a half-written index."""
        try:
            out, err = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise SearchIndexError(f"Suchindex: Pagefind brauchte länger als {TIMEOUT} s") from None
        if self.process.returncode != 0 or not (self.site / BUNDLE / "pagefind.js").is_file():
            detail = (err or out).strip().splitlines()[-1:] or ["ohne Meldung"]
            raise SearchIndexError(f"Suchindex konnte nicht erstellt werden (Pagefind: {detail[0][:200]})")


def write_search_script(site: Path) -> None:
    target = site / SCRIPT_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # may be a hard link into the previous site
    shutil.copyfile(SCRIPT, target)
