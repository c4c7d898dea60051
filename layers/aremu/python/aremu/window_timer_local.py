"""The window timers on the local clock: Scheduler's one-time schedules fired, and the
Step Functions state machine interpreted, for exactly what `window_timer_definition` uses.

moto keeps schedules but never fires them, and its Step Functions cannot run our Lambda
code without Docker, so the local stack runs both here. The interpreter covers Wait
(Timestamp/TimestampPath/Seconds/SecondsPath), Task (a local callable, with Parameters
paths, ResultPath "$" and Retry on the local clock), Choice on string equality and
Succeed/Fail. Anything else is refused when the definition is loaded, so a change to the
definition cannot quietly behave differently here than on AWS. A Task's TimeoutSeconds is
not enforced: a thread cannot be stopped.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from aremu.channels.scheduler import iso_z

# Calls a Task's Resource (an ARN) with its resolved Parameters and returns its result.
Invoke = Callable[[str, dict[str, Any]], Any]
Clock = Callable[[], datetime]

MAX_STATES_PER_RUN = 1000
_SUPPORTED_KEYS: dict[str, frozenset[str]] = {
    "Wait": frozenset(
        {"Type", "Next", "End", "Comment", "Timestamp", "TimestampPath", "Seconds", "SecondsPath"}
    ),
    "Task": frozenset(
        {
            "Type",
            "Next",
            "End",
            "Comment",
            "Resource",
            "Parameters",
            "ResultPath",
            "Retry",
            "TimeoutSeconds",
        }
    ),
    "Choice": frozenset({"Type", "Choices", "Default", "Comment"}),
    "Succeed": frozenset({"Type", "Comment"}),
    "Fail": frozenset({"Type", "Comment", "Error", "Cause"}),
}
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


class UnsupportedDefinition(ValueError):
    """The definition uses States Language the local interpreter does not run."""


class ExecutionStatus(StrEnum):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class _StatesError(Exception):
    def __init__(self, name: str, cause: str) -> None:
        super().__init__(f"{name}: {cause}")
        self.name = name


def check_definition(definition: dict[str, Any]) -> None:
    states: dict[str, Any] = definition.get("States", {})
    if definition.get("StartAt") not in states:
        raise UnsupportedDefinition("StartAt names no state")
    for name, state in states.items():
        kind = state.get("Type")
        if kind not in _SUPPORTED_KEYS:
            raise UnsupportedDefinition(f"{name}: state type {kind} is not run locally")
        extra = set(state) - _SUPPORTED_KEYS[kind]
        if extra:
            raise UnsupportedDefinition(f"{name}: {sorted(extra)} not run locally")
        if state.get("ResultPath", "$") != "$":
            raise UnsupportedDefinition(f"{name}: only ResultPath '$' is run locally")
        for rule in state.get("Choices", []):
            if set(rule) != {"Variable", "StringEquals", "Next"}:
                raise UnsupportedDefinition(f"{name}: only StringEquals choices are run locally")
        targets = [state.get("Next"), state.get("Default")]
        targets += [rule["Next"] for rule in state.get("Choices", [])]
        for target in targets:
            if target is not None and target not in states:
                raise UnsupportedDefinition(f"{name}: goes to unknown state {target}")


class LocalExecution:
    """One execution: `run_due(now)` runs its states until it waits for a later time or ends."""

    def __init__(
        self,
        definition: dict[str, Any],
        invoke: Invoke,
        clock: Clock,
        execution_input: dict[str, Any],
        *,
        execution_id: str | None = None,
    ) -> None:
        check_definition(definition)
        self._states: dict[str, Any] = definition["States"]
        self._invoke = invoke
        self.execution_id = execution_id or f"local:window-timer:{uuid.uuid4()}"
        self.started_at = clock()
        self._context: dict[str, Any] = {
            "Execution": {
                "Id": self.execution_id,
                "StartTime": iso_z(self.started_at),
                "Input": execution_input,
            }
        }
        self._current: str = definition["StartAt"]
        self._data: Any = execution_input
        self._entered = False
        self._attempts: dict[int, int] = {}  # retrier index -> retries made
        self.wake_at: datetime | None = None
        self.status = ExecutionStatus.RUNNING
        self.error: str | None = None
        # What AWS bills: every state entered, and every retry of a Task.
        self.transitions = 0
        self.task_invocations = 0

    @property
    def state(self) -> str:
        return self._current

    def run_due(self, now: datetime) -> ExecutionStatus:
        for _ in range(MAX_STATES_PER_RUN):
            if self.status is not ExecutionStatus.RUNNING:
                return self.status
            if self.wake_at is not None and self.wake_at > now:
                return self.status
            try:
                self._run_state(now)
            except _StatesError as error:
                self._fail(error.name, str(error))
        raise RuntimeError("execution did not settle: a loop without a future Wait")

    def _run_state(self, now: datetime) -> None:
        state = self._states[self._current]
        first = not self._entered
        if first:
            self._entered = True
            self.transitions += 1
        kind = state["Type"]
        if kind == "Wait":
            if first:
                self.wake_at = self._wait_until(state, now)
                if self.wake_at > now:
                    return
            self._go(state)
        elif kind == "Task":
            self._task(state, now)
        elif kind == "Choice":
            self._go_to(self._choose(state))
        elif kind == "Succeed":
            self.status = ExecutionStatus.SUCCEEDED
        else:
            self._fail(state.get("Error", "States.Fail"), state.get("Cause", ""))

    def _wait_until(self, state: dict[str, Any], now: datetime) -> datetime:
        if "Timestamp" in state or "TimestampPath" in state:
            value = state.get("Timestamp") or self._path(state["TimestampPath"])
            return _parse_timestamp(value)
        seconds = state["Seconds"] if "Seconds" in state else self._path(state["SecondsPath"])
        if not isinstance(seconds, int | float) or seconds < 0:
            raise _StatesError("States.Runtime", f"bad wait seconds: {seconds!r}")
        return now + timedelta(seconds=seconds)

    def _task(self, state: dict[str, Any], now: datetime) -> None:
        payload = self._resolve(state["Parameters"]) if "Parameters" in state else self._data
        self.task_invocations += 1
        try:
            result = self._invoke(state["Resource"], payload)
        except Exception as error:
            self._retry_or_fail(state, type(error).__name__, str(error), now)
            return
        # A JSON round trip, as the service would make: the result must be data.
        self._data = json.loads(json.dumps(result))
        self._go(state)

    def _retry_or_fail(self, state: dict[str, Any], name: str, cause: str, now: datetime) -> None:
        for index, retrier in enumerate(state.get("Retry", [])):
            if not _matches(retrier["ErrorEquals"], name):
                continue
            made = self._attempts.get(index, 0)
            if made >= retrier.get("MaxAttempts", 3):
                break
            self._attempts[index] = made + 1
            self.transitions += 1
            interval = retrier.get("IntervalSeconds", 1) * retrier.get("BackoffRate", 2.0) ** made
            self.wake_at = now + timedelta(seconds=interval)
            return
        self._fail(name, cause)

    def _choose(self, state: dict[str, Any]) -> str:
        for rule in state["Choices"]:
            value = self._path(rule["Variable"])
            if isinstance(value, str) and value == rule["StringEquals"]:
                next_state: str = rule["Next"]
                return next_state
        if "Default" not in state:
            raise _StatesError("States.NoChoiceMatched", self._current)
        default: str = state["Default"]
        return default

    def _go(self, state: dict[str, Any]) -> None:
        if state.get("End"):
            self.status = ExecutionStatus.SUCCEEDED
            return
        self._go_to(state["Next"])

    def _go_to(self, name: str) -> None:
        self._current = name
        self._entered = False
        self._attempts = {}
        self.wake_at = None

    def _fail(self, name: str, cause: str) -> None:
        self.status = ExecutionStatus.FAILED
        self.error = f"{name}: {cause}"

    def _resolve(self, template: Any) -> Any:
        if isinstance(template, dict):
            resolved: dict[str, Any] = {}
            for key, value in template.items():
                if key.endswith(".$"):
                    resolved[key[:-2]] = self._path(value)
                else:
                    resolved[key] = self._resolve(value)
            return resolved
        if isinstance(template, list):
            return [self._resolve(value) for value in template]
        return template

    def _path(self, path: str) -> Any:
        if path == "$":
            return self._data
        node: Any
        if path.startswith("$$."):
            node, parts = self._context, path[3:].split(".")
        elif path.startswith("$."):
            node, parts = self._data, path[2:].split(".")
        else:
            raise _StatesError("States.Runtime", f"path not run locally: {path}")
        for part in parts:
            if not isinstance(node, dict) or part not in node:
                raise _StatesError("States.Runtime", f"no value at {path}")
            node = node[part]
        return node


def _matches(error_equals: list[str], name: str) -> bool:
    # Locally every failure is a Task failure: the Lambda service errors never happen.
    return bool({"States.ALL", "States.TaskFailed", name} & set(error_equals))


def _parse_timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise _StatesError("States.Runtime", f"not a timestamp: {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise _StatesError("States.Runtime", f"not a timestamp: {value}") from error
    if moment.tzinfo is None:
        raise _StatesError("States.Runtime", f"timestamp without a zone: {value}")
    return moment


class LocalStateMachine:
    """The executions of one state machine, started by schedules and run on the local clock.

    Executions wait in a queue ordered by wake-up time, so a clock move touches only the
    ones that fell due (the benchmark runs thousands).
    """

    def __init__(self, definition: dict[str, Any], invoke: Invoke, clock: Clock) -> None:
        check_definition(definition)
        self._definition = definition
        self._invoke = invoke
        self._clock = clock
        self._lock = threading.RLock()
        self._queue: list[tuple[datetime, int, LocalExecution]] = []
        self._order = itertools.count()
        self.finished: dict[ExecutionStatus, int] = {
            ExecutionStatus.SUCCEEDED: 0,
            ExecutionStatus.FAILED: 0,
        }
        self.started = 0
        self.transitions = 0
        self.task_invocations = 0

    @property
    def running(self) -> list[LocalExecution]:
        return [execution for _, _, execution in sorted(self._queue)]

    def start_execution(self, execution_input: dict[str, Any]) -> LocalExecution:
        execution = LocalExecution(self._definition, self._invoke, self._clock, execution_input)
        with self._lock:
            self.started += 1
            heapq.heappush(self._queue, (execution.started_at, next(self._order), execution))
        return execution

    def next_wake(self) -> datetime | None:
        with self._lock:
            return self._queue[0][0] if self._queue else None

    def run_due(self, now: datetime) -> dict[str, Any]:
        """Run every execution's due states; what happened, for the clock endpoint's answer."""
        # An execution started since `now` was read (by a schedule fired just now) is due.
        now = max(now, self._clock())
        ran = 0
        with self._lock:
            while self._queue and self._queue[0][0] <= now:
                _, order, execution = heapq.heappop(self._queue)
                before = (execution.transitions, execution.task_invocations)
                status = execution.run_due(now)
                ran += 1
                self.transitions += execution.transitions - before[0]
                self.task_invocations += execution.task_invocations - before[1]
                if status is ExecutionStatus.RUNNING:
                    # A running execution always stops at a Wait (or a retry) set after now.
                    assert execution.wake_at is not None
                    heapq.heappush(self._queue, (execution.wake_at, order, execution))
                else:
                    self.finished[status] += 1
            return {
                "executions_run": ran,
                "running": len(self._queue),
                "succeeded": self.finished[ExecutionStatus.SUCCEEDED],
                "failed": self.finished[ExecutionStatus.FAILED],
            }


class LocalScheduleFirer:
    """Fires the due one-time schedules of a group kept by moto, as Scheduler would."""

    def __init__(
        self,
        client: Any,
        group_name: str,
        start: Callable[[dict[str, Any]], Any],
        *,
        target_arn: str | None = None,
    ) -> None:
        self._client = client
        self._group = group_name
        self._start = start
        # Set when the group's schedules start more than one thing: fire only this target's.
        self._target_arn = target_arn

    def run_due(self, now: datetime) -> dict[str, Any]:
        fired = 0
        for name in self._names():
            schedule = self._client.get_schedule(GroupName=self._group, Name=name)
            at = self._fire_at(schedule)
            if at is None or at > now:
                continue
            self._start(json.loads(schedule["Target"].get("Input") or "{}"))
            fired += 1
            if schedule.get("ActionAfterCompletion") == "DELETE":
                self._client.delete_schedule(GroupName=self._group, Name=name)
        return {"schedules_fired": fired}

    def next_fire(self) -> datetime | None:
        """When the earliest one-time schedule of the group fires."""
        times = [
            self._fire_at(self._client.get_schedule(GroupName=self._group, Name=name))
            for name in self._names()
        ]
        return min((at for at in times if at is not None), default=None)

    def _fire_at(self, schedule: dict[str, Any]) -> datetime | None:
        if self._target_arn is not None and schedule["Target"]["Arn"] != self._target_arn:
            return None
        return one_time_fire_at(schedule)

    def _names(self) -> list[str]:
        names: list[str] = []
        for page in self._client.get_paginator("list_schedules").paginate(GroupName=self._group):
            names.extend(summary["Name"] for summary in page.get("Schedules", []))
        return names


def one_time_fire_at(schedule: dict[str, Any]) -> datetime | None:
    """When a one-time schedule fires; None for recurring ones (not this firer's business)."""
    match = _AT.match(schedule.get("ScheduleExpression", ""))
    if match is None:
        return None
    zone = ZoneInfo(schedule.get("ScheduleExpressionTimezone") or "UTC")
    return datetime.fromisoformat(match.group(1)).replace(tzinfo=zone).astimezone(UTC)


class LocalWindowTimers:
    """What the local stack runs when its clock moves: due schedules, then due steps."""

    def __init__(self, state_machine: LocalStateMachine, firer: LocalScheduleFirer) -> None:
        self.state_machine = state_machine
        self._firer = firer

    def next_due(self) -> datetime | None:
        """The next moment anything falls due: a schedule or an execution's wake-up.

        Steps run with the clock as it is, so a clock moved past several due times at once
        runs them late, as AWS would after an outage (a stale reminder is skipped). To see
        every reminder, move the clock to each `next_due()` in turn.
        """
        moments = [m for m in (self._firer.next_fire(), self.state_machine.next_wake()) if m]
        return min(moments, default=None)

    def run_due(self, now: datetime) -> dict[str, Any]:
        fired = self._firer.run_due(now)
        return {**fired, **self.state_machine.run_due(now)}
