"""The window timer's Standard state machine: its definition, who runs it, who starts it."""

from __future__ import annotations

import json
from typing import Any

from aremu.window_timer_definition import STEP_STATE, window_timer_definition
from aremu.wiring import WINDOW_TIMER, WINDOW_TIMER_ARM, WINDOW_TIMER_STEP, Access
from tests.infra.policies import actions_of, role_statements
from tests.infra.synthesized import Synthesized


def machine_properties(synthesized: Synthesized) -> dict[str, Any]:
    return synthesized.properties(synthesized.stack.state_machines.by_name[WINDOW_TIMER.name])


def function_properties(synthesized: Synthesized, name: str) -> dict[str, Any]:
    return synthesized.properties(synthesized.stack.functions.by_name[name])


def test_window_timer_is_a_standard_machine_running_the_shared_definition(
    synthesized: Synthesized,
) -> None:
    props = machine_properties(synthesized)

    assert props["StateMachineType"] == "STANDARD"
    definition = json.loads(props["DefinitionString"])
    assert definition == window_timer_definition("${TaskFunctionArn}")
    step_id = synthesized.logical_id(synthesized.stack.functions.by_name[WINDOW_TIMER_STEP.name])
    assert props["DefinitionSubstitutions"]["TaskFunctionArn"] == {"Fn::GetAtt": [step_id, "Arn"]}


def test_window_timer_logs_every_event_without_execution_data_and_is_traced(
    synthesized: Synthesized,
) -> None:
    props = machine_properties(synthesized)

    assert props["LoggingConfiguration"]["Level"] == "ALL"
    assert props["LoggingConfiguration"]["IncludeExecutionData"] is False
    assert props["TracingConfiguration"]["Enabled"] is True


def test_machine_role_may_invoke_only_the_step_function(synthesized: Synthesized) -> None:
    machine = synthesized.stack.state_machines.by_name[WINDOW_TIMER.name]
    statements = role_statements(synthesized, machine.role)
    invoke = [s for s in statements if "lambda:InvokeFunction" in actions_of(s)]

    step_id = synthesized.logical_id(synthesized.stack.functions.by_name[WINDOW_TIMER_STEP.name])
    resources = json.dumps([s["Resource"] for s in invoke])
    assert step_id in resources
    assert all(
        name == WINDOW_TIMER_STEP.name or synthesized.logical_id(fn) not in resources
        for name, fn in synthesized.stack.functions.by_name.items()
    )


def test_one_time_schedules_may_start_the_window_timer(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, synthesized.stack.schedules.one_time_role)
    (start,) = [s for s in statements if "states:StartExecution" in actions_of(s)]

    machine = synthesized.stack.state_machines.by_name[WINDOW_TIMER.name]
    assert start["Resource"] == {"Ref": synthesized.logical_id(machine)}


def test_functions_that_schedule_timers_know_the_machine_arn(synthesized: Synthesized) -> None:
    machine_name = f"{synthesized.stack.stack_name}-{WINDOW_TIMER.name}"
    for spec in (WINDOW_TIMER_ARM, WINDOW_TIMER_STEP):
        assert Access.SCHEDULES in spec.access
        environment = function_properties(synthesized, spec.name)["Environment"]["Variables"]
        arn = json.dumps(environment[WINDOW_TIMER.arn_environment_variable])
        assert f":stateMachine:{machine_name}" in arn


def test_machine_name_is_the_one_its_arn_is_spelled_with(synthesized: Synthesized) -> None:
    props = machine_properties(synthesized)

    assert props["StateMachineName"] == f"{synthesized.stack.stack_name}-{WINDOW_TIMER.name}"


def test_step_state_retries_and_has_a_timeout(synthesized: Synthesized) -> None:
    definition = json.loads(machine_properties(synthesized)["DefinitionString"])
    step = definition["States"][STEP_STATE]

    assert step["TimeoutSeconds"] > WINDOW_TIMER_STEP.timeout_seconds
    assert {"States.TaskFailed"} <= {e for r in step["Retry"] for e in r["ErrorEquals"]}
