"""A recruiter in Slack, as `aremu local` sees one: requests signed as Slack signs them.

Slack signs `v0:<timestamp>:<raw body>` with HMAC-SHA256 and the app's signing secret, in
`X-Slack-Signature: v0=<hex>` beside `X-Slack-Request-Timestamp`. Interactivity arrives as
a form with one `payload` field of JSON, slash commands as a form, events as JSON. The
timestamp is the wall clock's, never the local stack's movable clock: bolt checks it
against the machine's time (five minutes at most).

The payload builders are shared by the e2e tests and the unit tests' fakes.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import requests

from aremu.local.environment import (
    LOCAL_RECRUITERS_CHANNEL,
    LOCAL_SLACK_BOT_USER_ID,
    LOCAL_SLACK_TEAM_ID,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
Json = dict[str, Any]

_ids = itertools.count(1)


def _next(prefix: str) -> str:
    return f"{prefix}{next(_ids):06d}"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, content_type: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature(secret, timestamp, body),
    }


def interactivity_form(payload: Json) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def block_action(
    action_id: str,
    value: str,
    *,
    user: str,
    channel: str = LOCAL_RECRUITERS_CHANNEL,
    team_id: str = LOCAL_SLACK_TEAM_ID,
    bot_user: str = LOCAL_SLACK_BOT_USER_ID,
    message_ts: str = "1795000000.000100",
    message_blocks: list[Json] | None = None,
    thread_ts: str | None = None,
    ephemeral: bool = False,
    block_id: str = "actions",
    action_ts: str | None = None,
    selected: str | None = None,
) -> Json:
    """A block_actions payload: a button (or a select, with `selected`) on a message."""
    action: Json = {
        "type": "static_select" if selected else "button",
        "action_id": action_id,
        "block_id": block_id,
        "action_ts": action_ts or f"{time.time():.6f}",
    }
    if selected:
        action["selected_option"] = {
            "text": {"type": "plain_text", "text": selected},
            "value": selected,
        }
    else:
        action["value"] = value
    payload: Json = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "aremu"},
        "user": {"id": user, "username": user.lower(), "team_id": team_id},
        "api_app_id": "AAREMU",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": _next("trigger."),
        "channel": {"id": channel, "name": "recruiters"},
        "response_url": f"https://hooks.slack.test/actions/{team_id}/1/abc",
        "actions": [action],
    }
    if not ephemeral:
        message: Json = {
            "type": "message",
            "user": bot_user,
            "ts": message_ts,
            "text": "alert",
            "blocks": message_blocks or [],
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        payload["message"] = message
    return payload


def slash_command(
    text: str,
    *,
    user: str,
    channel: str = LOCAL_RECRUITERS_CHANNEL,
    team_id: str = LOCAL_SLACK_TEAM_ID,
) -> bytes:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": "aremu",
            "channel_id": channel,
            "channel_name": "recruiters",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/aremu",
            "text": text,
            "api_app_id": "AAREMU",
            "response_url": f"https://hooks.slack.test/commands/{team_id}/1/abc",
            "trigger_id": _next("trigger."),
        }
    ).encode()


def message_event(
    text: str,
    *,
    user: str | None,
    channel: str = LOCAL_RECRUITERS_CHANNEL,
    team_id: str = LOCAL_SLACK_TEAM_ID,
    bot_user: str = LOCAL_SLACK_BOT_USER_ID,
    thread_ts: str | None = None,
    event_id: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
) -> bytes:
    """An Events API `message` event (message.channels) inside its event_callback."""
    event: Json = {
        "type": "message",
        "channel": channel,
        "text": text,
        "ts": f"{time.time():.6f}",
        "event_ts": f"{time.time():.6f}",
        "channel_type": "channel",
        "client_msg_id": _next("client-msg-"),
    }
    if user:
        event["user"] = user
    if thread_ts:
        event["thread_ts"] = thread_ts
    if subtype:
        event["subtype"] = subtype
    if bot_id:
        event["bot_id"] = bot_id
    envelope = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": "AAREMU",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or _next("Ev"),
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team_id, "user_id": bot_user, "is_bot": True, "enterprise_id": None}
        ],
    }
    return json.dumps(envelope).encode()


class SlackRecruiter:
    """One recruiter pressing buttons, writing in threads and typing `/aremu` commands."""

    def __init__(
        self,
        base_url: str,
        user: str,
        *,
        signing_secret: str,
        channel: str = LOCAL_RECRUITERS_CHANNEL,
        session: requests.Session | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/slack/events"
        self.user = user
        self._secret = signing_secret
        self.channel = channel
        self._http = session or requests.Session()

    def press(
        self, action_id: str, value: str, *, message_ts: str, thread_ts: str | None = None
    ) -> requests.Response:
        payload = block_action(
            action_id,
            value,
            user=self.user,
            channel=self.channel,
            message_ts=message_ts,
            thread_ts=thread_ts,
        )
        return self._post(interactivity_form(payload), FORM)

    def write_in_thread(self, thread_ts: str, text: str) -> requests.Response:
        body = message_event(text, user=self.user, channel=self.channel, thread_ts=thread_ts)
        return self._post(body, JSON)

    def command(self, text: str) -> requests.Response:
        return self._post(slash_command(text, user=self.user, channel=self.channel), FORM)

    def _post(self, body: bytes, content_type: str) -> requests.Response:
        headers = signed_headers(self._secret, body, content_type, int(time.time()))
        return self._http.post(self._url, data=body, headers=headers, timeout=30)
