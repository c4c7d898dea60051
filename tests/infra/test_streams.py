"""Stream consumers get filtered, partial-failure-aware event sources with a DLQ."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aremu.wiring import FUNCTIONS, TableStream
from tests.infra.synthesized import Synthesized

STREAMS = [(spec.name, stream) for spec in FUNCTIONS for stream in spec.streams()]
CASES = pytest.mark.parametrize(
    ("function_name", "stream"),
    STREAMS,
    ids=[f"{name}-{i}" for i, (name, _) in enumerate(STREAMS)],
)


def mapping_for(
    synthesized: Synthesized, function_name: str, stream: TableStream
) -> dict[str, Any]:
    function_id = synthesized.logical_id(synthesized.stack.functions.by_name[function_name])
    matches = [
        resource["Properties"]
        for resource in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if resource["Properties"]["FunctionName"] == {"Ref": function_id}
        and [json.loads(f["Pattern"]) for f in resource["Properties"]["FilterCriteria"]["Filters"]]
        == list(stream.filter_patterns)
    ]
    assert len(matches) == 1, f"expected one mapping for {function_name}, found {len(matches)}"
    mapping: dict[str, Any] = matches[0]
    return mapping


def test_the_wiring_has_a_stream_consumer() -> None:
    assert "Conversation" in [name for name, _ in STREAMS]


@CASES
def test_mapping_reads_the_main_table_stream_from_latest(
    synthesized: Synthesized, function_name: str, stream: TableStream
) -> None:
    table_id = synthesized.logical_id(synthesized.stack.data.table)

    mapping = mapping_for(synthesized, function_name, stream)

    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [table_id, "StreamArn"]}
    assert mapping["StartingPosition"] == "LATEST"


@CASES
def test_mapping_filters_with_the_wiring_pattern(
    synthesized: Synthesized, function_name: str, stream: TableStream
) -> None:
    mapping = mapping_for(synthesized, function_name, stream)

    patterns = [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]]

    assert patterns == list(stream.filter_patterns)


@CASES
def test_mapping_retries_and_bisects_as_the_wiring_says(
    synthesized: Synthesized, function_name: str, stream: TableStream
) -> None:
    mapping = mapping_for(synthesized, function_name, stream)

    assert mapping["BatchSize"] == stream.batch_size
    assert mapping["MaximumRetryAttempts"] == stream.retry_attempts
    assert mapping["BisectBatchOnFunctionError"] is stream.bisect_on_error


@CASES
def test_mapping_reports_batch_item_failures(
    synthesized: Synthesized, function_name: str, stream: TableStream
) -> None:
    mapping = mapping_for(synthesized, function_name, stream)

    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


@CASES
def test_failed_records_go_to_an_encrypted_ssl_only_queue(
    synthesized: Synthesized, function_name: str, stream: TableStream
) -> None:
    destination = mapping_for(synthesized, function_name, stream)["DestinationConfig"]["OnFailure"]
    queue_id = destination["Destination"]["Fn::GetAtt"][0]
    policies = synthesized.of_type("AWS::SQS::QueuePolicy").values()

    queue = synthesized.resources[queue_id]
    queue_policy = next(p for p in policies if {"Ref": queue_id} in p["Properties"]["Queues"])

    assert queue["Type"] == "AWS::SQS::Queue"
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    assert {
        "Effect": "Deny",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }.items() <= queue_policy["Properties"]["PolicyDocument"]["Statement"][0].items()
