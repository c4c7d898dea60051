"""Talk to a running local stack as Meta and a tester would: for tests, the demo and benchmarks.

Payload builders follow Meta's webhook envelope: one value per change, several messages or
statuses per value, several entries per POST. A user is known by phone (`wa_id`), by
business-scoped user id (`user_id`), or both.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from aremu.credentials import LOCAL_DEFAULTS

SIGNATURE_HEADER = "X-Hub-Signature-256"
DEFAULT_WABA_ID = "200000000000002"
DEFAULT_DISPLAY_NUMBER = "15550001234"
# Storing a few hundred postings in moto takes a while; the answer comes once all are in.
INGEST_TIMEOUT_SECONDS = 600.0

Json = dict[str, Any]


def sign(app_secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` value Meta sends for this exact body."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def new_phone_number(country_code: str = "234") -> str:
    """A random, well-formed phone number, so tests never share a candidate."""
    return country_code + "".join(str(secrets.randbelow(10)) for _ in range(10))


def new_message_id() -> str:
    return f"wamid.TEST{uuid.uuid4().hex.upper()}"


def _timestamp(at: datetime | int | None) -> str:
    if at is None:
        return str(int(time.time()))
    return str(int(at.timestamp()) if isinstance(at, datetime) else at)


@dataclass(frozen=True)
class WhatsAppUser:
    """Someone writing to the business; with a username, Meta may omit the phone."""

    wa_id: str | None = None
    user_id: str | None = None
    name: str = "Test Candidate"
    username: str | None = None

    @classmethod
    def with_phone(cls, name: str = "Test Candidate") -> WhatsAppUser:
        return cls(wa_id=new_phone_number(), name=name)

    @classmethod
    def with_business_scoped_id(cls, name: str = "Test Candidate") -> WhatsAppUser:
        suffix = "".join(str(secrets.randbelow(10)) for _ in range(19))
        return cls(user_id=f"NG.{suffix}", name=name, username=f"user{suffix[:6]}")

    def contact(self) -> Json:
        profile: Json = {"name": self.name}
        if self.username:
            profile["username"] = self.username
        contact: Json = {"profile": profile}
        if self.wa_id:
            contact["wa_id"] = self.wa_id
        if self.user_id:
            contact["user_id"] = self.user_id
        return contact

    def sender(self) -> Json:
        fields: Json = {}
        if self.wa_id:
            fields["from"] = self.wa_id
        if self.user_id:
            fields["from_user_id"] = self.user_id
        return fields


def _message(
    user: WhatsAppUser,
    kind: str,
    content: Json,
    *,
    message_id: str | None,
    at: datetime | int | None,
    reply_to: str | None,
) -> Json:
    message: Json = {
        **user.sender(),
        "id": message_id or new_message_id(),
        "timestamp": _timestamp(at),
        "type": kind,
        kind: content,
    }
    if reply_to:
        message["context"] = {"from": DEFAULT_DISPLAY_NUMBER, "id": reply_to}
    return message


def text_message(
    user: WhatsAppUser,
    body: str,
    *,
    message_id: str | None = None,
    at: datetime | int | None = None,
    reply_to: str | None = None,
) -> Json:
    return _message(user, "text", {"body": body}, message_id=message_id, at=at, reply_to=reply_to)


def button_reply(
    user: WhatsAppUser,
    button_id: str,
    title: str,
    *,
    reply_to: str,
    message_id: str | None = None,
    at: datetime | int | None = None,
) -> Json:
    content = {"type": "button_reply", "button_reply": {"id": button_id, "title": title}}
    return _message(user, "interactive", content, message_id=message_id, at=at, reply_to=reply_to)


def list_reply(
    user: WhatsAppUser,
    row_id: str,
    title: str,
    description: str = "",
    *,
    reply_to: str,
    message_id: str | None = None,
    at: datetime | int | None = None,
) -> Json:
    reply = {"id": row_id, "title": title, "description": description}
    content = {"type": "list_reply", "list_reply": reply}
    return _message(user, "interactive", content, message_id=message_id, at=at, reply_to=reply_to)


def image_message(
    user: WhatsAppUser,
    *,
    caption: str | None = None,
    media_id: str | None = None,
    message_id: str | None = None,
    at: datetime | int | None = None,
) -> Json:
    image: Json = {
        "id": media_id or uuid.uuid4().hex,
        "mime_type": "image/jpeg",
        "sha256": hashlib.sha256(b"local image").hexdigest(),
    }
    if caption is not None:
        image["caption"] = caption
    return _message(user, "image", image, message_id=message_id, at=at, reply_to=None)


def status_update(
    message_id: str,
    recipient: WhatsAppUser,
    status: str,
    *,
    errors: Sequence[Mapping[str, Any]] = (),
    at: datetime | int | None = None,
) -> Json:
    """A sent/delivered/read/failed status for a message the business sent."""
    update: Json = {"id": message_id, "status": status, "timestamp": _timestamp(at)}
    if recipient.wa_id:
        update["recipient_id"] = recipient.wa_id
    if recipient.user_id:
        update["recipient_user_id"] = recipient.user_id
    if status != "failed":
        update["pricing"] = {"billable": False, "pricing_model": "PMP", "category": "service"}
    if errors:
        update["errors"] = [dict(error) for error in errors]
    return update


def messages_value(
    messages: Sequence[Json],
    users: Sequence[WhatsAppUser],
    *,
    phone_number_id: str = LOCAL_DEFAULTS["WHATSAPP_PHONE_NUMBER_ID"],
) -> Json:
    return {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": DEFAULT_DISPLAY_NUMBER,
            "phone_number_id": phone_number_id,
        },
        "contacts": [user.contact() for user in users],
        "messages": list(messages),
    }


def statuses_value(
    statuses: Sequence[Json],
    *,
    phone_number_id: str = LOCAL_DEFAULTS["WHATSAPP_PHONE_NUMBER_ID"],
) -> Json:
    return {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": DEFAULT_DISPLAY_NUMBER,
            "phone_number_id": phone_number_id,
        },
        "statuses": list(statuses),
    }


def webhook_payload(*values: Json, waba_id: str = DEFAULT_WABA_ID) -> Json:
    """The POST body: each value becomes one entry with one `messages` change."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": waba_id, "changes": [{"field": "messages", "value": value}]} for value in values
        ],
    }


def text_webhook(user: WhatsAppUser, body: str, *, message_id: str | None = None) -> Json:
    """The commonest case: one user, one text message."""
    return webhook_payload(
        messages_value([text_message(user, body, message_id=message_id)], [user])
    )


class IngestRefused(Exception):
    """The stack refused a CSV (HTTP 400): the message says why."""


def encode(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


class LocalClient:
    """HTTP access to a running stack: the webhook as Meta calls it, and the sandbox."""

    def __init__(
        self,
        base_url: str,
        *,
        app_secret: str = LOCAL_DEFAULTS["WHATSAPP_APP_SECRET"],
        verify_token: str = LOCAL_DEFAULTS["WHATSAPP_VERIFY_TOKEN"],
        timeout: float = 30.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.timeout = timeout
        self._session = session or requests.Session()

    def verify(
        self, *, token: str | None = None, challenge: str = "1158201444"
    ) -> requests.Response:
        params = {
            "hub.mode": "subscribe",
            "hub.verify_token": self.verify_token if token is None else token,
            "hub.challenge": challenge,
        }
        return self._session.get(
            self._url("/whatsapp/webhook"), params=params, timeout=self.timeout
        )

    def post_webhook(
        self,
        payload: Mapping[str, Any] | bytes,
        *,
        signature: str | None = None,
        signed: bool = True,
    ) -> requests.Response:
        """POST as Meta does; `signature` forges the header, `signed=False` leaves it out."""
        body = payload if isinstance(payload, bytes) else encode(payload)
        headers = {"Content-Type": "application/json"}
        if signed:
            headers[SIGNATURE_HEADER] = signature or sign(self.app_secret, body)
        return self._session.post(
            self._url("/whatsapp/webhook"), data=body, headers=headers, timeout=self.timeout
        )

    def whatsapp_messages(self) -> list[Json]:
        """Every body sent to the Graph API `/messages`, mark-read calls included."""
        return self._get_json("/sandbox/whatsapp/messages")  # type: ignore[no-any-return]

    def replies_to(self, user: WhatsAppUser) -> list[Json]:
        """Messages sent to this user, in send order (mark-read calls excluded)."""
        return self._get_json("/sandbox/whatsapp/messages", to=user.wa_id or user.user_id)  # type: ignore[no-any-return]

    def sent_message_ids(self, user: WhatsAppUser) -> list[str]:
        """The ids the Graph API gave the messages sent to this user, in send order."""
        return [e["response"]["messages"][0]["id"] for e in self.exchanges_with(user)]

    def exchanges_with(self, user: WhatsAppUser) -> list[Json]:
        """Each message sent to this user with the Graph API's answer (`request`, `response`)."""
        return self._get_json("/sandbox/whatsapp/sent", to=user.wa_id or user.user_id)  # type: ignore[no-any-return]

    def slack_messages(self) -> list[Json]:
        return self._get_json("/sandbox/slack/messages")  # type: ignore[no-any-return]

    def now(self) -> datetime:
        return datetime.fromisoformat(self._get_json("/sandbox/clock")["now"])

    def advance_clock(self, seconds: float) -> Json:
        """Move the stack's clock forward and run what fell due; the stack's summary."""
        return self._post_json("/sandbox/clock", {"advance_seconds": seconds})

    def drain(self) -> Json:
        """Deliver every pending stream record and queue message; returns once none is left."""
        return self._post_json("/sandbox/drain", {})

    def stream_status(self) -> Json:
        """Each stream and queue consumer's totals, positions, and every dead letter so far."""
        return self._get_json("/sandbox/streams")  # type: ignore[no-any-return]

    def ingest_csv(self, text: str) -> Json:
        """Load postings in JobSpy's CSV columns; the ingest summary. Raises IngestRefused."""
        response = self._session.post(
            self._url("/sandbox/ingest"),
            data=text.encode("utf-8"),
            headers={"Content-Type": "text/csv; charset=utf-8"},
            timeout=max(self.timeout, INGEST_TIMEOUT_SECONDS),
        )
        if response.status_code == 400:
            raise IngestRefused(response.json().get("error", response.text))
        response.raise_for_status()
        summary: Json = response.json()
        return summary

    def job_counts(self) -> Json:
        """Jobs stored in the stack: `{"total": n, "by_status": {"RAW": .., "ENHANCED": ..}}`."""
        return self._get_json("/sandbox/jobs")  # type: ignore[no-any-return]

    def schedules(self) -> Json:
        """Each recurring schedule's expression, next due time (local clock) and runs."""
        return self._get_json("/sandbox/schedules")  # type: ignore[no-any-return]

    def _url(self, path: str) -> str:
        return self.base_url + path

    def _get_json(self, path: str, **params: str | None) -> Any:
        response = self._session.get(self._url(path), params=params, timeout=self.timeout)
        response.raise_for_status()
        return response.json()

    def _post_json(self, path: str, body: Json) -> Json:
        response = self._session.post(self._url(path), json=body, timeout=self.timeout)
        response.raise_for_status()
        result: Json = response.json()
        return result
