"""One stream event-source mapping: filter, batch, invoke, retry, bisect, dead-letter.

It mirrors Lambda's DynamoDB stream mapping with ReportBatchItemFailures: records are
delivered in order; a failed batch is retried from its first failed record; with bisection
a failing batch is halved before the retry (halving does not use up retry attempts); once
the retries are spent the failing records go to the on-failure destination and the
mapping moves on.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aremu.local.log import logger
from aremu.local.runtime import LocalFunction
from aremu.local.stream_records import LambdaRecord, RecordFilter, sequence_number
from aremu.wiring import TableStream


@dataclass(frozen=True)
class DeadLetter:
    """What the on-failure destination would receive about one discarded record."""

    function: str
    event_id: str
    event_name: str
    sequence_number: str
    attempts: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "eventID": self.event_id,
            "eventName": self.event_name,
            "sequenceNumber": self.sequence_number,
            "attempts": self.attempts,
            "reason": self.reason,
        }


@dataclass
class ConsumerStats:
    records_read: int = 0
    records_matched: int = 0
    invocations: int = 0
    records_delivered: int = 0
    dead_lettered: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class _Outcome:
    failed_at: int | None
    reason: str = ""


@dataclass
class StreamConsumer:
    function: LocalFunction
    trigger: TableStream
    on_dead_letter: Callable[[DeadLetter], None]
    stats: ConsumerStats = field(default_factory=ConsumerStats)

    def __post_init__(self) -> None:
        self._filter = RecordFilter(self.trigger.filter_pattern)
        self._pending: deque[LambdaRecord] = deque()
        self._limit = self.trigger.batch_size
        self._attempts = 0

    @property
    def name(self) -> str:
        return self.function.name

    @property
    def pending(self) -> int:
        return len(self._pending)

    def offer(self, records: Iterable[LambdaRecord]) -> None:
        """Queue the records that pass the filter; the others are skipped, as on Lambda."""
        for record in records:
            self.stats.records_read += 1
            if self._filter.matches(record):
                self.stats.records_matched += 1
                self._pending.append(record)

    def process(self) -> None:
        """Deliver everything queued, retrying and dead-lettering as the mapping would."""
        while self._pending:
            batch = [self._pending[i] for i in range(min(self._limit, len(self._pending)))]
            outcome = self._invoke(batch)
            delivered = len(batch) if outcome.failed_at is None else outcome.failed_at
            for _ in range(delivered):
                self._pending.popleft()
            self.stats.records_delivered += delivered
            if outcome.failed_at is None:
                self._reset()
                continue
            if delivered:
                self._attempts = 0
            failing = batch[delivered:]
            if self.trigger.bisect_on_error and len(failing) > 1:
                self._limit = max(1, len(failing) // 2)
                continue
            self._attempts += 1
            if self._attempts > self.trigger.retry_attempts:
                self._dead_letter(failing, outcome.reason)

    def _reset(self) -> None:
        self._limit = self.trigger.batch_size
        self._attempts = 0

    def _invoke(self, batch: list[LambdaRecord]) -> _Outcome:
        self.stats.invocations += 1
        try:
            # A copy per invocation, as Lambda sends each its own JSON: the same records go
            # to every consumer, and a handler may change its event.
            response = self.function.invoke({"Records": copy.deepcopy(batch)})
        except Exception as error:
            logger.exception("stream handler raised", extra={"function": self.name})
            return _Outcome(0, f"handler raised {type(error).__name__}")
        return _batch_outcome(batch, response)

    def _dead_letter(self, records: list[LambdaRecord], reason: str) -> None:
        for record in records:
            self._pending.popleft()
            letter = DeadLetter(
                function=self.name,
                event_id=str(record["eventID"]),
                event_name=str(record["eventName"]),
                sequence_number=sequence_number(record),
                attempts=self._attempts,
                reason=reason,
            )
            logger.warning("record sent to the on-failure destination", extra=letter.as_dict())
            self.stats.dead_lettered += 1
            self.on_dead_letter(letter)
        self._reset()


def _batch_outcome(batch: list[LambdaRecord], response: Any) -> _Outcome:
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if not failures:
        return _Outcome(None)
    positions = {sequence_number(record): index for index, record in enumerate(batch)}
    indexes = []
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if identifier not in positions:
            # Lambda treats an unknown or empty identifier as a failure of the whole batch.
            return _Outcome(0, "invalid batchItemFailures identifier")
        indexes.append(positions[identifier])
    return _Outcome(min(indexes), "reported in batchItemFailures")
