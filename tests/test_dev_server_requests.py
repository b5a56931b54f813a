"""What the preview server (`make serve`) answers to requests no browser of the editor sends:
another site's name for 127.0.0.1 (DNS rebinding) reads no draft, and a path with a NUL byte is
a missing page, not an error in the console."""

from __future__ import annotations

import http.client
from pathlib import Path

from checks.server import free_port
from pipeline.dev_server import DevServer, PreviewState


def ask(base: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    address = base.removeprefix("http://")
    connection = http.client.HTTPConnection(address, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or address)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_only_requests_for_its_own_address_are_answered(tmp_path: Path) -> None:
    (tmp_path / "entwurf").mkdir()
    (tmp_path / "entwurf" / "index.html").write_text("<html><body>Entwurf</body></html>", encoding="utf-8")
    port = free_port()
    with DevServer(tmp_path, PreviewState(), port=port) as base:
        assert ask(base, "/entwurf/")[0] == 200
        assert ask(base, "/entwurf/", f"localhost:{port}")[0] == 200
        status, body = ask(base, "/entwurf/", f"evil.example:{port}")
        assert status == 403 and b"Entwurf" not in body
        assert ask(base, "/_preview/state", "evil.example")[0] == 403


def test_a_path_with_a_nul_byte_is_a_missing_page(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body>Start</body></html>", encoding="utf-8")
    with DevServer(tmp_path, PreviewState(), port=free_port()) as base:
        assert ask(base, "/index.html%00.txt")[0] == 404
        assert ask(base, "/%00/")[0] == 404
        status, body = ask(base, "/")
        assert status == 200 and b"Start" in body
