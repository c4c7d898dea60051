"""Risk runs in moto: only due candidates are read, alerts go out once through the outbox in
DESIGN.md's shape, and candidates out of reach are never alerted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import boto3
import pytest
import time_machine
from pynamodb.connection import Connection

from aremu import runtime
from aremu.config import get_settings
from aremu.domain.risk import EpisodeChange
from aremu.local.handlers import load_handler
from aremu.observability import metrics
from aremu.services.risk_run import (
    WRITE_ATTEMPTS,
    RiskRun,
    RiskWriteConflict,
    build_risk_run,
    policy_from_settings,
)
from aremu.storage.deliveries import DeliveryItem, DeliveryStatus, delivery_sort_key
from aremu.storage.models import (
    CandidateItem,
    MessageItem,
    OutboxEventItem,
    _Item,
    activity_key,
    candidate_key,
    stage_key,
)
from aremu.storage.risk import (
    RiskAssessmentItem,
    RiskRunItem,
    RiskStore,
    RiskWrite,
    WriteOutcome,
)
from aremu.wiring import DOMAIN_EVENT_ITEMS, EVENTS_PUBLISHER, RISK_SCORE
from bench.risk_run import ItemsRead
from tests.support.bus import published
from tests.support.dynamodb import ConflictingConnection
from tests.support.lambda_events import FakeLambdaContext
from tests.support.streams import TableStreamReader

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
H = timedelta(hours=1)
DAY = timedelta(days=1)
LAST_RUN = NOW - 15 * MINUTE
# Quiet just long enough to have crossed a threshold since the last run.
WINDOW_CLOSING = 20 * H + 5 * MINUTE  # onboarding, the free window about to close
QUIET_ACTIVE = 3 * DAY + 5 * MINUTE  # receiving alerts, past the 3-day norm

RISK = RISK_SCORE  # as wired: the handler the stack runs
publisher = load_handler(EVENTS_PUBLISHER)


class FakeJourney:
    def funnel(self) -> dict[str, int]:
        return {"initial_contact": 4, "preferences": 3, "matching": 2, "hired": 1}


@pytest.fixture
def risk(aws: None) -> RiskRun:
    return build_risk_run(get_settings(), runtime.dynamodb_connection(), FakeJourney())


@pytest.fixture(autouse=True)
def no_leftover_metrics() -> Iterator[None]:
    # The metrics object is shared by the process: leave nothing for another test to flush.
    yield
    metrics.clear_metrics()


class PausingStore(RiskStore):
    """Lets something else happen once, between a run's reads and its first write."""

    def __init__(self, meanwhile: Callable[[], object]) -> None:
        super().__init__(runtime.dynamodb_connection(), timedelta(days=30))
        self._meanwhile = meanwhile

    def record(self, write: RiskWrite, now: datetime) -> WriteOutcome:
        meanwhile, self._meanwhile = self._meanwhile, lambda: None
        meanwhile()
        return super().record(write, now)


def pausing_run(meanwhile: Callable[[], object]) -> RiskRun:
    return RiskRun(PausingStore(meanwhile), policy_from_settings(get_settings()), FakeJourney())


def candidate(candidate_id: str, stage: str, quiet: timedelta, **fields: Any) -> None:
    last = NOW - quiet
    CandidateItem(
        candidate_key(candidate_id),
        CandidateItem.SORT_KEY,
        candidate_id=candidate_id,
        state=stage,
        created_at=last - DAY,
        last_inbound_at=last,
        gsi1pk=stage_key(stage),
        gsi1sk=activity_key(last, candidate_id),
        **fields,
    ).save()


def message_item(candidate_id: str, at: datetime, text: str | None) -> MessageItem:
    message_id = f"wamid.{candidate_id}.{at.timestamp()}"
    return MessageItem(
        candidate_key(candidate_id),
        f"MSG#{message_id}",
        message_id=message_id,
        candidate_id=candidate_id,
        direction="in",
        message_type="text",
        text=text,
        sent_at=at,
        stored_at=at,
        gsi1pk=candidate_key(candidate_id),
        gsi1sk=f"MSG#{at.isoformat()}#{message_id}",
    )


def message(candidate_id: str, at: datetime, text: str) -> None:
    message_item(candidate_id, at, text).save()


def messages(candidate_id: str, times: list[datetime]) -> None:
    with MessageItem.batch_write() as batch:
        for at in times:
            batch.save(message_item(candidate_id, at, "hello"))


def wrote_again(candidate_id: str, stage: str, at: datetime, text: str) -> None:
    """The candidate writes: their message, and their profile's activity, as inbound does."""
    message(candidate_id, at, text)
    CandidateItem(candidate_key(candidate_id), CandidateItem.SORT_KEY).update(
        actions=[
            CandidateItem.last_inbound_at.set(at),
            CandidateItem.gsi1sk.set(activity_key(at, candidate_id)),
            CandidateItem.state.set(stage),
        ]
    )


def take_over(candidate_id: str) -> None:
    # Written as the operator desk does, whether or not this model declares the attribute.
    boto3.client("dynamodb").update_item(
        TableName="aremu",
        Key={"pk": {"S": candidate_key(candidate_id)}, "sk": {"S": CandidateItem.SORT_KEY}},
        UpdateExpression="SET operator_id = :operator",
        ExpressionAttributeValues={":operator": {"S": "U123"}},
    )


def erase(candidate_id: str) -> None:
    runtime.candidate_store().erase(candidate_id)


def previous_run(at: datetime) -> None:
    RiskRunItem("RISK#RUN", "WATERMARK", last_run_at=at).save()


def at_risk_events(candidate_id: str) -> list[OutboxEventItem]:
    return [
        item
        for item in OutboxEventItem.query(
            candidate_key(candidate_id), OutboxEventItem.sk.startswith("EVENT#")
        )
        if item.detail_type == "CandidateAtRisk"
    ]


def assessments(candidate_id: str) -> list[RiskAssessmentItem]:
    return list(
        RiskAssessmentItem.query(
            candidate_key(candidate_id), RiskAssessmentItem.sk.startswith("RISK#2")
        )
    )


# Only due candidates are read


def test_a_scheduled_run_reads_only_the_candidates_who_crossed_a_threshold(risk: RiskRun) -> None:
    # Given the previous run 15 minutes ago, and candidates quiet for all sorts of times
    previous_run(LAST_RUN)
    candidate("due-onboarding", "collecting", WINDOW_CLOSING)
    candidate("due-active", "active", QUIET_ACTIVE)
    candidate("chatting", "collecting", 30 * MINUTE)
    candidate("between-thresholds", "active", 5 * DAY)
    candidate("long-gone", "active", 40 * DAY)
    candidate("opted-out", "opted_out", WINDOW_CLOSING)
    for someone, quiet in (("due-onboarding", WINDOW_CLOSING), ("chatting", 30 * MINUTE)):
        messages(someone, [NOW - quiet - n * MINUTE for n in range(30)])
    reads = ItemsRead().attach()
    # When the scheduled run runs
    report = risk.run(NOW)
    # Then only the two due candidates' items were read, and recent messages at most 20
    assert (report.candidates_due, dict(report.due_by_stage)) == (
        2,
        {"collecting": 1, "active": 1},
    )
    assert set(reads.partitions) <= {
        candidate_key("due-onboarding"),
        candidate_key("due-active"),
        "RISK#RUN",
    }
    assert reads.partitions[candidate_key("due-onboarding")] <= 1 + 20
    assert report.items_read == reads.items
    assert "Scan" not in reads.requests


def test_the_first_run_looks_back_an_hour_only(risk: RiskRun) -> None:
    # Given no run before, one candidate who crossed a threshold 30 minutes ago, another 3 h ago
    candidate("recent-crossing", "collecting", 20 * H + 30 * MINUTE)
    candidate("old-crossing", "collecting", 23 * H)
    # When the first run runs
    report = risk.run(NOW)
    # Then only the recent crossing is due: a first deploy does not alert on the past
    assert report.candidates_due == 1
    assert report.since == NOW - H


# Alerts go out once, in DESIGN.md's shape


def test_a_raised_alert_goes_out_once_on_the_bus_in_the_design_shape(
    risk: RiskRun, bus_queue: str
) -> None:
    # Given an onboarding candidate gone quiet as their free window nears its end
    stream = TableStreamReader()
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    # When two scheduled runs run, and the outbox publishes what they wrote
    first = risk.run(NOW)
    second = risk.run(NOW + 15 * MINUTE)
    publisher(stream.event(DOMAIN_EVENT_ITEMS), FakeLambdaContext())
    # Then one CandidateAtRisk went out, with DESIGN.md's detail
    (event,) = [e for e in published(bus_queue) if e["detail-type"] == "CandidateAtRisk"]
    assert (first.raised, second.raised, second.at_risk) == (1, 0, 1)
    detail = event["detail"]
    assert set(detail) == {
        "candidateId",
        "riskScore",
        "riskFactors",
        "lastActivity",
        "recommendedAction",
    }
    assert detail["candidateId"] == "ada"
    assert detail["riskScore"] >= 0.6
    assert detail["lastActivity"] == "2026-11-22T15:55:00Z"
    assert detail["recommendedAction"] == "nudge"
    assert {f["name"] for f in detail["riskFactors"]} == {"inactivity", "window_closing"}
    assert all(set(f) == {"name", "weight", "strength", "reason"} for f in detail["riskFactors"])


def test_two_concurrent_runs_raise_once(risk: RiskRun) -> None:
    # Given a candidate at risk, and a run that another run overtakes after its reads
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    slow = pausing_run(meanwhile=lambda: risk.run(NOW))
    # When the slow run goes on to write
    report = slow.run(NOW)
    # Then the episode was raised once, by the run that wrote first
    assert (report.raised, report.raced) == (0, 1)
    assert len(at_risk_events("ada")) == 1


def conflicted_run(conflicts: int) -> tuple[RiskRun, ConflictingConnection]:
    """A run whose first `conflicts` transactions DynamoDB cancels: another transaction
    was writing the candidate item (the condition check, the first action) just then."""
    connection = ConflictingConnection(
        runtime.dynamodb_connection(), conflicts=conflicts, conflicting=0
    )
    store = RiskStore(cast(Connection, connection), timedelta(days=30))
    run = RiskRun(store, policy_from_settings(get_settings()), FakeJourney(), sleep=lambda _: None)
    return run, connection


def test_a_write_cancelled_by_a_concurrent_transaction_is_assessed_again(aws: None) -> None:
    # Given two candidates at risk, the first one's write cancelled twice for a conflict
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    candidate("bola", "collecting", WINDOW_CLOSING)
    run, connection = conflicted_run(conflicts=2)
    # When the scheduled run runs
    report = run.run(NOW)
    # Then the pass went on, both were raised once, and the run mark moved on
    assert (report.raised, report.conflicted, connection.transactions) == (2, 0, 4)
    assert (len(at_risk_events("ada")), len(at_risk_events("bola"))) == (1, 1)
    assert RiskRunItem.get("RISK#RUN", "WATERMARK").last_run_at == NOW


def test_a_candidate_whose_write_keeps_conflicting_is_assessed_again_next_run(aws: None) -> None:
    # Given a candidate at risk whose every write in this run is cancelled for a conflict
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    candidate("bola", "collecting", WINDOW_CLOSING)
    run, _ = conflicted_run(conflicts=WRITE_ATTEMPTS)
    # When this run and the next run
    first = run.run(NOW)
    second = run.run(NOW + 15 * MINUTE)
    # Then the first finished the pass without moving its mark, and the next raised her
    assert (first.conflicted, first.raised, second.conflicted, second.raised) == (1, 1, 0, 1)
    assert (len(at_risk_events("ada")), len(at_risk_events("bola"))) == (1, 1)


def test_an_event_whose_write_keeps_conflicting_fails_to_be_delivered_again(
    aws: None,
) -> None:
    candidate("ada", "active", H, needs_person_at=NOW - H)
    run, connection = conflicted_run(conflicts=WRITE_ATTEMPTS)

    with pytest.raises(RiskWriteConflict):
        run.assess_one("ada", NOW, "MessageReceived")

    assert run.assess_one("ada", NOW, "MessageReceived").change is EpisodeChange.RAISE
    assert connection.transactions == WRITE_ATTEMPTS + 1


def test_a_candidate_who_writes_again_closes_the_episode(risk: RiskRun) -> None:
    # Given a raised episode
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    risk.run(NOW)
    # When the candidate writes again and their message's event is assessed
    wrote_again("ada", "collecting", NOW + 5 * MINUTE, "sorry, I was at work. Lagos please")
    outcome = risk.assess_one("ada", NOW + 6 * MINUTE, "MessageReceived")
    # Then the episode is closed and nobody is at risk
    assert outcome.change is EpisodeChange.CLOSE
    assert risk.run(NOW + 15 * MINUTE).at_risk == 0


def test_assessing_an_unchanged_candidate_again_writes_nothing(risk: RiskRun) -> None:
    # Given a candidate assessed once
    candidate("ada", "active", QUIET_ACTIVE)
    first = risk.assess_one("ada", NOW, "MessageReceived")
    # When assessed again with nothing changed
    second = risk.assess_one("ada", NOW, "MessageReceived")
    # Then only the first assessment was stored
    assert (first.written, second.written) == (WriteOutcome.WRITTEN, None)
    assert len(assessments("ada")) == 1


def test_an_alert_inside_the_cool_down_is_raised_when_it_ends(risk: RiskRun) -> None:
    # Given an episode raised for frustration and closed when the candidate calmed down
    candidate("ada", "active", H)
    message("ada", NOW - H, "useless")
    message("ada", NOW - H + MINUTE, "I'm tired")
    assert risk.assess_one("ada", NOW, "MessageReceived").did(EpisodeChange.RAISE)
    for n in range(5):
        wrote_again("ada", "active", NOW + H + n * MINUTE, "ok thanks")
    assert risk.assess_one("ada", NOW + 2 * H, "MessageReceived").change is EpisodeChange.CLOSE
    # When frustrated again three hours after the alert
    wrote_again("ada", "active", NOW + 3 * H, "this thing no dey work")
    again = risk.assess_one("ada", NOW + 3 * H, "MessageReceived")
    # Then the alert waits for the cool-down, and the first run after it raises it
    previous_run(NOW + DAY - 15 * MINUTE)
    report = risk.run(NOW + DAY + MINUTE)
    assert again.change is EpisodeChange.SUPPRESS
    assert (report.rechecked, report.raised) == (1, 1)
    assert len(at_risk_events("ada")) == 2


def test_failed_deliveries_and_silence_recommend_checking_the_contact(risk: RiskRun) -> None:
    # Given a candidate receiving alerts, quiet past the norm, whose last messages failed
    previous_run(LAST_RUN)
    candidate("ada", "active", QUIET_ACTIVE)
    for job in ("j1", "j2"):
        DeliveryItem(
            candidate_key("ada"),
            delivery_sort_key(job),
            candidate_id="ada",
            job_id=job,
            score=70,
            reason="title",
            status=DeliveryStatus.FAILED.value,
            created_at=NOW - DAY,
            updated_at=NOW - DAY,
        ).save()
    # When the scheduled run runs
    report = risk.run(NOW)
    # Then an alert recommends checking how to reach them
    (event,) = at_risk_events("ada")
    assert report.raised == 1
    assert event.detail["recommendedAction"] == "check_contact"


# Candidates out of reach


def test_opted_out_and_taken_over_candidates_are_not_alerted(risk: RiskRun) -> None:
    # Given candidates who would be at risk, but opted out or are held by a recruiter
    previous_run(LAST_RUN)
    candidate("left", "opted_out", WINDOW_CLOSING, needs_person_at=NOW - H)
    candidate("held", "collecting", WINDOW_CLOSING, needs_person_at=NOW - H)
    take_over("held")
    # When the run runs and their events are assessed
    report = risk.run(NOW)
    left = risk.assess_one("left", NOW, "CandidateStateChanged")
    # Then no alert was raised
    assert report.raised == 0
    assert left.change is EpisodeChange.NONE
    assert at_risk_events("left") == at_risk_events("held") == []


def test_an_erased_candidate_is_not_assessed(risk: RiskRun) -> None:
    assert risk.assess_one("nobody", NOW, "MessageReceived").score is None


def test_a_candidate_erased_during_the_run_gets_no_alert_and_no_leftover(aws: None) -> None:
    # Given a candidate at risk, erased between the run's reads and its write
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    run = pausing_run(meanwhile=lambda: erase("ada"))
    # When the run writes
    report = run.run(NOW)
    # Then nothing was raised or written for them
    assert report.raised == 0
    assert list(_Item.query(candidate_key("ada"))) == []


def test_a_candidate_taken_over_during_the_run_is_not_alerted(aws: None) -> None:
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    run = pausing_run(meanwhile=lambda: take_over("ada"))

    report = run.run(NOW)

    assert report.raised == 0
    assert at_risk_events("ada") == []


def test_a_candidate_who_writes_during_the_run_is_not_alerted(aws: None) -> None:
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    run = pausing_run(meanwhile=lambda: wrote_again("ada", "collecting", NOW, "I'm back"))

    report = run.run(NOW)

    assert report.raised == 0
    assert at_risk_events("ada") == []


def test_a_takeover_closes_the_open_episode(risk: RiskRun) -> None:
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    risk.run(NOW)
    take_over("ada")

    outcome = risk.assess_one("ada", NOW + MINUTE, "OperatorTakeover")

    assert outcome.change is EpisodeChange.CLOSE


# Metrics and the handler


def test_each_run_emits_the_funnel_gauges_and_the_at_risk_count(
    risk: RiskRun, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given one candidate at risk
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)
    metrics.clear_metrics()
    # When the run runs and its metrics are flushed
    risk.run(NOW)
    metrics.flush_metrics()
    # Then a CandidatesInStage gauge per journey stage, and the at-risk count, were emitted
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    gauges = {b["Stage"]: b["CandidatesInStage"] for b in blobs if "CandidatesInStage" in b}
    (totals,) = [b for b in blobs if "CandidatesAtRisk" in b]
    assert gauges == {stage: [count] for stage, count in FakeJourney().funnel().items()}
    assert (totals["CandidatesAtRisk"], totals["RiskAlertsRaised"]) == ([1], [1])


def test_a_scheduled_invocation_runs_the_whole_pass(
    risk: RiskRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "risk_run", lambda: risk, raising=False)
    previous_run(LAST_RUN)
    candidate("ada", "collecting", WINDOW_CLOSING)

    with time_machine.travel(NOW, tick=False):
        result = load_handler(RISK)({}, FakeLambdaContext())

    assert (result["candidates_due"], result["raised"]) == (1, 1)


def test_a_domain_event_assesses_the_candidate_it_names(
    risk: RiskRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "risk_run", lambda: risk, raising=False)
    candidate("ada", "active", H, needs_person_at=NOW - H)
    event = {
        "version": "0",
        "id": "e1",
        "detail-type": "MessageReceived",
        "source": "aremu",
        "detail": {"candidateId": "ada", "messageId": "wamid.1", "source": "whatsapp"},
    }

    with time_machine.travel(NOW, tick=False):
        result = load_handler(RISK)(event, FakeLambdaContext())

    assert (result["candidate_id"], result["change"]) == ("ada", "raise")
    (stored,) = assessments("ada")
    assert stored.trigger == "MessageReceived"
