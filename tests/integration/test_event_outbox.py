"""Domain events published from the table stream: none lost, shapes as DESIGN.md says."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from aremu import runtime
from aremu.channels.whatsapp.signature import sign
from aremu.local.handlers import load_handler
from aremu.storage.candidates import StageChange, TurnChanges
from aremu.storage.messages import OutboundRecord
from aremu.storage.models import CandidateItem, outbox_event
from aremu.wiring import DOMAIN_EVENT_ITEMS, EVENTS_PUBLISHER, WEBHOOK_API
from tests.support import whatsapp as wa
from tests.support.bus import published
from tests.support.lambda_events import FakeLambdaContext, http_api_event
from tests.support.streams import TableStreamReader

webhook = load_handler(WEBHOOK_API)
publisher = load_handler(EVENTS_PUBLISHER)
PHONE = "2348044444444"


def receive(text: str, message_id: str) -> None:
    body = wa.dumps(wa.text_payload(PHONE, message_id, text))
    headers = {"X-Hub-Signature-256": sign("local-app-secret", body)}
    webhook(http_api_event("POST", "/whatsapp/webhook", body, headers=headers), FakeLambdaContext())


def test_inbound_message_becomes_message_received(bus_queue: str) -> None:
    stream = TableStreamReader()
    receive("sales rep in Lagos", "wamid.E1")

    response = publisher(stream.event(DOMAIN_EVENT_ITEMS), FakeLambdaContext())

    assert response == {"batchItemFailures": []}
    (event,) = published(bus_queue)
    assert (event["source"], event["detail-type"]) == ("aremu", "MessageReceived")
    assert event["detail"]["messageId"] == "wamid.E1"
    assert event["detail"]["content"] == "sales rep in Lagos"
    assert event["detail"]["source"] == "whatsapp"
    assert set(event["detail"]) == {"candidateId", "messageId", "content", "timestamp", "source"}


def test_stage_change_and_reply_become_their_events(bus_queue: str) -> None:
    stream = TableStreamReader()
    receive("hi", "wamid.E2")
    stream.event(DOMAIN_EVENT_ITEMS)
    (candidate,) = [c for c in CandidateItem.scan() if c.kind == "candidate"]
    now = datetime.now(UTC)
    outbound = runtime.message_store().outbound_item(
        OutboundRecord("wamid.OUT9", candidate.candidate_id, "text", "Great!", None, now), now
    )
    changes = TurnChanges(
        "consented", "roles", {}, False, [StageChange("new", "consented", "opted_in")]
    )
    runtime.candidate_store().save_turn(candidate, changes, outbound, now)

    publisher(stream.event(DOMAIN_EVENT_ITEMS), FakeLambdaContext())

    events = {e["detail-type"]: e["detail"] for e in published(bus_queue)}
    assert events["CandidateStateChanged"]["previousState"] == "new"
    assert events["CandidateStateChanged"]["newState"] == "consented"
    assert events["CandidateStateChanged"]["trigger"] == "opted_in"
    assert events["MessageSent"]["source"] == "bot"
    assert "operatorId" not in events["MessageSent"]


def test_outbox_event_item_goes_out_as_its_event(bus_queue: str) -> None:
    stream = TableStreamReader()
    at = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    detail = {"candidateId": "c-1", "operatorId": "U1", "timestamp": "2026-11-22T09:30:00Z"}
    outbox_event("c-1", "OperatorTakeover", {**detail, "reason": "at risk"}, at).save()

    publisher(stream.event(DOMAIN_EVENT_ITEMS), FakeLambdaContext())

    (event,) = published(bus_queue)
    assert event["detail-type"] == "OperatorTakeover"
    assert event["detail"] == {**detail, "reason": "at risk"}


def test_missing_bus_fails_the_batch_so_the_stream_retries(aws: None) -> None:
    stream = TableStreamReader()
    receive("hello", "wamid.E3")

    with pytest.raises(ClientError):
        publisher(stream.event(DOMAIN_EVENT_ITEMS), FakeLambdaContext())
