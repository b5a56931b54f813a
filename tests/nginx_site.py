"""A real nginx (Debian package) on loopback serving a built site with its generated include."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from waiting import wait_for_port

from checks.server import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@contextmanager
def nginx_serving(site: Path, prefix: Path) -> Iterator[str]:
    """Serve ``site`` with ``_hosting/nginx-headers.conf`` included; yields the base URL."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    temp = "".join(f"{kind}_temp_path {prefix}/{kind};\n" for kind in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(f"""
user root; worker_processes 1; daemon off; pid {prefix}/nginx.pid; error_log {prefix}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types; access_log off; {temp}
  server {{
    listen 127.0.0.1:{port}; root {site}; index index.html; absolute_redirect off;
    include {site}/_hosting/nginx-headers.conf;
  }}
}}""", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-c", str(prefix / "nginx.conf"), "-p", str(prefix)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_port("127.0.0.1", port, "nginx", alive=lambda: process.poll() is None)
    except AssertionError:
        process.kill()
        raise AssertionError(process.communicate(timeout=10)[1].decode(errors="replace")) from None
    try:
        yield base
    finally:
        process.terminate()
        process.wait(10)
