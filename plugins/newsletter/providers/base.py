"""What every sending provider offers, and an HTTP client that is safe to retry.

Exactly-once rests on two rules: requests that cannot do harm twice (GET, a
status PUT) are retried with backoff; a POST that may have reached the server
is never repeated blindly — the sender looks the campaign up again first.
"""

from __future__ import annotations

import email.utils
import http.cookiejar
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from ..rendered import RenderedIssue, Sender  # noqa: F401  (re-exported for providers)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0


class ConfigError(ValueError):
    """Missing or invalid configuration, found before any network call."""


class ProviderError(RuntimeError):
    """The provider refused a request (4xx other than 429) — retrying will not help."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class TransientError(RuntimeError):
    """Rate limit, server error or network trouble; ``ambiguous`` if the request may have been applied."""

    def __init__(self, message: str, ambiguous: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous
        self.retry_after = retry_after


class DeadlineExceeded(RuntimeError):
    """The whole send ran out of time."""


@dataclass
class Campaign:
    """What the provider knows about an issue's campaign."""

    id: str
    status: str  # provider's own word
    started: bool  # running, scheduled, sent: must never be started again
    name: str = ""
    details: dict = field(default_factory=dict)


class Clock:
    """Time budget of one send; sleeping is injectable for tests."""

    def __init__(self, budget: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.deadline = time.monotonic() + budget
        self.sleep_fn = sleep

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds >= self.remaining():
            raise DeadlineExceeded("Zeitbudget für den Versand aufgebraucht")
        self.sleep_fn(seconds)


def backoff(attempt: int, retry_after: float | None = None, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with full jitter; the server's Retry-After wins when it is longer."""
    delay = random.uniform(0, min(cap, base * 2**attempt))
    return max(delay, retry_after or 0.0)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class HttpApi:
    """JSON over HTTP with timeouts, bounded retries and no secret in any message."""

    def __init__(self, base_url: str, headers: dict[str, str], clock: Clock, name: str,
                 error_message: Callable[[requests.Response], str], attempts: int = 5,
                 log: Callable[[str], None] | None = None, read_timeout: float = READ_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # listmonk ignores the Authorization header when a session cookie is present.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self.session.headers.update({"Accept": "application/json", **headers})
        self.clock = clock
        self.name = name
        self.error_message = error_message
        self.attempts = attempts
        self.log = log or (lambda _message: None)
        self.read_timeout = read_timeout

    def call(self, method: str, path: str, *, json_body: object = None, params: dict | None = None,
             retry: bool) -> requests.Response:
        """One request; with ``retry`` it is repeated on transient failures, else raised."""
        attempt = 0
        while True:
            try:
                return self._once(method, path, json_body, params)
            except TransientError as error:
                attempt += 1
                # A 429 was not applied, so even a POST may be repeated after waiting.
                may_repeat = retry or (not error.ambiguous)
                if not may_repeat or attempt >= self.attempts:
                    raise
                wait = backoff(attempt, error.retry_after)
                self.log(f"{self.name}: {error} – neuer Versuch in {wait:.1f} s")
                self.clock.sleep(wait)

    def _once(self, method: str, path: str, json_body: object, params: dict | None) -> requests.Response:
        remaining = self.clock.remaining()
        if remaining <= 0:
            raise DeadlineExceeded("Zeitbudget für den Versand aufgebraucht")
        timeout = (min(CONNECT_TIMEOUT, remaining), min(self.read_timeout, remaining))
        url = f"{self.base_url}{path}"
        try:
            response = self.session.request(method, url, json=json_body, params=params, timeout=timeout)
        except requests.ConnectTimeout:
            raise TransientError(f"{method} {path}: keine Verbindung (Zeitüberschreitung)", False) from None
        except requests.ConnectionError as error:
            # A reset after the request was written may mean the server acted on it.
            sent = "Connection aborted" in str(error) or "RemoteDisconnected" in str(error)
            kind = "Verbindung abgebrochen" if sent else "keine Verbindung"
            raise TransientError(f"{method} {path}: {kind}", ambiguous=sent) from None
        except requests.Timeout:
            raise TransientError(f"{method} {path}: keine Antwort (Zeitüberschreitung)", True) from None
        self.log(f"{self.name}: {method} {path} → {response.status_code}")
        if response.status_code == 429:
            # Brevo announces the wait in x-sib-ratelimit-reset, others in Retry-After.
            wait = parse_retry_after(response.headers.get("Retry-After")
                                     or response.headers.get("x-sib-ratelimit-reset"))
            raise TransientError(f"{method} {path}: zu viele Anfragen (429)", False, wait)
        if response.status_code >= 500:
            raise TransientError(f"{method} {path}: Serverfehler {response.status_code} "
                                 f"({self.error_message(response)})", True,
                                 parse_retry_after(response.headers.get("Retry-After")))
        if response.status_code >= 400:
            raise ProviderError(f"{method} {path}: {response.status_code} {self.error_message(response)}",
                                response.status_code)
        return response
