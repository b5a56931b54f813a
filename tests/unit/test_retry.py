"""One retry policy and the send's time budget, with a fake clock: nothing here really waits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes.clock import FakeTime, fake_clock

from plugins.newsletter.providers.protocol import DeadlineExceeded, TransientError
from plugins.newsletter.providers.retry import RetryPolicy, parse_retry_after, retrying


class Flaky:
    """Fails ``failures`` times with a TransientError, then answers."""

    def __init__(self, failures: int, ambiguous: bool = False, retry_after: float | None = None) -> None:
        self.failures, self.calls = failures, 0
        self.ambiguous, self.retry_after = ambiguous, retry_after

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise TransientError("kurz weg", self.ambiguous, self.retry_after)
        return "ok"


def test_transient_failures_are_retried_until_the_answer() -> None:
    time = FakeTime()
    action = Flaky(3)
    assert retrying(action, fake_clock(60, time), may_retry=lambda _e: True) == "ok"
    assert action.calls == 4 and len(time.slept) == 3


def test_attempts_are_bounded() -> None:
    action = Flaky(10)
    with pytest.raises(TransientError):
        retrying(action, fake_clock(600), may_retry=lambda _e: True, policy=RetryPolicy(attempts=4))
    assert action.calls == 4


def test_what_may_have_been_applied_is_not_repeated_unless_allowed() -> None:
    action = Flaky(1, ambiguous=True)
    with pytest.raises(TransientError):
        retrying(action, fake_clock(60), may_retry=lambda error: not error.ambiguous)
    assert action.calls == 1


def test_the_servers_retry_after_is_waited_for() -> None:
    time = FakeTime()
    retrying(Flaky(1, retry_after=7.0), fake_clock(60, time), may_retry=lambda _e: True)
    assert time.slept == [7.0]  # longer than any backoff of the first attempt


def test_no_wait_runs_past_the_deadline() -> None:
    with pytest.raises(DeadlineExceeded):
        retrying(Flaky(1, retry_after=30.0), fake_clock(10), may_retry=lambda _e: True)


def test_retry_after_as_seconds_or_http_date() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Tue, 01 Dec 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("bald") is None and parse_retry_after(None) is None
