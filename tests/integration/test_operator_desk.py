"""The operator desk in moto: takeovers, operator replies, handbacks and nudges, with the real
webhook, conversation consumer and Graph API sender, and the Graph API faked at HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, cast

import pytest
import responses
import time_machine
from pynamodb.connection import Connection

from aremu import clock, runtime
from aremu.channels.outbox import SendRequest
from aremu.channels.whatsapp.signature import sign
from aremu.config import get_settings
from aremu.domain.preferences import Money, Preferences
from aremu.domain.vocabulary.places import resolve_place
from aremu.domain.vocabulary.roles import find_roles
from aremu.local.handlers import load_handler
from aremu.runtime import Idempotent
from aremu.services.conversation_turn import ConversationTurn, InboundTurn
from aremu.services.event_outbox import event_for
from aremu.services.operator_desk import (
    THREAD_CLAIM_LEASE,
    DeskSettings,
    DismissOutcome,
    HandbackOutcome,
    NudgeOutcome,
    OperatorDesk,
    RelayOutcome,
    TakeoverOutcome,
    ThreadClaimOutcome,
    build_operator_desk,
)
from aremu.services.profile_cache import ProfileCache
from aremu.storage.candidates import CandidateStore
from aremu.storage.deliveries import DeliveryStatus
from aremu.storage.interventions import InterventionItem, InterventionStore
from aremu.storage.models import (
    CandidateItem,
    IdentityItem,
    MessageItem,
    OutboxEventItem,
    _Item,
    identity_key,
)
from aremu.wiring import CONVERSATION, DOMAIN_EVENT_ITEMS, NEW_INBOUND_MESSAGES, WEBHOOK_API
from tests.integration.conftest import MESSAGES_URL, FakeGraphApi
from tests.support import whatsapp as wa
from tests.support.dynamodb import ConflictingConnection
from tests.support.lambda_events import FakeLambdaContext, http_api_event
from tests.support.streams import TableStreamReader

webhook = load_handler(WEBHOOK_API)
CLAIMED, BUSY, POSTED = (
    ThreadClaimOutcome.CLAIMED,
    ThreadClaimOutcome.BUSY,
    ThreadClaimOutcome.POSTED,
)
consumer = load_handler(CONVERSATION)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PHONE = "2348031234567"
CID = "c1"
ANN, BEN = "U0ANN", "U0BEN"
CHANNEL, THREAD = "C0RECRUIT", "1795000000.000100"
WINDOW_CLOSED_ERROR = {"error": {"code": 131047, "message": "Re-engagement message"}}


class HookedGraphApi(FakeGraphApi):
    """The fake Graph API, able to run something while a send is in flight."""

    during_next_send: Callable[[], None] | None = None

    def answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        hook = self.during_next_send
        if hook is not None and json.loads(request.body).get("status") != "read":
            self.during_next_send = None
            hook()
        return super().answer(request)


class FakeJourney:
    def __init__(self, stages: dict[str, str] | None = None) -> None:
        self.stages = stages or {}

    def stage_of(self, candidate_id: str) -> str | None:
        return self.stages.get(candidate_id)


@pytest.fixture
def graph(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[HookedGraphApi]:
    monkeypatch.setenv("AREMU_GRAPH_BACKOFF_BASE_SECONDS", "0")
    runtime.reset()
    fake = HookedGraphApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, MESSAGES_URL, callback=fake.answer)
        yield fake


@pytest.fixture
def stream(graph: HookedGraphApi) -> TableStreamReader:
    return TableStreamReader()


@pytest.fixture
def desk(graph: HookedGraphApi) -> OperatorDesk:
    return build_operator_desk(
        get_settings(),
        runtime.candidate_store(),
        runtime.message_store(),
        runtime.whatsapp_sender(),
        InterventionStore(runtime.dynamodb_connection()),
        FakeJourney({CID: "matching"}),
    )


@pytest.fixture
def turns_release_holds(graph: HookedGraphApi, monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversation consumer wired as runtime.py will wire it: holds end on stop/erase."""

    @cache
    def conversation_turn() -> Idempotent[InboundTurn]:
        turn = ConversationTurn(
            runtime.candidate_store(),
            runtime.message_store(),
            runtime.whatsapp_sender(),
            runtime.preference_extractor(),
            holds=InterventionStore(runtime.dynamodb_connection()),
        )

        def run(request: InboundTurn) -> dict[str, Any]:
            result = turn.handle(request, clock.now())
            return {"intent": result.intent, "reply_message_id": result.reply_message_id}

        return Idempotent("conversation_turn", "message_id", run)

    monkeypatch.setattr(runtime, "conversation_turn", conversation_turn)


def given_candidate(
    candidate_id: str = CID,
    *,
    phone: str = PHONE,
    name: str | None = "Ada Obi",
    stage: str = "active",
    last_inbound: datetime = NOW - timedelta(hours=1),
) -> None:
    preferences = Preferences(
        roles=find_roles("sales executive"),
        locations=[resolve_place("Lagos")],
        years_experience=3,
        min_pay=Money(amount=Decimal(300000)),
    )
    CandidateItem(
        f"CAND#{candidate_id}",
        "PROFILE",
        candidate_id=candidate_id,
        wa_id=phone,
        profile_name=name,
        state=stage,
        created_at=last_inbound,
        last_inbound_at=last_inbound,
        preferences=preferences.model_dump(mode="json"),
        gsi1pk=f"STAGE#{stage}",
        gsi1sk=f"{last_inbound.isoformat()}#{candidate_id}",
    ).save()
    key = identity_key("wa", phone)
    IdentityItem(
        key, "IDENTITY", candidate_id=candidate_id, gsi1pk=f"CAND#{candidate_id}", gsi1sk=key
    ).save()


@dataclass
class Candidate:
    """Writes through the real webhook and runs the real consumer on what was stored."""

    stream: TableStreamReader
    phone: str = PHONE
    sent: int = 0

    def say(self, text: str, at: datetime) -> None:
        self.stored(text, at)
        self.answered(at)

    def tap(self, button_id: str, at: datetime) -> None:
        self.sent += 1
        message = wa.button_reply(self.phone, f"wamid.IN{self.sent}", button_id, "x")
        message["timestamp"] = str(int(at.timestamp()))
        self._post(message, at)
        self.answered(at)

    def stored(self, text: str, at: datetime) -> None:
        self.sent += 1
        self._post(
            wa.text_message(self.phone, f"wamid.IN{self.sent}", text, ts=int(at.timestamp())), at
        )

    def answered(self, at: datetime) -> None:
        with time_machine.travel(at, tick=False):
            event = self.stream.event(NEW_INBOUND_MESSAGES)
            assert consumer(event, FakeLambdaContext()) == {"batchItemFailures": []}

    def _post(self, message: dict[str, Any], at: datetime) -> None:
        body = wa.dumps(wa.envelope([message], [wa.contact(self.phone)]))
        headers = {"X-Hub-Signature-256": sign("local-app-secret", body)}
        with time_machine.travel(at, tick=False):
            event = http_api_event("POST", "/whatsapp/webhook", body, headers=headers)
            assert webhook(event, FakeLambdaContext())["statusCode"] == 200


def candidate_item(candidate_id: str = CID) -> CandidateItem:
    return CandidateItem.get(f"CAND#{candidate_id}", "PROFILE")


def events(detail_type: str, candidate_id: str = CID) -> list[OutboxEventItem]:
    items = OutboxEventItem.query(f"CAND#{candidate_id}", OutboxEventItem.sk.startswith("EVENT#"))
    return [item for item in items if item.detail_type == detail_type]


def interventions(candidate_id: str = CID) -> list[InterventionItem]:
    return InterventionStore(runtime.dynamodb_connection()).for_candidate(candidate_id)


def outbound(candidate_id: str = CID) -> list[MessageItem]:
    return [m for m in runtime.message_store().conversation(candidate_id) if m.direction == "out"]


def texts(graph: FakeGraphApi) -> list[str]:
    return [body["text"]["body"] for body in graph.replies() if body["type"] == "text"]


def hold_by_ann(desk: OperatorDesk, at: datetime = NOW) -> None:
    assert desk.take_over(CID, ANN, "quiet for 3 days", at).outcome is TakeoverOutcome.TAKEN


# --- Take over ---------------------------------------------------------------------------


def test_takeover_holds_the_conversation_and_writes_its_event(desk: OperatorDesk) -> None:
    given_candidate()

    result = desk.take_over(CID, ANN, "quiet for 3 days", NOW)

    assert result.outcome is TakeoverOutcome.TAKEN
    assert result.hold is not None and (result.hold.operator_id, result.hold.since) == (ANN, NOW)
    assert candidate_item().operator_id == ANN
    (event,) = events("OperatorTakeover")
    assert event.detail == {
        "candidateId": CID,
        "operatorId": ANN,
        "timestamp": "2026-11-23T09:00:00Z",
        "reason": "quiet for 3 days",
    }
    (intervention,) = interventions()
    assert (intervention.action, intervention.operator_id, intervention.outcome) == (
        "takeover",
        ANN,
        "open",
    )


class ReadsBeforeEitherWrites(CandidateStore):
    """Each recruiter's first read waits for the other's: both see the candidate free."""

    def __init__(self) -> None:
        super().__init__(runtime.dynamodb_connection())
        self._barrier = threading.Barrier(2, timeout=10)
        self._seen = threading.local()

    def get(self, candidate_id: str) -> CandidateItem | None:
        item = super().get(candidate_id)
        if not getattr(self._seen, "first_read", False):
            self._seen.first_read = True
            self._barrier.wait()
        return item


class SerialTransactions(InterventionStore):
    # DynamoDB serialises transactions on an item; moto in-process does not, so this does.
    _lock = threading.Lock()

    def take(self, candidate: CandidateItem, operator_id: str, reason: str, now: datetime) -> bool:
        with self._lock:
            return super().take(candidate, operator_id, reason, now)


def test_two_recruiters_at_once_one_wins_and_the_other_is_told_who(graph: HookedGraphApi) -> None:
    given_candidate()
    desk = OperatorDesk(
        ReadsBeforeEitherWrites(),
        runtime.message_store(),
        runtime.whatsapp_sender(),
        SerialTransactions(runtime.dynamodb_connection()),
        DeskSettings.from_settings(get_settings()),
    )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda op: desk.take_over(CID, op, "at risk", NOW), [ANN, BEN]))

    outcomes = sorted(result.outcome for result in results)
    assert outcomes == [TakeoverOutcome.HELD_BY_OTHER, TakeoverOutcome.TAKEN]
    winner = next(r for r in results if r.outcome is TakeoverOutcome.TAKEN)
    loser = next(r for r in results if r.outcome is TakeoverOutcome.HELD_BY_OTHER)
    assert winner.hold is not None and loser.hold is not None
    assert loser.hold.operator_id == winner.hold.operator_id == candidate_item().operator_id
    assert len(events("OperatorTakeover")) == 1


def test_retried_takeover_by_the_same_recruiter_is_already_theirs(desk: OperatorDesk) -> None:
    given_candidate()
    hold_by_ann(desk)

    result = desk.take_over(CID, ANN, "quiet for 3 days", NOW + timedelta(seconds=2))

    assert result.outcome is TakeoverOutcome.ALREADY_YOURS
    assert len(events("OperatorTakeover")) == 1


@pytest.mark.parametrize("stage", ["opted_out", "unknown"])
def test_takeover_of_a_candidate_who_left_is_not_available(desk: OperatorDesk, stage: str) -> None:
    if stage != "unknown":
        given_candidate(stage=stage)

    result = desk.take_over(CID, ANN, "at risk", NOW)

    assert (result.outcome, result.hold) == (TakeoverOutcome.NOT_AVAILABLE, None)
    assert events("OperatorTakeover") == []


# --- Threads -----------------------------------------------------------------------------


def test_thread_reply_finds_the_hold_it_was_attached_to(desk: OperatorDesk) -> None:
    given_candidate()
    hold_by_ann(desk)

    desk.attach_thread(CID, ANN, CHANNEL, THREAD)

    hold = desk.hold_for_thread(CHANNEL, THREAD)
    assert hold is not None
    assert (hold.candidate_id, hold.operator_id, hold.channel, hold.thread_ts) == (
        CID,
        ANN,
        CHANNEL,
        THREAD,
    )


def test_thread_of_a_handed_back_hold_finds_nobody(desk: OperatorDesk) -> None:
    given_candidate()
    hold_by_ann(desk)
    desk.attach_thread(CID, ANN, CHANNEL, THREAD)

    desk.hand_back(CID, ANN, "Booked an interview", NOW + timedelta(minutes=5))

    assert desk.hold_for_thread(CHANNEL, THREAD) is None


def test_thread_is_not_attached_by_someone_who_does_not_hold_it(desk: OperatorDesk) -> None:
    given_candidate()
    hold_by_ann(desk)

    desk.attach_thread(CID, BEN, CHANNEL, THREAD)

    assert desk.hold_for_thread(CHANNEL, THREAD) is None


def test_one_press_at_a_time_may_open_a_holds_thread(desk: OperatorDesk) -> None:
    given_candidate()
    hold = desk.take_over(CID, ANN, "at risk", NOW).hold
    assert hold is not None

    first = desk.claim_thread(hold, NOW).outcome
    second = desk.claim_thread(hold, NOW + timedelta(seconds=1)).outcome
    # A press that claimed the thread and died is outlived by the function's timeout.
    after = NOW + THREAD_CLAIM_LEASE + timedelta(seconds=1)
    after_a_dead_press = desk.claim_thread(hold, after).outcome

    assert (first, second, after_a_dead_press) == (CLAIMED, BUSY, CLAIMED)


def test_a_thread_posted_by_a_press_that_died_is_attached_by_the_retry_not_posted_again(
    desk: OperatorDesk,
) -> None:
    given_candidate()
    hold = desk.take_over(CID, ANN, "at risk", NOW).hold
    assert hold is not None and desk.claim_thread(hold, NOW).outcome is CLAIMED
    desk.thread_posted(hold, CHANNEL, THREAD, NOW + timedelta(seconds=1))
    # ...and the press died before attaching it; Lambda retries a minute later.

    retry = desk.claim_thread(hold, NOW + timedelta(minutes=1))

    assert (retry.outcome, retry.channel, retry.thread_ts) == (POSTED, CHANNEL, THREAD)


def test_a_later_takeover_opens_its_own_thread(desk: OperatorDesk) -> None:
    given_candidate()
    first = desk.take_over(CID, ANN, "at risk", NOW).hold
    assert first is not None and desk.claim_thread(first, NOW).outcome is CLAIMED
    desk.hand_back(CID, ANN, "Sorted", NOW + timedelta(minutes=5))

    again = desk.take_over(CID, ANN, "at risk", NOW + timedelta(minutes=6)).hold

    assert again is not None
    assert desk.claim_thread(again, NOW + timedelta(minutes=6)).outcome is CLAIMED


def test_hold_without_a_thread_is_ended_and_the_bot_answers_again(
    desk: OperatorDesk, graph: HookedGraphApi, stream: TableStreamReader
) -> None:
    given_candidate()
    hold = desk.take_over(CID, ANN, "at risk", NOW).hold
    assert hold is not None

    assert desk.thread_not_opened(hold, NOW + timedelta(seconds=3)) is True

    assert candidate_item().operator_id is None
    (handback,) = events("OperatorHandback")
    assert handback.detail["endedBy"] == "thread_not_opened"
    (intervention,) = interventions()
    assert (intervention.action, intervention.outcome) == ("takeover", "thread_not_opened")
    Candidate(stream).say("help", NOW + timedelta(minutes=1))
    assert len(graph.replies()) == 1


def test_a_handback_cancelled_by_a_concurrent_write_is_tried_again(graph: HookedGraphApi) -> None:
    # A risk run checking the candidate item in its own transaction, at the same moment.
    given_candidate()
    connection = ConflictingConnection(runtime.dynamodb_connection(), conflicts=0)
    store = InterventionStore(cast(Connection, connection), sleep=lambda _: None)
    desk = OperatorDesk(
        runtime.candidate_store(),
        runtime.message_store(),
        runtime.whatsapp_sender(),
        store,
        DeskSettings.from_settings(get_settings()),
    )
    assert desk.take_over(CID, ANN, "at risk", NOW).outcome is TakeoverOutcome.TAKEN
    connection.conflicts = 2

    outcome = desk.hand_back(CID, ANN, "Sorted", NOW + timedelta(minutes=5))

    assert outcome is HandbackOutcome.HANDED_BACK
    assert candidate_item().operator_id is None
    assert len(events("OperatorHandback")) == 1


def test_thread_not_opened_leaves_a_newer_hold_alone(desk: OperatorDesk) -> None:
    given_candidate()
    stale = desk.take_over(CID, ANN, "at risk", NOW).hold
    assert stale is not None
    desk.hand_back(CID, ANN, "Sorted", NOW + timedelta(minutes=1))
    hold_by_ann(desk, NOW + timedelta(minutes=2))

    assert desk.thread_not_opened(stale, NOW + timedelta(minutes=3)) is False
    assert candidate_item().operator_since == NOW + timedelta(minutes=2)


# --- Relay -------------------------------------------------------------------------------


def test_recruiter_reply_goes_to_whatsapp_as_an_operator_message(
    desk: OperatorDesk, graph: HookedGraphApi, stream: TableStreamReader
) -> None:
    given_candidate()
    hold_by_ann(desk)

    outcome = desk.relay_reply(CID, ANN, "Hi Ada, Ann here.", "Ev01", NOW + timedelta(minutes=1))

    assert outcome is RelayOutcome.SENT
    (body,) = graph.replies()
    assert (body["to"], body["text"]["body"]) == (PHONE, "Hi Ada, Ann here.")
    (stored,) = outbound()
    assert (stored.operator_id, stored.text) == (ANN, "Hi Ada, Ann here.")
    sent = [
        event_for(r["dynamodb"]["NewImage"]) for r in stream.event(DOMAIN_EVENT_ITEMS)["Records"]
    ]
    (event,) = [e for e in sent if e is not None and e.detail_type == "MessageSent"]
    assert (event.detail["source"], event.detail["operatorId"]) == ("operator", ANN)


def test_slack_retry_of_the_same_reply_sends_it_once(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate()
    hold_by_ann(desk)
    at = NOW + timedelta(minutes=1)

    first = desk.relay_reply(CID, ANN, "Hi Ada", "Ev01", at)
    retry = desk.relay_reply(CID, ANN, "Hi Ada", "Ev01", at + timedelta(seconds=3))

    assert (first, retry) == (RelayOutcome.SENT, RelayOutcome.DUPLICATE)
    assert len(graph.bodies) == 1
    assert len(outbound()) == 1


def test_reply_after_the_window_closed_sends_nothing(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate(last_inbound=NOW - timedelta(hours=25))
    hold_by_ann(desk)

    outcome = desk.relay_reply(CID, ANN, "Still there?", "Ev01", NOW)

    assert outcome is RelayOutcome.WINDOW_CLOSED
    assert graph.bodies == []
    assert outbound() == []


def test_window_closed_by_meta_sends_nothing_and_says_so(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate(last_inbound=NOW - timedelta(hours=23, minutes=59))
    hold_by_ann(desk)
    graph.fail_with.append((400, WINDOW_CLOSED_ERROR))

    outcome = desk.relay_reply(CID, ANN, "Still there?", "Ev01", NOW)

    assert outcome is RelayOutcome.WINDOW_CLOSED
    assert graph.delivered == []
    assert outbound() == []


def test_follow_up_template_reaches_a_closed_window(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate(last_inbound=NOW - timedelta(hours=25))
    hold_by_ann(desk)

    outcome = desk.send_follow_up_template(CID, ANN, "Act01", NOW)

    assert outcome is RelayOutcome.SENT
    (body,) = graph.delivered
    assert body["template"]["name"] == get_settings().operator_template_name
    (stored,) = outbound()
    assert (stored.message_type, stored.operator_id) == ("template", ANN)
    assert candidate_item().last_template_at == NOW


def test_reply_from_a_recruiter_who_does_not_hold_the_conversation_is_refused(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate()
    hold_by_ann(desk)

    outcome = desk.relay_reply(CID, BEN, "Hello from Ben", "Ev01", NOW)

    assert outcome is RelayOutcome.NOT_HELD
    assert graph.bodies == []


def test_candidate_message_while_a_reply_is_in_flight_keeps_both_in_order(
    desk: OperatorDesk, graph: HookedGraphApi, stream: TableStreamReader
) -> None:
    given_candidate()
    hold_by_ann(desk)
    ada = Candidate(stream)
    reply_at, message_at = NOW + timedelta(minutes=1), NOW + timedelta(minutes=1, seconds=2)
    graph.during_next_send = lambda: ada.say("are you a real person?", message_at)

    outcome = desk.relay_reply(CID, ANN, "Hi Ada, Ann here.", "Ev01", reply_at)

    assert outcome is RelayOutcome.SENT
    lines = desk.recent_conversation(CID)
    assert [(line.direction, line.text, line.operator_id) for line in lines] == [
        ("out", "Hi Ada, Ann here.", ANN),
        ("in", "are you a real person?", None),
    ]
    assert texts(graph) == ["Hi Ada, Ann here."]  # the bot said nothing
    assert len(graph.read_receipts()) == 1


# --- The bot steps aside -----------------------------------------------------------------


def test_held_candidate_gets_no_bot_reply(
    desk: OperatorDesk, graph: HookedGraphApi, stream: TableStreamReader
) -> None:
    given_candidate()
    hold_by_ann(desk)

    Candidate(stream).say("jobs", NOW + timedelta(minutes=1))

    assert graph.replies() == []
    assert len(graph.read_receipts()) == 1
    assert outbound() == []


def test_held_candidates_messages_are_published_for_the_recruiter_once_each(
    desk: OperatorDesk, stream: TableStreamReader
) -> None:
    given_candidate()
    ada = Candidate(stream)
    ada.say("before the takeover", NOW + timedelta(seconds=30))
    hold_by_ann(desk, NOW + timedelta(minutes=1))
    at = NOW + timedelta(minutes=2)

    # Two messages in one second (WhatsApp's timestamps are whole seconds), one redelivered.
    ada.stored("Is the job still open?", at)
    ada.stored("And the pay?", at)
    event = stream.event(NEW_INBOUND_MESSAGES)
    with time_machine.travel(at, tick=False):
        consumer(event, FakeLambdaContext())
        desk_event = events("HeldMessageReceived")
        consumer(event, FakeLambdaContext())

    held = events("HeldMessageReceived")
    assert [e.detail["content"] for e in held] == ["Is the job still open?", "And the pay?"]
    assert {e.detail["operatorId"] for e in held} == {ANN}
    assert held[0].detail["timestamp"] == "2026-11-23T09:02:00Z"
    assert [e.sk for e in desk_event] == [e.sk for e in held]


def test_held_candidate_gets_no_job_alert(desk: OperatorDesk, graph: HookedGraphApi) -> None:
    given_candidate()
    hold_by_ann(desk)
    runtime.delivery_store().claim(
        CID, "job1", 80.0, "Sales in Lagos", DeliveryStatus.QUEUED, None, NOW
    )

    send = runtime.alert_sender()
    send.register_lambda_context(FakeLambdaContext())

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        result = send(SendRequest(kind="alert", candidate_id=CID, job_id="job1"))

    assert result == {"outcome": "skipped"}
    delivery = runtime.delivery_store().get(CID, "job1")
    assert delivery is not None
    assert (delivery.status, delivery.waiting_for) == ("skipped", "ineligible")
    assert graph.bodies == []


def test_takeover_reaches_the_matchers_cache_on_its_next_refresh(desk: OperatorDesk) -> None:
    given_candidate()
    cache = ProfileCache(runtime.candidate_store())
    cache.refresh(NOW)

    hold_by_ann(desk, NOW + timedelta(minutes=1))
    cache.refresh(NOW + timedelta(minutes=2))

    recipient = cache.recipient(CID)
    assert recipient is not None and recipient.taken_over


# --- Hand back ---------------------------------------------------------------------------


def test_handback_ends_the_hold_with_its_summary_and_event(
    desk: OperatorDesk, stream: TableStreamReader
) -> None:
    given_candidate()
    hold_by_ann(desk)
    desk.attach_thread(CID, ANN, CHANNEL, THREAD)
    Candidate(stream).say("yes I'm still looking", NOW + timedelta(minutes=3))
    at = NOW + timedelta(minutes=10)

    outcome = desk.hand_back(CID, ANN, "Interview booked for Friday", at)

    assert outcome is HandbackOutcome.HANDED_BACK
    assert candidate_item().operator_id is None
    (event,) = events("OperatorHandback")
    assert event.detail == {
        "candidateId": CID,
        "operatorId": ANN,
        "timestamp": "2026-11-23T09:10:00Z",
        "summary": "Interview booked for Friday",
        "endedBy": "recruiter",
        "channel": CHANNEL,
        "threadTs": THREAD,
    }
    (intervention,) = interventions()
    assert intervention.outcome == "handed_back"
    assert intervention.summary == "Interview booked for Friday"
    assert (intervention.candidate_replied, intervention.retained) == (True, True)
    assert intervention.ended_at == at


def test_bot_answers_again_after_the_handback(
    desk: OperatorDesk, graph: HookedGraphApi, stream: TableStreamReader
) -> None:
    given_candidate()
    hold_by_ann(desk)
    desk.hand_back(CID, ANN, "All sorted", NOW + timedelta(minutes=5))

    Candidate(stream).say("help", NOW + timedelta(minutes=6))

    assert len(graph.replies()) == 1


def test_handback_for_a_candidate_nobody_holds_is_not_held(desk: OperatorDesk) -> None:
    given_candidate()

    outcome = desk.hand_back(CID, ANN, "nothing to say", NOW)

    assert outcome is HandbackOutcome.NOT_HELD
    assert events("OperatorHandback") == []


def test_handback_of_another_recruiters_hold_is_not_held(desk: OperatorDesk) -> None:
    given_candidate()
    hold_by_ann(desk)

    outcome = desk.hand_back(CID, BEN, "taking it from Ann", NOW + timedelta(minutes=1))

    assert outcome is HandbackOutcome.NOT_HELD
    assert candidate_item().operator_id == ANN


# --- The candidate leaves during a takeover ----------------------------------------------


def test_opt_out_during_a_takeover_ends_the_hold_and_tells_the_thread(
    desk: OperatorDesk,
    graph: HookedGraphApi,
    stream: TableStreamReader,
    turns_release_holds: None,
) -> None:
    given_candidate()
    hold_by_ann(desk)
    desk.attach_thread(CID, ANN, CHANNEL, THREAD)

    Candidate(stream).say("stop", NOW + timedelta(minutes=2))

    assert "won't get any more messages" in texts(graph)[0]
    after = candidate_item()
    assert after.state == "opted_out"
    assert after.operator_id is None
    (event,) = events("OperatorHandback")
    assert event.detail["endedBy"] == "candidate_opted_out"
    assert (event.detail["channel"], event.detail["threadTs"]) == (CHANNEL, THREAD)
    (intervention,) = interventions()
    assert (intervention.outcome, intervention.retained) == ("candidate_opted_out", False)
    later = desk.relay_reply(CID, ANN, "Sorry to see you go", "Ev09", NOW + timedelta(minutes=3))
    assert later is RelayOutcome.CANDIDATE_GONE


def test_erasure_during_a_takeover_ends_the_hold_and_leaves_nothing(
    desk: OperatorDesk,
    graph: HookedGraphApi,
    stream: TableStreamReader,
    turns_release_holds: None,
) -> None:
    given_candidate()
    hold_by_ann(desk)
    desk.attach_thread(CID, ANN, CHANNEL, THREAD)
    ada = Candidate(stream)
    stream.event(DOMAIN_EVENT_ITEMS)  # the takeover's records, already published

    ada.say("delete my data", NOW + timedelta(minutes=2))
    ada.tap("erase_yes", NOW + timedelta(minutes=3))

    assert "data has been deleted" in texts(graph)[-1]
    assert list(_Item.query(f"CAND#{CID}")) == []
    assert desk.hold_for_thread(CHANNEL, THREAD) is None
    written = [r["dynamodb"]["NewImage"] for r in stream.event(DOMAIN_EVENT_ITEMS)["Records"]]
    handbacks = [e for e in map(event_for, written) if e and e.detail_type == "OperatorHandback"]
    assert [e.detail["endedBy"] for e in handbacks] == ["candidate_erased"]
    later = desk.relay_reply(CID, ANN, "Hello?", "Ev09", NOW + timedelta(minutes=4))
    assert later is RelayOutcome.CANDIDATE_GONE


def test_hold_that_outlived_an_opt_out_is_released_by_the_next_reply(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate()
    hold_by_ann(desk)
    item = candidate_item()
    item.update(actions=[CandidateItem.state.set("opted_out")])

    outcome = desk.relay_reply(CID, ANN, "Hello?", "Ev01", NOW + timedelta(minutes=1))

    assert outcome is RelayOutcome.CANDIDATE_GONE
    assert graph.bodies == []
    assert candidate_item().operator_id is None


# --- Nudge and dismiss -------------------------------------------------------------------


def test_nudge_inside_the_window_is_the_friendly_text(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate()

    outcome = desk.nudge(CID, ANN, "Act01", NOW)

    assert outcome is NudgeOutcome.SENT_TEXT
    assert texts(graph) == [get_settings().nudge_text]
    (intervention,) = interventions()
    assert (intervention.action, intervention.outcome) == ("nudge", "sent_text")
    assert intervention.message_id == outbound()[0].message_id


def test_nudge_outside_the_window_is_the_template(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate(last_inbound=NOW - timedelta(days=3))

    outcome = desk.nudge(CID, ANN, "Act01", NOW)

    assert outcome is NudgeOutcome.SENT_TEMPLATE
    (body,) = graph.delivered
    assert body["template"]["name"] == get_settings().nudge_template_name


def test_slack_retry_of_a_nudge_sends_one(desk: OperatorDesk, graph: HookedGraphApi) -> None:
    given_candidate()

    first = desk.nudge(CID, ANN, "Act01", NOW)
    retry = desk.nudge(CID, ANN, "Act01", NOW + timedelta(seconds=2))

    assert (first, retry) == (NudgeOutcome.SENT_TEXT, NudgeOutcome.DUPLICATE)
    assert len(graph.bodies) == 1
    assert len(interventions()) == 1


def test_nudge_to_an_opted_out_candidate_is_not_available(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate(stage="opted_out")

    assert desk.nudge(CID, ANN, "Act01", NOW) is NudgeOutcome.NOT_AVAILABLE
    assert graph.bodies == []


def test_dismiss_records_the_decision(desk: OperatorDesk) -> None:
    given_candidate()

    outcome = desk.dismiss(CID, BEN, "alert-1", NOW)

    assert outcome is DismissOutcome.DISMISSED
    (intervention,) = interventions()
    assert (intervention.action, intervention.operator_id, intervention.outcome) == (
        "dismiss",
        BEN,
        "dismissed",
    )


def test_retried_dismissal_of_one_alert_is_recorded_once(desk: OperatorDesk) -> None:
    given_candidate()

    first = desk.dismiss(CID, BEN, "alert-1", NOW)
    # Lambda retries a failed asynchronous invocation a minute or two later.
    retry = desk.dismiss(CID, BEN, "alert-1", NOW + timedelta(minutes=1))
    other_alert = desk.dismiss(CID, ANN, "alert-2", NOW + timedelta(days=1))

    assert (first, retry, other_alert) == (
        DismissOutcome.DISMISSED,
        DismissOutcome.DUPLICATE,
        DismissOutcome.DISMISSED,
    )
    assert [i.operator_id for i in interventions()] == [BEN, ANN]


def test_dismissal_of_an_unknown_candidate_is_not_available(desk: OperatorDesk) -> None:
    assert desk.dismiss("c-nobody", BEN, "alert-1", NOW) is DismissOutcome.NOT_AVAILABLE
    assert interventions("c-nobody") == []


def test_two_recruiters_nudging_from_one_alert_send_one_message(
    desk: OperatorDesk, graph: HookedGraphApi
) -> None:
    given_candidate()

    first = desk.nudge(CID, ANN, "nudge:alert-1", NOW)
    second = desk.nudge(CID, BEN, "nudge:alert-1", NOW + timedelta(seconds=5))

    assert (first, second) == (NudgeOutcome.SENT_TEXT, NudgeOutcome.DUPLICATE)
    assert len(texts(graph)) == 1


# --- Cards and search --------------------------------------------------------------------


def test_card_shows_what_a_recruiter_needs_and_never_the_phone(desk: OperatorDesk) -> None:
    given_candidate()
    hold_by_ann(desk)

    card = desk.card(CID)

    assert card is not None
    assert (card.display_name, card.stage, card.journey_stage, card.held_by) == (
        "Ada Obi",
        "active",
        "matching",
        ANN,
    )
    assert card.preferences_summary == "Sales Executive · Lagos · ₦300k+/month"
    assert PHONE not in repr(card)


@pytest.mark.parametrize("typed", ["+234 803 123 4567", "0803-123-4567", "2348031234567"])
def test_find_by_phone_in_any_usual_format(desk: OperatorDesk, typed: str) -> None:
    given_candidate()

    assert [card.candidate_id for card in desk.find(typed)] == [CID]


def test_find_by_name_ignores_case(desk: OperatorDesk) -> None:
    given_candidate()
    given_candidate("c2", phone="2348039999999", name="Bola Tinubu", stage="paused")

    assert [card.candidate_id for card in desk.find("ada")] == [CID]
    assert [card.candidate_id for card in desk.find("TINUBU")] == ["c2"]


def test_find_of_an_unknown_phone_finds_nobody(desk: OperatorDesk) -> None:
    given_candidate()

    assert desk.find("08099999999") == []
