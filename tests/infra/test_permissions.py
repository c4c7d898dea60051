"""Each function's role grants what its access list says, and nothing more."""

from __future__ import annotations

from typing import Any

import pytest

from aremu.wiring import FUNCTIONS, WEBHOOK_API, Access, FunctionSpec
from infra.cdk.constructs.functions import access_grants
from tests.infra.synthesized import Synthesized

SPECS = pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)

WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
READ_ACTIONS = {"dynamodb:GetItem", "dynamodb:Query"}


def targets(node: Any) -> set[tuple[str, str]]:
    """Every (logical id, attribute) a policy fragment points at; a Ref counts as "Ref"."""
    if isinstance(node, dict):
        if "Ref" in node:
            return {(node["Ref"], "Ref")}
        if "Fn::GetAtt" in node:
            logical_id, attribute = node["Fn::GetAtt"]
            return {(logical_id, attribute)}
        return set().union(*(targets(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(targets(item) for item in node))
    return set()


def statements_of(synthesized: Synthesized, spec: FunctionSpec) -> list[dict[str, Any]]:
    role_id = synthesized.logical_id(synthesized.stack.functions.roles[spec.name])
    return [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def actions_on(
    synthesized: Synthesized, spec: FunctionSpec, logical_id: str, attribute: str
) -> set[str]:
    actions: set[str] = set()
    for statement in statements_of(synthesized, spec):
        if (logical_id, attribute) in targets(statement["Resource"]):
            action = statement["Action"]
            actions |= {action} if isinstance(action, str) else set(action)
    return actions


def touches(synthesized: Synthesized, spec: FunctionSpec, logical_id: str) -> bool:
    return any(
        logical_id in {target for target, _ in targets(statement["Resource"])}
        for statement in statements_of(synthesized, spec)
    )


def test_every_access_kind_has_a_grant(synthesized: Synthesized) -> None:
    grants = access_grants(synthesized.stack.data, synthesized.stack.secrets)

    assert set(grants) == set(Access)


def test_webhook_api_role_has_no_idempotency_table_permission(synthesized: Synthesized) -> None:
    idempotency_id = synthesized.logical_id(synthesized.stack.data.idempotency_table)

    assert not touches(synthesized, WEBHOOK_API, idempotency_id)


@SPECS
def test_role_reaches_idempotency_table_only_with_idempotency_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    idempotency_id = synthesized.logical_id(synthesized.stack.data.idempotency_table)

    reaches = touches(synthesized, spec, idempotency_id)

    assert reaches is (Access.IDEMPOTENCY in spec.access)


@SPECS
def test_role_reads_channel_secret_only_with_secret_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    secret_id = synthesized.logical_id(synthesized.stack.secrets.secret)

    reaches = touches(synthesized, spec, secret_id)

    assert reaches is (Access.CHANNEL_SECRETS in spec.access)


@SPECS
def test_role_writes_main_table_only_with_write_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    table_id = synthesized.logical_id(synthesized.stack.data.table)

    writes = actions_on(synthesized, spec, table_id, "Arn") >= WRITE_ACTIONS

    assert writes is (Access.TABLE_WRITE in spec.access)
    if Access.TABLE_WRITE not in spec.access:
        assert not WRITE_ACTIONS & actions_on(synthesized, spec, table_id, "Arn")


@SPECS
def test_role_reads_main_table_only_with_read_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    table_id = synthesized.logical_id(synthesized.stack.data.table)

    reads = actions_on(synthesized, spec, table_id, "Arn") >= READ_ACTIONS

    assert reads is (Access.TABLE_READ in spec.access)
    if Access.TABLE_READ not in spec.access:
        assert not READ_ACTIONS & actions_on(synthesized, spec, table_id, "Arn")


@SPECS
def test_role_reads_the_table_stream_only_for_stream_consumers(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    table_id = synthesized.logical_id(synthesized.stack.data.table)

    stream_actions = actions_on(synthesized, spec, table_id, "StreamArn")

    assert bool(stream_actions) is bool(spec.streams())


@SPECS
def test_role_writes_only_to_its_own_log_group(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    function_props = synthesized.properties(synthesized.stack.functions.by_name[spec.name])
    own_log_group = function_props["LoggingConfig"]["LogGroup"]["Ref"]

    log_groups = {
        target
        for statement in statements_of(synthesized, spec)
        if any(str(action).startswith("logs:") for action in statement["Action"])
        for target, _ in targets(statement["Resource"])
    }

    assert log_groups == {own_log_group}


@SPECS
def test_role_has_no_managed_policies(synthesized: Synthesized, spec: FunctionSpec) -> None:
    role = synthesized.properties(synthesized.stack.functions.roles[spec.name])

    assert "ManagedPolicyArns" not in role
