"""Pacing sends per phone number: a token bucket over an injected clock.

WhatsApp allows about 80 messages a second per business number by default (130429 past
it); the bucket keeps a sender under its share whatever the burst, and `penalise` makes it
back off after a throughput error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class TokenBucket:
    def __init__(
        self,
        rate_per_second: float,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        burst: float | None = None,
    ) -> None:
        self._rate = rate_per_second
        # One by default: sends are spread evenly, never two seconds' worth in one.
        self._capacity = burst if burst is not None else 1.0
        self._tokens = self._capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait (through the injected sleep) until one send is allowed; returns the wait."""
        with self._lock:
            self._refill()
            wait = 0.0
            if self._tokens < 1:
                wait = (1 - self._tokens) / self._rate
                self._sleep(wait)
                self._refill()
            self._tokens -= 1
            return wait

    def penalise(self, seconds: float) -> None:
        """Spend the next `seconds` of allowance: the number was told to slow down."""
        with self._lock:
            self._refill()
            self._tokens -= seconds * self._rate

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
