"""The real webhook and conversation functions on `aremu local`, over HTTP."""

from __future__ import annotations

import json
from datetime import datetime

import boto3

from aremu.config import Settings
from aremu.local.client import (
    LocalClient,
    WhatsAppUser,
    messages_value,
    status_update,
    statuses_value,
    text_message,
    text_webhook,
    webhook_payload,
)

from .conftest import E2E_APP_SECRET, RunningStack


def stored_items(stack: RunningStack) -> str:
    """The whole main table as text, to look for any trace of a payload."""
    # The stack runs in the default region whatever the shell says; names follow AREMU_*.
    settings = Settings.from_environment()
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws_endpoint_url,
        region_name=Settings().region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return json.dumps(dynamodb.scan(TableName=settings.table_name)["Items"])


def test_the_stack_prints_one_line_with_its_url(running_stack: RunningStack) -> None:
    lines = running_stack.startup_output.splitlines()

    assert [line for line in lines if running_stack.base_url in line] == [
        f"Aremu local stack ready at {running_stack.base_url}"
    ]


def test_a_secret_the_user_set_is_never_printed(running_stack: RunningStack) -> None:
    assert "WHATSAPP_APP_SECRET: set in the environment" in running_stack.startup_output
    assert E2E_APP_SECRET not in running_stack.startup_output


def test_verification_returns_the_challenge_for_the_right_token(client: LocalClient) -> None:
    response = client.verify(challenge="8675309")

    assert response.status_code == 200
    assert response.text == "8675309"


def test_verification_is_refused_for_a_wrong_token(client: LocalClient) -> None:
    assert client.verify(token="not-the-token").status_code == 403


def test_a_signed_text_message_gets_exactly_one_welcome(client: LocalClient) -> None:
    user = WhatsAppUser.with_phone("Ada")

    response = client.post_webhook(text_webhook(user, "Hello"))
    client.drain()

    assert response.status_code == 200
    replies = client.replies_to(user)
    assert len(replies) == 1
    assert replies[0]["to"] == user.wa_id


def test_redelivered_payloads_send_no_more_replies(client: LocalClient) -> None:
    user = WhatsAppUser.with_phone()
    payload = text_webhook(user, "Hello")
    client.post_webhook(payload)
    client.drain()

    statuses = [client.post_webhook(payload).status_code for _ in range(5)]
    client.drain()

    assert statuses == [200] * 5
    assert len(client.replies_to(user)) == 1


def test_a_forged_signature_is_refused_and_nothing_is_stored_or_sent(
    client: LocalClient, running_stack: RunningStack
) -> None:
    user = WhatsAppUser.with_phone()
    payload = text_webhook(user, "Hello")

    response = client.post_webhook(payload, signature="sha256=" + "0" * 64)
    client.drain()

    assert response.status_code == 403
    assert client.replies_to(user) == []
    assert str(user.wa_id) not in stored_items(running_stack)


def test_an_unsigned_post_is_refused(client: LocalClient) -> None:
    user = WhatsAppUser.with_phone()

    response = client.post_webhook(text_webhook(user, "Hello"), signed=False)

    assert response.status_code in (401, 403)


def test_a_status_callback_for_a_sent_reply_is_accepted(client: LocalClient) -> None:
    user = WhatsAppUser.with_phone()
    client.post_webhook(text_webhook(user, "Hello"))
    client.drain()
    (reply_id,) = client.sent_message_ids(user)

    delivered = client.post_webhook(
        webhook_payload(statuses_value([status_update(reply_id, user, "delivered")]))
    )
    read = client.post_webhook(
        webhook_payload(statuses_value([status_update(reply_id, user, "read")]))
    )
    client.drain()

    assert (delivered.status_code, read.status_code) == (200, 200)
    assert len(client.replies_to(user)) == 1


def test_each_user_in_a_batched_post_is_answered_once(client: LocalClient) -> None:
    # Two entries, the second carrying two users: Meta batches both ways.
    first, second, third = (WhatsAppUser.with_phone(name) for name in ("Bola", "Chi", "Dayo"))
    payload = webhook_payload(
        messages_value([text_message(first, "Hi")], [first]),
        messages_value([text_message(second, "Hi"), text_message(third, "Hi")], [second, third]),
    )

    response = client.post_webhook(payload)
    client.drain()

    assert response.status_code == 200
    assert [len(client.replies_to(user)) for user in (first, second, third)] == [1, 1, 1]


def test_a_user_known_only_by_business_scoped_id_is_accepted(client: LocalClient) -> None:
    user = WhatsAppUser.with_business_scoped_id()

    response = client.post_webhook(text_webhook(user, "Hello"))
    summary = client.drain()

    assert response.status_code == 200
    assert summary["settled"] is True


def test_the_clock_endpoint_moves_time_forward(client: LocalClient) -> None:
    before = client.now()

    answer = client.advance_clock(7200)

    moved = datetime.fromisoformat(answer["now"])
    assert (moved - before).total_seconds() >= 7200
    assert client.now() >= moved
