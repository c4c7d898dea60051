"""Throwaway functions for exercising the local stack without the real handlers."""

from __future__ import annotations

import csv
import io
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aremu.jobs.csv_source import JOBSPY_COLUMNS
from aremu.local.handlers import LambdaHandler
from aremu.local.runtime import LocalFunction
from aremu.wiring import (
    BusRule,
    FunctionSpec,
    HttpRoute,
    QueueSource,
    QueueSpec,
    ScheduleRate,
    TableStream,
)

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


def queue_spec(name: str, queue: str, *, batch_size: int = 10) -> FunctionSpec:
    return FunctionSpec(
        name=name,
        code_dir="tests/e2e",
        handler="fakes.queue_recorder",
        description="records its SQS batches",
        triggers=(QueueSource(queue=queue, batch_size=batch_size, max_concurrency=2),),
        access=(),
    )


def rule_spec(name: str, *detail_types: str) -> FunctionSpec:
    return FunctionSpec(
        name=name,
        code_dir="tests/e2e",
        handler="fakes.event_recorder",
        description="records the bus events it is sent",
        triggers=(BusRule(detail_types=detail_types),),
        access=(),
    )


def schedule_spec(name: str, expression: str, payload: dict[str, Any]) -> FunctionSpec:
    return FunctionSpec(
        name=name,
        code_dir="tests/e2e",
        handler="fakes.event_recorder",
        description="records each scheduled run",
        triggers=(ScheduleRate(expression, payload),),
        access=(),
    )


LETTERS = QueueSpec(name="letters", visibility_timeout_seconds=30, max_receive_count=3)


@dataclass
class QueueRecorder:
    """An SQS handler whose messages say how to answer.

    A body starting `fail:` is reported in batchItemFailures every time; `raise-once:`
    makes the first invocation that sees it raise. Every other message succeeds.
    """

    events: list[dict[str, Any]] = field(default_factory=list)
    max_active: int = 0
    _active: int = 0
    _raised: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self._lock:
            self._active += 1
            self.max_active = max(self.max_active, self._active)
        try:
            self.events.append(event)
            failures = []
            for record in event["Records"]:
                body = record["body"]
                if body.startswith("fail:"):
                    failures.append({"itemIdentifier": record["messageId"]})
                if body.startswith("raise-once:") and body not in self._raised:
                    self._raised.add(body)
                    raise RuntimeError("failing once, as asked")
            return {"batchItemFailures": failures}
        finally:
            with self._lock:
                self._active -= 1

    def records_with(self, body: str) -> list[dict[str, Any]]:
        return [r for event in self.events for r in event["Records"] if r["body"] == body]


@dataclass
class EventRecorder:
    """Records whole events; raises for an event whose detail says `{"fail": true}`."""

    events: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        self.events.append(event)
        if isinstance(event.get("detail"), dict) and event["detail"].get("fail"):
            raise RuntimeError("failing, as asked")

    def with_detail(self, key: str, value: Any) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("detail", {}).get(key) == value]


def posting(**fields: str) -> dict[str, str]:
    """A JobSpy row for a new, unique sales job in Lagos; `fields` override any column."""
    tag = uuid.uuid4().hex[:10]
    row = dict.fromkeys(JOBSPY_COLUMNS, "")
    row.update(
        id=f"in-e2e{tag}",
        site="indeed",
        job_url=f"https://ng.indeed.example/viewjob?jk=e2e{tag}",
        title="Sales Representative",
        company=f"E2E Retail {tag}",
        location="Lagos, LA, NG",
        job_type="fulltime",
        interval="monthly",
        min_amount="300000",
        max_amount="450000",
        currency="NGN",
        is_remote="False",
        description=(
            "We are hiring a Sales Representative in Lagos with 2 to 4 years of field sales "
            "experience to grow retail accounts and meet monthly targets."
        ),
    )
    row.update(fields)
    return row


def jobspy_csv(*rows: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=JOBSPY_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
