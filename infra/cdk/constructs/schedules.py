"""The Aremu schedule group: `ScheduleRate` triggers, and one-time schedules made at run time."""

from __future__ import annotations

from aws_cdk import (
    Acknowledgment,
    ArnFormat,
    CfnElement,
    RemovalPolicy,
    Stack,
    Validations,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from constructs import Construct

from aremu import names
from aremu.wiring import Access, ScheduleRate
from infra.cdk.constructs.functions import Functions, dead_letter_queue

# What a function with Access.SCHEDULES does with its one-time schedules (window timers).
MANAGE_SCHEDULE_ACTIONS = [
    "scheduler:CreateSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
    "scheduler:GetSchedule",
]
SCHEDULER_PRINCIPAL = "scheduler.amazonaws.com"


class Schedules(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, functions: Functions) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)

        self.group = scheduler.ScheduleGroup(
            self,
            "Group",
            schedule_group_name=names.SCHEDULE_GROUP_NAME,
            # Its schedules (recurring ones from the wiring, timers made at run time) mean
            # nothing without the stack's functions.
            removal_policy=RemovalPolicy.DESTROY,
        )
        # The role one-time schedules run as. Whatever they target (the window timers'
        # state machine) grants itself to this role where it is built.
        self.one_time_role = self._scheduler_role(
            "OneTimeScheduleRole", "Runs the one-time schedules functions create at run time"
        )
        # What the scheduler could not deliver to its target after its retries (a throttled
        # or missing target): every schedule of the group, recurring or one-time, sends here.
        self.dead_letter_queue = dead_letter_queue(
            self,
            "UndeliveredSchedules",
            reason="the dead-letter queue of the Aremu schedules (recurring and one-time).",
        )
        self.dead_letter_queue.grant_send_messages(self.one_time_role)

        # The literal group name rather than the group's token, so the acknowledged
        # cdk-nag finding below reads the same in every synth.
        schedules_in_group = stack.format_arn(
            service="scheduler",
            resource="schedule",
            resource_name=f"{names.SCHEDULE_GROUP_NAME}/*",
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        for _, function, role in functions.with_access(Access.SCHEDULES):
            role.add_to_principal_policy(
                iam.PolicyStatement(actions=MANAGE_SCHEDULE_ACTIONS, resources=[schedules_in_group])
            )
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["iam:PassRole"],
                    resources=[self.one_time_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": SCHEDULER_PRINCIPAL}},
                )
            )
            function.add_environment("AREMU_SCHEDULE_GROUP_NAME", self.group.schedule_group_name)
            function.add_environment("AREMU_SCHEDULER_ROLE_ARN", self.one_time_role.role_arn)
            function.add_environment(
                "AREMU_SCHEDULER_DEAD_LETTER_ARN", self.dead_letter_queue.queue_arn
            )
            Validations.of(role).acknowledge(
                Acknowledgment(
                    id=f"AwsSolutions-IAM5[Resource::{_nag_arn(schedules_in_group, stack)}]",
                    reason="One-time schedules are named at run time (one per candidate "
                    "window); the wildcard is confined to the Aremu schedule group.",
                )
            )

        # One role per scheduled function, allowed to invoke only that function.
        self.invoke_roles: dict[str, iam.Role] = {}
        self.schedules: dict[str, list[scheduler.Schedule]] = {}
        for spec, function, rate in functions.triggered(ScheduleRate):
            if spec.name not in self.invoke_roles:
                self.invoke_roles[spec.name] = self._scheduler_role(
                    f"{spec.name}InvokeRole", f"Lets the {spec.name} schedules invoke it"
                )
                resource = function.node.default_child
                assert isinstance(resource, CfnElement)
                function_id = stack.resolve(stack.get_logical_id(resource))
                Validations.of(self.invoke_roles[spec.name]).acknowledge(
                    Acknowledgment(
                        id=f"AwsSolutions-IAM5[Resource::<{function_id}.Arn>:*]",
                        reason="grant_invoke adds <function>:* for the function's own "
                        "versions and aliases; it matches no other function.",
                    )
                )
            function_schedules = self.schedules.setdefault(spec.name, [])
            schedule = scheduler.Schedule(
                self,
                f"{spec.name}Schedule{len(function_schedules)}",
                schedule=scheduler.ScheduleExpression.expression(rate.expression),
                schedule_group=self.group,
                description=f"{rate.expression} to {spec.name}",
                target=scheduler_targets.LambdaInvoke(
                    function,
                    input=scheduler.ScheduleTargetInput.from_object(rate.payload),
                    role=self.invoke_roles[spec.name],
                    dead_letter_queue=self.dead_letter_queue,
                ),
            )
            # The group is named by a literal, which alone would not order the two.
            schedule.node.add_dependency(self.group)
            function_schedules.append(schedule)
            functions.failed_invocations(spec.name)

    def _scheduler_role(self, construct_id: str, description: str) -> iam.Role:
        stack = Stack.of(self)
        # Only schedules of this account's Aremu group may assume it (confused deputy).
        return iam.Role(
            self,
            construct_id,
            description=description,
            assumed_by=iam.ServicePrincipal(
                SCHEDULER_PRINCIPAL,
                conditions={
                    "StringEquals": {
                        "aws:SourceAccount": stack.account,
                        "aws:SourceArn": self.group.schedule_group_arn,
                    }
                },
            ),
        )


def _nag_arn(arn: str, stack: Stack) -> str:
    """An ARN as cdk-nag spells it in a finding id: pseudo parameters as <AWS::...>."""
    resolved = stack.resolve(arn)
    if isinstance(resolved, str):
        return resolved
    parts = resolved["Fn::Join"][1]
    return "".join(p if isinstance(p, str) else f"<{p['Ref']}>" for p in parts)
