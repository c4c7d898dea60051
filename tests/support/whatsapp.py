"""WhatsApp webhook payloads shaped like Meta's, for tests."""

from __future__ import annotations

import json
from typing import Any

PHONE_NUMBER_ID = "100000000000001"


def envelope(
    messages: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": PHONE_NUMBER_ID},
    }
    if contacts is not None:
        value["contacts"] = contacts
    if messages is not None:
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}],
    }


def contact(wa_id: str | None, name: str = "Ada Obi", user_id: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"profile": {"name": name}}
    if wa_id:
        result["wa_id"] = wa_id
    if user_id:
        result["user_id"] = user_id
    return result


def text_message(
    wa_id: str | None, message_id: str, body: str, ts: int = 1795000000
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": message_id,
        "timestamp": str(ts),
        "type": "text",
        "text": {"body": body},
    }
    if wa_id:
        message["from"] = wa_id
    return message


def button_reply(wa_id: str, message_id: str, reply_id: str, title: str) -> dict[str, Any]:
    return {
        "from": wa_id,
        "id": message_id,
        "timestamp": "1795000001",
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}},
    }


def image_message(wa_id: str, message_id: str) -> dict[str, Any]:
    return {
        "from": wa_id,
        "id": message_id,
        "timestamp": "1795000002",
        "type": "image",
        "image": {"id": "media-1", "mime_type": "image/jpeg", "sha256": "abc"},
    }


def status(message_id: str, name: str, wa_id: str, ts: int = 1795000100) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": message_id,
        "status": name,
        "timestamp": str(ts),
        "recipient_id": wa_id,
    }
    if name == "failed":
        result["errors"] = [{"code": 131026, "title": "Message undeliverable"}]
    return result


def text_payload(wa_id: str, message_id: str, body: str = "hello") -> dict[str, Any]:
    return envelope([text_message(wa_id, message_id, body)], [contact(wa_id)])


def dumps(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()
