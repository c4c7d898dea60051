"""DynamoDB requests on the webhook API path per inbound text message (target: <= 3).

Runs the real handler on API Gateway events against moto in-process, with a botocore
event hook counting every DynamoDB call. First contacts and returning candidates are
measured separately, since a first contact also links the sender's identity.
"""

from __future__ import annotations

import json

import boto3
from moto import mock_aws

from aremu import runtime
from aremu.channels.whatsapp.signature import sign
from aremu.credentials import LOCAL_DEFAULTS
from aremu.local.handlers import load_handler
from aremu.storage.schema import create_tables
from aremu.wiring import WEBHOOK_API
from bench.dynamodb_counter import DynamoDBRequestCounter
from bench.support import quiet_aws_environment
from tests.support import whatsapp as wa
from tests.support.lambda_events import FakeLambdaContext, http_api_event

TARGET = 3
CANDIDATES = 50
MESSAGES_EACH = 4


def main() -> None:
    quiet_aws_environment()
    with mock_aws():
        create_tables(boto3.client("dynamodb"), "aremu", "aremu-idempotency")
        runtime.reset()
        handler = load_handler(WEBHOOK_API)
        counter = DynamoDBRequestCounter()
        secret = LOCAL_DEFAULTS["WHATSAPP_APP_SECRET"]

        def post(phone: str, message_id: str) -> None:
            body = wa.dumps(wa.text_payload(phone, message_id, "sales rep in Lagos"))
            headers = {"X-Hub-Signature-256": sign(secret, body)}
            event = http_api_event("POST", "/whatsapp/webhook", body, headers=headers)
            assert handler(event, FakeLambdaContext())["statusCode"] == 200

        post("2340000000000", "wamid.warmup")
        counter.attach()
        first_contact: list[int] = []
        returning: list[int] = []
        for candidate in range(CANDIDATES):
            phone = f"23480{candidate:08d}"
            for index in range(MESSAGES_EACH):
                counter.reset()
                post(phone, f"wamid.{candidate}.{index}")
                (first_contact if index == 0 else returning).append(counter.total)
        counter.reset()
        post("2348000000001", "wamid.1.1")
        redelivery = counter.total

    result = {
        "bench": "webhook_dynamodb_requests",
        "first_contact_max": max(first_contact),
        "returning_max": max(returning),
        "redelivery": redelivery,
        "target": TARGET,
        "meets_target": max(first_contact + returning + [redelivery]) <= TARGET,
    }
    print(
        f"DynamoDB requests per inbound text: first contact {result['first_contact_max']}, "
        f"returning candidate {result['returning_max']}, redelivery {redelivery} "
        f"(target <= {TARGET})"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
