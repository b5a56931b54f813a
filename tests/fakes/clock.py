"""A clock for sending tests: sleeping advances fake time at once, so retries never really wait."""

from __future__ import annotations

from plugins.newsletter.providers import Clock


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def fake_clock(budget: float = 120.0, time: FakeTime | None = None) -> Clock:
    fake = time or FakeTime()
    return Clock(budget, sleep=fake.sleep, monotonic=fake.monotonic)
