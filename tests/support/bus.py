"""The Aremu event bus in moto, tapped by an SQS queue so a test can read what was published."""

from __future__ import annotations

import json
from typing import Any

import boto3

from aremu.names import EVENT_BUS_NAME, EVENT_SOURCE


def tap_bus() -> str:
    """Create the bus and a queue receiving every Aremu event on it; the queue's URL."""
    events, sqs = boto3.client("events"), boto3.client("sqs")
    events.create_event_bus(Name=EVENT_BUS_NAME)
    queue_url: str = sqs.create_queue(QueueName="bus-tap")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    events.put_rule(
        Name="tap", EventBusName=EVENT_BUS_NAME, EventPattern=json.dumps({"source": [EVENT_SOURCE]})
    )
    events.put_targets(
        Rule="tap", EventBusName=EVENT_BUS_NAME, Targets=[{"Id": "q", "Arn": queue_arn}]
    )
    return queue_url


def published(queue_url: str) -> list[dict[str, Any]]:
    """Every event the tap has received since the last call, oldest first."""
    sqs = boto3.client("sqs")
    events: list[dict[str, Any]] = []
    while received := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        for message in received:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            events.append(json.loads(message["Body"]))
    return events
