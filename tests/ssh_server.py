"""A real OpenSSH server (Debian's sshd) on a loopback port, for the deploy script: key login
only, for the user running the tests, with its own host key that the client must pin."""

from __future__ import annotations

import getpass
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from waiting import wait_for_port

from checks.server import free_port

SSHD = "/usr/sbin/sshd"


@dataclass(frozen=True)
class SshServer:
    host: str
    port: int
    user: str
    client_key: str  # the private key the deploy uses (OpenSSH format)
    known_hosts: str  # the line a client pins the server with


def keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(path)],
                   check=True, capture_output=True, timeout=30)


@contextmanager
def sshd_serving(folder: Path) -> Iterator[SshServer]:
    """Start sshd for ``folder`` (keys, configuration, log); yields how to reach it."""
    folder.mkdir(parents=True, exist_ok=True)
    keygen(folder / "host_key")
    keygen(folder / "client_key")
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text(), encoding="utf-8")
    port, user = free_port(), getpass.getuser()
    (folder / "sshd_config").write_text(f"""\
ListenAddress 127.0.0.1
Port {port}
HostKey {folder}/host_key
PidFile {folder}/sshd.pid
AuthorizedKeysFile {folder}/authorized_keys
AllowUsers {user}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
LogLevel ERROR
""", encoding="utf-8")
    if os.geteuid() == 0:  # sshd's privilege separation needs its folder
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = (folder / "sshd.log").open("wb")
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(folder / "sshd_config")],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port("127.0.0.1", port, "sshd", alive=lambda: process.poll() is None)
        except AssertionError as failure:
            raise AssertionError(f"{failure}: {(folder / 'sshd.log').read_text()}") from None
        host_key = (folder / "host_key.pub").read_text(encoding="utf-8").split()
        yield SshServer("127.0.0.1", port, user, (folder / "client_key").read_text(encoding="utf-8"),
                        f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}")
    finally:
        process.terminate()
        process.wait(10)
        log.close()
