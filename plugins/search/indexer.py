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


def index_site(site: Path) -> None:
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE,
               "--glob", GLOB, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"Suchindex: Pagefind brauchte länger als {TIMEOUT} s") from None
    if done.returncode != 0 or not (site / BUNDLE / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["ohne Meldung"]
        raise SearchIndexError(f"Suchindex konnte nicht erstellt werden (Pagefind: {detail[0][:200]})")


def write_search_script(site: Path) -> None:
    target = site / SCRIPT_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # may be a hard link into the previous site
    shutil.copyfile(SCRIPT, target)
