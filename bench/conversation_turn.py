"""Requests per conversation turn (targets: <= 5 DynamoDB requests, 1 Graph API call).

Runs the real webhook and conversation handlers against moto in-process, with the Graph
API faked at the HTTP boundary; a botocore event hook counts DynamoDB requests made
while the conversation consumer handles each stored message.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import boto3
import responses
from moto import mock_aws

from aremu import runtime
from aremu.channels.whatsapp.signature import sign
from aremu.credentials import LOCAL_DEFAULTS
from aremu.local.handlers import load_handler
from aremu.storage.schema import create_tables
from aremu.wiring import CONVERSATION, NEW_INBOUND_MESSAGES, WEBHOOK_API
from bench.dynamodb_counter import DynamoDBRequestCounter
from bench.support import quiet_aws_environment
from tests.support import whatsapp as wa
from tests.support.lambda_events import FakeLambdaContext, http_api_event
from tests.support.streams import TableStreamReader

DYNAMODB_TARGET = 5
GRAPH_TARGET = 1
CANDIDATES = 10
SCRIPT: tuple[tuple[str, str], ...] = (
    ("text", "hi"),
    ("button", "consent_yes"),
    ("text", "I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine"),
    ("button", "prefs_confirm"),
    ("text", "change my location to Abuja"),
    ("text", "pause"),
    ("text", "resume"),
    ("text", "help"),
    ("text", "stop"),
    ("text", "are you there?"),
)


def _message(phone: str, message_id: str, kind: str, value: str) -> dict[str, Any]:
    if kind == "button":
        return wa.button_reply(phone, message_id, value, value)
    return wa.text_message(phone, message_id, value)


def main() -> None:
    quiet_aws_environment()
    graph_calls: list[int] = []
    dynamodb_calls: list[int] = []
    with mock_aws(), responses.RequestsMock() as graph:
        graph_counter = {"calls": 0}

        def answer(request: Any) -> tuple[int, dict[str, str], str]:
            graph_counter["calls"] += 1
            return 200, {}, json.dumps({"messages": [{"id": f"wamid.OUT{graph_counter['calls']}"}]})

        graph.add_callback(responses.POST, re.compile(r"https://graph\.bench/.*"), callback=answer)
        create_tables(boto3.client("dynamodb"), "aremu", "aremu-idempotency")
        os.environ["AREMU_GRAPH_API_BASE_URL"] = "https://graph.bench"
        runtime.reset()
        webhook, consumer = load_handler(WEBHOOK_API), load_handler(CONVERSATION)
        stream = TableStreamReader()
        counter = DynamoDBRequestCounter()
        secret = LOCAL_DEFAULTS["WHATSAPP_APP_SECRET"]
        for candidate in range(CANDIDATES):
            phone = f"23481{candidate:08d}"
            for step, (kind, value) in enumerate(SCRIPT):
                body = wa.dumps(
                    wa.envelope(
                        [_message(phone, f"wamid.{candidate}.{step}", kind, value)],
                        [wa.contact(phone)],
                    )
                )
                headers = {"X-Hub-Signature-256": sign(secret, body)}
                webhook(
                    http_api_event("POST", "/whatsapp/webhook", body, headers=headers),
                    FakeLambdaContext(),
                )
                event = stream.event(NEW_INBOUND_MESSAGES)
                counter.attach()
                counter.reset()
                graph_counter["calls"] = 0
                consumer(event, FakeLambdaContext())
                dynamodb_calls.append(counter.total)
                graph_calls.append(graph_counter["calls"])

    result = {
        "bench": "conversation_turn_requests",
        "turns": len(dynamodb_calls),
        "dynamodb_max": max(dynamodb_calls),
        "dynamodb_mean": round(sum(dynamodb_calls) / len(dynamodb_calls), 2),
        "graph_max": max(graph_calls),
        "targets": {"dynamodb": DYNAMODB_TARGET, "graph": GRAPH_TARGET},
        "meets_target": max(dynamodb_calls) <= DYNAMODB_TARGET and max(graph_calls) <= GRAPH_TARGET,
    }
    print(
        f"conversation turn: DynamoDB requests max {result['dynamodb_max']} "
        f"(mean {result['dynamodb_mean']}, target <= {DYNAMODB_TARGET}); "
        f"Graph API calls max {result['graph_max']} (target <= {GRAPH_TARGET}); "
        f"{len(dynamodb_calls)} turns"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
