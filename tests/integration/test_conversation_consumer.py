"""The conversation stream consumer: stored inbound message in, exactly one reply out."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from aremu import runtime
from aremu.channels.whatsapp.signature import sign
from aremu.config import get_settings
from aremu.domain.first_contact import UNSUPPORTED_TEXT
from aremu.local.handlers import load_handler
from aremu.storage.models import CandidateItem, MessageItem
from aremu.wiring import CONVERSATION, NEW_INBOUND_MESSAGES, WEBHOOK_API
from tests.integration.conftest import FakeGraphApi
from tests.support import whatsapp as wa
from tests.support.lambda_events import FakeLambdaContext, http_api_event
from tests.support.streams import TableStreamReader

webhook = load_handler(WEBHOOK_API)
consumer = load_handler(CONVERSATION)
PHONE = "2348033333333"


@pytest.fixture
def stream(graph: FakeGraphApi, monkeypatch: pytest.MonkeyPatch) -> TableStreamReader:
    # No waiting between Graph API retries, so fault tests stay fast.
    monkeypatch.setenv("AREMU_GRAPH_BACKOFF_BASE_SECONDS", "0")
    runtime.reset()
    return TableStreamReader()


def receive(payload: dict[str, Any]) -> None:
    body = wa.dumps(payload)
    headers = {"X-Hub-Signature-256": sign("local-app-secret", body)}
    response = webhook(
        http_api_event("POST", "/whatsapp/webhook", body, headers), FakeLambdaContext()
    )
    assert response["statusCode"] == 200


def consume(event: dict[str, Any]) -> dict[str, Any]:
    return consumer(event, FakeLambdaContext())


def outbound_messages() -> list[MessageItem]:
    return [m for m in MessageItem.scan() if m.kind == "message" and m.direction == "out"]


def test_first_message_gets_one_welcome_and_a_read_receipt(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    receive(wa.text_payload(PHONE, "wamid.C1", "hello"))

    response = consume(stream.event(NEW_INBOUND_MESSAGES))

    assert response == {"batchItemFailures": []}
    (reply,) = graph.replies()
    assert reply["to"] == PHONE
    assert "automated assistant" in reply["text"]["body"]
    assert reply["text"]["body"].startswith("Hi Ada!")
    assert [r["message_id"] for r in graph.read_receipts()] == ["wamid.C1"]
    (stored,) = outbound_messages()
    assert (stored.message_id, stored.status) == ("wamid.OUT2", "accepted")


def test_stream_redelivery_sends_no_second_reply(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    receive(wa.text_payload(PHONE, "wamid.C1", "hello"))
    event = stream.event(NEW_INBOUND_MESSAGES)

    consume(event)
    consume(event)

    assert len(graph.replies()) == 1


def test_only_new_inbound_messages_pass_the_stream_filter(stream: TableStreamReader) -> None:
    receive(wa.text_payload(PHONE, "wamid.C1", "hello"))

    event = stream.event(NEW_INBOUND_MESSAGES)

    assert [r["dynamodb"]["NewImage"]["message_id"]["S"] for r in event["Records"]] == ["wamid.C1"]


def test_two_first_messages_in_one_batch_get_one_welcome(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    receive(
        wa.envelope(
            [
                wa.text_message(PHONE, "wamid.C1", "hello"),
                wa.text_message(PHONE, "wamid.C2", "anyone?"),
            ],
            [wa.contact(PHONE)],
        )
    )

    consume(stream.event(NEW_INBOUND_MESSAGES))

    assert len(graph.replies()) == 1
    assert len(graph.read_receipts()) == 2


def test_media_after_the_welcome_gets_a_word_on_what_is_understood(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    receive(wa.text_payload(PHONE, "wamid.C1", "hello"))
    consume(stream.event(NEW_INBOUND_MESSAGES))

    receive(wa.envelope([wa.image_message(PHONE, "wamid.C2")], [wa.contact(PHONE)]))
    consume(stream.event(NEW_INBOUND_MESSAGES))

    assert graph.replies()[-1]["text"]["body"] == UNSUPPORTED_TEXT


def test_graph_outage_fails_the_record_and_a_retry_welcomes_once(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    receive(wa.text_payload(PHONE, "wamid.C1", "hello"))
    event = stream.event(NEW_INBOUND_MESSAGES)
    outage = (503, {"error": {"message": "Service unavailable", "code": 2}})
    graph.fail_with = [outage] * get_settings().graph_max_attempts

    # A batch whose every record failed is raised, so Lambda retries all of it.
    with pytest.raises(BatchProcessingError):
        consume(event)
    retry = consume(event)

    assert retry == {"batchItemFailures": []}
    assert len(outbound_messages()) == 1
    (candidate,) = [c for c in CandidateItem.scan() if c.kind == "candidate"]
    assert candidate.welcomed_at is not None


def test_undeliverable_reply_is_not_retried(graph: FakeGraphApi, stream: TableStreamReader) -> None:
    receive(wa.text_payload(PHONE, "wamid.C1", "hello"))
    graph.fail_with = [(400, {"error": {"message": "undeliverable", "code": 131026}})]

    response = consume(stream.event(NEW_INBOUND_MESSAGES))

    assert response == {"batchItemFailures": []}
    assert len(graph.replies()) == 1
    assert outbound_messages() == []


def test_message_of_an_erased_candidate_sends_nothing(
    graph: FakeGraphApi, stream: TableStreamReader
) -> None:
    receive(wa.text_payload(PHONE, "wamid.C1", "hello"))
    for candidate in CandidateItem.scan():
        if candidate.kind == "candidate":
            candidate.delete()

    response = consume(stream.event(NEW_INBOUND_MESSAGES))

    assert response == {"batchItemFailures": []}
    assert graph.bodies == []
