"""The 24-hour window on `aremu local`: schedules and the state machine on the moved clock.

Runs last in this folder on purpose: it moves the shared stack's clock a day forward.
"""

from __future__ import annotations

from aremu.local.client import LocalClient, WhatsAppUser, text_webhook

from .test_jobs_flow import onboard

HOUR = 3600
# Timers wake on whole seconds after the message; a moved clock passes them by this much.
MARGIN = 60


def bodies(client: LocalClient, user: WhatsAppUser, since: int) -> list[str]:
    texts = []
    for message in client.replies_to(user)[since:]:
        body = message.get("interactive", {}).get("body", {}).get("text")
        texts.append(body or message.get("text", {}).get("body", ""))
    return texts


def test_reminders_at_20_and_23_hours_expiry_at_24_and_a_message_reopens(
    client: LocalClient,
) -> None:
    user = WhatsAppUser.with_phone("Window")
    onboard(client, user)
    seen = len(client.replies_to(user))

    client.advance_clock(20 * HOUR + MARGIN)
    at_20 = bodies(client, user, seen)
    client.advance_clock(3 * HOUR)
    at_23 = bodies(client, user, seen + len(at_20))
    expired = client.advance_clock(1 * HOUR)
    after_expiry = bodies(client, user, seen + len(at_20) + len(at_23))

    assert len(at_20) == 1 and "4 hours left" in at_20[0]
    assert len(at_23) == 1 and "1 hour left" in at_23[0]
    assert after_expiry == []
    assert expired["ran"]["state_machines"]["WindowTimer"]["succeeded"] >= 1

    client.post_webhook(text_webhook(user, "jobs"))
    client.drain()
    reopened_at = len(client.replies_to(user))
    client.advance_clock(20 * HOUR + MARGIN)

    assert len(bodies(client, user, reopened_at)) == 1
