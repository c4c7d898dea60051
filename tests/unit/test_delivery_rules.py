"""Delivery rules: routing, pacing and re-engagement, as plain functions over a moved clock."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aremu.domain.delivery.alerts import AlertContent, job_alert
from aremu.domain.delivery.pacing import TokenBucket
from aremu.domain.delivery.reengagement import (
    Lapsed,
    ReengagementPolicy,
    affordable,
    due_for_template,
)
from aremu.domain.delivery.routing import (
    DeliveryPolicy,
    Recipient,
    Route,
    in_quiet_hours,
    route_alert,
)

POLICY = DeliveryPolicy()
# 10:00 and 21:30 in Lagos (UTC+1); 21:30 Lagos is still 20:30 in UTC, before quiet hours.
DAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)


def recipient(**changes: object) -> Recipient:
    values: dict[str, object] = {"stage": "active", "last_inbound_at": DAY - timedelta(hours=2)}
    values.update(changes)
    return Recipient(**values)  # type: ignore[arg-type]


def test_active_candidate_in_the_window_by_day_gets_it_now() -> None:
    assert route_alert(recipient(), DAY, POLICY) is Route.SEND_NOW


@pytest.mark.parametrize("stage", ["new", "consented", "collecting", "paused", "opted_out"])
def test_only_active_candidates_get_alerts(stage: str) -> None:
    assert route_alert(recipient(stage=stage), DAY, POLICY) is Route.INELIGIBLE


def test_candidate_held_by_a_recruiter_gets_no_alert() -> None:
    assert route_alert(recipient(taken_over=True), DAY, POLICY) is Route.INELIGIBLE


@pytest.mark.parametrize("hours_ago", [24, 25, 240])
def test_closed_window_makes_the_match_wait(hours_ago: int) -> None:
    last = DAY - timedelta(hours=hours_ago)

    assert route_alert(recipient(last_inbound_at=last), DAY, POLICY) is Route.WINDOW_CLOSED


def test_never_written_means_no_window() -> None:
    assert route_alert(recipient(last_inbound_at=None), DAY, POLICY) is Route.WINDOW_CLOSED


def test_quiet_hours_are_in_the_candidates_time_zone() -> None:
    late = recipient(last_inbound_at=NIGHT - timedelta(hours=1))

    assert route_alert(late, NIGHT, POLICY) is Route.QUIET_HOURS
    assert route_alert(late, NIGHT, DeliveryPolicy(timezone="UTC")) is Route.SEND_NOW


@pytest.mark.parametrize(
    ("utc_hour", "quiet"), [(19, False), (20, True), (23, True), (5, True), (6, False)]
)
def test_quiet_hours_span_midnight(utc_hour: int, quiet: bool) -> None:
    assert in_quiet_hours(DAY.replace(hour=utc_hour), POLICY) is quiet


def test_daily_cap_holds_the_eleventh_alert() -> None:
    assert route_alert(recipient(alerts_today=10), DAY, POLICY) is Route.DAILY_CAP


class SimulatedClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_burst_of_ten_thousand_sends_never_exceeds_the_rate() -> None:
    clock = SimulatedClock()
    bucket = TokenBucket(80, clock=clock, sleep=clock.sleep)
    sent_at: list[float] = []

    for _ in range(10_000):
        bucket.acquire()
        sent_at.append(clock.now)

    per_second = Counter(int(moment) for moment in sent_at)
    assert max(per_second.values()) <= 80
    assert clock.now == pytest.approx(10_000 / 80, rel=0.01)


def test_a_throughput_error_slows_the_next_sends() -> None:
    clock = SimulatedClock()
    bucket = TokenBucket(80, clock=clock, sleep=clock.sleep)
    bucket.acquire()

    bucket.penalise(1.0)
    waited = bucket.acquire()

    assert waited == pytest.approx(1.0 + 1 / 80, rel=0.01)


@given(st.lists(st.floats(min_value=0, max_value=0.05), min_size=1, max_size=300))
def test_pacing_holds_whatever_the_gaps_between_requests(gaps: list[float]) -> None:
    clock = SimulatedClock()
    bucket = TokenBucket(20, clock=clock, sleep=clock.sleep, burst=5)
    sent_at = []
    for gap in gaps:
        clock.now += gap
        bucket.acquire()
        sent_at.append(clock.now)

    for index in range(len(sent_at)):
        window = [t for t in sent_at if sent_at[index] <= t < sent_at[index] + 1]
        assert len(window) <= 20 + 5


REENGAGE = ReengagementPolicy(min_waiting=3, period=timedelta(days=7))


def lapsed(**changes: object) -> Lapsed:
    values: dict[str, object] = {
        "candidate_id": "c1",
        "stage": "active",
        "last_inbound_at": DAY - timedelta(days=3),
        "last_template_at": None,
        "waiting": 5,
    }
    values.update(changes)
    return Lapsed(**values)  # type: ignore[arg-type]


def test_lapsed_candidate_with_waiting_matches_is_due_a_template() -> None:
    assert due_for_template(lapsed(), DAY, REENGAGE)


@pytest.mark.parametrize(
    "changes",
    [
        {"stage": "paused"},
        {"stage": "opted_out"},
        {"last_inbound_at": DAY - timedelta(hours=3)},
        {"waiting": 2},
        {"last_template_at": DAY - timedelta(days=6)},
    ],
)
def test_no_template_unless_every_condition_holds(changes: dict[str, object]) -> None:
    assert not due_for_template(lapsed(**changes), DAY, REENGAGE)


def test_template_again_after_the_period() -> None:
    assert due_for_template(lapsed(last_template_at=DAY - timedelta(days=7)), DAY, REENGAGE)


def test_budget_caps_how_many_templates_a_run_sends() -> None:
    policy = ReengagementPolicy(budget_usd_per_run=1.0, price_usd=0.25)

    assert affordable(10, policy) == 4
    assert affordable(3, policy) == 3


def test_alert_does_not_repeat_the_title_its_summary_starts_with() -> None:
    content = AlertContent(
        job_id="j1",
        title="Sales Executive",
        company="Ezinne",
        place="Lagos",
        pay="₦330k+/month",
        match_percent=75,
        reason="Sales Executive · Lagos",
        summary="*Sales Executive* at Ezinne\nSell home appliances across Lagos.",
        apply_url="https://ezinne.example/jobs/1",
    )

    body = job_alert(content).to_body("234")["interactive"]["body"]["text"]

    assert body.count("Sales Executive") == 2  # the heading and the reason, not the summary
    assert "Sell home appliances" in body
    assert body.endswith("Apply: https://ezinne.example/jobs/1")
