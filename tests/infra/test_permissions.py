"""Each function's role grants what its access list says, and nothing more."""

from __future__ import annotations

import pytest

from aremu.wiring import FUNCTIONS, WEBHOOK_API, Access, FunctionSpec
from infra.cdk.constructs.functions import ungranted_access
from tests.infra.policies import actions_on, function_statements, targets, touches
from tests.infra.synthesized import Synthesized

SPECS = pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)

WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
READ_ACTIONS = {"dynamodb:GetItem", "dynamodb:Query"}


def test_every_access_kind_is_granted_by_some_construct(synthesized: Synthesized) -> None:
    specs = [
        FunctionSpec(
            name="Everything",
            code_dir="functions/webhook",
            handler="api.handler",
            description="asks for every access kind",
            triggers=(),
            access=tuple(Access),
        )
    ]

    ungranted = ungranted_access(specs, synthesized.stack.functions.granted_access)

    assert ungranted == []


def test_an_access_kind_no_construct_grants_is_reported() -> None:
    spec = FunctionSpec(
        name="Greedy",
        code_dir="functions/greedy",
        handler="greedy.handler",
        description="asks for access nobody grants",
        triggers=(),
        access=(Access.SCHEDULES,),
    )

    assert ungranted_access([spec], granted=[]) == ["Greedy: scheduler:manage"]


def test_webhook_api_role_has_no_idempotency_table_permission(synthesized: Synthesized) -> None:
    idempotency_id = synthesized.logical_id(synthesized.stack.data.idempotency_table)

    assert not touches(function_statements(synthesized, WEBHOOK_API.name), idempotency_id)


@SPECS
def test_role_reaches_idempotency_table_only_with_idempotency_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    idempotency_id = synthesized.logical_id(synthesized.stack.data.idempotency_table)

    reaches = touches(function_statements(synthesized, spec.name), idempotency_id)

    assert reaches is (Access.IDEMPOTENCY in spec.access)


@SPECS
def test_role_reads_channel_secret_only_with_secret_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    secret_id = synthesized.logical_id(synthesized.stack.secrets.secret)

    reaches = touches(function_statements(synthesized, spec.name), secret_id)

    assert reaches is (Access.CHANNEL_SECRETS in spec.access)


@SPECS
def test_role_writes_main_table_only_with_write_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    table_id = synthesized.logical_id(synthesized.stack.data.table)

    actions = actions_on(function_statements(synthesized, spec.name), table_id)

    assert (actions >= WRITE_ACTIONS) is (Access.TABLE_WRITE in spec.access)
    if Access.TABLE_WRITE not in spec.access:
        assert not WRITE_ACTIONS & actions


@SPECS
def test_role_reads_main_table_only_with_read_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    table_id = synthesized.logical_id(synthesized.stack.data.table)

    actions = actions_on(function_statements(synthesized, spec.name), table_id)

    assert (actions >= READ_ACTIONS) is (Access.TABLE_READ in spec.access)
    if Access.TABLE_READ not in spec.access:
        assert not READ_ACTIONS & actions


@SPECS
def test_role_reads_the_table_stream_only_for_stream_consumers(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    table_id = synthesized.logical_id(synthesized.stack.data.table)

    stream_actions = actions_on(function_statements(synthesized, spec.name), table_id, "StreamArn")

    assert bool(stream_actions) is bool(spec.streams())


@SPECS
def test_role_puts_events_on_the_bus_only_with_events_access(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    bus_id = synthesized.logical_id(synthesized.stack.events.bus)

    actions = actions_on(function_statements(synthesized, spec.name), bus_id)

    assert ("events:PutEvents" in actions) is (Access.EVENTS_PUT in spec.access)


@SPECS
def test_role_writes_only_to_its_own_log_group(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    function_props = synthesized.properties(synthesized.stack.functions.by_name[spec.name])
    own_log_group = function_props["LoggingConfig"]["LogGroup"]["Ref"]

    log_groups = {
        target
        for statement in function_statements(synthesized, spec.name)
        if any(str(action).startswith("logs:") for action in statement["Action"])
        for target, _ in targets(statement["Resource"])
    }

    assert log_groups == {own_log_group}


@SPECS
def test_role_has_no_managed_policies(synthesized: Synthesized, spec: FunctionSpec) -> None:
    role = synthesized.properties(synthesized.stack.functions.roles[spec.name])

    assert "ManagedPolicyArns" not in role
