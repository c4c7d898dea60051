"""The local stack put together: moto, the environment, the handlers, the pump, one server."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from datetime import datetime
from typing import Any

from aremu import clock
from aremu.config import Settings, get_settings
from aremu.local.aws import LocalAws, QueueAddress
from aremu.local.environment import apply_environment
from aremu.local.gateway import HttpApiGateway
from aremu.local.handlers import LambdaHandler, load_handler
from aremu.local.log import logger
from aremu.local.pump import StreamPump, StreamReader
from aremu.local.queue_consumer import ASYNC_ATTEMPTS, QueueConsumer, RuleConsumer
from aremu.local.runtime import LocalFunction
from aremu.local.sandbox import SlackSandbox, WhatsAppSandbox
from aremu.local.sandbox_api import SandboxApi
from aremu.local.schedules import LocalSchedules
from aremu.local.server import LocalApp, LocalServer
from aremu.local.state_machines import LocalStateMachines, state_machine_environment
from aremu.names import EVENT_SOURCE
from aremu.wiring import (
    FUNCTIONS,
    QUEUES,
    STATE_MACHINES,
    FunctionSpec,
    QueueSpec,
    StateMachineSpec,
)

# Work that falls due when the local clock moves: given the new time, it runs what is
# due and says what it did. Schedules register here; the streams are drained after them.
DueWork = Callable[[datetime], Mapping[str, Any]]

_WILDCARD_HOSTS = ("", "0.0.0.0")  # noqa: S104 - names, not a bind
QUEUE_PREFIX = "aremu-"
QUEUE_URL_VARIABLE = "AREMU_QUEUE_URL_{}"
# A bus rule's events wait on a queue of their own; a failed invocation is retried as
# EventBridge's asynchronous invocation would be, then parked in the rule queue's DLQ.
RULE_QUEUE_VISIBILITY_SECONDS = 30


def queue_url_variable(queue_name: str) -> str:
    """The variable naming a queue's URL, e.g. AREMU_QUEUE_URL_OUTBOX (settings.queue_url_*)."""
    return QUEUE_URL_VARIABLE.format(queue_name.upper().replace("-", "_"))


class HandlerLoadError(Exception):
    """A function's handler module failed to import; the cause says why."""


class LocalStack:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        functions: Sequence[FunctionSpec] = FUNCTIONS,
        queues: Sequence[QueueSpec] = QUEUES,
        machines: Sequence[StateMachineSpec] = STATE_MACHINES,
        load: Callable[[FunctionSpec], LambdaHandler] = load_handler,
        environ: MutableMapping[str, str] | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._specs = functions
        self._queue_specs = queues
        self._machine_specs = machines
        self._load = load
        self._environ = os.environ if environ is None else environ
        self._due_work: dict[str, DueWork] = {}
        self._server: LocalServer | None = None
        self._aws: LocalAws | None = None
        self._pump: StreamPump | None = None
        self._schedules: LocalSchedules | None = None
        self.state_machines: LocalStateMachines | None = None
        self.queues: dict[str, QueueAddress] = {}
        self.base_url = ""

    @property
    def aws_endpoint_url(self) -> str:
        return self._aws.endpoint_url if self._aws else ""

    def start(self) -> str:
        """Bring everything up; returns the base URL once requests can be served."""
        # Bound first, so that `--port 0` knows its port before the environment names it.
        self._server = LocalServer(self._host, self._port)
        reachable = "127.0.0.1" if self._host in _WILDCARD_HOSTS else self._host
        self.base_url = f"http://{reachable}:{self._server.port}"
        region = Settings().region
        self._aws = LocalAws(region=region)
        apply_environment(
            self._environ,
            aws_endpoint_url=self._aws.start(),
            base_url=self.base_url,
            region=region,
        )
        # Queue URLs are settings: they must be in the environment before it is first read.
        for spec in self._queue_specs:
            address = self._aws.create_queue(
                QUEUE_PREFIX + spec.name,
                visibility_timeout_seconds=spec.visibility_timeout_seconds,
                max_receive_count=spec.max_receive_count,
            )
            self.queues[spec.name] = address
            self._environ[queue_url_variable(spec.name)] = address.url
        state_machine_environment(self._environ, self._machine_specs, region)
        _reset_containers()
        functions = [LocalFunction(spec, self._load_handler, region) for spec in self._specs]
        settings = get_settings()
        stream_arn = self._aws.create_tables(settings.table_name, settings.idempotency_table_name)
        self._aws.create_event_bus(settings.event_bus_name)
        reader = StreamReader(
            streams_client=self._aws.client("dynamodbstreams"),
            stream_arn=stream_arn,
            region=region,
        )
        consumers = self._queue_consumers(functions, region, settings.event_bus_name)
        self._pump = StreamPump(functions=functions, reader=reader, queues=consumers)
        self._schedules = LocalSchedules(functions, clock.now())
        self.add_due_work("schedules", self._schedules.run_due)
        scheduler = self._aws.client("scheduler")
        scheduler.create_schedule_group(Name=settings.schedule_group_name)
        self.state_machines = LocalStateMachines(
            self._machine_specs,
            functions,
            scheduler=scheduler,
            group_name=settings.schedule_group_name,
            region=region,
            clock=clock.now,
        )
        self.add_due_work("state_machines", self.state_machines.run_due)
        sandbox = SandboxApi(
            whatsapp=WhatsAppSandbox(
                access_token=self._environ.get("WHATSAPP_ACCESS_TOKEN"),
                phone_number_id=self._environ.get("WHATSAPP_PHONE_NUMBER_ID"),
            ),
            slack=SlackSandbox(bot_token=self._environ.get("SLACK_BOT_TOKEN")),
            drain=self.drain,
            streams=self._pump.status,
            run_due=self.run_due,
            ingest=ingest_csv,
            jobs=self.job_counts,
            schedules=self._schedules.status,
        )
        gateway = HttpApiGateway(functions, domain_name=f"{reachable}:{self._server.port}")
        self._pump.start()
        self._server.start(LocalApp(sandbox.handle, gateway.handle))
        return self.base_url

    def _queue_consumers(
        self, functions: Sequence[LocalFunction], region: str, bus_name: str
    ) -> list[QueueConsumer]:
        assert self._aws is not None
        sqs = self._aws.client("sqs")
        specs = {spec.name: spec for spec in self._queue_specs}
        consumers: list[QueueConsumer] = []
        for function in functions:
            for index, source in enumerate(function.spec.queues()):
                queue = specs.get(source.queue)
                if queue is None:
                    raise HandlerLoadError(
                        f"{function.name} consumes the queue {source.queue!r}, "
                        "which wiring.QUEUES does not declare"
                    )
                consumers.append(
                    QueueConsumer(
                        name=_mapping_name(function.name, "queue", index),
                        function=function,
                        queue=self.queues[source.queue],
                        sqs=sqs,
                        region=region,
                        batch_size=source.batch_size,
                        max_receive_count=queue.max_receive_count,
                        visibility_timeout_seconds=queue.visibility_timeout_seconds,
                    )
                )
            for index, rule in enumerate(function.spec.rules()):
                name = _mapping_name(function.name, "rule", index)
                address = self._aws.create_queue(
                    f"{QUEUE_PREFIX}{_slug(name)}",
                    visibility_timeout_seconds=RULE_QUEUE_VISIBILITY_SECONDS,
                    max_receive_count=ASYNC_ATTEMPTS,
                )
                pattern = {"source": [EVENT_SOURCE], "detail-type": list(rule.detail_types)}
                self._aws.route_rule_to_queue(
                    bus_name=bus_name,
                    rule_name=f"{QUEUE_PREFIX}{_slug(name)}",
                    pattern=pattern,
                    queue_arn=address.arn,
                )
                consumers.append(
                    RuleConsumer(
                        name=name,
                        function=function,
                        queue=address,
                        sqs=sqs,
                        region=region,
                        batch_size=10,
                        max_receive_count=ASYNC_ATTEMPTS,
                        visibility_timeout_seconds=RULE_QUEUE_VISIBILITY_SECONDS,
                    )
                )
        return consumers

    def stop(self) -> None:
        # The pump first: a batch in flight may still be sending through the sandbox.
        if self._pump is not None:
            self._pump.stop()
        if self._server is not None:
            self._server.stop()
        if self._aws is not None:
            self._aws.stop()
        get_settings.cache_clear()

    def _load_handler(self, spec: FunctionSpec) -> LambdaHandler:
        try:
            return self._load(spec)
        except Exception as error:
            path = f"{spec.code_dir}/{spec.module}.py"
            raise HandlerLoadError(f"cannot load {spec.name} from {path}: {error!r}") from error

    def add_due_work(self, name: str, work: DueWork) -> None:
        """Register work the clock endpoint runs after moving time (e.g. due schedules)."""
        self._due_work[name] = work

    def run_due(self, now: datetime) -> dict[str, Any]:
        ran: dict[str, Any] = {name: dict(work(now)) for name, work in self._due_work.items()}
        # Last, so that whatever the due work wrote is delivered before the answer.
        ran["streams"] = self.drain()
        return ran

    def schedule_status(self) -> dict[str, Any]:
        """Each recurring schedule run locally: its expression, next due time and runs."""
        return self._schedules.status() if self._schedules else {}

    def drain(self) -> dict[str, Any]:
        if self._pump is None:
            raise RuntimeError("the local stack is not started")
        return self._pump.drain()

    def job_counts(self) -> dict[str, Any]:
        """Jobs stored, by status. A Scan: fine for a sandbox, never on a hot path."""
        if self._aws is None:
            raise RuntimeError("the local stack is not started")
        pages = (
            self._aws.client("dynamodb")
            .get_paginator("scan")
            .paginate(
                TableName=get_settings().table_name,
                FilterExpression="#kind = :job",
                ProjectionExpression="#status",
                ExpressionAttributeNames={"#kind": "kind", "#status": "status"},
                ExpressionAttributeValues={":job": {"S": "job"}},
            )
        )
        by_status: dict[str, int] = {}
        for page in pages:
            for item in page.get("Items", []):
                status = item.get("status", {}).get("S", "unknown")
                by_status[status] = by_status.get(status, 0) + 1
        return {"total": sum(by_status.values()), "by_status": by_status}


def ingest_csv(text: str) -> dict[str, Any]:
    """Load a JobSpy CSV into the table, as a scheduled ingest would store its postings.

    Raises NotAJobSpyCsv when the text is not one. The RAW jobs then go through the real
    stream: enhance, match, outbox, send.
    """
    from aremu import runtime
    from aremu.services.job_pipeline import load_csv

    summary = load_csv(text, runtime.job_store(), clock.now())
    logger.info("csv ingested", extra={"read": summary.read, "stored": summary.stored})
    answer: dict[str, Any] = summary.model_dump(mode="json")
    return answer


def _reset_containers() -> None:
    """Drop clients and settings a previous stack in this process built from its environment."""
    from aremu import runtime

    runtime.reset()


def _mapping_name(function: str, kind: str, index: int) -> str:
    """A mapping's name in summaries: the function's, told apart when it has several."""
    base = function if kind == "queue" else f"{function}:{kind}"
    return base if index == 0 else f"{base}#{index + 1}"


def _slug(name: str) -> str:
    """A name SQS and EventBridge accept (letters, digits, - and _)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower()
