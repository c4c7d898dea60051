"""The stream pump against moto in server mode, with throwaway consumers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from aremu.local.aws import LocalAws
from aremu.local.handlers import LambdaHandler
from aremu.local.pump import StreamPump, StreamReader
from aremu.wiring import FunctionSpec

from .fakes import Recorder, bind, note_spec

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    local = LocalAws(region=REGION)
    local.start()
    yield local
    local.stop()


@dataclass
class Table:
    aws: LocalAws
    name: str
    stream_arn: str

    def put(self, pk: str, kind: str = "note", **extra: dict[str, Any]) -> None:
        item = {"pk": {"S": pk}, "sk": {"S": "A"}, "kind": {"S": kind}, **extra}
        self.aws.client("dynamodb").put_item(TableName=self.name, Item=item)

    def delete(self, pk: str) -> None:
        key = {"pk": {"S": pk}, "sk": {"S": "A"}}
        self.aws.client("dynamodb").delete_item(TableName=self.name, Key=key)

    def pump(self, *consumers: tuple[FunctionSpec, LambdaHandler]) -> StreamPump:
        reader = StreamReader(
            streams_client=self.aws.client("dynamodbstreams"),
            stream_arn=self.stream_arn,
            region=REGION,
        )
        return StreamPump(
            functions=[bind(spec, handler) for spec, handler in consumers], reader=reader
        )


@pytest.fixture
def table(aws: LocalAws) -> Table:
    name = f"t-{uuid.uuid4().hex[:8]}"
    return Table(aws, name, aws.create_tables(name, f"{name}-idempotency"))


def test_records_arrive_in_the_lambda_event_shape(table: Table) -> None:
    recorder = Recorder()
    pump = table.pump((note_spec(), recorder))
    table.put("N1", blob={"B": b"\x00\xff"})

    pump.drain()

    (record,) = recorder.batches[0]
    assert record["eventName"] == "INSERT"
    assert record["eventVersion"] == "1.1"
    assert record["eventSource"] == "aws:dynamodb"
    assert record["awsRegion"] == REGION
    assert record["eventSourceARN"] == table.stream_arn
    stream = record["dynamodb"]
    assert isinstance(stream["ApproximateCreationDateTime"], float)
    assert stream["Keys"] == {"pk": {"S": "N1"}, "sk": {"S": "A"}}
    assert stream["NewImage"]["blob"] == {"B": "AP8="}
    assert stream["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert stream["SequenceNumber"]


def test_the_filter_pattern_selects_on_the_nested_new_image(table: Table) -> None:
    recorder = Recorder()
    pump = table.pump((note_spec(), recorder))
    table.put("N1", kind="other")
    table.put("N2", kind="note")
    table.delete("N2")

    pump.drain()

    assert recorder.delivered_keys() == ["N2"]


def test_removals_carry_the_old_image(table: Table) -> None:
    recorder = Recorder()
    pump = table.pump((note_spec(filter_pattern={"eventName": ["REMOVE"]}), recorder))
    table.put("N1")
    table.delete("N1")

    pump.drain()

    (record,) = recorder.batches[0]
    assert record["dynamodb"]["OldImage"]["kind"] == {"S": "note"}
    assert "NewImage" not in record["dynamodb"]


def test_every_consumer_gets_every_matching_record(table: Table) -> None:
    first, second = Recorder(), Recorder()
    pump = table.pump((note_spec("First"), first), (note_spec("Second"), second))
    table.put("N1")
    pump.drain()
    table.put("N2")

    pump.drain()

    assert first.delivered_keys() == ["N1", "N2"]
    assert second.delivered_keys() == ["N1", "N2"]


def test_a_failing_consumer_does_not_hold_back_another(table: Table) -> None:
    def fail(records: list[dict[str, Any]]) -> None:
        raise RuntimeError("always")

    healthy = Recorder()
    pump = table.pump(
        (note_spec("Failing", retry_attempts=0), Recorder(respond=fail)),
        (note_spec("Healthy"), healthy),
    )
    table.put("N1")
    table.put("N2")

    summary = pump.drain()

    assert healthy.delivered_keys() == ["N1", "N2"]
    assert summary["consumers"]["Failing"]["dead_lettered"] == 2


def test_a_drain_also_delivers_what_the_handlers_wrote(table: Table) -> None:
    def chain(records: list[dict[str, Any]]) -> None:
        for record in records:
            n = int(record["dynamodb"]["Keys"]["pk"]["S"][1:])
            if n < 3:
                table.put(f"N{n + 1}")

    recorder = Recorder(respond=chain)
    pump = table.pump((note_spec(), recorder))
    table.put("N1")

    summary = pump.drain()

    assert recorder.delivered_keys() == ["N1", "N2", "N3"]
    assert summary["settled"] is True
    assert summary["consumers"]["Notes"]["records_delivered"] == 3


def test_the_drain_summary_lists_dead_letters(table: Table) -> None:
    def fail(records: list[dict[str, Any]]) -> None:
        raise RuntimeError("always")

    pump = table.pump((note_spec(retry_attempts=1), Recorder(respond=fail)))
    table.put("N1")

    summary = pump.drain()

    (letter,) = summary["dead_lettered"]
    assert letter["function"] == "Notes"
    assert letter["eventName"] == "INSERT"
    assert letter["attempts"] == 2
    assert summary["consumers"]["Notes"]["invocations"] == 2


def test_a_cancelled_transaction_leaves_no_records_and_hides_no_later_ones(table: Table) -> None:
    recorder = Recorder()
    pump = table.pump((note_spec(), recorder))
    table.put("N1")
    pump.drain()
    note = {"pk": {"S": "N9"}, "sk": {"S": "A"}, "kind": {"S": "note"}}
    failing_check = {
        "TableName": table.name,
        "Key": {"pk": {"S": "N1"}, "sk": {"S": "A"}},
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    with pytest.raises(ClientError):
        table.aws.client("dynamodb").transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table.name, "Item": note}},
                {"ConditionCheck": failing_check},
            ]
        )

    table.put("N2")
    pump.drain()

    assert recorder.delivered_keys() == ["N1", "N2"]


def test_a_second_drain_delivers_nothing_again(table: Table) -> None:
    recorder = Recorder()
    pump = table.pump((note_spec(), recorder))
    table.put("N1")
    pump.drain()

    summary = pump.drain()

    assert summary["consumers"]["Notes"]["records_delivered"] == 0
    assert recorder.delivered_keys() == ["N1"]


def test_the_background_thread_delivers_without_a_drain(table: Table) -> None:
    recorder = Recorder()
    pump = table.pump((note_spec(), recorder))
    pump.start()
    try:
        table.put("N1")

        assert recorder.called.wait(timeout=10)
    finally:
        pump.stop()
    assert recorder.delivered_keys() == ["N1"]
