"""Recurring schedules on the local clock, without a stack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aremu.local.runtime import LocalFunction
from aremu.local.schedules import LocalSchedules, UnsupportedSchedule, rate_period

from .fakes import EventRecorder, schedule_spec

START = datetime(2025, 8, 14, 9, 0, tzinfo=UTC)


def schedules(*specs: tuple[str, str, dict[str, Any]]) -> tuple[LocalSchedules, EventRecorder]:
    recorder = EventRecorder()
    functions = [
        LocalFunction.of(schedule_spec(name, expression, payload), recorder, "eu-west-1")
        for name, expression, payload in specs
    ]
    return LocalSchedules(functions, START), recorder


@pytest.mark.parametrize(
    ("expression", "period"),
    [
        ("rate(1 minute)", timedelta(minutes=1)),
        ("rate(15 minutes)", timedelta(minutes=15)),
        ("rate(6 hours)", timedelta(hours=6)),
        ("rate(1 day)", timedelta(days=1)),
    ],
)
def test_rate_expressions_give_their_period(expression: str, period: timedelta) -> None:
    assert rate_period(expression) == period


@pytest.mark.parametrize("expression", ["cron(0 12 * * ? *)", "rate(0 hours)", "rate(fast)"])
def test_other_expressions_are_not_evaluated(expression: str) -> None:
    with pytest.raises(UnsupportedSchedule):
        rate_period(expression)


def test_nothing_runs_before_the_first_period_has_passed() -> None:
    local, recorder = schedules(("Hourly", "rate(1 hour)", {}))

    ran = local.run_due(START + timedelta(minutes=59))

    assert ran == {}
    assert recorder.events == []


def test_a_due_schedule_runs_once_with_its_payload_as_the_event() -> None:
    local, recorder = schedules(("Hourly", "rate(1 hour)", {"task": "score"}))

    ran = local.run_due(START + timedelta(minutes=61))

    assert ran == {"Hourly": {"runs": 1, "failures": 0, "skipped": 0}}
    assert recorder.events == [{"task": "score"}]


def test_a_long_jump_catches_up_at_most_three_runs() -> None:
    local, recorder = schedules(("Hourly", "rate(1 hour)", {}))

    ran = local.run_due(START + timedelta(hours=10, minutes=1))

    assert ran["Hourly"] == {"runs": 3, "failures": 0, "skipped": 7}
    assert len(recorder.events) == 3
    assert local.status()["Hourly"]["next_due"] == (START + timedelta(hours=11)).isoformat()


def test_a_cron_schedule_is_left_out() -> None:
    local, _ = schedules(("Nightly", "cron(0 2 * * ? *)", {}), ("Hourly", "rate(1 hour)", {}))

    assert list(local.status()) == ["Hourly"]


def test_a_failing_run_is_counted_and_the_schedule_keeps_its_rhythm() -> None:
    local, recorder = schedules(("Hourly", "rate(1 hour)", {"detail": {"fail": True}}))

    first = local.run_due(START + timedelta(hours=1))
    second = local.run_due(START + timedelta(hours=2))

    assert first["Hourly"]["failures"] == 1
    assert second["Hourly"]["runs"] == 1
    assert len(recorder.events) == 2
