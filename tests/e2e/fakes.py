"""Throwaway functions for exercising the local stack without the real handlers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aremu.local.handlers import LambdaHandler
from aremu.local.runtime import LocalFunction
from aremu.wiring import FunctionSpec, HttpRoute, TableStream

NEW_NOTES = {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": ["note"]}}}}


def echo_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answers with the event it was given, so tests can read what the gateway built."""
    return {
        "statusCode": 201,
        "headers": {"Content-Type": "application/json", "X-Function": context.function_name},
        "body": json.dumps(event),
    }


ECHO = FunctionSpec(
    name="Echo",
    code_dir="tests/e2e",
    handler="fakes.echo_handler",
    description="echo",
    triggers=(HttpRoute("POST", "/echo"), HttpRoute("GET", "/echo/{item_id}")),
    access=(),
    memory_mb=256,
)


def note_spec(
    name: str = "Notes",
    *,
    batch_size: int = 10,
    retry_attempts: int = 2,
    bisect_on_error: bool = True,
    filter_pattern: dict[str, Any] | None = None,
) -> FunctionSpec:
    trigger = TableStream(
        filter_pattern=NEW_NOTES if filter_pattern is None else filter_pattern,
        batch_size=batch_size,
        retry_attempts=retry_attempts,
        bisect_on_error=bisect_on_error,
    )
    return FunctionSpec(
        name=name,
        code_dir="tests/e2e",
        handler="fakes.recorder",
        description="records its batches",
        triggers=(trigger,),
        access=(),
    )


@dataclass
class Recorder:
    """A stream handler that records every batch and answers what `respond` says."""

    respond: Callable[[list[dict[str, Any]]], Any] = lambda records: {"batchItemFailures": []}
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    called: threading.Event = field(default_factory=threading.Event)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.batches.append(event["Records"])
        self.called.set()
        return self.respond(event["Records"])

    def delivered_keys(self) -> list[str]:
        return [r["dynamodb"]["Keys"]["pk"]["S"] for batch in self.batches for r in batch]


def bind(spec: FunctionSpec, handler: LambdaHandler, region: str = "eu-west-1") -> LocalFunction:
    return LocalFunction.of(spec, handler, region)
