"""Every Lambda function in `aremu.wiring`, each with its own least-privilege role."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from aws_cdk import Acknowledgment, Duration, IgnoreMode, RemovalPolicy, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as lambda_destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from aremu import names
from aremu.wiring import Access, FunctionSpec, Trigger
from infra.cdk.constructs.data import Data
from infra.cdk.constructs.layers import ARCHITECTURE, RUNTIME, Layers
from infra.cdk.constructs.secrets import CHANNEL_SECRETS_NAME, ChannelSecrets
from infra.cdk.runtime import PYTHON_VERSION, REPO_ROOT

T = TypeVar("T", bound=Trigger)
Grant = Callable[[iam.IGrantable], Any]

LOG_RETENTION = logs.RetentionDays.ONE_MONTH
# Failed events must be kept well past a weekend for someone to look at and redrive.
DEAD_LETTER_RETENTION = Duration.days(14)
DEPLOY_TIME_SETTINGS = (
    "AREMU_SLACK_RECRUITERS_CHANNEL",
    "AREMU_SLACK_RECRUITERS_USER_GROUP",
    "AREMU_SLACK_TEAM_ID",
    "AREMU_SLACK_BOT_USER_ID",
)
CODE_EXCLUDES = ["**/__pycache__", "**/*.pyc", "**/.pytest_cache", "tests", "tests/**"]


def access_grants(data: Data, secrets: ChannelSecrets) -> dict[Access, Grant]:
    """The access kinds on resources that exist before the functions do.

    The others (the bus, the queues, the schedule group) are granted by their own
    constructs through `Functions.with_access`, since those constructs come after the
    functions they also wire triggers to.
    """
    return {
        Access.TABLE_READ: data.table.grant_read_data,
        Access.TABLE_WRITE: data.table.grant_write_data,
        Access.IDEMPOTENCY: data.idempotency_table.grant_read_write_data,
        Access.CHANNEL_SECRETS: secrets.secret.grant_read,
        # Granted where each function is built (it needs the function's own ARN).
        Access.SELF_INVOKE: lambda _: None,
    }


def base_environment(data: Data) -> dict[str, str]:
    """What `aremu.config.Settings` and Powertools read on every function."""
    return {
        "AREMU_TABLE_NAME": data.table.table_name,
        "AREMU_IDEMPOTENCY_TABLE_NAME": data.idempotency_table.table_name,
        "AREMU_SECRETS_NAME": CHANNEL_SECRETS_NAME,
        "POWERTOOLS_SERVICE_NAME": names.SERVICE_NAME,
        "POWERTOOLS_METRICS_NAMESPACE": names.METRICS_NAMESPACE,
        "POWERTOOLS_LOG_LEVEL": "INFO",
        **names.RUNTIME_ENVIRONMENT,
    }


class Functions(Construct):
    """Builds the functions; trigger constructs then ask for the ones they wire."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Sequence[FunctionSpec],
        data: Data,
        secrets: ChannelSecrets,
        layers: Layers,
    ) -> None:
        super().__init__(scope, construct_id)
        self.specs = tuple(specs)
        self.by_name: dict[str, lambda_.Function] = {}
        self.roles: dict[str, iam.Role] = {}
        self.failed_invocation_queues: dict[str, sqs.Queue] = {}
        self._wired_kinds: set[type] = set()

        grants = access_grants(data, secrets)
        self._granted_access: set[Access] = set(grants)
        environment = base_environment(data)
        # Workspace-specific ids, given at deploy time: `cdk deploy -c AREMU_SLACK_...=...`.
        for key in DEPLOY_TIME_SETTINGS:
            value = self.node.try_get_context(key)
            if value:
                environment[key] = str(value)
        table_index_finding = data.table_index_wildcard_finding()
        code_by_dir: dict[str, lambda_.Code] = {}
        for spec in self.specs:
            if spec.code_dir not in code_by_dir:
                code_by_dir[spec.code_dir] = _code(REPO_ROOT / spec.code_dir)
            self._build(
                spec,
                code_by_dir[spec.code_dir],
                grants=grants,
                environment=environment,
                layers=layers,
                table_index_finding=table_index_finding,
            )

    def _build(
        self,
        spec: FunctionSpec,
        code: lambda_.Code,
        *,
        grants: dict[Access, Grant],
        environment: dict[str, str],
        layers: Layers,
        table_index_finding: str,
    ) -> None:
        # An explicit log group (rather than the default one) sets retention without the
        # LogRetention custom resource, and lets the role write only to this group.
        log_group = logs.LogGroup(
            self,
            f"{spec.name}Logs",
            retention=LOG_RETENTION,
            removal_policy=RemovalPolicy.DESTROY,
        )
        # Our own role instead of the default one, which carries the AWS-managed
        # AWSLambdaBasicExecutionRole (logs on every group in the account).
        role = iam.Role(
            self,
            f"{spec.name}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs the {spec.name} function",
        )
        log_group.grant_write(role)
        for access in spec.access:
            if access in grants:
                grants[access](role)
        if {Access.TABLE_READ, Access.TABLE_WRITE} & set(spec.access):
            Validations.of(role).acknowledge(
                Acknowledgment(
                    id=table_index_finding,
                    reason="grant_read_data/grant_write_data cover the main table's GSIs as "
                    "<table>/index/*; it matches only this table's own indexes.",
                )
            )

        common: dict[str, Any] = {
            "architecture": ARCHITECTURE,
            "description": spec.description,
            "timeout": Duration.seconds(spec.timeout_seconds),
            "memory_size": spec.memory_mb,
            "tracing": lambda_.Tracing.ACTIVE,
            "role": role,
            "log_group": log_group,
            "environment": {**environment, **spec.environment},
        }
        function: lambda_.Function
        if spec.packaging == "image":
            # python-jobspy with pandas and numpy (see the Dockerfile for the figures);
            # `cdk deploy` builds this image from the folder's Dockerfile (synth needs no
            # Docker). .dockerignore keeps the build context to what the image copies.
            function = lambda_.DockerImageFunction(
                self,
                spec.name,
                code=lambda_.DockerImageCode.from_image_asset(
                    str(REPO_ROOT),
                    file=f"{spec.code_dir}/Dockerfile",
                    cmd=[spec.handler],
                    ignore_mode=IgnoreMode.DOCKER,
                ),
                **common,
            )
        else:
            function = lambda_.Function(
                self,
                spec.name,
                runtime=RUNTIME,
                code=code,
                handler=spec.handler,
                layers=layers.all,
                **common,
            )
        Validations.of(role).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="X-Ray PutTraceSegments/PutTelemetryRecords and DynamoDB ListStreams "
                "(added for stream consumers) have no resource-level permissions.",
            )
        )
        Validations.of(function).acknowledge(
            Acknowledgment(
                id="AwsSolutions-L1",
                reason=f"Pinned to python{PYTHON_VERSION}, the version the deps layer's "
                "compiled wheels are built for (infra/cdk/runtime.py); both move together.",
            )
        )
        if Access.SELF_INVOKE in spec.access:
            # A policy of its own: in the role's default policy, the function's own ARN
            # would make the function depend on itself.
            iam.Policy(
                self,
                f"{spec.name}InvokeSelf",
                roles=[role],
                statements=[
                    iam.PolicyStatement(
                        actions=["lambda:InvokeFunction"], resources=[function.function_arn]
                    )
                ],
            )
        self.by_name[spec.name] = function
        self.roles[spec.name] = role

    def triggered(self, kind: type[T]) -> Iterator[tuple[FunctionSpec, lambda_.Function, T]]:
        """Each trigger of this kind with its function; marks the kind as wired."""
        self._wired_kinds.add(kind)
        for spec in self.specs:
            for trigger in spec.triggers:
                if isinstance(trigger, kind):
                    yield spec, self.by_name[spec.name], trigger

    def with_access(
        self, access: Access
    ) -> Iterator[tuple[FunctionSpec, lambda_.Function, iam.Role]]:
        """Each function whose wiring asks for this access; marks the access as granted."""
        self._granted_access.add(access)
        for spec in self.specs:
            if access in spec.access:
                yield spec, self.by_name[spec.name], self.roles[spec.name]

    @property
    def granted_access(self) -> frozenset[Access]:
        """The access kinds some construct has granted so far."""
        return frozenset(self._granted_access)

    def failed_invocations(self, spec_name: str) -> sqs.Queue:
        """The on-failure destination of a function invoked asynchronously (rules, schedules).

        EventBridge and the scheduler hand the event over and are done; a function error is
        then retried by Lambda alone, and without a destination the event would be dropped.
        """
        if spec_name not in self.failed_invocation_queues:
            queue = dead_letter_queue(
                self,
                f"{spec_name}FailedInvocations",
                reason="the on-failure destination of the function's asynchronous "
                "invocations (EventBridge rules, schedules).",
            )
            self.by_name[spec_name].configure_async_invoke(
                on_failure=lambda_destinations.SqsDestination(queue)
            )
            self.failed_invocation_queues[spec_name] = queue
        return self.failed_invocation_queues[spec_name]

    def check_all_wired(self) -> None:
        """Fail the synth when the wiring names a trigger or access no construct handles."""
        unwired = unwired_triggers(self.specs, self._wired_kinds)
        if unwired:
            raise ValueError(f"triggers with no construct to wire them: {unwired}")
        ungranted = ungranted_access(self.specs, self._granted_access)
        if ungranted:
            raise ValueError(f"access with no construct to grant it: {ungranted}")


def unwired_triggers(specs: Sequence[FunctionSpec], wired_kinds: Iterable[type]) -> list[str]:
    kinds = tuple(wired_kinds)
    return sorted(
        {
            f"{spec.name}: {type(trigger).__name__}"
            for spec in specs
            for trigger in spec.triggers
            if not isinstance(trigger, kinds)
        }
    )


def dead_letter_queue(scope: Construct, construct_id: str, *, reason: str) -> sqs.Queue:
    """An encrypted, TLS-only queue that holds what something else failed to process."""
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=DEAD_LETTER_RETENTION,
    )
    Validations.of(queue).acknowledge(
        Acknowledgment(
            id="AwsSolutions-SQS3", reason=f"This queue is itself a dead-letter queue: {reason}"
        )
    )
    return queue


def ungranted_access(specs: Sequence[FunctionSpec], granted: Iterable[Access]) -> list[str]:
    handled = set(granted)
    return sorted(
        {
            f"{spec.name}: {access.value}"
            for spec in specs
            for access in spec.access
            if access not in handled
        }
    )


def _code(folder: Path) -> lambda_.Code:
    if not folder.is_dir():
        raise FileNotFoundError(f"function code folder {folder} does not exist")
    return lambda_.Code.from_asset(str(folder), exclude=CODE_EXCLUDES)
