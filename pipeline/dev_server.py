"""The preview server of `make serve`: serves the built site, reloads open tabs after a save and
shows a failed build on the page.

Pages get one script from our own host (``/_preview/reload.js``; the site's CSP allows
same-origin scripts, not inline ones). It asks ``/_preview/state`` twice a second: a new build
number reloads the tab, a failed build shows its problems in a banner, in German.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from plugins.programme.security_policy import SVG_CSP

PREFIX = "/_preview/"
SCRIPT_TAG = b'<script src="/_preview/reload.js"></script>'
RELOAD_JS = """(function () {
  var seen = null;
  function banner(text) {
    var old = document.getElementById('sls-preview-error');
    if (old) { old.remove(); }
    if (!text) { return; }
    var box = document.createElement('div');
    box.id = 'sls-preview-error';
    box.setAttribute('role', 'alert');
    var title = document.createElement('strong');
    title.textContent = 'Der Build ist fehlgeschlagen; die Vorschau zeigt den letzten guten Stand:';
    var lines = document.createElement('pre');
    lines.textContent = text;
    box.appendChild(title);
    box.appendChild(lines);
    document.body.insertBefore(box, document.body.firstChild);
  }
  function ask() {
    fetch('/_preview/state', {cache: 'no-store'}).then(function (answer) { return answer.json(); })
      .then(function (state) {
        if (seen !== null && state.build !== seen && !state.error) { location.reload(); return; }
        seen = state.build;
        banner(state.error);
      }).catch(function () {}).finally(function () { setTimeout(ask, 500); });
  }
  var style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = '/_preview/preview.css';
  document.head.appendChild(style);
  ask();
})();
"""
PREVIEW_CSS = """#sls-preview-error { margin: 0; padding: 1rem 1.5rem; background: #fff4e5; color: #1a1a1a;
  border-bottom: 4px solid #b00020; font-size: 1rem; }
#sls-preview-error pre { white-space: pre-wrap; font-size: 0.95rem; margin: 0.5rem 0 0; }
"""


class PreviewState:
    """The build number and the last failure, shared between the watcher and the server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.build = 0
        self.error: str | None = None

    def built(self, ok: bool, report: str) -> None:
        with self._lock:
            self.build += 1
            self.error = None if ok else report

    def as_json(self) -> bytes:
        with self._lock:
            return json.dumps({"build": self.build, "error": self.error},
                              ensure_ascii=False).encode("utf-8", "backslashreplace")


class _Handler(SimpleHTTPRequestHandler):
    state: PreviewState
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # An SVG opened on its own is a document: as on the real hosts (the generated
        # configuration), it may run no script and load nothing.
        if self.path.split("?", 1)[0].lower().endswith(".svg"):
            self.send_header("Content-Security-Policy", SVG_CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _reply(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _ours(self) -> bool:
        """Whether the request names this server as its browser does: a page of another site that
        points its own name at 127.0.0.1 (DNS rebinding) would read drafts and the build state."""
        port = self.server.server_address[1]  # type: ignore[index]  # an (address, port) pair for TCP
        name, _, written_port = self.headers.get("Host", "").strip().lower().rpartition(":")
        try:  # an address, not a name (`make serve HOST=…` on another interface), or localhost
            ours = name == "localhost" or bool(ipaddress.ip_address(name.strip("[]")))
        except ValueError:
            ours = False
        if ours and written_port == str(port):
            return True
        self.send_error(403, "Nur unter der eigenen Adresse erreichbar")
        return False

    def _answer(self, respond: Callable[[], object]) -> None:
        if not self._ours():
            return
        try:
            respond()
        except ValueError:  # a path no file system takes (a NUL byte): there is no such file
            self.send_error(404)

    def do_HEAD(self) -> None:
        self._answer(super().do_HEAD)

    def do_GET(self) -> None:
        self._answer(self._get)

    def _get(self) -> None:
        if self.path.startswith(PREFIX + "state"):
            return self._reply(self.state.as_json(), "application/json; charset=utf-8")
        if self.path.startswith(PREFIX + "reload.js"):
            return self._reply(RELOAD_JS.encode(), "text/javascript; charset=utf-8")
        if self.path.startswith(PREFIX + "preview.css"):
            return self._reply(PREVIEW_CSS.encode(), "text/css; charset=utf-8")
        path = Path(self.translate_path(self.path))
        page = path / "index.html" if path.is_dir() else path
        if page.suffix == ".html" and page.is_file() and path.is_relative_to(self.directory):
            html = page.read_bytes().replace(b"</body>", SCRIPT_TAG + b"</body>", 1)
            return self._reply(html, "text/html; charset=utf-8")
        return super().do_GET()


class DevServer:
    """``with DevServer(output, state, host, port) as url:`` serves until the block ends."""

    def __init__(self, output: Path, state: PreviewState, host: str = "127.0.0.1", port: int = 8000) -> None:
        handler = type("Handler", (_Handler,), {"state": state})
        # The folder is replaced by every build: serve it by name, not by an open handle.
        self.httpd = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(output)))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
