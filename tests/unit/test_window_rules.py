"""The 24-hour window's rules, and properties of its timers over any messages and firings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aremu.channels.whatsapp.outbound import BUTTON_TITLE_MAX, INTERACTIVE_BODY_MAX
from aremu.domain.window import (
    DEFAULT_POLICY,
    KEEP_ALERTS_BUTTON_ID,
    Step,
    Timer,
    Window,
    WindowPolicy,
    WindowStatus,
    arm_decision,
    battery_warning,
    decide_step,
    first_timer,
    four_hours_left,
    may_remind,
    next_step,
    owns,
    reminder_key,
    status_at,
)
from aremu.window_timer_local import ExecutionStatus
from tests.support.windows import START, TimerWorld

H = timedelta(hours=1)
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def window(epoch: int = 3, last: datetime = T0, **fields: object) -> Window:
    return Window("c1", epoch, last, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("elapsed", "status"),
    [
        (timedelta(0), WindowStatus.ACTIVE),
        (20 * H - timedelta(seconds=1), WindowStatus.ACTIVE),
        (20 * H, WindowStatus.FOUR_HOUR_WARNING),
        (23 * H, WindowStatus.BATTERY_WARNING),
        (24 * H - timedelta(seconds=1), WindowStatus.BATTERY_WARNING),
        (24 * H, WindowStatus.EXPIRED),
        (90 * H, WindowStatus.EXPIRED),
    ],
)
def test_status_follows_the_time_since_the_last_message(
    elapsed: timedelta, status: WindowStatus
) -> None:
    assert status_at(T0, T0 + elapsed) is status


def test_policy_rejects_steps_out_of_order() -> None:
    with pytest.raises(ValueError, match="in order"):
        WindowPolicy(remind_after=23 * H, battery_after=20 * H)


def test_timer_wakes_for_the_reminder_twenty_hours_after_the_last_message() -> None:
    assert first_timer(T0, 3, T0) == Timer(3, Step.REMIND_4H, T0 + 20 * H)


def test_timer_armed_late_wakes_at_once_for_the_step_already_due() -> None:
    assert first_timer(T0, 3, T0 + 23.5 * H) == Timer(3, Step.BATTERY, T0 + 23 * H)


def test_wake_after_new_activity_rearms() -> None:
    assert next_step(window(epoch=4), armed_epoch=3, now=T0 + 20 * H) is Step.REARM


def test_wake_before_the_first_due_time_does_nothing() -> None:
    assert next_step(window(), 3, T0 + 19 * H) is Step.NOTHING


@pytest.mark.parametrize(
    ("elapsed", "step"),
    [(20 * H, Step.REMIND_4H), (23 * H, Step.BATTERY), (24 * H, Step.EXPIRE)],
)
def test_wake_at_a_due_time_runs_that_step(elapsed: timedelta, step: Step) -> None:
    assert next_step(window(), 3, T0 + elapsed) is step


def test_reminder_already_sent_for_the_epoch_is_not_due_again() -> None:
    sent = window(reminders_sent=frozenset({reminder_key(3, Step.REMIND_4H)}))

    assert next_step(sent, 3, T0 + 21 * H) is Step.NOTHING


def test_reminder_sent_in_an_earlier_epoch_does_not_count() -> None:
    earlier = window(reminders_sent=frozenset({reminder_key(2, Step.REMIND_4H)}))

    assert next_step(earlier, 3, T0 + 21 * H) is Step.REMIND_4H


def test_late_wake_skips_the_stale_reminders_and_expires() -> None:
    assert next_step(window(), 3, T0 + 30 * H) is Step.EXPIRE


def test_reminder_step_leaves_the_warning_status_and_waits_for_the_battery_warning() -> None:
    decision = decide_step(window(), 3, T0 + 20 * H)

    assert decision.status is WindowStatus.FOUR_HOUR_WARNING
    assert decision.then == Timer(3, Step.BATTERY, T0 + 23 * H)


def test_expiry_ends_the_timer() -> None:
    decision = decide_step(window(), 3, T0 + 24 * H)

    assert (decision.status, decision.then) == (WindowStatus.EXPIRED, None)


def test_rearm_counts_from_the_newest_message_and_returns_to_active() -> None:
    armed = Timer(3, Step.BATTERY, T0 + 23 * H)
    decision = decide_step(window(epoch=4, last=T0 + 21 * H, timer=armed), 3, T0 + 23 * H)

    assert decision.status is WindowStatus.ACTIVE
    assert decision.then == Timer(4, Step.REMIND_4H, T0 + 41 * H)
    assert not decision.reopened


def test_rearm_after_a_lapse_with_one_new_message_opened_a_new_window() -> None:
    armed = Timer(3, Step.EXPIRE, T0 + 24 * H)
    late = window(epoch=4, last=T0 + 24 * H + timedelta(seconds=5), timer=armed)

    assert decide_step(late, 3, T0 + 24 * H + timedelta(seconds=10)).reopened


def test_message_arms_a_timer_when_none_is_pending() -> None:
    decision = arm_decision(window(), T0)

    assert decision.timer == Timer(3, Step.REMIND_4H, T0 + 20 * H)


def test_message_arms_nothing_while_a_timer_is_pending() -> None:
    pending = window(timer=Timer(2, Step.REMIND_4H, T0 + 10 * H), opened_at=T0)

    assert arm_decision(pending, T0).timer is None


def test_message_replaces_a_timer_long_past_its_wake_up() -> None:
    dead = window(timer=Timer(2, Step.REMIND_4H, T0 - 2 * H), opened_at=T0)

    assert arm_decision(dead, T0).timer == Timer(3, Step.REMIND_4H, T0 + 20 * H)


def test_message_after_expiry_reopens_the_window() -> None:
    decision = arm_decision(window(status=WindowStatus.EXPIRED), T0 + H)

    assert decision.reopened and decision.mark_active


def test_late_replay_of_a_message_from_an_expired_window_changes_nothing() -> None:
    decision = arm_decision(window(status=WindowStatus.EXPIRED), T0 + 30 * H)

    assert (decision.timer, decision.mark_active, decision.reopened) == (None, False, False)


def test_execution_that_did_not_claim_the_timer_does_not_own_it() -> None:
    claimed = window(timer=Timer(3, Step.REMIND_4H, T0 + 20 * H, owner="exec-a"))

    assert owns(claimed, 3, "exec-a")
    assert not owns(claimed, 3, "exec-b")
    assert not owns(claimed, 2, "exec-a")


@pytest.mark.parametrize(
    ("stage", "taken_over", "expected"),
    [
        ("active", False, True),
        ("active", True, False),
        ("paused", False, False),
        ("opted_out", False, False),
        ("erased", False, False),
        ("new", False, False),
        ("consented", False, False),
        ("collecting", False, False),
    ],
)
def test_only_active_candidates_not_taken_over_get_reminders(
    stage: str, taken_over: bool, expected: bool
) -> None:
    assert may_remind(stage, taken_over) is expected


def test_four_hour_reminder_says_why_and_offers_keep_alerts_button() -> None:
    message = four_hours_left()

    assert "24 hours after your last message" in message.body
    assert [(b.id, b.title) for b in message.buttons] == [(KEEP_ALERTS_BUTTON_ID, "Keep alerts on")]


@pytest.mark.parametrize("message", [four_hours_left(), battery_warning()])
def test_reminders_fit_whatsapp_limits_uncut(message: object) -> None:
    body = message.to_body("234")["interactive"]  # type: ignore[attr-defined]

    assert len(body["body"]["text"]) < INTERACTIVE_BODY_MAX and "…" not in body["body"]["text"]
    assert all(len(b["reply"]["title"]) <= BUTTON_TITLE_MAX for b in body["action"]["buttons"])


# Properties over whole timelines: the real service and state machine on fakes.

minutes = st.lists(st.integers(0, 60 * 60), min_size=1, max_size=10).map(sorted)


def _world(duplicated: frozenset[int], retried: frozenset[int]) -> TimerWorld:
    world = TimerWorld(
        duplicate_firing=lambda name: int(name.rsplit("-", 1)[1]) in duplicated,
        repeat_step=lambda index: index in retried,
    )
    world.add_candidate("c1")
    return world


def _run(offsets: list[int], world: TimerWorld) -> list[datetime]:
    times = [START + timedelta(minutes=m) for m in offsets]
    for at in times:
        world.message_at("c1", at)
    world.run_until(times[-1] + 26 * H)
    return times


timelines = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@timelines
@given(minutes, st.frozensets(st.integers(1, 10)), st.frozensets(st.integers(0, 30)))
def test_at_most_one_reminder_per_step_per_epoch(
    offsets: list[int], duplicated: frozenset[int], retried: frozenset[int]
) -> None:
    world = _world(duplicated, retried)
    _run(offsets, world)

    keys = [(sent.epoch, sent.body[:2]) for sent in world.sender.sent]
    assert len(keys) == len(set(keys))


@timelines
@given(minutes, st.frozensets(st.integers(1, 10)), st.frozensets(st.integers(0, 30)))
def test_no_reminder_follows_activity_within_its_due_delay(
    offsets: list[int], duplicated: frozenset[int], retried: frozenset[int]
) -> None:
    world = _world(duplicated, retried)
    times = _run(offsets, world)

    for sent in world.sender.sent:
        delay = 20 * H if sent.body.startswith("⏳") else 23 * H
        assert not [at for at in times if sent.at - delay < at <= sent.at]


@timelines
@given(minutes, st.frozensets(st.integers(1, 10)), st.frozensets(st.integers(0, 30)))
def test_last_window_gets_both_reminders_once_then_expires(
    offsets: list[int], duplicated: frozenset[int], retried: frozenset[int]
) -> None:
    world = _world(duplicated, retried)
    _run(offsets, world)
    final = world.store.windows["c1"]

    assert final.status is WindowStatus.EXPIRED and final.timer is None
    assert not world.machine.running and world.machine.finished[ExecutionStatus.FAILED] == 0
    assert sorted(s.body[:2] for s in world.sender.sent if s.epoch == final.epoch) == sorted(
        [four_hours_left().body[:2], battery_warning().body[:2]]
    )


@timelines
@given(minutes, st.frozensets(st.integers(1, 10)))
def test_schedules_are_created_once_per_window_not_per_message(
    offsets: list[int], duplicated: frozenset[int]
) -> None:
    world = _world(duplicated, frozenset())
    times = _run(offsets, world)

    lapses = sum(1 for a, b in pairwise(times) if b - a > 24 * H)
    assert world.scheduler_client.created == 1 + lapses


def test_default_policy_thresholds_are_twenty_twenty_three_and_twenty_four_hours() -> None:
    assert (
        DEFAULT_POLICY.remind_after,
        DEFAULT_POLICY.battery_after,
        DEFAULT_POLICY.expire_after,
    ) == (20 * H, 23 * H, 24 * H)
