"""The window timer's state machine definition, its local interpreter, and the Scheduler
adapter's naming and timing, without AWS.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from aremu.channels.scheduler import (
    SchedulerError,
    WindowScheduler,
    fire_time,
    iso_z,
    schedule_name,
)
from aremu.domain.window import Step, Timer
from aremu.window_timer_definition import window_timer_definition
from aremu.window_timer_local import (
    ExecutionStatus,
    LocalExecution,
    UnsupportedDefinition,
)
from tests.support.windows import FakeSchedulerClient

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:WindowTimerStep"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DUE = "2026-11-24T05:00:00Z"
INPUT = {"candidate_id": "c1", "epoch": 1, "step": "remind_4h", "due_at": DUE}


class StepLambda:
    """Answers like the step Lambda from a script of (next, due_at) pairs, or raises."""

    def __init__(self, *answers: tuple[str, str] | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def __call__(self, resource: str, payload: dict[str, Any]) -> dict[str, Any]:
        assert resource == ARN
        self.calls.append(payload)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        next_state, due_at = answer
        return {**INPUT, "due_at": due_at, "next": next_state, "outcome": "x"}


def execution(step: StepLambda, definition: dict[str, Any] | None = None) -> LocalExecution:
    return LocalExecution(definition or window_timer_definition(ARN), step, lambda: T0, dict(INPUT))


def test_definition_waits_for_the_due_time_then_runs_the_step_lambda() -> None:
    states = window_timer_definition(ARN)["States"]

    assert states["WaitUntilDue"]["TimestampPath"] == "$.due_at"
    assert states["RunStep"]["Resource"] == ARN
    assert states["WaitAgainOrStop"]["Choices"][0] == {
        "Variable": "$.next",
        "StringEquals": "stop",
        "Next": "Done",
    }


def test_execution_waits_until_the_due_time_before_its_step() -> None:
    step = StepLambda(("stop", DUE))
    run = execution(step)

    run.run_due(datetime(2026, 11, 24, 4, 59, 59, tzinfo=UTC))

    assert (run.status, run.state, step.calls) == (ExecutionStatus.RUNNING, "WaitUntilDue", [])


def test_step_receives_the_timer_and_the_execution_it_runs_in() -> None:
    step = StepLambda(("stop", DUE))
    run = execution(step)

    run.run_due(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))

    assert step.calls == [
        {**INPUT, "execution_id": run.execution_id, "execution_started_at": "2026-11-23T09:00:00Z"}
    ]


def test_step_answering_stop_ends_the_execution_succeeded() -> None:
    run = execution(StepLambda(("stop", DUE)))

    assert run.run_due(datetime(2026, 11, 24, 5, 0, tzinfo=UTC)) is ExecutionStatus.SUCCEEDED
    assert run.transitions == 4  # Wait, Task, Choice, Succeed


def test_step_answering_wait_loops_back_to_wait_for_its_new_due_time() -> None:
    step = StepLambda(("wait", "2026-11-24T08:00:00Z"), ("stop", "2026-11-24T08:00:00Z"))
    run = execution(step)

    run.run_due(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))
    assert (run.state, run.wake_at) == ("WaitUntilDue", datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    run.run_due(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))

    assert run.status is ExecutionStatus.SUCCEEDED
    assert len(step.calls) == 2


def test_failed_step_is_retried_after_its_interval_on_the_local_clock() -> None:
    step = StepLambda(RuntimeError("throttled"), ("stop", DUE))
    run = execution(step)
    due = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)

    run.run_due(due)
    assert (len(step.calls), run.wake_at) == (1, due + timedelta(seconds=30))
    run.run_due(due + timedelta(seconds=30))

    assert run.status is ExecutionStatus.SUCCEEDED
    assert len(step.calls) == 2


def test_step_failing_past_its_retries_fails_the_execution() -> None:
    step = StepLambda(*[RuntimeError("down")] * 5)
    run = execution(step)
    due = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)

    for minutes in range(10):
        run.run_due(due + timedelta(minutes=minutes))

    assert run.status is ExecutionStatus.FAILED
    assert run.error is not None and run.error.startswith("RuntimeError")
    assert len(step.calls) == 5  # the first attempt and four retries


def test_seconds_path_wait_counts_from_when_the_state_is_entered() -> None:
    definition = {
        "StartAt": "Pause",
        "States": {
            "Pause": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Done"},
            "Done": {"Type": "Succeed"},
        },
    }
    run = LocalExecution(definition, StepLambda(), lambda: T0, {"delay": 90})

    run.run_due(T0)
    assert run.wake_at == T0 + timedelta(seconds=90)

    assert run.run_due(T0 + timedelta(seconds=90)) is ExecutionStatus.SUCCEEDED


@pytest.mark.parametrize(
    "state",
    [
        {"Type": "Parallel", "Branches": [], "End": True},
        {"Type": "Task", "Resource": ARN, "Catch": [], "End": True},
        {"Type": "Task", "Resource": ARN, "ResultPath": "$.result", "End": True},
        {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "S"}]},
    ],
)
def test_states_language_the_interpreter_does_not_run_is_refused(state: dict[str, Any]) -> None:
    definition = {"StartAt": "S", "States": {"S": state}}

    with pytest.raises(UnsupportedDefinition):
        LocalExecution(definition, StepLambda(), lambda: T0, {})


def test_schedule_names_are_the_same_for_the_same_candidate_and_epoch() -> None:
    assert schedule_name("c1a2", 7) == schedule_name("c1a2", 7) == "window-c1a2-7"
    assert schedule_name("c1a2", 8) != schedule_name("c1a2", 7)


def test_schedule_fires_on_the_minute_of_its_due_time() -> None:
    due = datetime(2026, 11, 24, 5, 0, 42, tzinfo=UTC)

    assert fire_time(due, T0) == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)


def test_schedule_due_in_the_past_fires_in_the_next_minute() -> None:
    now = datetime(2026, 11, 24, 5, 0, 30, tzinfo=UTC)

    assert fire_time(now - timedelta(hours=1), now) == datetime(2026, 11, 24, 5, 1, tzinfo=UTC)


def test_due_times_round_up_to_whole_seconds_for_step_functions() -> None:
    moment = datetime(2026, 11, 24, 5, 0, 0, 1, tzinfo=UTC)

    assert iso_z(moment) == "2026-11-24T05:00:01Z"


def test_scheduler_refusal_other_than_a_conflict_is_an_error() -> None:
    client = FakeSchedulerClient()
    client.fail_next = ClientError(
        {"Error": {"Code": "ServiceQuotaExceededException", "Message": "full"}}, "CreateSchedule"
    )
    scheduler = WindowScheduler(client, group_name="aremu", target_arn="sm", role_arn="role")

    with pytest.raises(SchedulerError):
        scheduler.arm("c1", Timer(1, Step.REMIND_4H, T0), T0)
    assert scheduler.total_calls == 1
