"""Queues from `QUEUES`: dead-lettered, encrypted, sent to by OUTBOX_SEND, drained by sources."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from aremu.wiring import FunctionSpec
from infra.cdk.constructs.queues import queue_source_problems, queue_url_variable
from tests.infra import fake_wiring
from tests.infra.fake_wiring import OUTBOX, OUTBOX_CONSUMER, OUTBOX_SENDER
from tests.infra.policies import actions_on, function_statements
from tests.infra.synthesized import Synthesized


def outbox_id(synthesized: Synthesized) -> str:
    return synthesized.logical_id(synthesized.stack.queues.queues[OUTBOX.name])


def outbox(synthesized: Synthesized) -> dict[str, Any]:
    props: dict[str, Any] = synthesized.resources[outbox_id(synthesized)]["Properties"]
    return props


def consumer_mapping(synthesized: Synthesized) -> dict[str, Any]:
    function_id = synthesized.logical_id(synthesized.stack.functions.by_name[OUTBOX_CONSUMER.name])
    mappings: list[dict[str, Any]] = [
        m["Properties"]
        for m in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": function_id}
    ]
    assert len(mappings) == 1
    return mappings[0]


def environment(synthesized: Synthesized, spec: FunctionSpec) -> dict[str, Any]:
    props = synthesized.properties(synthesized.stack.functions.by_name[spec.name])
    variables: dict[str, Any] = props["Environment"]["Variables"]
    return variables


def test_queue_url_variable_is_prefixed_upper_snake_case() -> None:
    assert queue_url_variable("outbox") == "AREMU_QUEUE_URL_OUTBOX"
    assert queue_url_variable("job-alerts") == "AREMU_QUEUE_URL_JOB_ALERTS"


def test_queue_moves_repeatedly_failed_messages_to_its_dead_letter_queue(
    fake_synthesized: Synthesized,
) -> None:
    redrive = outbox(fake_synthesized)["RedrivePolicy"]
    dead_letters = fake_synthesized.stack.queues.dead_letter_queues[OUTBOX.name]

    assert redrive == {
        "deadLetterTargetArn": {"Fn::GetAtt": [fake_synthesized.logical_id(dead_letters), "Arn"]},
        "maxReceiveCount": OUTBOX.max_receive_count,
    }


def test_queue_hides_messages_for_the_wiring_visibility_timeout(
    fake_synthesized: Synthesized,
) -> None:
    assert outbox(fake_synthesized)["VisibilityTimeout"] == OUTBOX.visibility_timeout_seconds


@pytest.mark.parametrize("which", ["queue", "dead letters"])
def test_queue_and_its_dead_letters_are_encrypted_and_ssl_only(
    fake_synthesized: Synthesized, which: str
) -> None:
    construct = (
        fake_synthesized.stack.queues.queues[OUTBOX.name]
        if which == "queue"
        else fake_synthesized.stack.queues.dead_letter_queues[OUTBOX.name]
    )
    queue_id = fake_synthesized.logical_id(construct)
    policies = fake_synthesized.of_type("AWS::SQS::QueuePolicy").values()

    queue_policy = next(p for p in policies if {"Ref": queue_id} in p["Properties"]["Queues"])

    assert fake_synthesized.resources[queue_id]["Properties"]["SqsManagedSseEnabled"] is True
    assert {
        "Effect": "Deny",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }.items() <= queue_policy["Properties"]["PolicyDocument"]["Statement"][0].items()


def test_consumer_drains_the_queue_with_the_wiring_batch_and_concurrency(
    fake_synthesized: Synthesized,
) -> None:
    mapping = consumer_mapping(fake_synthesized)

    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [outbox_id(fake_synthesized), "Arn"]}
    assert mapping["BatchSize"] == fake_wiring.QUEUE_SOURCE.batch_size
    assert mapping["ScalingConfig"] == {
        "MaximumConcurrency": fake_wiring.QUEUE_SOURCE.max_concurrency
    }


def test_consumer_reports_batch_item_failures(fake_synthesized: Synthesized) -> None:
    mapping = consumer_mapping(fake_synthesized)

    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_consumer_may_receive_and_delete_but_not_send(fake_synthesized: Synthesized) -> None:
    statements = function_statements(fake_synthesized, OUTBOX_CONSUMER.name)

    actions = actions_on(statements, outbox_id(fake_synthesized))

    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage"} <= actions
    assert "sqs:SendMessage" not in actions


def test_outbox_sender_may_send_but_not_receive(fake_synthesized: Synthesized) -> None:
    statements = function_statements(fake_synthesized, OUTBOX_SENDER.name)

    actions = actions_on(statements, outbox_id(fake_synthesized))

    assert "sqs:SendMessage" in actions
    assert "sqs:ReceiveMessage" not in actions


@pytest.mark.parametrize(
    "spec",
    fake_wiring.SPECS,
    ids=lambda spec: spec.name,
)
def test_queue_url_is_given_to_its_senders_and_consumers_only(
    fake_synthesized: Synthesized, spec: FunctionSpec
) -> None:
    variables = environment(fake_synthesized, spec)

    has_url = queue_url_variable(OUTBOX.name) in variables

    assert has_url is (spec in (OUTBOX_SENDER, OUTBOX_CONSUMER))
    if has_url:
        assert variables[queue_url_variable(OUTBOX.name)] == {"Ref": outbox_id(fake_synthesized)}


def test_a_consumer_of_an_undeclared_queue_is_reported() -> None:
    problems = queue_source_problems([OUTBOX_CONSUMER], queues=[])

    assert problems == ["OutboxConsumer: queue 'outbox' is not in QUEUES"]


def test_a_queue_hiding_messages_for_less_than_its_consumer_runs_is_reported() -> None:
    slow = replace(OUTBOX_CONSUMER, timeout_seconds=OUTBOX.visibility_timeout_seconds + 1)

    problems = queue_source_problems([slow], queues=[OUTBOX])

    assert len(problems) == 1
    assert "less than the" in problems[0]


def test_the_fake_wiring_queues_have_no_problems() -> None:
    assert queue_source_problems(fake_wiring.SPECS, fake_wiring.QUEUES) == []
