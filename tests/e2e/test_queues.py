"""Queues, bus rules and schedules on the assembled stack, with throwaway functions."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests

from aremu import clock
from aremu.local.environment import LOCAL_AWS_KEY
from aremu.local.handlers import LambdaHandler
from aremu.local.stack import LocalStack
from aremu.wiring import FunctionSpec

from .fakes import (
    LETTERS,
    EventRecorder,
    QueueRecorder,
    Recorder,
    note_spec,
    queue_spec,
    rule_spec,
    schedule_spec,
)

REGION = "eu-west-1"
LETTERS_FUNCTION = queue_spec("Letters", LETTERS.name, batch_size=5)
FORWARDER = note_spec("Forwarder")
AT_RISK = rule_spec("AtRisk", "CandidateAtRisk")
TICKER = schedule_spec("Ticker", "rate(1 hour)", {"task": "tick"})


class Running:
    def __init__(self, stack: LocalStack, environ: dict[str, str]) -> None:
        self.stack = stack
        self.environ = environ
        self.letters = QueueRecorder()
        self.forwarded = Recorder(respond=self._forward)
        self.at_risk = EventRecorder()
        self.ticks = EventRecorder()
        self.http = requests.Session()

    def client(self, service: str) -> Any:
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.stack.aws_endpoint_url,
            region_name=REGION,
            aws_access_key_id=LOCAL_AWS_KEY,
            aws_secret_access_key=LOCAL_AWS_KEY,
        )

    @property
    def queue_url(self) -> str:
        return self.environ["AREMU_QUEUE_URL_LETTERS"]

    def send(self, *bodies: str, **attributes: str) -> None:
        """One SendMessageBatch, so that the bodies arrive together in one batch."""
        entries = [
            {
                "Id": str(index),
                "MessageBody": body,
                "MessageAttributes": {
                    name: {"DataType": "String", "StringValue": value}
                    for name, value in attributes.items()
                },
            }
            for index, body in enumerate(bodies)
        ]
        self.client("sqs").send_message_batch(QueueUrl=self.queue_url, Entries=entries)

    def drain(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.http.post(f"{self.stack.base_url}/sandbox/drain").json()
        return answer

    def dlq_bodies(self) -> list[str]:
        page = self.client("sqs").receive_message(
            QueueUrl=self.stack.queues[LETTERS.name].dlq_url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=0,
        )
        return [message["Body"] for message in page.get("Messages", [])]

    def _forward(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            pk = record["dynamodb"]["Keys"]["pk"]["S"]
            self.client("sqs").send_message(QueueUrl=self.queue_url, MessageBody=f"from:{pk}")


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    handlers: dict[str, LambdaHandler] = {}

    def load(spec: FunctionSpec) -> LambdaHandler:
        # Extra containers are named "<function>-<n>"; they share the one fake.
        return handlers[spec.name.split("-")[0]]

    environ: dict[str, str] = {}
    stack = LocalStack(
        port=0,
        functions=(LETTERS_FUNCTION, FORWARDER, AT_RISK, TICKER),
        queues=(LETTERS,),
        load=load,
        environ=environ,
    )
    state = Running(stack, environ)
    handlers.update(
        Letters=state.letters,
        Forwarder=state.forwarded,
        AtRisk=state.at_risk,
        Ticker=state.ticks,
    )
    stack.start()
    yield state
    stack.stop()
    clock.reset()


def tag() -> str:
    return uuid.uuid4().hex[:8]


def test_each_queue_gets_a_dlq_and_its_url_in_the_environment(running: Running) -> None:
    attributes = running.client("sqs").get_queue_attributes(
        QueueUrl=running.queue_url, AttributeNames=["RedrivePolicy"]
    )["Attributes"]

    redrive = json.loads(attributes["RedrivePolicy"])
    assert running.queue_url == running.stack.queues["letters"].url
    assert running.queue_url.endswith("/aremu-letters")
    assert redrive["deadLetterTargetArn"] == running.stack.queues["letters"].dlq_arn
    assert int(redrive["maxReceiveCount"]) == LETTERS.max_receive_count


def test_a_queue_message_reaches_its_consumer_as_a_lambda_sqs_record(running: Running) -> None:
    body = f"hello:{tag()}"
    running.send(body, kind="alert")

    running.drain()

    (record,) = running.letters.records_with(body)
    assert record["messageId"] and record["receiptHandle"]
    assert record["md5OfBody"] == hashlib.md5(body.encode()).hexdigest()  # noqa: S324
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["kind"] == {
        "stringValue": "alert",
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "String",
    }
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == running.stack.queues["letters"].arn
    assert record["awsRegion"] == REGION


def test_reported_failures_come_back_until_the_dlq_and_successes_are_deleted(
    running: Running,
) -> None:
    ok, failing = f"ok:{tag()}", f"fail:{tag()}"
    running.send(ok, failing)

    summary = running.drain()

    assert len(running.letters.records_with(ok)) == 1
    counts = [
        r["attributes"]["ApproximateReceiveCount"] for r in running.letters.records_with(failing)
    ]
    assert counts == ["1", "2", "3"]
    assert failing in running.dlq_bodies()
    assert summary["settled"] is True
    assert any(letter.get("queue") == "aremu-letters" for letter in summary["dead_lettered"])


def test_a_raised_exception_fails_the_whole_batch(running: Running) -> None:
    flaky, bystander = f"raise-once:{tag()}", f"ok:{tag()}"
    running.send(flaky, bystander)

    running.drain()

    assert len(running.letters.records_with(flaky)) == 2
    assert len(running.letters.records_with(bystander)) == 2


def test_batches_of_a_queue_run_one_at_a_time_within_its_size(running: Running) -> None:
    bodies = [f"ok:{tag()}" for _ in range(8)]
    running.send(*bodies)

    running.drain()

    batches = [e for e in running.letters.events if e["Records"][0]["body"] in bodies]
    assert running.letters.max_active == 1
    assert all(
        len(batch["Records"]) <= LETTERS_FUNCTION.queues()[0].batch_size for batch in batches
    )


def test_a_drain_also_delivers_what_a_stream_consumer_queued(running: Running) -> None:
    pk = f"NOTE-{tag()}"
    running.client("dynamodb").put_item(
        TableName="aremu", Item={"pk": {"S": pk}, "sk": {"S": "A"}, "kind": {"S": "note"}}
    )

    running.drain()

    assert len(running.letters.records_with(f"from:{pk}")) == 1


def put_event(running: Running, detail_type: str, detail: dict[str, Any]) -> None:
    running.client("events").put_events(
        Entries=[
            {
                "Source": "aremu",
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
                "EventBusName": "aremu",
            }
        ]
    )


def test_bus_events_a_rule_matches_reach_the_function_as_eventbridge_events(
    running: Running,
) -> None:
    candidate = tag()
    put_event(running, "CandidateAtRisk", {"candidateId": candidate, "riskScore": 0.8})
    put_event(running, "MessageSent", {"candidateId": candidate})

    running.drain()

    (event,) = running.at_risk.with_detail("candidateId", candidate)
    assert event["detail-type"] == "CandidateAtRisk"
    assert event["source"] == "aremu"
    assert event["detail"] == {"candidateId": candidate, "riskScore": 0.8}
    assert {"version", "id", "account", "time", "region", "resources"} <= set(event)


def test_a_failing_rule_target_is_retried_then_parked(running: Running) -> None:
    candidate = tag()
    put_event(running, "CandidateAtRisk", {"candidateId": candidate, "fail": True})

    summary = running.drain()

    assert len(running.at_risk.with_detail("candidateId", candidate)) == 3
    assert any(letter["function"] == "AtRisk" for letter in summary["dead_lettered"])


def test_a_schedule_runs_with_its_payload_when_the_clock_passes_its_time(
    running: Running,
) -> None:
    before = len(running.ticks.events)

    answer = running.http.post(
        f"{running.stack.base_url}/sandbox/clock", json={"advance_seconds": 3600}
    ).json()

    assert answer["ran"]["schedules"]["Ticker"]["runs"] == 1
    assert running.ticks.events[before:] == [{"task": "tick"}]


def test_schedules_are_listed_with_their_next_run(running: Running) -> None:
    listed = running.http.get(f"{running.stack.base_url}/sandbox/schedules").json()

    assert listed["Ticker"]["expression"] == "rate(1 hour)"
    assert "next_due" in listed["Ticker"]
