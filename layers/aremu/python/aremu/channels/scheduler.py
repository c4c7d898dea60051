"""EventBridge Scheduler adapter: one-time schedules that start a window-timer execution.

Each schedule is named after its candidate and window epoch, so arming the same timer
twice is a ConflictException, read as "already armed". Schedules delete themselves after
they fire (ActionAfterCompletion DELETE), so a timer costs one API call and nothing to
clean up. Calls are counted, for the cost benchmark and the logs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from aremu.domain.window import Timer
from aremu.observability import logger

SCHEDULE_NAME_MAX = 64
# At this precision Scheduler fires; the execution's first Wait covers the remaining seconds.
PRECISION = timedelta(minutes=1)
_NOT_ALLOWED = re.compile(r"[^0-9A-Za-z_.-]")


class SchedulerError(Exception):
    """Scheduler refused or could not be reached; the caller's retry may succeed."""


def schedule_name(candidate_id: str, epoch: int) -> str:
    name = f"window-{_NOT_ALLOWED.sub('-', candidate_id)}-{epoch}"
    return name[-SCHEDULE_NAME_MAX:]


def iso_z(moment: datetime) -> str:
    """A timestamp Step Functions' TimestampPath reads: whole seconds (rounded up), UTC, Z."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def execution_input(candidate_id: str, timer: Timer) -> dict[str, Any]:
    """The state machine's input: what its first Wait and Task read."""
    return {
        "candidate_id": candidate_id,
        "epoch": timer.epoch,
        "step": timer.step.value,
        "due_at": iso_z(timer.due_at),
    }


def fire_time(due_at: datetime, now: datetime) -> datetime:
    """When the schedule fires: on the minute of `due_at`, and never in the past."""
    at = max(due_at, now + PRECISION).astimezone(UTC)
    return at.replace(second=0, microsecond=0)


class WindowScheduler:
    def __init__(
        self,
        client: Any,
        *,
        group_name: str,
        target_arn: str,
        role_arn: str,
        dead_letter_arn: str = "",
    ) -> None:
        self._client = client
        self._group = group_name
        self._target_arn = target_arn
        self._role_arn = role_arn
        self._dead_letter_arn = dead_letter_arn
        self.calls: Counter[str] = Counter()

    def arm(self, candidate_id: str, timer: Timer, now: datetime) -> bool:
        """Create the timer's schedule; False when it already exists."""
        name = schedule_name(candidate_id, timer.epoch)
        at = fire_time(timer.due_at, now)
        self.calls["create_schedule"] += 1
        try:
            self._client.create_schedule(
                Name=name,
                GroupName=self._group,
                ScheduleExpression=f"at({at.strftime('%Y-%m-%dT%H:%M:%S')})",
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                ActionAfterCompletion="DELETE",
                Target=self._target(candidate_id, timer),
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code == "ConflictException":
                logger.info("window timer already armed", extra={"schedule": name})
                return False
            raise SchedulerError(f"create_schedule failed ({code})") from error
        logger.info(
            "window timer armed",
            extra={"schedule": name, "step": timer.step.value, "fires_at": at.isoformat()},
        )
        return True

    def _target(self, candidate_id: str, timer: Timer) -> dict[str, Any]:
        target: dict[str, Any] = {
            "Arn": self._target_arn,
            "RoleArn": self._role_arn,
            "Input": json.dumps(execution_input(candidate_id, timer)),
        }
        if self._dead_letter_arn:
            # A timer the scheduler cannot start is parked there, not silently dropped.
            target["DeadLetterConfig"] = {"Arn": self._dead_letter_arn}
        return target

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())
