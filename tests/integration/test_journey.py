"""The candidate journey in moto: atomic moves, concurrent moves, the funnel, metrics, events."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import boto3
import pytest
from pynamodb.connection import Connection

from aremu import runtime
from aremu.config import get_settings
from aremu.domain.conversation.state import Awaiting, Decision, Stage
from aremu.domain.journey import JourneyPlan, Move
from aremu.domain.preferences import Preferences
from aremu.local.handlers import load_handler
from aremu.services.journey import Journey, JourneyBusy, StageOutcome, build_journey
from aremu.storage.journey import (
    FUNNEL_SHARDS,
    FunnelItem,
    JourneyState,
    JourneyStayItem,
    JourneyStore,
    MoveConflict,
    funnel_key,
    stay_sort_key,
)
from aremu.storage.models import CandidateItem, OutboxEventItem
from aremu.wiring import DOMAIN_EVENT_ITEMS, EVENTS_PUBLISHER
from tests.support.bus import published
from tests.support.dynamodb import ConflictingConnection
from tests.support.lambda_events import FakeLambdaContext
from tests.support.streams import TableStreamReader

publisher = load_handler(EVENTS_PUBLISHER)
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RECRUITER = "recruiter:U123"


def no_sleep(_: float) -> None:
    """Retries back off with jitter; here they go straight on."""


@pytest.fixture
def journey(aws: None) -> Journey:
    return build_journey(get_settings(), runtime.dynamodb_connection(), sleep=no_sleep)


def candidate(candidate_id: str, state: str = "active") -> None:
    CandidateItem(
        f"CAND#{candidate_id}",
        "PROFILE",
        candidate_id=candidate_id,
        wa_id="2348055555555",
        state=state,
        created_at=T0,
        gsi1pk=f"STAGE#{state}",
        gsi1sk=f"{T0.isoformat()}#{candidate_id}",
    ).save()


def stays(candidate_id: str) -> list[JourneyStayItem]:
    return list(
        JourneyStayItem.query(f"CAND#{candidate_id}", JourneyStayItem.sk.startswith("JOURNEY#"))
    )


def journey_events(candidate_id: str) -> list[dict[str, Any]]:
    items = OutboxEventItem.query(f"CAND#{candidate_id}", OutboxEventItem.sk.startswith("EVENT#"))
    return [dict(item.detail) for item in items]


def emitted(capsys: pytest.CaptureFixture[str], name: str) -> list[dict[str, Any]]:
    """The EMF blobs printed for metric `name`, as CloudWatch would read them."""
    blobs = []
    for line in capsys.readouterr().out.splitlines():
        if not line.startswith("{"):
            continue
        blob = json.loads(line)
        metric_names = [
            metric["Name"]
            for directive in blob.get("_aws", {}).get("CloudWatchMetrics", [])
            for metric in directive["Metrics"]
        ]
        if name in metric_names:
            blobs.append(blob)
    return blobs


# A move and what it writes


def test_a_move_records_the_stage_the_stay_the_funnel_and_the_event(journey: Journey) -> None:
    candidate("c1")
    journey.set_stage("c1", "matching", "conversation:active", T0)

    outcome = journey.set_stage("c1", "applied", "candidate:applied", T0 + timedelta(hours=2))

    assert outcome is StageOutcome.MOVED
    assert journey.stage_of("c1") == "applied"
    matching, applied = stays("c1")
    assert (matching.stage, matching.entered_at, matching.completed_at) == (
        "matching",
        T0,
        T0 + timedelta(hours=2),
    )
    assert (applied.stage, applied.previous_stage) == ("applied", "matching")
    assert applied.completed_at is None
    assert journey.funnel()["matching"] == 0
    assert journey.funnel()["applied"] == 1
    assert journey_events("c1")[-1] == {
        "candidateId": "c1",
        "previousState": "journey:matching",
        "newState": "journey:applied",
        "timestamp": "2026-11-23T11:00:00Z",
        "trigger": "candidate:applied",
    }


def test_history_lists_each_stage_with_entered_and_completed_times(journey: Journey) -> None:
    candidate("c1")
    for hours, stage in enumerate(["initial_contact", "preferences", "matching"]):
        journey.set_stage("c1", stage, "conversation:x", T0 + timedelta(hours=hours))

    history = journey.history("c1")

    assert [(s.stage, s.entered_at, s.completed_at) for s in history] == [
        ("initial_contact", T0, T0 + timedelta(hours=1)),
        ("preferences", T0 + timedelta(hours=1), T0 + timedelta(hours=2)),
        ("matching", T0 + timedelta(hours=2), None),
    ]


def test_a_move_whose_write_is_refused_leaves_no_part_of_it_behind(journey: Journey) -> None:
    candidate("c1")
    store = JourneyStore(runtime.dynamodb_connection())
    journey.set_stage("c1", "matching", RECRUITER, T0)
    read = store.current("c1")
    assert read is not None
    # Something already sits where the new stay would go: the transaction must fail whole.
    JourneyStayItem(
        "CAND#c1",
        stay_sort_key(T0 + timedelta(hours=1), read.version + 1),
        candidate_id="c1",
        stage="x",
        trigger="x",
        entered_at=T0,
    ).save()
    events_before = journey_events("c1")

    with pytest.raises(MoveConflict):
        store.move("c1", read, Move("matching", "applied", RECRUITER), T0 + timedelta(hours=1))

    assert journey.stage_of("c1") == "matching"
    assert journey.funnel()["matching"] == 1
    assert journey.funnel()["applied"] == 0
    assert stays("c1")[0].completed_at is None
    assert journey_events("c1") == events_before


def test_a_move_is_published_on_the_bus_as_candidate_state_changed(
    journey: Journey, bus_queue: str
) -> None:
    stream = TableStreamReader()
    candidate("c1")

    journey.set_stage("c1", "initial_contact", "conversation:new", T0)
    publisher(stream.event(DOMAIN_EVENT_ITEMS), FakeLambdaContext())

    (event,) = published(bus_queue)
    assert event["detail-type"] == "CandidateStateChanged"
    assert event["detail"]["previousState"] == "journey:none"
    assert event["detail"]["newState"] == "journey:initial_contact"


# Refused and impossible moves


def test_an_unknown_stage_is_refused_and_nothing_is_written(journey: Journey) -> None:
    candidate("c1")

    outcome = journey.set_stage("c1", "offer_signed", RECRUITER, T0)

    assert outcome is StageOutcome.UNKNOWN_STAGE
    assert journey.stage_of("c1") is None
    assert stays("c1") == []


def test_a_candidate_moving_back_leaves_the_stage_unchanged(journey: Journey) -> None:
    candidate("c1")
    journey.set_stage("c1", "interviewing", RECRUITER, T0)

    outcome = journey.set_stage("c1", "applied", "candidate:applied", T0 + timedelta(hours=1))

    assert outcome is StageOutcome.UNCHANGED
    assert journey.stage_of("c1") == "interviewing"


def test_an_unknown_candidate_is_not_available(journey: Journey) -> None:
    outcome = journey.set_stage("nobody", "applied", RECRUITER, T0)

    assert outcome is StageOutcome.NOT_AVAILABLE
    assert journey.stage_of("nobody") is None
    assert sum(journey.funnel().values()) == 0


def test_an_erased_candidate_is_not_available_and_leaves_the_funnel(journey: Journey) -> None:
    candidate("c1")
    journey.set_stage("c1", "applied", RECRUITER, T0)

    journey.forget("c1", T0)
    runtime.candidate_store().erase("c1")
    outcome = journey.set_stage("c1", "interviewing", RECRUITER, T0 + timedelta(hours=1))

    assert outcome is StageOutcome.NOT_AVAILABLE
    assert journey.funnel()["applied"] == 0
    assert sum(journey.funnel().values()) == 0


def test_a_candidate_marked_erased_is_not_available(journey: Journey) -> None:
    candidate("c1", state="erased")

    assert journey.set_stage("c1", "matching", RECRUITER, T0) is StageOutcome.NOT_AVAILABLE


def test_an_opted_out_candidate_can_still_be_marked_hired(journey: Journey) -> None:
    candidate("c1", state="opted_out")

    assert journey.set_stage("c1", "hired", RECRUITER, T0) is StageOutcome.MOVED


# Concurrent moves


class RacedStore(JourneyStore):
    """Lets a competing move land between this move's read and its write, once."""

    def __init__(self, competitor: Callable[[JourneyState | None], None]) -> None:
        super().__init__(runtime.dynamodb_connection())
        self._competitor: Callable[[JourneyState | None], None] | None = competitor

    def move(
        self, candidate_id: str, read: JourneyState | None, move: Move, now: datetime
    ) -> JourneyState:
        if self._competitor is not None:
            competitor, self._competitor = self._competitor, None
            competitor(read)
        return super().move(candidate_id, read, move, now)


def raced_journey(competing: Move, at: datetime) -> Journey:
    plain = JourneyStore(runtime.dynamodb_connection())
    store = RacedStore(lambda read: (plain.move("c1", read, competing, at), None)[1])
    return Journey(JourneyPlan.from_settings(get_settings()), store, sleep=no_sleep)


def test_two_concurrent_taps_of_i_applied_move_the_candidate_once(journey: Journey) -> None:
    candidate("c1")
    journey.set_stage("c1", "matching", RECRUITER, T0)
    later = T0 + timedelta(hours=1)
    raced = raced_journey(Move("matching", "applied", "candidate:applied"), later)

    outcome = raced.set_stage("c1", "applied", "candidate:applied", later + timedelta(seconds=1))

    assert outcome is StageOutcome.UNCHANGED
    assert [stay.stage for stay in stays("c1")] == ["matching", "applied"]
    assert journey.funnel()["applied"] == 1
    assert journey.funnel()["matching"] == 0


def test_the_losing_recruiter_move_is_decided_again_on_the_new_stage(journey: Journey) -> None:
    candidate("c1")
    journey.set_stage("c1", "applied", RECRUITER, T0)
    later = T0 + timedelta(hours=1)
    raced = raced_journey(Move("applied", "interviewing", "recruiter:U1"), later)

    outcome = raced.set_stage("c1", "not_hired", "recruiter:U2", later + timedelta(seconds=1))

    assert outcome is StageOutcome.MOVED
    assert [stay.stage for stay in stays("c1")] == ["applied", "interviewing", "not_hired"]
    assert journey.funnel() == {stage: int(stage == "not_hired") for stage in journey.stages}


def test_a_move_that_never_wins_gives_up_with_an_error(journey: Journey) -> None:
    candidate("c1")

    class AlwaysLosing(JourneyStore):
        def move(
            self, candidate_id: str, read: JourneyState | None, move: Move, now: datetime
        ) -> JourneyState:
            raise MoveConflict()

    losing = Journey(journey.plan, AlwaysLosing(runtime.dynamodb_connection()), sleep=no_sleep)

    with pytest.raises(JourneyBusy):
        losing.set_stage("c1", "applied", RECRUITER, T0)


# The funnel


def test_the_funnel_counts_candidates_now_in_each_stage_in_order(journey: Journey) -> None:
    for candidate_id, stage in [("c1", "matching"), ("c2", "matching"), ("c3", "applied")]:
        candidate(candidate_id)
        journey.set_stage(candidate_id, stage, RECRUITER, T0)
    journey.set_stage("c2", "hired", RECRUITER, T0 + timedelta(days=3))

    funnel = journey.funnel()

    assert list(funnel) == list(journey.stages)
    assert funnel == {
        "initial_contact": 0,
        "preferences": 0,
        "matching": 1,
        "applied": 1,
        "interviewing": 0,
        "hired": 1,
        "not_hired": 0,
    }


def test_each_candidate_is_counted_in_one_funnel_shard_and_the_shards_sum_up(
    journey: Journey,
) -> None:
    ids = [f"c{n}" for n in range(48)]
    for candidate_id in ids:
        candidate(candidate_id)
        journey.set_stage(candidate_id, "matching", RECRUITER, T0)
    journey.set_stage("c0", "applied", RECRUITER, T0 + timedelta(hours=1))

    raw = FunnelItem._get_connection()
    counted = {
        key: int(raw.get_item(key, range_key="JOURNEY")["Item"]["stage:matching"]["N"])
        for key in set(map(funnel_key, ids))
    }
    # Candidates moving at once rarely share a funnel item: no single item every move writes.
    assert len(counted) > FUNNEL_SHARDS // 2
    assert counted == {
        key: sum(funnel_key(cid) == key for cid in ids) - (key == funnel_key("c0"))
        for key in counted
    }
    assert (journey.funnel()["matching"], journey.funnel()["applied"]) == (47, 1)


def test_a_move_cancelled_by_a_concurrent_funnel_write_is_retried_and_counted_once(
    journey: Journey,
) -> None:
    candidate("c1")
    connection = ConflictingConnection(runtime.dynamodb_connection(), conflicts=2)
    conflicted = Journey(journey.plan, JourneyStore(cast(Connection, connection)), no_sleep)

    outcome = conflicted.set_stage("c1", "matching", RECRUITER, T0)

    assert (outcome, connection.transactions) == (StageOutcome.MOVED, 3)
    assert journey.funnel()["matching"] == 1
    assert [stay.stage for stay in stays("c1")] == ["matching"]


def test_the_funnel_item_written_before_the_shards_still_counts(journey: Journey) -> None:
    # Two candidates counted in the single item that came before the shards...
    boto3.client("dynamodb").put_item(
        TableName=FunnelItem.Meta.table_name,
        Item={
            "pk": {"S": "FUNNEL"},
            "sk": {"S": "JOURNEY"},
            "kind": {"S": "funnel"},
            "stage:matching": {"N": "2"},
        },
    )
    # ...and one counted since, who moves on.
    candidate("c1")
    journey.set_stage("c1", "matching", RECRUITER, T0)
    journey.set_stage("c1", "applied", RECRUITER, T0 + timedelta(days=1))

    assert (journey.funnel()["matching"], journey.funnel()["applied"]) == (2, 1)


def test_an_erasures_decrement_cancelled_by_a_concurrent_shard_write_is_retried(
    journey: Journey,
) -> None:
    candidate("c1")
    journey.set_stage("c1", "matching", RECRUITER, T0)
    connection = ConflictingConnection(runtime.dynamodb_connection(), conflicts=1)
    conflicted = Journey(journey.plan, JourneyStore(cast(Connection, connection)), no_sleep)

    conflicted.forget("c1", T0 + timedelta(days=1))

    assert connection.transactions == 2
    assert sum(journey.funnel().values()) == 0


def test_the_funnel_is_all_zeros_before_any_move(journey: Journey) -> None:
    assert journey.funnel() == dict.fromkeys(journey.stages, 0)


# Metrics


def test_leaving_a_stage_reports_the_time_spent_in_it(
    journey: Journey, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate("c1")
    journey.set_stage("c1", "matching", "conversation:active", T0)
    capsys.readouterr()

    journey.set_stage("c1", "applied", "candidate:applied", T0 + timedelta(hours=3))

    (blob,) = emitted(capsys, "TimeInStage")
    assert blob["TimeInStage"] == [10800.0]
    assert blob["Stage"] == "matching"
    unit = blob["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"]
    assert unit == "Seconds"


def test_a_move_reports_a_stage_conversion_from_and_to(
    journey: Journey, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate("c1")
    journey.set_stage("c1", "matching", "conversation:active", T0)
    capsys.readouterr()

    journey.set_stage("c1", "applied", "candidate:applied", T0 + timedelta(hours=3))

    (blob,) = emitted(capsys, "StageConversion")
    assert (blob["From"], blob["To"]) == ("matching", "applied")
    assert blob["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Aremu"


def test_a_move_to_not_hired_reports_a_drop_off(
    journey: Journey, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate("c1")
    journey.set_stage("c1", "interviewing", RECRUITER, T0)
    capsys.readouterr()

    journey.set_stage("c1", "not_hired", RECRUITER, T0 + timedelta(days=2))

    (blob,) = emitted(capsys, "DropOff")
    assert (blob["Stage"], blob["Reason"]) == ("interviewing", "not_hired")


# Following the conversation


def test_first_contact_puts_the_candidate_in_the_journey(journey: Journey) -> None:
    candidate("c1", state="new")

    outcome = journey.follow_conversation("c1", None, "new", T0)

    assert outcome is StageOutcome.MOVED
    assert journey.stage_of("c1") == "initial_contact"


def test_confirmed_preferences_move_the_candidate_to_matching(journey: Journey) -> None:
    candidate("c1", state="collecting")
    journey.follow_conversation("c1", "consented", "collecting", T0)

    journey.follow_conversation("c1", "collecting", "active", T0 + timedelta(minutes=5))

    assert journey.stage_of("c1") == "matching"


def test_opting_out_reports_a_drop_off_from_the_current_stage(
    journey: Journey, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate("c1")
    journey.set_stage("c1", "applied", "candidate:applied", T0)
    capsys.readouterr()

    outcome = journey.follow_conversation("c1", "active", "opted_out", T0 + timedelta(days=1))

    assert outcome is StageOutcome.UNCHANGED
    assert journey.stage_of("c1") == "applied"
    (blob,) = emitted(capsys, "DropOff")
    assert (blob["Stage"], blob["Reason"]) == ("applied", "opted_out")


def test_a_turn_with_i_applied_moves_the_candidate_to_applied(journey: Journey) -> None:
    candidate("c1")
    journey.set_stage("c1", "matching", "conversation:active", T0)
    decision = Decision(
        reply=None,
        stage=Stage.ACTIVE,
        preferences=Preferences(),
        awaiting=Awaiting.NOTHING,
        intent="applied",
    )

    journey.follow_turn("c1", "active", decision, T0 + timedelta(hours=1))

    assert journey.stage_of("c1") == "applied"
    assert stays("c1")[-1].trigger == "candidate:applied"


def test_an_erasing_turn_takes_the_candidate_out_of_the_funnel(journey: Journey) -> None:
    candidate("c1")
    journey.set_stage("c1", "matching", "conversation:active", T0)
    decision = Decision(
        reply=None,
        stage=Stage.ERASED,
        preferences=Preferences(),
        awaiting=Awaiting.NOTHING,
        erase=True,
    )

    journey.follow_turn("c1", "active", decision, T0 + timedelta(hours=1))

    assert journey.stage_of("c1") is None
    assert journey.funnel()["matching"] == 0
