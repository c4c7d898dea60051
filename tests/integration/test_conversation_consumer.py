"""The conversation stream consumer: stored inbound messages in, one reply each, state kept."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from aremu import runtime
from aremu.channels.whatsapp.signature import sign
from aremu.config import get_settings
from aremu.local.handlers import load_handler
from aremu.storage.models import CandidateItem, MessageItem, TransitionItem, _Item
from aremu.wiring import CONVERSATION, NEW_INBOUND_MESSAGES, WEBHOOK_API
from tests.integration.conftest import FakeGraphApi
from tests.support import whatsapp as wa
from tests.support.lambda_events import FakeLambdaContext, http_api_event
from tests.support.streams import TableStreamReader

webhook = load_handler(WEBHOOK_API)
consumer = load_handler(CONVERSATION)
PHONE = "2348033333333"
FULL_PROFILE = "I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine"


@pytest.fixture
def stream(graph: FakeGraphApi, monkeypatch: pytest.MonkeyPatch) -> TableStreamReader:
    # No waiting between Graph API retries, so fault tests stay fast.
    monkeypatch.setenv("AREMU_GRAPH_BACKOFF_BASE_SECONDS", "0")
    runtime.reset()
    return TableStreamReader()


class Candidate:
    """Writes to Aremu through the real webhook and runs the consumer on what was stored."""

    def __init__(self, stream: TableStreamReader, phone: str = PHONE) -> None:
        self.stream = stream
        self.phone = phone
        self.sent = 0

    def send(self, *messages: dict[str, Any]) -> dict[str, Any]:
        body = wa.dumps(wa.envelope(list(messages), [wa.contact(self.phone)]))
        headers = {"X-Hub-Signature-256": sign("local-app-secret", body)}
        event = http_api_event("POST", "/whatsapp/webhook", body, headers=headers)
        assert webhook(event, FakeLambdaContext())["statusCode"] == 200
        return self.stream.event(NEW_INBOUND_MESSAGES)

    def say(self, text: str) -> dict[str, Any]:
        self.sent += 1
        event = self.send(wa.text_message(self.phone, f"wamid.{self.phone}.{self.sent}", text))
        return consumer(event, FakeLambdaContext())

    def tap(self, button_id: str) -> dict[str, Any]:
        self.sent += 1
        message = wa.button_reply(self.phone, f"wamid.{self.phone}.{self.sent}", button_id, "x")
        return consumer(self.send(message), FakeLambdaContext())

    def profile(self) -> CandidateItem:
        (item,) = [
            c for c in CandidateItem.scan() if c.kind == "candidate" and c.wa_id == self.phone
        ]
        return item


def text_of(body: dict[str, Any]) -> str:
    if body["type"] == "text":
        return str(body["text"]["body"])
    return str(body["interactive"]["body"]["text"])


def outbound_messages() -> list[MessageItem]:
    return [m for m in MessageItem.scan() if m.kind == "message" and m.direction == "out"]


def test_first_message_gets_one_welcome_asking_for_consent(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    response = Candidate(stream).say("hello")

    assert response == {"batchItemFailures": []}
    (reply,) = graph.bodies
    assert reply["to"] == PHONE
    assert "automated assistant" in text_of(reply)
    assert [b["reply"]["id"] for b in reply["interactive"]["action"]["buttons"]] == [
        "consent_yes",
        "consent_no",
    ]
    (stored,) = outbound_messages()
    assert (stored.status, stored.message_type) == ("accepted", "interactive")


def test_stream_redelivery_sends_no_second_reply(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    event = Candidate(stream).send(wa.text_message(PHONE, "wamid.C1", "hello"))

    consumer(event, FakeLambdaContext())
    consumer(event, FakeLambdaContext())

    assert len(graph.bodies) == 1


def test_only_new_inbound_messages_pass_the_stream_filter(stream: TableStreamReader) -> None:
    event = Candidate(stream).send(wa.text_message(PHONE, "wamid.C1", "hello"))

    assert [r["dynamodb"]["NewImage"]["message_id"]["S"] for r in event["Records"]] == ["wamid.C1"]


def test_two_messages_in_one_batch_are_answered_in_order(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    event = Candidate(stream).send(
        wa.text_message(PHONE, "wamid.C1", "hello"), wa.text_message(PHONE, "wamid.C2", "anyone?")
    )

    consumer(event, FakeLambdaContext())

    first, second = graph.replies()
    assert "automated assistant" in text_of(first)
    assert "need your OK" in text_of(second)


def test_full_onboarding_is_remembered_with_its_journey(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    ada = Candidate(stream)

    ada.say("hi")
    ada.tap("consent_yes")
    ada.say(FULL_PROFILE)
    ada.tap("prefs_confirm")

    profile = ada.profile()
    assert profile.state == "active"
    assert profile.preferences["roles"][0]["title"] == "Sales Representative"
    journey = sorted((t.at, t.new_stage) for t in TransitionItem.scan() if t.kind == "transition")
    assert [stage for _, stage in journey] == ["consented", "collecting", "active"]
    assert len(outbound_messages()) == 4


def test_graph_outage_fails_the_record_and_the_retry_answers_once(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    event = Candidate(stream).send(wa.text_message(PHONE, "wamid.C1", "hello"))
    outage = (503, {"error": {"message": "Service unavailable", "code": 2}})
    graph.fail_with = [outage] * get_settings().graph_max_attempts

    # A batch whose every record failed is raised, so Lambda retries all of it.
    with pytest.raises(BatchProcessingError):
        consumer(event, FakeLambdaContext())
    retry = consumer(event, FakeLambdaContext())

    assert retry == {"batchItemFailures": []}
    assert len(outbound_messages()) == 1


def test_undeliverable_reply_is_not_retried_and_the_turn_is_kept(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    graph.fail_with = [(400, {"error": {"message": "undeliverable", "code": 131026}})]

    response = Candidate(stream).say("hello")

    assert response == {"batchItemFailures": []}
    assert len(graph.bodies) == 1
    assert outbound_messages() == []


def test_message_of_an_erased_candidate_sends_nothing(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    event = Candidate(stream).send(wa.text_message(PHONE, "wamid.C1", "hello"))
    for candidate in CandidateItem.scan():
        if candidate.kind == "candidate":
            candidate.delete()

    response = consumer(event, FakeLambdaContext())

    assert response == {"batchItemFailures": []}
    assert graph.bodies == []


def personal_items() -> list[_Item]:
    """Every item but the journey's funnel counters, which name nobody."""
    return [item for item in _Item.scan() if not item.pk.startswith("FUNNEL#")]


def test_erasure_removes_every_item_and_a_new_message_starts_afresh(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    ada = Candidate(stream)
    ada.say("hi")
    ada.tap("consent_yes")
    old_id = ada.profile().candidate_id

    ada.say("delete my data")
    ada.tap("erase_yes")

    assert personal_items() == []
    assert set(runtime.journey().funnel().values()) == {0}
    assert "deleted" in text_of(graph.replies()[-1])
    ada.say("hello again")
    assert ada.profile().candidate_id != old_id
    assert "automated assistant" in text_of(graph.replies()[-1])


def test_erasure_twice_is_harmless(graph: FakeGraphApi, stream: TableStreamReader) -> None:
    ada = Candidate(stream)
    ada.say("hi")
    ada.say("delete my data")
    first = ada.send(wa.button_reply(PHONE, "wamid.E1", "erase_yes", "Yes, delete"))
    second = ada.send(wa.button_reply(PHONE, "wamid.E2", "erase_yes", "Yes, delete"))

    consumer(first, FakeLambdaContext())
    consumer(second, FakeLambdaContext())

    assert personal_items() == []
    assert sum("deleted" in text_of(b) for b in graph.replies()) == 1


def test_silence_after_stop_sends_nothing_at_all(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    ada = Candidate(stream)
    ada.say("hi")
    ada.say("stop")
    sent = len(graph.bodies)

    ada.say("hello?")
    ada.say("jobs")

    assert len(graph.bodies) == sent
