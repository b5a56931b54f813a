"""Readiness instead of fixed sleeps: the one polling helper of the test suite.

A test waits for the port, file, process or event that means "ready", up to a deadline, and
fails with a message naming what did not come.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
INTERVAL = 0.02


def poll(condition: Callable[[], T], seconds: float, interval: float = INTERVAL) -> T | None:
    """``condition()``'s first truthy value within ``seconds``, else None (the caller decides).
    ``interval`` paces a condition that acts as well as looks (a scroll, a keystroke)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def wait_for(condition: Callable[[], T], what: str, seconds: float = 30) -> T:
    """``condition()``'s first truthy value; fails naming ``what`` after ``seconds``."""
    value = poll(condition, seconds)
    if not value:
        raise AssertionError(f"not within {seconds:g} s: {what}")
    return value


def port_open(host: str, port: int) -> bool:
    """A TCP server accepts connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, what: str, seconds: float = 30,
                  alive: Callable[[], bool] | None = None) -> None:
    """Wait until ``host:port`` accepts connections; stop early when ``alive()`` says the
    server process is gone (its own message then says why)."""
    def ready() -> bool:
        if alive is not None and not alive():
            raise AssertionError(f"{what} exited before listening on port {port}")
        return port_open(host, port)

    wait_for(ready, f"{what} listening on {host}:{port}", seconds)
