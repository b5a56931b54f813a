"""Build the site atomically: into a staging folder, swapped in only on success.

Pelican writes straight into its output folder and keeps going after a bad
file. Here a build either replaces ``output/`` completely or leaves the
previous good site untouched, and every editor mistake is listed at once. A
development rebuild that rendered only what post edits changed moves those few
files into the previous site instead, each one replaced whole.
"""

from __future__ import annotations

import argparse
import filecmp
import gc
import glob
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugins.engine import stop_writing, was_planned
from plugins.programme.build_state import forget_stale_reading, stop_reading
from plugins.programme.problems import BuildStopped, ContentProblemsError, display_path
from plugins.search import needs_refresh
from plugins.search.indexer import cancel_refresh, part_pages_of, refresh_later

from .pelican_messages import german
from .settings import DEVELOPMENT, ROOT, ContentFolderMissing, EnvironmentValueError, load_settings

# A development build that reuses the previous one: parsed content from the cache, and pages an
# edit cannot change from the last site (plugins/engine). Anything the plan cannot prove
# local builds everything; the result is byte-identical to a clean build either way.
INCREMENTAL = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
GC_FIRST_GENERATION = 50_000  # allocations between two collections of the youngest objects (700)


@dataclass
class BuildResult:
    """What a build did, for the command line and the tests."""

    ok: bool
    output: Path
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The build's Pelican generators, when asked for (the live preview renders edits with them).
    generators: list[Any] = field(default_factory=list, repr=False)
    planned: bool = False  # only what the edits changed was rendered, the site kept the rest

    def print(self) -> None:
        """Warnings, then problems or success, on the stream a person expects."""
        for warning in self.warnings:
            print(f"Hinweis: {warning}", file=sys.stderr)
        print(self.report(), file=sys.stdout if self.ok else sys.stderr)

    def report(self) -> str:
        lines = [*self.problems, *(f"Fehler: {e}" for e in self.errors)]
        if self.ok:
            lines.append(f"Website gebaut: {display_path(self.output)}"
                         + (" (nur das Geänderte neu erstellt)" if self.planned else ""))
        else:
            count = len(self.problems) + len(self.errors)
            lines.append(f"Build abgebrochen ({count} Problem{'e' if count != 1 else ''}); "
                         f"{display_path(self.output)} bleibt unverändert.")
        return "\n".join(lines)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage())
        else:
            self.warnings.append(record)


TOOLCHAIN_STAMP = "toolchain.sha256"
# Jinja's compiled templates carry their own check (its version, Python's, the template's source).
SELF_CHECKED = {"jinja", TOOLCHAIN_STAMP}


def toolchain_key() -> str:
    """What every cached result depends on besides its own input: the Python version, each
    installed distribution with its version (as its .dist-info folder names it) and the npm lock
    (Pagefind, the CMS)."""
    digest = hashlib.sha256(sys.version.encode())
    # As pip installed them (an in-tree .egg-info is a build artefact, seen only with PYTHONPATH):
    # the same key whichever way the build was started.
    installed: set[str] = set()
    for entry in sys.path:
        try:
            installed.update(name for name in os.listdir(entry) if name.endswith(".dist-info"))
        except OSError:
            continue
    digest.update("\n".join(sorted(installed)).encode())
    lock = ROOT / "package-lock.json"
    if lock.is_file():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def forget_stale_caches(cache: Path) -> None:
    """One cache root, one toolchain key: after a change of Python, of any package's version or of
    the npm lock, nothing cached before is used again (PDFs, image copies, parsed sources, feed
    entries, the development manifest). Each cache keeps its own key for its input."""
    stamp, key = cache / TOOLCHAIN_STAMP, toolchain_key()
    try:
        if stamp.read_text(encoding="ascii") == key:
            return
    except OSError:
        pass
    if cache.is_dir():
        for child in cache.iterdir():
            if child.name in SELF_CHECKED:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key, encoding="ascii")


MARKER = ".sls-build"  # written into every built site: only such a folder may be replaced


def output_problem(output: Path, content: Path) -> str | None:
    """Why ``output`` must not be replaced by a build (it is deleted and swapped), or None."""
    shown, content = display_path(output), content.resolve()
    for name, folder in (("der Inhaltsordner", content), ("das Projektverzeichnis", ROOT)):
        if output == folder or output in folder.parents:
            return f"Ausgabeordner „{shown}“ ist {name} oder enthält ihn — wähle einen eigenen, z. B. output/"
    if content in output.parents:
        return f"Ausgabeordner „{shown}“ liegt im Inhaltsordner — wähle einen Ordner außerhalb davon"
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        return (f"Ausgabeordner „{shown}“ gibt es schon und er stammt nicht von einem Build — "
                "wähle einen anderen Ordner oder leere ihn selbst")
    return None


@contextmanager
def isolated_signals() -> Iterator[None]:
    """Disconnect, after the block, every receiver connected to Pelican's signals inside it.

    Pelican's plugins connect their receivers on every build; without this, a second
    build in the same process would still run the first build's receivers.
    """
    before = {name: set(signal.receivers) for name, signal in _pelican_signals()}
    try:
        yield
    finally:
        for name, signal in _pelican_signals():
            for key in set(signal.receivers) - before.get(name, set()):
                receiver = signal.receivers.get(key)
                target = receiver() if isinstance(receiver, weakref.ref) else receiver
                if target is not None:
                    signal.disconnect(target)


def _pelican_signals() -> list[tuple[str, Any]]:
    from blinker import NamedSignal
    from pelican.plugins import signals

    return [(name, value) for name, value in vars(signals).items() if isinstance(value, NamedSignal)]


def build(settings_file: str | Path = DEVELOPMENT, output: str | Path = ROOT / "output",
          content: str | Path | None = None, programme: str | Path | None = None,
          overrides: dict[str, Any] | None = None, keep_generators: bool = False) -> BuildResult:
    """Build the site into ``output``; on any problem keep the old ``output``."""
    output = Path(output).resolve()
    override = dict(overrides or {})
    # A search index a previous development rebuild is still writing into output/ is stale now.
    cancel_refresh(output)
    if override.get("LOAD_CONTENT_CACHE") and output.is_dir():
        # Development rebuild: pages a post edit cannot change come from the last site.
        override["INCREMENTAL_FROM"] = str(output)
    # The site this build replaces: a development rebuild compares with the last build of the
    # same folder (the preview's and `make build`'s sites are different folders).
    override["SITE_OUTPUT"] = str(output)
    try:
        settings = load_settings(settings_file, content, programme, override)
    except (ContentFolderMissing, EnvironmentValueError) as error:
        return BuildResult(False, output, errors=[str(error)])
    except Exception as error:
        message = f"Einstellungen nicht lesbar: {type(error).__name__}: {error}"
        return BuildResult(False, output, errors=[message])
    refused = output_problem(output, Path(settings["PATH"]))
    if refused:
        return BuildResult(False, output, errors=[refused])
    if settings.get("CACHE_PATH"):
        forget_stale_caches(Path(settings["CACHE_PATH"]))
    if settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_PATH"):
        forget_stale_reading(Path(settings["CACHE_PATH"]))
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(output)
    # The folder's name says which process builds it: a build killed outright (kill -9, a power
    # cut) leaves it behind, and the next build of the same site removes it.
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-{os.getpid()}-", dir=output.parent))
    settings["OUTPUT_PATH"] = str(staging)
    forget_earlier_builds()
    try:
        with _few_collections():
            result = _run(settings, output, keep_generators)
    except BaseException:  # Ctrl+C, or the process told to stop: no half-written folder stays
        _end_workers()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not result.ok:
        shutil.rmtree(staging, ignore_errors=True)
        return result
    (staging / MARKER).write_text("Built by the stadt.land.smart publishing system; replaced by the next "
                                  "build.\n", encoding="utf-8")
    result.planned = was_planned(settings)
    if result.planned:
        changed = _apply(staging, output)
        if needs_refresh(settings):
            pages = [page for page in changed if page.endswith(".html")]
            refresh_later(output, pages, part_pages_of(settings))
    else:
        _swap(staging, output)
    return result


def forget_earlier_builds() -> None:
    """Pelican memoizes a post's content and summary per post object in a cache on its class
    (``pelican.utils.memoized``) that nothing ever empties: it kept every post of every earlier
    build in the process alive, and through them that build's settings, generators and templates
    (a live preview grew with every rebuild). Emptied before each build; the last build's posts
    stay in it until the next one (a preview keeps its generators that long anyway)."""
    from pelican.contents import Content

    for name in ("get_content", "get_summary"):
        memo = Content.__dict__.get(name)
        cache = getattr(memo, "cache", None)
        if isinstance(cache, dict):
            cache.clear()


def remove_abandoned_staging(output: Path) -> None:
    """Remove the staging folders of ``output`` whose build process has ended without removing
    them; a folder of a build still running (another preview, a second command) stays."""
    for folder in output.parent.glob(f".{glob.escape(output.name)}.staging-*"):
        pid = folder.name.removeprefix(f".{output.name}.staging-").split("-", 1)[0]
        if not pid.isdigit() or not folder.is_dir() or folder.is_symlink():
            continue  # an older build's name without its process, or not ours: left alone
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (PermissionError, OverflowError, OSError):
            continue


def _end_workers(grace: float = 5.0) -> None:
    """After an interrupted build: every worker process of it has ended (those still busy get
    ``grace`` seconds, then are stopped), so none writes into the folder about to be removed."""
    import multiprocessing
    import time

    deadline = time.monotonic() + grace
    for child in multiprocessing.active_children():
        child.join(max(0.0, deadline - time.monotonic()))
    for child in multiprocessing.active_children():
        child.terminate()
        child.join(1.0)


@contextmanager
def _few_collections() -> Iterator[None]:
    """A build creates millions of objects that live until it ends; with Python's default
    thresholds the cycle collector walks them again and again (a twentieth of a cold build)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_FIRST_GENERATION, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _run(settings: dict[str, Any], output: Path, keep_generators: bool) -> BuildResult:
    """Run Pelican once, collecting its log; no output is swapped here."""
    from pelican import Pelican
    from pelican.log import console

    # Pelican's English summary line is not for editors; the result says it in German.
    quiet, console.quiet = console.quiet, True

    collector = _Collect()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(collector)
    pelican_logger.propagate = False
    result = BuildResult(ok=False, output=output)
    kept: list[Any] = []
    try:
        with isolated_signals():
            if keep_generators:
                from pelican import signals

                # Connected inside isolated_signals: disconnected again when the build ends.
                signals.all_generators_finalized.connect(kept.extend, weak=False)
            Pelican(settings).run()
    except ContentProblemsError as error:
        result.problems = [str(p) for p in error.problems]
    except BuildStopped as error:
        result.errors.append(str(error))
    except Exception as error:  # a crash must not swap in a half-written site
        result.errors.append(f"{type(error).__name__}: {error}")
    finally:
        stop_writing(settings)
        stop_reading(settings)
        pelican_logger.removeHandler(collector)
        pelican_logger.propagate = True
        console.quiet = quiet
    result.errors += collector.errors
    # After a refused file Pelican's warnings only repeat its consequences: one cause, one message.
    result.warnings = [] if result.problems else german(collector.warnings)
    result.ok = not result.problems and not result.errors
    result.generators = kept if result.ok else []
    return result


def _swap(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging`` with two renames on one filesystem.

    The retired site is deleted by a detached process: removing thousands of files
    is a tenth of a large build, and nobody needs to wait for it.
    """
    os.chmod(staging, 0o755)  # mkdtemp creates 0700; web servers need to read it
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.rename(output, retired / output.name)
        os.rename(staging, output)
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)",
                          str(retired)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        os.rename(staging, output)


def _apply(staging: Path, output: Path) -> list[str]:
    """Move a development rebuild's files into the previous site, each replacing its old version
    whole (a rename): that build wrote only what its edits changed, the site keeps the rest.
    Thousands of unchanged files are neither copied nor linked anew; a file written again with
    the same bytes stays as it was (with its date). Returns the files that changed (site-relative):
    what the search index must read again."""
    moved = []
    for folder, _dirs, files in os.walk(staging):
        relative = os.path.relpath(folder, staging)
        target = output if relative == "." else output / relative
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            fresh, old = os.path.join(folder, name), target / name
            if old.is_file() and filecmp.cmp(fresh, old, shallow=False):
                continue
            os.replace(fresh, old)
            moved.append(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"))
    shutil.rmtree(staging, ignore_errors=True)
    return moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the site atomically.")
    parser.add_argument("--settings", default=str(DEVELOPMENT))
    parser.add_argument("--output", default=str(ROOT / "output"))
    parser.add_argument("--content", default=None, help="content folder (default: content/)")
    parser.add_argument("--programme", default=None, help="programme data file")
    parser.add_argument("--cache", action="store_true", help="reuse parsed content (development)")
    args = parser.parse_args(argv)
    overrides = INCREMENTAL if args.cache else None
    try:
        result = build(args.settings, args.output, args.content, args.programme, overrides)
    except KeyboardInterrupt:
        print(f"Build abgebrochen (Strg+C); {display_path(Path(args.output).resolve())} bleibt unverändert.",
              file=sys.stderr)
        return 130
    # The build is complete (the site swapped or left as it was): a Ctrl+C from now on would
    # only print a traceback from the interpreter's exit.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    result.print()
    return 0 if result.ok else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Nothing is left to save (the site is in place, the search index and the pools are done):
    # freeing every object one by one would take a tenth of a second more.
    os._exit(code)
