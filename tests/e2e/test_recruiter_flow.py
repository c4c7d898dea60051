"""Recruiters on `aremu local`: a quiet candidate flagged in Slack, taken over, handed back.

Moves the shared stack's clock 20.5 hours (the window timers' file moves it further later).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from aremu.credentials import LOCAL_DEFAULTS
from aremu.local.client import (
    LocalClient,
    WhatsAppUser,
    button_reply,
    messages_value,
    text_webhook,
    webhook_payload,
)
from aremu.local.slack_client import SlackRecruiter

from .conftest import RunningStack

HOUR = 3600
RECRUITER = "URECRUITER1"


def posts_naming(client: LocalClient, words: str) -> list[dict[str, Any]]:
    """chat.postMessage calls to the sandbox whose text or blocks contain `words`."""
    return [
        call
        for call in client.slack_messages()
        if call["method"] == "chat.postMessage" and words in json.dumps(call["args"])
    ]


def whatsapp_texts(client: LocalClient, user: WhatsAppUser, since: int = 0) -> list[str]:
    texts = []
    for message in client.replies_to(user)[since:]:
        body = message.get("interactive", {}).get("body", {}).get("text")
        texts.append(body or message.get("text", {}).get("body", ""))
    return texts


def consent_then_go_quiet(client: LocalClient, user: WhatsAppUser) -> None:
    client.post_webhook(text_webhook(user, "Hi"))
    client.drain()
    reply_to = client.sent_message_ids(user)[-1]
    consent = button_reply(user, "consent_yes", "Yes, send jobs", reply_to=reply_to)
    client.post_webhook(webhook_payload(messages_value([consent], [user])))
    client.drain()


def say(client: LocalClient, user: WhatsAppUser, text: str) -> None:
    client.post_webhook(text_webhook(user, text))
    client.drain()


def test_a_quiet_candidate_is_flagged_taken_over_talked_to_and_handed_back(
    client: LocalClient, running_stack: RunningStack
) -> None:
    name = f"Emeka {uuid.uuid4().hex[:6]}"
    user = WhatsAppUser.with_phone(name)
    recruiter = SlackRecruiter(
        running_stack.base_url, RECRUITER, signing_secret=LOCAL_DEFAULTS["SLACK_SIGNING_SECRET"]
    )
    consent_then_go_quiet(client, user)

    # Quiet through onboarding with the free window closing: the risk run flags him.
    client.advance_clock(20.5 * HOUR)
    (alert,) = posts_naming(client, f"At risk: {name}")
    actions = next(block for block in alert["args"]["blocks"] if block["type"] == "actions")
    candidate_id = actions["elements"][0]["value"]

    taken = recruiter.press("aremu_take_over", candidate_id, message_ts=alert["ts"])
    client.drain()
    (opener,) = posts_naming(client, f"Conversation with {name}")
    thread_ts = opener["ts"]

    seen = len(client.replies_to(user))
    written = recruiter.write_in_thread(thread_ts, "Hi Emeka, this is Tolu from Aremu. Can I help?")
    client.drain()
    say(client, user, "Yes please, I'm not sure what to write")
    mirrored = [p["args"] for p in posts_naming(client, "not sure what to write")]

    handed = recruiter.command(f"handback {candidate_id} Helped him start; he wants sales jobs")
    client.drain()
    say(client, user, "sales rep in Lagos")

    assert (taken.status_code, written.status_code, handed.status_code) == (200, 200, 200)
    replies = whatsapp_texts(client, user, seen)
    assert replies[0] == "Hi Emeka, this is Tolu from Aremu. Can I help?"
    # While held, the bot said nothing to his message; after the handback it answers again.
    assert len(replies) == 2
    assert mirrored and mirrored[0]["thread_ts"] == thread_ts
    assert posts_naming(client, "Helped him start")
