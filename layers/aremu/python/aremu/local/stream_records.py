"""DynamoDB stream records as Lambda receives them, and Lambda's event filtering over them."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from moto.events.models import EventPattern

LambdaRecord = dict[str, Any]


def to_lambda_record(raw: Mapping[str, Any], *, region: str, stream_arn: str) -> LambdaRecord:
    """Turn one boto3 `get_records` record into the record of a Lambda stream event.

    boto3 decodes binary attributes to bytes and the creation time to a datetime; Lambda
    sends base64 text and epoch seconds, so those are converted back.
    """
    stream = dict(raw["dynamodb"])
    created = stream.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        # AWS rounds this to the second but sends it as a float.
        stream["ApproximateCreationDateTime"] = float(int(created.timestamp()))
    record: LambdaRecord = {
        "eventID": raw["eventID"],
        "eventName": raw["eventName"],
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        # moto reports us-east-1 whatever the table's region.
        "awsRegion": region,
        "dynamodb": _jsonable(stream),
        "eventSourceARN": stream_arn,
    }
    if "userIdentity" in raw:
        record["userIdentity"] = _jsonable(raw["userIdentity"])
    return record


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    return value


class RecordFilter:
    """A Lambda event-source filter pattern, matched with moto's EventBridge matcher.

    Lambda filtering uses the EventBridge pattern language over the record as delivered.
    """

    def __init__(self, pattern: Mapping[str, Any]) -> None:
        self._pattern = EventPattern.load(json.dumps(pattern))

    def matches(self, record: LambdaRecord) -> bool:
        return bool(self._pattern.matches_event(record))


def sequence_number(record: LambdaRecord) -> str:
    return str(record["dynamodb"]["SequenceNumber"])
