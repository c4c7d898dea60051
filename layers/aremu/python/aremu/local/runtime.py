"""Invoke handlers in-process the way the Lambda runtime would.

On Lambda, concurrent invocations run in separate containers, each with its own module
globals (a Powertools resolver keeps the current event there, for one). Here each
"container" is a separate instance of the handler module, checked out for one invocation
at a time; a new one is loaded when all are busy, so requests still run concurrently.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aremu.local.handlers import LambdaHandler
from aremu.wiring import FunctionSpec

LOCAL_ACCOUNT_ID = "123456789012"
MAX_CONTAINERS = 10

HandlerLoader = Callable[[FunctionSpec], LambdaHandler]


@dataclass(frozen=True)
class LocalLambdaContext:
    """The attributes of the runtime's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    deadline_monotonic: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline_monotonic - time.monotonic()) * 1000))


class LocalFunction:
    """A function from the wiring with its pool of warm containers."""

    def __init__(
        self,
        spec: FunctionSpec,
        load: HandlerLoader,
        region: str,
        *,
        account_id: str = LOCAL_ACCOUNT_ID,
        max_containers: int = MAX_CONTAINERS,
    ) -> None:
        self.spec = spec
        self.name = spec.name
        self.region = region
        self._load = load
        self.arn = f"arn:aws:lambda:{region}:{account_id}:function:{spec.name}"
        self._max_containers = max_containers
        self._available = threading.Condition()
        # The first container is loaded now, so that a broken handler fails the start.
        self._idle: list[LambdaHandler] = [load(spec)]
        self._containers = 1

    @classmethod
    def of(cls, spec: FunctionSpec, handler: LambdaHandler, region: str) -> LocalFunction:
        """A function whose containers all share one handler (fakes in tests)."""
        return cls(spec, lambda _: handler, region)

    def new_context(self) -> LocalLambdaContext:
        return LocalLambdaContext(
            function_name=self.spec.name,
            memory_limit_in_mb=self.spec.memory_mb,
            invoked_function_arn=self.arn,
            aws_request_id=str(uuid.uuid4()),
            deadline_monotonic=time.monotonic() + self.spec.timeout_seconds,
            log_group_name=f"/aws/lambda/{self.spec.name}",
        )

    def invoke(self, event: dict[str, Any]) -> Any:
        # The timeout is reported through the context but not enforced: a thread cannot be
        # killed, and a slow handler is easier to debug when it is left to finish.
        handler = self._check_out()
        try:
            return handler(event, self.new_context())
        finally:
            with self._available:
                self._idle.append(handler)
                self._available.notify()

    def _check_out(self) -> LambdaHandler:
        with self._available:
            while not self._idle and self._containers >= self._max_containers:
                self._available.wait()
            if self._idle:
                return self._idle.pop()
            self._containers += 1
            index = self._containers
        try:
            # A container of its own: the loader keeps one module instance per name.
            return self._load(dataclasses.replace(self.spec, name=f"{self.spec.name}-{index}"))
        except BaseException:
            with self._available:
                self._containers -= 1
                self._available.notify()
            raise
