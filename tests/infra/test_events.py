"""The Aremu bus: archived, published to by EVENTS_PUT functions, routed by `BusRule`s."""

from __future__ import annotations

import json
from typing import Any

from aremu import names
from aremu.wiring import DOMAIN_EVENT_ITEMS, EVENTS_PUBLISHER, FunctionSpec
from tests.infra import fake_wiring
from tests.infra.policies import actions_on, function_statements, touches
from tests.infra.synthesized import Synthesized

STREAM_READ_ACTIONS = {"dynamodb:GetRecords", "dynamodb:GetShardIterator"}


def bus_id(synthesized: Synthesized) -> str:
    return synthesized.logical_id(synthesized.stack.events.bus)


def archives_of_the_bus(synthesized: Synthesized) -> list[dict[str, Any]]:
    return [
        archive["Properties"]
        for archive in synthesized.of_type("AWS::Events::Archive").values()
        if archive["Properties"]["SourceArn"] == {"Fn::GetAtt": [bus_id(synthesized), "Arn"]}
    ]


def rule_for(synthesized: Synthesized, spec: FunctionSpec) -> dict[str, Any]:
    function_id = synthesized.logical_id(synthesized.stack.functions.by_name[spec.name])
    matches = [
        rule["Properties"]
        for rule in synthesized.of_type("AWS::Events::Rule").values()
        if any(
            target["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
            for target in rule["Properties"]["Targets"]
        )
    ]
    assert len(matches) == 1, f"expected one rule for {spec.name}, found {len(matches)}"
    rule: dict[str, Any] = matches[0]
    return rule


def publisher_stream_patterns(synthesized: Synthesized) -> list[dict[str, Any]]:
    function_id = synthesized.logical_id(synthesized.stack.functions.by_name[EVENTS_PUBLISHER.name])
    return [
        json.loads(f["Pattern"])
        for mapping in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if mapping["Properties"]["FunctionName"] == {"Ref": function_id}
        for f in mapping["Properties"]["FilterCriteria"]["Filters"]
    ]


def test_bus_has_the_name_the_code_publishes_to(synthesized: Synthesized) -> None:
    props = synthesized.properties(synthesized.stack.events.bus)

    assert props["Name"] == names.EVENT_BUS_NAME


def test_bus_archives_aremu_events_for_a_month(synthesized: Synthesized) -> None:
    archives = archives_of_the_bus(synthesized)

    assert len(archives) == 1
    assert archives[0]["EventPattern"] == {"source": [names.EVENT_SOURCE]}
    assert archives[0]["RetentionDays"] >= 30


def test_archive_and_bus_arns_are_outputs_for_replay(synthesized: Synthesized) -> None:
    events = synthesized.stack.events
    archive_output = synthesized.outputs[synthesized.logical_id(events.archive_output)]
    bus_output = synthesized.outputs[synthesized.logical_id(events.bus_arn_output)]

    assert archive_output["Value"] == {
        "Fn::GetAtt": [synthesized.logical_id(events.archive), "Arn"]
    }
    assert bus_output["Value"] == {"Fn::GetAtt": [bus_id(synthesized), "Arn"]}


def test_events_publisher_can_put_events_on_the_bus(synthesized: Synthesized) -> None:
    statements = function_statements(synthesized, EVENTS_PUBLISHER.name)

    assert "events:PutEvents" in actions_on(statements, bus_id(synthesized))


def test_events_publisher_reads_the_table_stream_and_nothing_else_of_the_tables(
    synthesized: Synthesized,
) -> None:
    data = synthesized.stack.data
    table_id = synthesized.logical_id(data.table)
    statements = function_statements(synthesized, EVENTS_PUBLISHER.name)

    assert actions_on(statements, table_id, "StreamArn") >= STREAM_READ_ACTIONS
    assert actions_on(statements, table_id, "Arn") == set()
    assert not touches(statements, synthesized.logical_id(data.idempotency_table))
    assert not touches(statements, synthesized.logical_id(synthesized.stack.secrets.secret))


def test_events_publisher_sees_only_inserted_messages_and_transitions(
    synthesized: Synthesized,
) -> None:
    patterns = publisher_stream_patterns(synthesized)

    assert patterns == [DOMAIN_EVENT_ITEMS]
    assert patterns[0]["eventName"] == ["INSERT"]
    assert sorted(patterns[0]["dynamodb"]["NewImage"]["kind"]["S"]) == [
        "event",
        "message",
        "transition",
    ]


def test_bus_rule_matches_aremu_events_of_its_detail_types(
    fake_synthesized: Synthesized,
) -> None:
    rule = rule_for(fake_synthesized, fake_wiring.OUTBOX_SENDER)

    assert rule["EventBusName"] == {"Ref": bus_id(fake_synthesized)}
    assert rule["EventPattern"] == {
        "source": [names.EVENT_SOURCE],
        "detail-type": list(fake_wiring.RULE.detail_types),
    }


def test_bus_rule_target_retries_then_dead_letters(fake_synthesized: Synthesized) -> None:
    (target,) = rule_for(fake_synthesized, fake_wiring.OUTBOX_SENDER)["Targets"]
    queue_id = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]

    assert fake_synthesized.resources[queue_id]["Type"] == "AWS::SQS::Queue"
    assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
    assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] > 0


def test_bus_rule_dead_letter_queue_accepts_only_its_rule(fake_synthesized: Synthesized) -> None:
    rule_id = fake_synthesized.logical_id(
        fake_synthesized.stack.events.rules[fake_wiring.OUTBOX_SENDER.name][0]
    )
    (target,) = rule_for(fake_synthesized, fake_wiring.OUTBOX_SENDER)["Targets"]
    queue_id = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]

    statements = [
        statement
        for policy in fake_synthesized.of_type("AWS::SQS::QueuePolicy").values()
        if {"Ref": queue_id} in policy["Properties"]["Queues"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow"
    ]

    assert [s["Principal"] for s in statements] == [{"Service": "events.amazonaws.com"}]
    assert statements[0]["Condition"] == {
        "ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [rule_id, "Arn"]}}
    }


def test_function_invoked_by_a_rule_keeps_its_failed_invocations(
    fake_synthesized: Synthesized,
) -> None:
    function_id = fake_synthesized.logical_id(
        fake_synthesized.stack.functions.by_name[fake_wiring.OUTBOX_SENDER.name]
    )

    (config,) = [
        c["Properties"]
        for c in fake_synthesized.of_type("AWS::Lambda::EventInvokeConfig").values()
        if c["Properties"]["FunctionName"] == {"Ref": function_id}
    ]

    queue_id = config["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    assert fake_synthesized.resources[queue_id]["Type"] == "AWS::SQS::Queue"
