"""Shared fixtures: real Markdown content, real builds (in this process, or through the CLI)."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import chdir, contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.build import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Test builds leave out the search index unless a test is about search (tests/test_search.py,
# the gate): Pagefind would add a third of a second to each of some hundred builds.
os.environ.setdefault("SLS_SEARCH_INDEX", "0")
PROGRAMME = ROOT / "content" / "programme.yml"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@contextmanager
def environment(values: dict[str, str] | None, workdir: Path) -> Iterator[None]:
    """Run with extra environment variables from ``workdir`` (paths are shown relative to it)."""
    saved = {name: os.environ.get(name) for name in values or {}}
    os.environ.update(values or {})
    try:
        with chdir(workdir):
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_build(workdir: Path, content: Path, output: Path, programme: Path = PROGRAMME,
              settings: Path = ROOT / "pelicanconf.py", env: dict[str, str] | None = None) -> Run:
    """Build as the command would, in this process (builds keep no state between them)."""
    out, err = io.StringIO(), io.StringIO()
    with environment(env, workdir), redirect_stdout(out), redirect_stderr(err):
        result = build(settings, output, content, programme)
        result.print()
    return Run(0 if result.ok else 1, out.getvalue(), err.getvalue())


def run_build_cli(workdir: Path, content: Path, output: Path, programme: Path = PROGRAMME,
                  settings: Path = ROOT / "pelicanconf.py", env: dict[str, str] | None = None) -> Run:
    """Build like an editor would, as a separate process, from ``workdir``."""
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.build", "--settings", str(settings), "--content",
         str(content), "--output", str(output), "--programme", str(programme)],
        cwd=workdir, capture_output=True, text=True, timeout=180,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )
    return Run(done.returncode, done.stdout, done.stderr)


def refused_by_build_and_check(workdir: Path, content: Path, expected: str, programme: Path | None = None,
                               env: dict[str, str] | None = None) -> tuple[Run, list[str]]:
    """The build and the editors' content check both refuse with a line starting ``expected``,
    and nothing is published; what each said, for further assertions."""
    from pipeline.content_check import content_problems

    run = run_build(workdir, content, workdir / "output", programme=programme or PROGRAMME, env=env)
    assert run.code == 1 and any(row.startswith(expected) for row in run.stderr.splitlines()), run.stderr
    assert not (workdir / "output").exists()
    with environment(env, workdir):
        checked = [str(problem) for problem in
                   content_problems(str(content), str(programme) if programme else None)]
    assert any(row.startswith(expected) for row in checked), checked
    return run, checked


# Pagefind writes its filter files in an order that differs from run to run (same content, same
# search results: tests/test_search.py), and a development rebuild rewrites it in the background
# (the folders of that swap included); byte comparisons of whole sites leave it out.
UNSTABLE = ("pagefind", ".pagefind-next", ".pagefind-old", ".pagefind-refresh.pid")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with a hash of its bytes (the search bundle aside)."""
    # Never walked into: a development build's search refresh renames them meanwhile.
    tops = [top for top in folder.iterdir() if top.name not in UNSTABLE]
    files = [top for top in tops if top.is_file()] + [
        path for top in tops if top.is_dir() for path in top.rglob("*") if path.is_file()]
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(files)}


def invented(value: Any, key: str = "") -> Any:
    """Made-up values in place of every placeholder, of the kind each field needs."""
    if isinstance(value, dict):
        return {k: invented(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [invented(v, key) for v in value]
    if not (isinstance(value, str) and "PLATZHALTER" in value):
        return value
    kinds = {"url": "https://beispielhausen.example/", "action": "https://post.beispielhausen.example/form",
             "email": "info@beispielhausen.example", "phone": "+49 9999 123456",
             "statement_date": "2026-12-01", "conformance": "teilweise",
             "uuid": "0b8c8f0e-1d2a-4c7e-9f3a-5d6e7f8a9b0c", "repo": "beispielhausen/website",
             "app_id": "beispiel-app-id", "security_contact": "sicherheit@beispielhausen.example",
             "licence": "dl-by-de/2.0"}
    return next((v for k, v in kinds.items() if k in key), "Beispielangabe der Gemeinde")


def filled_in(programme_text: str) -> str:
    """The programme data with every placeholder filled in as an adopter would."""
    return yaml.safe_dump(invented(yaml.safe_load(programme_text)), allow_unicode=True)


def copy_good_content(target: Path) -> Path:
    shutil.copytree(FIXTURES / "good", target)
    shutil.copy(PROGRAMME, target / "programme.yml")
    return target


@pytest.fixture
def good_content(tmp_path: Path) -> Path:
    """A small valid content folder (with the real programme data) the test may add files to."""
    return copy_good_content(tmp_path / "content")


@pytest.fixture(scope="module")
def good_content_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same folder, shared by a module's tests that only read it."""
    return copy_good_content(tmp_path_factory.mktemp("good") / "content")


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback; ``.received`` holds the messages."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list = []

    class Collect(Message):
        def handle_message(self, message) -> None:
            received.append(message)

    with socket.socket() as probe:  # aiosmtpd needs a concrete port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    controller.received = received
    yield controller
    controller.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """A headless Chromium (Debian's) for the module's tests; each test opens its own context
    (own cookies, storage and cache) and closes it. Not one per worker: while Playwright's sync
    API holds a browser, the worker can neither run the gate (asyncio) nor fork a build."""
    from playwright.sync_api import sync_playwright

    from checks.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


REPORTS = "TEST_REPORTS_FOLDER"


def pytest_configure(config: pytest.Config) -> None:
    """A folder the workers write reports into (the gate's JSON report); the controller makes it
    before the workers start, so they inherit its name."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ[REPORTS] = tempfile.mkdtemp(prefix="sls-reports-")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The gate's report goes to reports/ only when the run is over: builds during the run show
    the report that was there when the run started (the accessibility statement reads it)."""
    if os.environ.get("PYTEST_XDIST_WORKER") or REPORTS not in os.environ:
        return
    folder = Path(os.environ.pop(REPORTS))
    for report in folder.glob("*.json"):
        (ROOT / "reports").mkdir(exist_ok=True)
        shutil.copyfile(report, ROOT / "reports" / report.name)
    shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def missing_tools() -> str:
    """Empty when the slow tier has what it needs, else the one line that says how to get it."""
    done = subprocess.run(["bash", str(ROOT / ".ci" / "system-packages"), "--check"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode:
        return done.stderr.strip()
    if not (ROOT / "node_modules" / ".installed").exists():
        return "node_modules fehlt: `make test` (oder `npm ci`) im Projektordner ausführen"
    return ""


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A slow test without its Debian packages or node_modules fails with the line that says how
    to get them (`make test` installs them first), not with a tool's traceback."""
    if item.get_closest_marker("slow") and missing_tools():
        pytest.fail(missing_tools(), pytrace=False)


# Longest first (the scheduling rule that keeps both workers busy until the end): the modules
# that run the gate, then the rest of the slow tier, then the fast tier fills the gaps.
LONGEST = ("test_gate.py", "test_extreme_layout.py", "test_gate_example.py", "test_guide.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        if item.path.name in LONGEST:
            return LONGEST.index(item.path.name)
        return len(LONGEST) + (0 if item.get_closest_marker("slow") else 1)

    items.sort(key=rank)


@contextmanager
def static_site(folder: Path) -> Iterator[str]:
    """A built site served over loopback HTTP (Python's server): its base address."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@contextmanager
def interface_catalogues(folder: Path, monkeypatch: pytest.MonkeyPatch, **entries: str) -> Iterator[Path]:
    """The interface catalogues ``entries`` (edition key → a .po file's entries, or a whole file
    where it starts with ``msgid ""``) in ``folder``/locale instead of the theme's while the block
    runs; yields the locale folder."""
    from plugins.programme import catalogues

    locale = folder / "locale"
    locale.mkdir(parents=True)
    # The German messages a translation is judged against (written from the templates).
    shutil.copy(catalogues.LOCALE / f"{catalogues.DOMAIN}.pot", locale)
    for key, text in entries.items():
        (locale / key / "LC_MESSAGES").mkdir(parents=True)
        (locale / key / "LC_MESSAGES" / "sls.po").write_text(
            text if text.startswith('msgid ""') else PO_HEADER + text, encoding="utf-8")
    monkeypatch.setattr(catalogues, "LOCALE", locale)
    catalogues.catalogue.cache_clear()
    try:
        yield locale
    finally:
        catalogues.catalogue.cache_clear()
