"""The time budget of one send. Time and sleeping are injected, so tests never really wait."""

from __future__ import annotations

import time
from collections.abc import Callable

from .protocol import DeadlineExceeded


class Clock:
    """A deadline ``budget`` seconds from now; ``sleep`` refuses to sleep past it."""

    def __init__(self, budget: float, sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._sleep = sleep
        self.deadline = monotonic() + budget

    def remaining(self) -> float:
        return self.deadline - self._monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds >= self.remaining():
            raise DeadlineExceeded("Zeitbudget für den Versand aufgebraucht")
        self._sleep(seconds)
