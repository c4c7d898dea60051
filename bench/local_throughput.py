"""Inbound messages through `aremu local` over HTTP: how fast, and each handled exactly once.

1,000 distinct first contacts each send one signed "hello" from 4 concurrent clients (each a
thread with its own HTTP session), then the stack is drained. Every message must be stored
once (one inbound message item per WhatsApp id) and answered once (a new candidate's
"hello" gets exactly one reply: the welcome with the consent buttons). Printed: messages
per second for the HTTP phase (webhook in, 200 out) and end to end (first POST to the last
reply sent), then a final JSON line.

Run from the repository root: `.venv/bin/python -m bench.local_throughput`.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from typing import Any

import boto3
import requests

from aremu.config import Settings
from aremu.credentials import LOCAL_DEFAULTS
from aremu.local.client import LocalClient, WhatsAppUser, new_message_id, text_webhook
from aremu.local.environment import LOCAL_AWS_KEY
from aremu.local.launch import StackProcess, local_stack_process

MESSAGES = 1_000
CLIENTS = 4
DRAIN_TIMEOUT_SECONDS = 900.0
# The stack signs with what the shell set, else the documented default; so must the clients.
APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET") or LOCAL_DEFAULTS["WHATSAPP_APP_SECRET"]


def _post_all(stack: StackProcess, users: list[WhatsAppUser], ids: list[str]) -> list[int]:
    """Each client thread posts its share; the HTTP status of every POST."""
    statuses: list[int] = [0] * len(users)

    def run(offset: int) -> None:
        client = LocalClient(stack.base_url, app_secret=APP_SECRET, session=requests.Session())
        for index in range(offset, len(users), CLIENTS):
            response = client.post_webhook(
                text_webhook(users[index], "hello", message_id=ids[index])
            )
            statuses[index] = response.status_code

    threads = [threading.Thread(target=run, args=(offset,)) for offset in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _stored_inbound_ids(stack: StackProcess) -> Counter[str]:
    """Inbound message items by WhatsApp id, read straight from moto (a Scan: a bench only)."""
    dynamodb: Any = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws_endpoint_url,
        region_name=Settings().region,
        aws_access_key_id=LOCAL_AWS_KEY,
        aws_secret_access_key=LOCAL_AWS_KEY,
    )
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=Settings().table_name,
        FilterExpression="#kind = :message AND direction = :in",
        ProjectionExpression="message_id",
        ExpressionAttributeNames={"#kind": "kind"},
        ExpressionAttributeValues={":message": {"S": "message"}, ":in": {"S": "in"}},
    )
    return Counter(item["message_id"]["S"] for page in pages for item in page.get("Items", []))


def main() -> int:
    users = [WhatsAppUser.with_phone(f"Bench {index}") for index in range(MESSAGES)]
    ids = [new_message_id() for _ in users]
    with local_stack_process() as stack:
        client = LocalClient(stack.base_url, timeout=DRAIN_TIMEOUT_SECONDS)
        started = time.perf_counter()
        statuses = _post_all(stack, users, ids)
        http_seconds = time.perf_counter() - started
        summary = client.drain()
        end_to_end_seconds = time.perf_counter() - started
        replies = Counter(body.get("to") for body in client.whatsapp_messages() if body.get("to"))
        stored = _stored_inbound_ids(stack)

    accepted = sum(status == 200 for status in statuses)
    stored_once = sum(stored[message_id] == 1 for message_id in ids)
    answered_once = sum(replies[user.wa_id] == 1 for user in users)
    extra_replies = sum(replies.values()) - answered_once
    http_rate = MESSAGES / http_seconds
    e2e_rate = MESSAGES / end_to_end_seconds
    print(
        f"{MESSAGES} first-contact messages from {CLIENTS} clients: "
        f"{accepted} accepted (200), {stored_once} stored exactly once, "
        f"{answered_once} answered exactly once"
    )
    print(f"HTTP phase: {http_seconds:.1f} s, {http_rate:.0f} messages/s")
    print(f"end to end (last reply sent): {end_to_end_seconds:.1f} s, {e2e_rate:.0f} messages/s")
    result = {
        "bench": "local_throughput",
        "messages": MESSAGES,
        "clients": CLIENTS,
        "accepted": accepted,
        "stored_exactly_once": stored_once,
        "answered_exactly_once": answered_once,
        "extra_replies": extra_replies,
        "http_seconds": round(http_seconds, 2),
        "http_messages_per_second": round(http_rate, 1),
        "end_to_end_seconds": round(end_to_end_seconds, 2),
        "end_to_end_messages_per_second": round(e2e_rate, 1),
        "drain_settled": summary.get("settled"),
        "meets_target": accepted == stored_once == answered_once == MESSAGES and extra_replies == 0,
    }
    print(json.dumps(result))
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
