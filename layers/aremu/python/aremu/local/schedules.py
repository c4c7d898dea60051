"""Recurring schedules on the local clock: they run only when `POST /sandbox/clock` moves it.

Each `rate(...)` schedule first falls due one period after the stack started, then every
period after that, as EventBridge Scheduler would run it. Nothing runs on wall-clock time:
a scheduled job search would otherwise scrape live job sites while someone is testing.
`cron(...)` expressions are not evaluated locally; they are logged and left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aremu.local.log import logger
from aremu.local.runtime import LocalFunction
from aremu.wiring import ScheduleRate

# Moving the clock a week must not run a 15-minute schedule 672 times.
MAX_CATCH_UP_RUNS = 3

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


class UnsupportedSchedule(ValueError):
    """An expression the local stack does not evaluate (cron)."""


def rate_period(expression: str) -> timedelta:
    """The period of `rate(N unit)`; raises UnsupportedSchedule for anything else."""
    match = _RATE.match(expression.strip())
    if match is None:
        raise UnsupportedSchedule(f"not a rate expression: {expression}")
    value, unit = int(match.group(1)), match.group(2)
    # EventBridge wants the singular for 1 and the plural otherwise; both are read here.
    if value < 1:
        raise UnsupportedSchedule(f"a rate must be at least 1: {expression}")
    return timedelta(seconds=value * _UNIT_SECONDS[unit.rstrip("s")])


@dataclass
class _Schedule:
    name: str
    function: LocalFunction
    trigger: ScheduleRate
    period: timedelta
    next_due: datetime
    runs: int = 0
    failures: int = 0


class LocalSchedules:
    def __init__(self, functions: Iterable[LocalFunction], started_at: datetime) -> None:
        self._schedules: list[_Schedule] = []
        for function in functions:
            for index, trigger in enumerate(function.spec.schedules()):
                name = function.name if index == 0 else f"{function.name}#{index + 1}"
                try:
                    period = rate_period(trigger.expression)
                except UnsupportedSchedule:
                    logger.warning(
                        "schedule not run locally: only rate(...) expressions are",
                        extra={"function": function.name, "expression": trigger.expression},
                    )
                    continue
                self._schedules.append(
                    _Schedule(name, function, trigger, period, started_at + period)
                )

    def status(self) -> dict[str, Any]:
        return {
            schedule.name: {
                "expression": schedule.trigger.expression,
                "next_due": schedule.next_due.isoformat(),
                "runs": schedule.runs,
                "failures": schedule.failures,
            }
            for schedule in self._schedules
        }

    def run_due(self, now: datetime) -> dict[str, Any]:
        """Run every schedule that fell due by `now`; what each one did."""
        ran: dict[str, Any] = {}
        for schedule in self._schedules:
            if schedule.next_due > now:
                continue
            elapsed = (now - schedule.next_due) // schedule.period + 1
            runs = min(elapsed, MAX_CATCH_UP_RUNS)
            failures = sum(not self._invoke(schedule) for _ in range(runs))
            schedule.next_due += elapsed * schedule.period
            ran[schedule.name] = {"runs": runs, "failures": failures, "skipped": elapsed - runs}
        return ran

    def _invoke(self, schedule: _Schedule) -> bool:
        schedule.runs += 1
        try:
            # Scheduler sends the target's input as the whole event.
            schedule.function.invoke(dict(schedule.trigger.payload))
        except Exception:
            schedule.failures += 1
            logger.exception("scheduled handler raised", extra={"function": schedule.name})
            return False
        return True
