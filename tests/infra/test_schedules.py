"""The Aremu schedule group: recurring `ScheduleRate`s, and one-time schedules at run time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aremu import names
from aremu.wiring import Access, FunctionSpec
from infra.cdk.constructs.schedules import MANAGE_SCHEDULE_ACTIONS
from tests.infra import fake_wiring
from tests.infra.fake_wiring import TICKER
from tests.infra.policies import actions_of, function_statements, role_statements, targets
from tests.infra.synthesized import Synthesized

SCHEDULE_ENVIRONMENT = {
    "AREMU_SCHEDULE_GROUP_NAME",
    "AREMU_SCHEDULER_ROLE_ARN",
    "AREMU_SCHEDULER_DEAD_LETTER_ARN",
}


def ticker_schedule(synthesized: Synthesized) -> dict[str, Any]:
    (schedule,) = synthesized.stack.schedules.schedules[TICKER.name]
    return synthesized.properties(schedule)


def function_id(synthesized: Synthesized, spec: FunctionSpec) -> str:
    return synthesized.logical_id(synthesized.stack.functions.by_name[spec.name])


def scheduler_trust(synthesized: Synthesized, role: Any) -> dict[str, Any]:
    (statement,) = synthesized.properties(role)["AssumeRolePolicyDocument"]["Statement"]
    trust: dict[str, Any] = statement
    return trust


def test_schedule_group_has_the_name_the_code_uses(fake_synthesized: Synthesized) -> None:
    props = fake_synthesized.properties(fake_synthesized.stack.schedules.group)

    assert props["Name"] == names.SCHEDULE_GROUP_NAME


def test_rate_schedule_runs_in_the_group_on_the_wiring_expression(
    fake_synthesized: Synthesized,
) -> None:
    schedule = ticker_schedule(fake_synthesized)

    assert schedule["GroupName"] == names.SCHEDULE_GROUP_NAME
    assert schedule["ScheduleExpression"] == fake_wiring.RATE.expression
    assert schedule["State"] == "ENABLED"


def test_rate_schedule_invokes_its_function_with_the_wiring_payload(
    fake_synthesized: Synthesized,
) -> None:
    target = ticker_schedule(fake_synthesized)["Target"]

    assert target["Arn"] == {"Fn::GetAtt": [function_id(fake_synthesized, TICKER), "Arn"]}
    assert json.loads(target["Input"]) == fake_wiring.RATE.payload


def test_rate_schedule_role_may_invoke_only_its_function(fake_synthesized: Synthesized) -> None:
    role = fake_synthesized.stack.schedules.invoke_roles[TICKER.name]
    target = ticker_schedule(fake_synthesized)["Target"]

    statements = role_statements(fake_synthesized, role)
    invoking = [s for s in statements if "lambda:InvokeFunction" in actions_of(s)]
    others = [s for s in statements if s not in invoking]

    assert target["RoleArn"] == {"Fn::GetAtt": [fake_synthesized.logical_id(role), "Arn"]}
    assert {a for s in invoking for a in actions_of(s)} == {"lambda:InvokeFunction"}
    assert {t for s in invoking for t, _ in targets(s["Resource"])} == {
        function_id(fake_synthesized, TICKER)
    }
    # Besides invoking, only parking what it could not deliver.
    queue_id = fake_synthesized.logical_id(fake_synthesized.stack.schedules.dead_letter_queue)
    assert {t for s in others for t, _ in targets(s["Resource"])} == {queue_id}


@pytest.mark.parametrize("role_kind", ["invoke", "one-time"])
def test_scheduler_roles_trust_only_schedules_of_the_aremu_group(
    fake_synthesized: Synthesized, role_kind: str
) -> None:
    schedules = fake_synthesized.stack.schedules
    role = schedules.invoke_roles[TICKER.name] if role_kind == "invoke" else schedules.one_time_role
    group_id = fake_synthesized.logical_id(schedules.group)

    trust = scheduler_trust(fake_synthesized, role)

    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceArn"] == {"Fn::GetAtt": [group_id, "Arn"]}
    assert "aws:SourceAccount" in trust["Condition"]["StringEquals"]


def test_scheduled_function_keeps_its_failed_invocations(fake_synthesized: Synthesized) -> None:
    configs = [
        c["Properties"]
        for c in fake_synthesized.of_type("AWS::Lambda::EventInvokeConfig").values()
        if c["Properties"]["FunctionName"] == {"Ref": function_id(fake_synthesized, TICKER)}
    ]

    assert [
        c["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][1] for c in configs
    ] == ["Arn"]


def test_schedules_access_manages_schedules_in_the_aremu_group_only(
    fake_synthesized: Synthesized,
) -> None:
    statements = function_statements(fake_synthesized, TICKER.name)

    (statement,) = [s for s in statements if actions_of(s) & set(MANAGE_SCHEDULE_ACTIONS)]

    assert actions_of(statement) == set(MANAGE_SCHEDULE_ACTIONS)
    parts = statement["Resource"]["Fn::Join"][1]
    assert parts[-1] == f":schedule/{names.SCHEDULE_GROUP_NAME}/*"


def test_schedules_access_passes_only_the_one_time_role_only_to_the_scheduler(
    fake_synthesized: Synthesized,
) -> None:
    role_id = fake_synthesized.logical_id(fake_synthesized.stack.schedules.one_time_role)
    statements = function_statements(fake_synthesized, TICKER.name)

    (statement,) = [s for s in statements if "iam:PassRole" in actions_of(s)]

    assert statement["Resource"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert statement["Condition"] == {
        "StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}
    }


@pytest.mark.parametrize("spec", fake_wiring.SPECS, ids=lambda spec: spec.name)
def test_schedule_settings_and_permissions_go_only_to_schedules_access(
    fake_synthesized: Synthesized, spec: FunctionSpec
) -> None:
    props = fake_synthesized.properties(fake_synthesized.stack.functions.by_name[spec.name])
    actions = {a for s in function_statements(fake_synthesized, spec.name) for a in actions_of(s)}

    wants = Access.SCHEDULES in spec.access

    assert (set(props["Environment"]["Variables"]) >= SCHEDULE_ENVIRONMENT) is wants
    assert bool(actions & {*MANAGE_SCHEDULE_ACTIONS, "iam:PassRole"}) is wants


def test_schedule_settings_name_the_group_and_the_one_time_role(
    fake_synthesized: Synthesized,
) -> None:
    role_id = fake_synthesized.logical_id(fake_synthesized.stack.schedules.one_time_role)
    props = fake_synthesized.properties(fake_synthesized.stack.functions.by_name[TICKER.name])

    variables = props["Environment"]["Variables"]

    assert variables["AREMU_SCHEDULE_GROUP_NAME"] == names.SCHEDULE_GROUP_NAME
    assert variables["AREMU_SCHEDULER_ROLE_ARN"] == {"Fn::GetAtt": [role_id, "Arn"]}


def test_rate_schedule_parks_undelivered_invocations_in_the_schedules_dlq(
    fake_synthesized: Synthesized,
) -> None:
    target = ticker_schedule(fake_synthesized)["Target"]

    queue = fake_synthesized.stack.schedules.dead_letter_queue
    assert target["DeadLetterConfig"]["Arn"] == {
        "Fn::GetAtt": [fake_synthesized.logical_id(queue), "Arn"]
    }


def test_one_time_schedules_may_send_to_the_schedules_dlq(fake_synthesized: Synthesized) -> None:
    role = fake_synthesized.stack.schedules.one_time_role
    queue_id = fake_synthesized.logical_id(fake_synthesized.stack.schedules.dead_letter_queue)

    sends = [
        s for s in role_statements(fake_synthesized, role) if "sqs:SendMessage" in actions_of(s)
    ]
    assert any(queue_id in json.dumps(s["Resource"]) for s in sends)


def test_schedules_dlq_is_alarmed(fake_synthesized: Synthesized) -> None:
    queue_id = fake_synthesized.logical_id(fake_synthesized.stack.schedules.dead_letter_queue)

    alarms = fake_synthesized.of_type("AWS::CloudWatch::Alarm").values()
    assert any(queue_id in json.dumps(alarm["Properties"]) for alarm in alarms)
