"""The WhatsApp webhook API handler with real event shapes, against moto."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from aremu import runtime
from aremu.channels.whatsapp.signature import sign
from aremu.credentials import LOCAL_DEFAULTS
from aremu.local.handlers import load_handler
from aremu.storage.messages import OutboundRecord
from aremu.storage.models import CandidateItem, IdentityItem, MessageItem, WindowItem
from aremu.wiring import WEBHOOK_API
from tests.support import whatsapp as wa
from tests.support.lambda_events import FakeLambdaContext, http_api_event

APP_SECRET = LOCAL_DEFAULTS["WHATSAPP_APP_SECRET"]
handler = load_handler(WEBHOOK_API)

pytestmark = pytest.mark.usefixtures("aws")


def post(body: bytes, signature: str | None = "sign", base64_body: bool = False) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = sign(APP_SECRET, body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    event = http_api_event(
        "POST", "/whatsapp/webhook", body, headers=headers, base64_body=base64_body
    )
    return handler(event, FakeLambdaContext())


def verify(query: dict[str, str]) -> dict[str, Any]:
    return handler(http_api_event("GET", "/whatsapp/webhook", query=query), FakeLambdaContext())


def stored_messages() -> list[MessageItem]:
    return [item for item in MessageItem.scan() if item.kind == "message"]


def test_verify_echoes_challenge_for_the_right_token() -> None:
    response = verify(
        {"hub.mode": "subscribe", "hub.verify_token": "local-verify-token", "hub.challenge": "42"}
    )

    assert response["statusCode"] == 200
    assert response["body"] == "42"


def test_verify_refuses_a_wrong_token() -> None:
    response = verify({"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "42"})

    assert response["statusCode"] == 403
    assert "42" not in response["body"]


def test_signed_text_is_stored_with_a_new_candidate_and_window() -> None:
    response = post(wa.dumps(wa.text_payload("2348011111111", "wamid.A1", "sales rep in Lagos")))

    assert response["statusCode"] == 200
    (message,) = stored_messages()
    assert (message.direction, message.message_type, message.text) == (
        "in",
        "text",
        "sales rep in Lagos",
    )
    candidate = CandidateItem.get(f"CAND#{message.candidate_id}", "PROFILE")
    assert (candidate.wa_id, candidate.profile_name, candidate.messages_in) == (
        "2348011111111",
        "Ada Obi",
        1,
    )
    window = WindowItem.get(f"CAND#{message.candidate_id}", "WINDOW")
    assert window.epoch == 1


def test_base64_encoded_body_is_verified_on_its_raw_bytes() -> None:
    response = post(
        wa.dumps(wa.text_payload("2348011111112", "wamid.B64", "héllo ₦")), base64_body=True
    )

    assert response["statusCode"] == 200
    assert [m.text for m in stored_messages()] == ["héllo ₦"]


def test_missing_signature_is_401_and_nothing_stored() -> None:
    response = post(wa.dumps(wa.text_payload("2348011111111", "wamid.A1")), signature=None)

    assert response["statusCode"] == 401
    assert stored_messages() == []


def test_forged_signature_is_403_and_nothing_stored() -> None:
    body = wa.dumps(wa.text_payload("2348011111111", "wamid.A1"))
    forged = "sha256=" + "0" * 64

    response = post(body, signature=forged)

    assert response["statusCode"] == 403
    assert stored_messages() == []


def test_signature_of_a_different_body_is_403() -> None:
    body = wa.dumps(wa.text_payload("2348011111111", "wamid.A1", "hello"))
    other = sign(APP_SECRET, wa.dumps(wa.text_payload("2348011111111", "wamid.A1", "hellO")))

    assert post(body, signature=other)["statusCode"] == 403


def test_malformed_json_is_400() -> None:
    assert post(b'{"object": "whatsapp_business_account", ')["statusCode"] == 400


def test_json_that_is_not_a_webhook_is_400() -> None:
    assert post(b'["not", "a", "webhook"]')["statusCode"] == 400


def test_oversized_body_is_413_before_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AREMU_MAX_WEBHOOK_BODY_BYTES", "1000")
    runtime.reset()
    body = wa.dumps(wa.text_payload("2348011111111", "wamid.BIG", "x" * 2000))

    response = post(body, signature=None)

    assert response["statusCode"] == 413
    assert stored_messages() == []


def test_three_megabytes_is_the_default_limit() -> None:
    padding = "x" * (3 * 1024 * 1024)
    body = wa.dumps(wa.text_payload("2348011111111", "wamid.BIG", padding))

    assert post(body)["statusCode"] == 413


def test_redelivered_message_is_stored_once() -> None:
    body = wa.dumps(wa.text_payload("2348011111111", "wamid.DUP", "hi"))

    responses = [post(body) for _ in range(5)]

    assert [r["statusCode"] for r in responses] == [200] * 5
    assert len(stored_messages()) == 1
    (candidate,) = [c for c in CandidateItem.scan() if c.kind == "candidate"]
    assert candidate.messages_in == 1


def test_unknown_message_type_is_accepted_and_kept() -> None:
    payload = wa.envelope(
        [
            {
                "from": "2348011111111",
                "id": "wamid.NEW",
                "timestamp": "1795000000",
                "type": "hologram",
                "hologram": {"shape": "cube"},
            }
        ],
        [wa.contact("2348011111111")],
    )

    response = post(wa.dumps(payload))

    assert response["statusCode"] == 200
    (message,) = stored_messages()
    assert message.message_type == "hologram"
    assert message.content == {"hologram": {"shape": "cube"}}


def test_unsupported_message_with_errors_is_accepted() -> None:
    payload = wa.envelope(
        [
            {
                "from": "2348011111111",
                "id": "wamid.UNS",
                "timestamp": "1795000000",
                "type": "unsupported",
                "errors": [{"code": 131051, "title": "Message type unknown"}],
            }
        ],
        [wa.contact("2348011111111")],
    )

    assert post(wa.dumps(payload))["statusCode"] == 200
    assert [m.message_type for m in stored_messages()] == ["unsupported"]


def test_several_entries_and_messages_in_one_post_are_all_stored() -> None:
    first = wa.envelope(
        [
            wa.text_message("2348011111111", "wamid.M1", "one"),
            wa.image_message("2348011111111", "wamid.M2"),
        ],
        [wa.contact("2348011111111")],
    )
    second = wa.envelope(
        [wa.text_message("2348022222222", "wamid.M3", "three")],
        [wa.contact("2348022222222", "Bola")],
    )
    first["entry"].extend(second["entry"])

    assert post(wa.dumps(first))["statusCode"] == 200
    assert sorted(m.message_id for m in stored_messages()) == ["wamid.M1", "wamid.M2", "wamid.M3"]
    assert len({m.candidate_id for m in stored_messages()}) == 2


def test_message_without_contacts_is_stored_under_its_sender() -> None:
    payload = wa.envelope([wa.text_message("2348011111111", "wamid.NC", "hi")])

    assert post(wa.dumps(payload))["statusCode"] == 200
    (message,) = stored_messages()
    assert CandidateItem.get(f"CAND#{message.candidate_id}", "PROFILE").wa_id == "2348011111111"


def test_contact_with_only_a_business_scoped_id_becomes_a_candidate() -> None:
    message = wa.text_message(None, "wamid.BS1", "hi")
    message["from_user_id"] = "NG.13491208655302741918"
    payload = wa.envelope([message], [wa.contact(None, "Chidi", user_id="NG.13491208655302741918")])

    assert post(wa.dumps(payload))["statusCode"] == 200
    (stored,) = stored_messages()
    candidate = CandidateItem.get(f"CAND#{stored.candidate_id}", "PROFILE")
    assert (candidate.wa_id, candidate.bsuid) == (None, "NG.13491208655302741918")


def test_phone_and_business_scoped_id_resolve_to_one_candidate() -> None:
    post(wa.dumps(wa.text_payload("2348011111111", "wamid.P1")))
    both = wa.envelope(
        [wa.text_message("2348011111111", "wamid.P2", "again")],
        [wa.contact("2348011111111", user_id="NG.1")],
    )
    only_bsuid = wa.text_message(None, "wamid.P3", "and again")
    only_bsuid["from_user_id"] = "NG.1"

    post(wa.dumps(both))
    post(wa.dumps(wa.envelope([only_bsuid], [wa.contact(None, user_id="NG.1")])))

    assert len({m.candidate_id for m in stored_messages()}) == 1
    assert len([i for i in IdentityItem.scan() if i.kind == "identity"]) == 2


def test_message_with_no_sender_at_all_is_skipped_but_answered_200() -> None:
    message = wa.text_message(None, "wamid.ANON", "who am I")

    assert post(wa.dumps(wa.envelope([message])))["statusCode"] == 200
    assert stored_messages() == []


def _outbound(message_id: str) -> str:
    """An outbound message to a known candidate; returns the candidate id."""
    post(wa.dumps(wa.text_payload("2348011111111", "wamid.HELLO")))
    (inbound,) = stored_messages()
    now = datetime.now(UTC)
    runtime.message_store().record_outbound(
        OutboundRecord(message_id, inbound.candidate_id, "text", "hi", None, now), now
    )
    return inbound.candidate_id


def outbound(candidate_id: str, message_id: str) -> MessageItem:
    return MessageItem.get(f"CAND#{candidate_id}", f"MSG#{message_id}")


def test_status_callback_updates_the_outbound_message() -> None:
    candidate_id = _outbound("wamid.OUT1")

    post(wa.dumps(wa.envelope(statuses=[wa.status("wamid.OUT1", "delivered", "2348011111111")])))

    assert outbound(candidate_id, "wamid.OUT1").status == "delivered"


def test_out_of_order_statuses_never_move_backwards() -> None:
    candidate_id = _outbound("wamid.OUT1")

    for name in ("read", "delivered", "sent"):
        post(wa.dumps(wa.envelope(statuses=[wa.status("wamid.OUT1", name, "2348011111111")])))

    assert outbound(candidate_id, "wamid.OUT1").status == "read"


def test_failed_status_keeps_its_errors() -> None:
    candidate_id = _outbound("wamid.OUT1")

    post(wa.dumps(wa.envelope(statuses=[wa.status("wamid.OUT1", "failed", "2348011111111")])))

    item = outbound(candidate_id, "wamid.OUT1")
    assert item.status == "failed"
    assert item.errors == [{"code": 131026, "title": "Message undeliverable"}]


def test_status_for_an_unknown_message_is_ignored_with_200() -> None:
    _outbound("wamid.OUT1")

    response = post(
        wa.dumps(wa.envelope(statuses=[wa.status("wamid.GHOST", "read", "2348011111111")]))
    )

    assert response["statusCode"] == 200
    assert sorted(m.message_id for m in stored_messages()) == ["wamid.HELLO", "wamid.OUT1"]


def test_status_for_an_unknown_recipient_is_ignored_with_200() -> None:
    response = post(
        wa.dumps(wa.envelope(statuses=[wa.status("wamid.GHOST", "read", "2340000000000")]))
    )

    assert response["statusCode"] == 200
    assert stored_messages() == []


def test_response_body_says_received() -> None:
    response = post(wa.dumps(wa.text_payload("2348011111111", "wamid.R1")))

    assert json.loads(response["body"]) == {"status": "received"}
