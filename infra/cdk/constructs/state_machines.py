"""Standard state machines whose Task states invoke a function of the wiring (window timers).

Executions are started by one-time schedules that functions create at run time, running as
the schedule group's one-time role; each machine grants that role StartExecution on itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from aws_cdk import Acknowledgment, ArnFormat, CfnElement, RemovalPolicy, Stack, Validations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from aremu.wiring import Access, StateMachineSpec, StateMachineTask
from infra.cdk.constructs.functions import LOG_RETENTION, Functions
from infra.cdk.constructs.schedules import Schedules

TASK_FUNCTION_ARN = "TaskFunctionArn"


class StateMachines(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        machines: Sequence[StateMachineSpec],
        functions: Functions,
        schedules: Schedules,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        tasks = list(functions.triggered(StateMachineTask))
        self.by_name: dict[str, sfn.StateMachine] = {}
        for machine in machines:
            (task_function,) = [fn for _, fn, t in tasks if t.state_machine == machine.name]
            # Named, so that its ARN can be spelled without referring to the resource: the
            # task function needs the ARN (to schedule executions) and the machine needs
            # the function's ARN, a cycle CloudFormation would refuse.
            machine_name = f"{stack.stack_name}-{machine.name}"
            log_group = logs.LogGroup(
                self,
                f"{machine.name}Logs",
                retention=LOG_RETENTION,
                removal_policy=RemovalPolicy.DESTROY,
            )
            state_machine = sfn.StateMachine(
                self,
                machine.name,
                state_machine_name=machine_name,
                state_machine_type=sfn.StateMachineType.STANDARD,
                comment=machine.description,
                definition_body=sfn.DefinitionBody.from_string(
                    json.dumps(machine.definition(f"${{{TASK_FUNCTION_ARN}}}"))
                ),
                definition_substitutions={TASK_FUNCTION_ARN: task_function.function_arn},
                # Execution data (the candidate id, timer times) stays out of the logs.
                logs=sfn.LogOptions(
                    destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False
                ),
                tracing_enabled=True,
            )
            task_function.grant_invoke(state_machine)
            resource = task_function.node.default_child
            assert isinstance(resource, CfnElement)
            function_id = stack.resolve(stack.get_logical_id(resource))
            Validations.of(state_machine.role).acknowledge(
                Acknowledgment(
                    id=f"AwsSolutions-IAM5[Resource::<{function_id}.Arn>:*]",
                    reason="grant_invoke adds <function>:* for the task function's own "
                    "versions and aliases; it matches no other function.",
                ),
                Acknowledgment(
                    id="AwsSolutions-IAM5[Resource::*]",
                    reason="CloudWatch Logs delivery (logs:CreateLogDelivery and friends) and "
                    "X-Ray PutTraceSegments have no resource-level permissions.",
                ),
            )
            state_machine.grant_start_execution(schedules.one_time_role)
            self.by_name[machine.name] = state_machine

            arn = stack.format_arn(
                service="states",
                resource="stateMachine",
                resource_name=machine_name,
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )
            for _, function, _ in functions.with_access(Access.SCHEDULES):
                function.add_environment(machine.arn_environment_variable, arn)
