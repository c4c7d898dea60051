"""Every Lambda function in `aremu.wiring`, each with its own least-privilege role."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
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
CODE_EXCLUDES = ["**/__pycache__", "**/*.pyc", "**/.pytest_cache", "tests", "tests/**"]


def access_grants(data: Data, secrets: ChannelSecrets) -> dict[Access, Grant]:
    """The one place an `Access` from the wiring becomes IAM permissions."""
    return {
        Access.TABLE_READ: data.table.grant_read_data,
        Access.TABLE_WRITE: data.table.grant_write_data,
        Access.IDEMPOTENCY: data.idempotency_table.grant_read_write_data,
        Access.CHANNEL_SECRETS: secrets.secret.grant_read,
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
        self._wired_kinds: set[type] = set()

        grants = access_grants(data, secrets)
        environment = base_environment(data)
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
            grants[access](role)
        if {Access.TABLE_READ, Access.TABLE_WRITE} & set(spec.access):
            Validations.of(role).acknowledge(
                Acknowledgment(
                    id=table_index_finding,
                    reason="grant_read_data/grant_write_data cover the main table's GSIs as "
                    "<table>/index/*; it matches only this table's own indexes.",
                )
            )

        function = lambda_.Function(
            self,
            spec.name,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=code,
            handler=spec.handler,
            description=spec.description,
            timeout=Duration.seconds(spec.timeout_seconds),
            memory_size=spec.memory_mb,
            tracing=lambda_.Tracing.ACTIVE,
            role=role,
            log_group=log_group,
            layers=layers.all,
            environment={**environment, **spec.environment},
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
        self.by_name[spec.name] = function
        self.roles[spec.name] = role

    def triggered(self, kind: type[T]) -> Iterator[tuple[FunctionSpec, lambda_.Function, T]]:
        """Each trigger of this kind with its function; marks the kind as wired."""
        self._wired_kinds.add(kind)
        for spec in self.specs:
            for trigger in spec.triggers:
                if isinstance(trigger, kind):
                    yield spec, self.by_name[spec.name], trigger

    def check_all_triggers_wired(self) -> None:
        """Fail the synth when the wiring names a trigger kind no construct handles."""
        unwired = unwired_triggers(self.specs, self._wired_kinds)
        if unwired:
            raise ValueError(f"triggers with no construct to wire them: {unwired}")


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


def _code(folder: Path) -> lambda_.Code:
    if not folder.is_dir():
        raise FileNotFoundError(f"function code folder {folder} does not exist")
    return lambda_.Code.from_asset(str(folder), exclude=CODE_EXCLUDES)
