"""The local stack put together: moto, the environment, the handlers, the pump, one server."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from datetime import datetime
from typing import Any

from aremu.config import Settings, get_settings
from aremu.local.aws import LocalAws
from aremu.local.environment import apply_environment
from aremu.local.gateway import HttpApiGateway
from aremu.local.handlers import LambdaHandler, load_handler
from aremu.local.pump import StreamPump, StreamReader
from aremu.local.runtime import LocalFunction
from aremu.local.sandbox import SlackSandbox, WhatsAppSandbox
from aremu.local.sandbox_api import SandboxApi
from aremu.local.server import LocalApp, LocalServer
from aremu.wiring import FUNCTIONS, FunctionSpec

# Work that falls due when the local clock moves: given the new time, it runs what is
# due and says what it did. Schedules register here; the streams are drained after them.
DueWork = Callable[[datetime], Mapping[str, Any]]

_WILDCARD_HOSTS = ("", "0.0.0.0")  # noqa: S104 - names, not a bind


class HandlerLoadError(Exception):
    """A function's handler module failed to import; the cause says why."""


class LocalStack:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        functions: Sequence[FunctionSpec] = FUNCTIONS,
        load: Callable[[FunctionSpec], LambdaHandler] = load_handler,
        environ: MutableMapping[str, str] | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._specs = functions
        self._load = load
        self._environ = os.environ if environ is None else environ
        self._due_work: dict[str, DueWork] = {}
        self._server: LocalServer | None = None
        self._aws: LocalAws | None = None
        self._pump: StreamPump | None = None
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
        get_settings.cache_clear()
        functions = [LocalFunction(spec, self._load_handler, region) for spec in self._specs]
        settings = get_settings()
        stream_arn = self._aws.create_tables(settings.table_name, settings.idempotency_table_name)
        self._aws.create_event_bus(settings.event_bus_name)
        reader = StreamReader(
            streams_client=self._aws.client("dynamodbstreams"),
            stream_arn=stream_arn,
            region=region,
        )
        self._pump = StreamPump(functions=functions, reader=reader)
        sandbox = SandboxApi(
            whatsapp=WhatsAppSandbox(
                access_token=self._environ.get("WHATSAPP_ACCESS_TOKEN"),
                phone_number_id=self._environ.get("WHATSAPP_PHONE_NUMBER_ID"),
            ),
            slack=SlackSandbox(bot_token=self._environ.get("SLACK_BOT_TOKEN")),
            drain=self.drain,
            streams=self._pump.status,
            run_due=self.run_due,
        )
        gateway = HttpApiGateway(functions, domain_name=f"{reachable}:{self._server.port}")
        self._pump.start()
        self._server.start(LocalApp(sandbox.handle, gateway.handle))
        return self.base_url

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

    def drain(self) -> dict[str, Any]:
        if self._pump is None:
            raise RuntimeError("the local stack is not started")
        return self._pump.drain()
