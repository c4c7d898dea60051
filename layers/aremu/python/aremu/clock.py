"""The one place that reads the wall clock.

Rules take `now` as an argument; adapters and handlers ask this module. The local stack
moves time forward with `advance()` (the `POST /sandbox/clock` endpoint) so timers can be
exercised without waiting.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class _MovableClock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta()


_clock = _MovableClock()
now = _clock.now
advance = _clock.advance
reset = _clock.reset
