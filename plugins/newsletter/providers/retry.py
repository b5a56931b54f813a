"""One retry policy for every provider: bounded attempts, exponential backoff with full jitter."""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from .clock import Clock
from .protocol import TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Full jitter; the server's Retry-After wins when it is longer."""
        return max(random.uniform(0, min(self.cap, self.base * 2**attempt)), retry_after or 0.0)


DEFAULT_POLICY = RetryPolicy()


def retrying(action: Callable[[], T], clock: Clock, *, may_retry: Callable[[TransientError], bool],
             policy: RetryPolicy = DEFAULT_POLICY, log: Callable[[str], None] | None = None) -> T:
    """Run ``action``; after a TransientError that ``may_retry`` allows, wait and run it again."""
    attempt = 0
    while True:
        try:
            return action()
        except TransientError as error:
            attempt += 1
            if attempt >= policy.attempts or not may_retry(error):
                raise
            wait = policy.delay(attempt, error.retry_after)
            if log:
                log(f"{error} – neuer Versuch in {wait:.1f} s")
            clock.sleep(wait)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to Python, not to HTTP
        return float(value[:9])
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # "-0000": a time in UTC, RFC 5322 says, without saying where
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
