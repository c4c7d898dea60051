"""moto in-process for AWS, and a fake Graph API at the HTTP boundary."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
import responses
from moto import mock_aws

from aremu import runtime
from aremu.credentials import LOCAL_DEFAULTS
from aremu.storage.schema import create_tables
from tests.support.bus import tap_bus
from tests.support.lambda_events import FakeLambdaContext

GRAPH_BASE_URL = "https://graph.test"
MESSAGES_URL = re.compile(rf"{GRAPH_BASE_URL}/v\d+\.\d+/\d+/messages")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AREMU_GRAPH_API_BASE_URL", GRAPH_BASE_URL)
    for name, value in LOCAL_DEFAULTS.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        create_tables(boto3.client("dynamodb"), "aremu", "aremu-idempotency")
        outbox_url = boto3.client("sqs").create_queue(QueueName="aremu-outbox")["QueueUrl"]
        monkeypatch.setenv("AREMU_QUEUE_URL_OUTBOX", outbox_url)
        runtime.reset()
        yield
    runtime.reset()


@dataclass
class FakeGraphApi:
    """Answers like Meta's /messages endpoint and records every body it was sent."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    fail_with: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def replies(self) -> list[dict[str, Any]]:
        return [body for body in self.bodies if body.get("status") != "read"]

    def read_receipts(self) -> list[dict[str, Any]]:
        return [body for body in self.bodies if body.get("status") == "read"]

    def answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        self.bodies.append(body)
        if self.fail_with and body.get("status") != "read":
            status, error = self.fail_with.pop(0)
            return status, {}, json.dumps(error)
        if body.get("status") == "read":
            return 200, {}, json.dumps({"success": True})
        self.delivered.append(body)
        message_id = f"wamid.OUT{len(self.bodies)}"
        return 200, {}, json.dumps({"messages": [{"id": message_id}]})


@pytest.fixture
def graph(aws: None) -> Iterator[FakeGraphApi]:
    fake = FakeGraphApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, MESSAGES_URL, callback=fake.answer)
        yield fake


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


@pytest.fixture
def bus_queue(aws: None) -> str:
    """An SQS queue receiving every event on the Aremu bus (`tests.support.bus.published`)."""
    return tap_bus()
