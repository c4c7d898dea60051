"""The pump: reads the main table's stream and the queues from moto and feeds each consumer.

Each stream consumer is a separate event-source mapping, with its own queue of records,
its own retries and its own dead letters; the stream is read once per pass for all of
them, since each read is a request to moto. Then each queue consumer (SQS mappings and bus
rules) takes what its queue holds. A background thread polls; `drain()` runs passes until
one finds nothing, so callers can wait for follow-on work deterministically: streams feed
queues (the matcher's outbox) and queues feed streams (a sent alert is stored), so one
pass of each is not enough.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from aremu.local.log import logger
from aremu.local.queue_consumer import QueueConsumer, QueueDeadLetter
from aremu.local.runtime import LocalFunction
from aremu.local.stream_consumer import DeadLetter, StreamConsumer
from aremu.local.stream_records import LambdaRecord, to_lambda_record

POLL_INTERVAL_SECONDS = 0.1
# Shards change rarely (every few hours on AWS, never in moto): describing the stream on
# every 100 ms poll would double the pump's load on moto for nothing.
DESCRIBE_INTERVAL_SECONDS = 10.0
MAX_DRAIN_PASSES = 100
BUSY_PAUSE_SECONDS = 0.005


@dataclass
class _ShardCursor:
    iterator: str | None
    last_sequence_number: str | None = None
    closed: bool = False


class StreamReader:
    """A position in every shard of one stream, moving forward as records are read."""

    def __init__(self, *, streams_client: Any, stream_arn: str, region: str) -> None:
        self._streams = streams_client
        self.stream_arn = stream_arn
        self._region = region
        self._cursors: dict[str, _ShardCursor] = {}
        self._shard_ids: list[str] = []
        self._described_at: float | None = None
        self._closed_when_described = 0

    def positions(self) -> dict[str, str | None]:
        return {shard: cursor.last_sequence_number for shard, cursor in self._cursors.items()}

    def read_new(self) -> list[LambdaRecord]:
        """Every record written since the last call, shard by shard, parents first."""
        records: list[LambdaRecord] = []
        for shard_id in self._known_shards():
            cursor = self._cursors.get(shard_id)
            if cursor is None:
                iterator = self._iterator(shard_id, None)
                cursor = self._cursors[shard_id] = _ShardCursor(iterator, closed=iterator is None)
            while not cursor.closed:
                page = self._get_records(shard_id, cursor)
                raw_records = page.get("Records", [])
                for raw in raw_records:
                    records.append(
                        to_lambda_record(raw, region=self._region, stream_arn=self.stream_arn)
                    )
                    cursor.last_sequence_number = raw["dynamodb"]["SequenceNumber"]
                cursor.iterator = page.get("NextShardIterator")
                cursor.closed = cursor.iterator is None
                if not raw_records:
                    break
        return records

    def _known_shards(self) -> list[str]:
        closed = sum(cursor.closed for cursor in self._cursors.values())
        stale = (
            self._described_at is None
            or time.monotonic() - self._described_at > DESCRIBE_INTERVAL_SECONDS
        )
        # A newly closed shard means it has children: look for them at once.
        if stale or closed > self._closed_when_described:
            self._shard_ids = self._describe()
            self._described_at = time.monotonic()
            self._closed_when_described = closed
        return self._shard_ids

    def _describe(self) -> list[str]:
        shard_ids: list[str] = []
        start: dict[str, str] = {}
        while True:
            page = self._streams.describe_stream(StreamArn=self.stream_arn, **start)
            description = page["StreamDescription"]
            # Parents come before their children, so reading in this order keeps key order.
            shard_ids.extend(shard["ShardId"] for shard in description.get("Shards", []))
            last = description.get("LastEvaluatedShardId")
            if not last:
                return shard_ids
            start = {"ExclusiveStartShardId": last}

    def _get_records(self, shard_id: str, cursor: _ShardCursor) -> dict[str, Any]:
        try:
            page: dict[str, Any] = self._streams.get_records(ShardIterator=cursor.iterator)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ExpiredIteratorException":
                raise
            # Iterators expire after 15 minutes on AWS; resume after the last record read.
            cursor.iterator = self._iterator(shard_id, cursor.last_sequence_number)
            page = self._streams.get_records(ShardIterator=cursor.iterator)
        return page

    def _iterator(self, shard_id: str, after: str | None) -> str | None:
        position: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after}
            if after
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        response = self._streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard_id, **position
        )
        iterator: str | None = response.get("ShardIterator")
        return iterator


class StreamPump:
    def __init__(
        self,
        *,
        functions: Iterable[LocalFunction],
        reader: StreamReader,
        poll_interval: float = POLL_INTERVAL_SECONDS,
        queues: Iterable[QueueConsumer] = (),
    ) -> None:
        self._dead_letters: list[DeadLetter | QueueDeadLetter] = []
        # A function with two stream mappings gets a summary line for each.
        self._consumers = {
            function.name if index == 0 else f"{function.name}#{index + 1}": StreamConsumer(
                function, trigger, self._dead_letters.append
            )
            for function in functions
            for index, trigger in enumerate(function.spec.streams())
        }
        self._queues = {consumer.name: consumer for consumer in queues}
        for consumer in self._queues.values():
            consumer.on_dead_letter = self._dead_letters.append
        self._reader = reader
        self._poll_interval = poll_interval
        # One pass at a time (re-entrant so that a drain holds it across its passes): the
        # background thread and drain() share the reader and the consumers' queues.
        self._pass_lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def dead_letters(self) -> list[DeadLetter | QueueDeadLetter]:
        return list(self._dead_letters)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="aremu-stream-pump", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def poll_once(self) -> int:
        """Read once, let every consumer deliver; how many records and messages moved."""
        with self._pass_lock:
            records = self._reader.read_new()
            for consumer in self._consumers.values():
                consumer.offer(records)
                consumer.process()
            # After the streams, so that what they queued is delivered in the same pass.
            received = sum(queue.poll() for queue in self._queues.values())
            return len(records) + received

    def drain(self, max_passes: int = MAX_DRAIN_PASSES) -> dict[str, Any]:
        """Pass until a pass reads nothing; a summary of what was delivered meanwhile."""
        with self._pass_lock:
            before = {name: c.stats.as_dict() for name, c in self._consumers.items()}
            queues_before = {name: q.stats.as_dict() for name, q in self._queues.items()}
            passes, settled = 0, False
            while passes < max_passes and not settled:
                passes += 1
                settled = self.poll_once() == 0
            consumers: dict[str, dict[str, int]] = {}
            for name, consumer in self._consumers.items():
                now, then = consumer.stats.as_dict(), before[name]
                consumers[name] = {key: now[key] - then[key] for key in now}
            queues: dict[str, dict[str, int]] = {}
            for name, queue in self._queues.items():
                now, then = queue.stats.as_dict(), queues_before[name]
                queues[name] = {key: now[key] - then[key] for key in now}
            return {
                "settled": settled,
                "passes": passes,
                "consumers": consumers,
                "queues": queues,
                "dead_lettered": [letter.as_dict() for letter in self._dead_letters],
            }

    def status(self) -> dict[str, Any]:
        """Totals since the start, the stream position, and every dead letter."""
        with self._pass_lock:
            return {
                "positions": self._reader.positions(),
                "consumers": {
                    name: {**consumer.stats.as_dict(), "pending": consumer.pending}
                    for name, consumer in self._consumers.items()
                },
                "queues": {
                    name: {**queue.stats.as_dict(), **queue.depth()}
                    for name, queue in self._queues.items()
                },
                "dead_lettered": [letter.as_dict() for letter in self._dead_letters],
            }

    def _run(self) -> None:
        while not self._stop.is_set():
            moved = 0
            try:
                moved = self.poll_once()
            except Exception:
                logger.exception("pump pass failed")
            # Straight on while there is work, as Lambda's pollers are; the short pause
            # lets a waiting drain() take the lock.
            self._stop.wait(BUSY_PAUSE_SECONDS if moved else self._poll_interval)
