"""A real HTTP server on loopback for provider tests, with injectable faults.

Faults are queued per route: "500" (refused, nothing applied), "500-after"
(applied, then 500), "429" (refused, Retry-After: 1), "timeout-after"
(applied, answer delayed past the client's timeout), "reset" (connection
closed before anything is applied) and "reset-after" (applied, then closed).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse


class Reply:
    def __init__(self, status: int, body: object = None, headers: dict | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}


class _Server(ThreadingHTTPServer):
    """A server whose request threads are gone once it is closed: a thread left behind (waiting
    on a kept-alive connection) would make the next test in this process see a threaded process.
    Closing ends the open connections, then waits for their threads."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        with self.connections_lock:
            for connection in self.open_connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        super().server_close()


class FakeApi:
    """Base: subclasses define ``routes`` [(method, regex, handler)] and ``authorized``."""

    routes: ClassVar[list] = []
    public_paths: ClassVar[set] = set()
    delay = 0.6  # longer than the tests' client read timeout (0.25 s)

    def __init__(self) -> None:
        self.faults: dict[str, list[str]] = defaultdict(list)
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        # A delayed answer ends early when the server stops, so a test never waits it out.
        self.stopping = threading.Event()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()  # ends the open connections and waits for their threads

    def inject(self, route: str, *faults: str) -> None:
        """Queue faults for the next requests to ``route`` ("POST /api/campaigns")."""
        self.faults[route].extend(faults)

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # small writes of one reply would wait for delayed ACKs

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _dispatch(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if "form-urlencoded" in (self.headers.get("Content-Type") or ""):
                    body = parse_qs(raw.decode())
                else:
                    body = json.loads(raw) if raw else None
                found = [(f"{method} {pattern}", handler, re.fullmatch(pattern, parsed.path))
                         for method, pattern, handler in api.routes if method == self.command]
                found = [item for item in found if item[2]]
                if not found:
                    return self._send(Reply(404, api.not_found()))
                route, handler, match = found[0]
                with api.lock:
                    api.calls.append((self.command, parsed.path))
                    fault = api.faults[route].pop(0) if api.faults[route] else None
                if parsed.path not in api.public_paths and not api.authorized(self.headers):
                    return self._send(api.unauthorized())
                if fault == "reset":
                    return self._reset()
                if fault == "500":
                    return self._send(Reply(500, api.server_error()))
                if fault == "429":
                    return self._send(Reply(429, api.rate_limited(), {"Retry-After": "1"}))
                with api.lock:
                    reply = handler(api, match, body, parse_qs(parsed.query))
                if fault == "500-after":
                    return self._send(Reply(500, api.server_error()))
                if fault == "reset-after":
                    return self._reset()
                if fault == "timeout-after":
                    api.stopping.wait(api.delay)
                self._send(reply)

            def _reset(self) -> None:
                # SO_LINGER 0: close with RST, like a crashed proxy.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

            def _send(self, reply: Reply) -> None:
                data = b"" if reply.body is None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if data:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

        return Handler

    # error bodies, overridden per provider
    def authorized(self, headers) -> bool:
        return True

    def unauthorized(self) -> Reply:
        return Reply(403, {"message": "forbidden"})

    def not_found(self) -> dict:
        return {"message": "not found"}

    def server_error(self) -> dict:
        return {"message": "internal error"}

    def rate_limited(self) -> dict:
        return {"message": "too many requests"}
