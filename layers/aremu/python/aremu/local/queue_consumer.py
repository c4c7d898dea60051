"""SQS event-source mappings: poll a queue in moto, invoke the function, settle the messages.

It mirrors Lambda's SQS mapping with ReportBatchItemFailures: a batch of up to
`batch_size` messages goes to one invocation; the messages it reports in
`batchItemFailures` stay on the queue and the rest are deleted; a raised exception (or an
identifier that names no message of the batch) fails the whole batch. A failed message
comes back for another receive, and once it has been received `max_receive_count` times
SQS itself (moto, through the redrive policy) moves it to the DLQ on the next receive.

On AWS a failed message reappears after the visibility timeout. Here it is made visible
again at the end of the pass that failed it, so `drain()` settles in a few passes instead
of minutes; the receive count, and so the move to the DLQ, is the same.

Batches of one queue run one at a time, which is within any `max_concurrency` >= 1.

A bus rule is delivered the same way: EventBridge puts each matching event on a queue
of the rule's own (a real rule target in moto), and the consumer unwraps each message
into the EventBridge event the function would receive, one event per invocation, as an
asynchronous invocation is.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aremu.local.aws import QueueAddress
from aremu.local.log import logger
from aremu.local.runtime import LOCAL_ACCOUNT_ID, LocalFunction

# ReceiveMessage returns at most ten messages per call.
MAX_RECEIVE = 10
# Lambda's asynchronous invocation: the first attempt and two retries.
ASYNC_ATTEMPTS = 3

SqsRecord = dict[str, Any]


@dataclass(frozen=True)
class QueueDeadLetter:
    """A message that failed on its last allowed receive: SQS moves it to the DLQ."""

    function: str
    queue: str
    message_id: str
    attempts: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "queue": self.queue,
            "messageId": self.message_id,
            "attempts": self.attempts,
            "reason": self.reason,
        }


@dataclass
class QueueStats:
    messages_received: int = 0
    invocations: int = 0
    messages_deleted: int = 0
    messages_failed: int = 0
    dead_lettered: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class _Outcome:
    failed_ids: frozenset[str]
    reason: str = ""


@dataclass
class QueueConsumer:
    """One function consuming one queue, in batches (a QueueSource)."""

    name: str
    function: LocalFunction
    queue: QueueAddress
    sqs: Any
    region: str
    batch_size: int
    max_receive_count: int
    visibility_timeout_seconds: int
    on_dead_letter: Callable[[QueueDeadLetter], None] | None = None
    stats: QueueStats = field(default_factory=QueueStats)

    def poll(self) -> int:
        """Receive and deliver until the queue has nothing visible; returns messages received."""
        received = 0
        failed_handles: list[str] = []
        while True:
            messages = self._receive()
            if not messages:
                break
            received += len(messages)
            failed_handles.extend(self._deliver(messages))
        # Visible again for the next pass (on AWS: after the visibility timeout).
        for handle in failed_handles:
            self.sqs.change_message_visibility(
                QueueUrl=self.queue.url, ReceiptHandle=handle, VisibilityTimeout=0
            )
        return received

    def depth(self) -> dict[str, int]:
        """Messages waiting or in flight on the queue, and sitting in its DLQ."""
        return {
            "visible": _count(self.sqs, self.queue.url, "ApproximateNumberOfMessages"),
            "in_flight": _count(self.sqs, self.queue.url, "ApproximateNumberOfMessagesNotVisible"),
            "dlq": _count(self.sqs, self.queue.dlq_url, "ApproximateNumberOfMessages"),
        }

    def _receive(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        while len(messages) < self.batch_size:
            page = self.sqs.receive_message(
                QueueUrl=self.queue.url,
                MaxNumberOfMessages=min(MAX_RECEIVE, self.batch_size - len(messages)),
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
                VisibilityTimeout=self.visibility_timeout_seconds,
                WaitTimeSeconds=0,
            )
            got = page.get("Messages", [])
            messages.extend(got)
            if not got:
                break
        return messages

    def _deliver(self, messages: list[dict[str, Any]]) -> list[str]:
        """Invoke once for the batch; delete the successes; the failures' receipt handles."""
        self.stats.messages_received += len(messages)
        records = [self._record(message) for message in messages]
        outcome = self._invoke(records)
        succeeded = [m for m in messages if m["MessageId"] not in outcome.failed_ids]
        failed = [m for m in messages if m["MessageId"] in outcome.failed_ids]
        for start in range(0, len(succeeded), MAX_RECEIVE):
            chunk = succeeded[start : start + MAX_RECEIVE]
            self.sqs.delete_message_batch(
                QueueUrl=self.queue.url,
                Entries=[
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                    for index, message in enumerate(chunk)
                ],
            )
        self.stats.messages_deleted += len(succeeded)
        self.stats.messages_failed += len(failed)
        for message in failed:
            attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            if attempts >= self.max_receive_count:
                self._dead_letter(message["MessageId"], attempts, outcome.reason)
        return [message["ReceiptHandle"] for message in failed]

    def _invoke(self, records: list[SqsRecord]) -> _Outcome:
        self.stats.invocations += 1
        every = frozenset(str(record["messageId"]) for record in records)
        try:
            response = self.function.invoke({"Records": copy.deepcopy(records)})
        except Exception as error:
            logger.exception("queue handler raised", extra={"function": self.function.name})
            return _Outcome(every, f"handler raised {type(error).__name__}")
        return _batch_outcome(records, response)

    def _record(self, message: dict[str, Any]) -> SqsRecord:
        return to_lambda_sqs_record(message, queue_arn=self.queue.arn, region=self.region)

    def _dead_letter(self, message_id: str, attempts: int, reason: str) -> None:
        letter = QueueDeadLetter(self.function.name, self.queue.name, message_id, attempts, reason)
        logger.warning("message goes to the queue's DLQ", extra=letter.as_dict())
        self.stats.dead_lettered += 1
        if self.on_dead_letter is not None:
            self.on_dead_letter(letter)


@dataclass
class RuleConsumer(QueueConsumer):
    """One function receiving the events of a bus rule, one event per invocation."""

    def _deliver(self, messages: list[dict[str, Any]]) -> list[str]:
        failed: list[str] = []
        for message in messages:
            self.stats.messages_received += 1
            self.stats.invocations += 1
            event = json.loads(message["Body"])
            # moto's rule target leaves out the account, which EventBridge always sends.
            event.setdefault("account", LOCAL_ACCOUNT_ID)
            try:
                self.function.invoke(event)
            except Exception as error:
                logger.exception("rule handler raised", extra={"function": self.function.name})
                self.stats.messages_failed += 1
                failed.append(message["ReceiptHandle"])
                attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
                if attempts >= self.max_receive_count:
                    reason = f"handler raised {type(error).__name__}"
                    self._dead_letter(message["MessageId"], attempts, reason)
                continue
            self.sqs.delete_message(QueueUrl=self.queue.url, ReceiptHandle=message["ReceiptHandle"])
            self.stats.messages_deleted += 1
        return failed


def to_lambda_sqs_record(message: dict[str, Any], *, queue_arn: str, region: str) -> SqsRecord:
    """One ReceiveMessage message as a record of Lambda's SQS event."""
    record: SqsRecord = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: _lambda_attribute(value)
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def _lambda_attribute(value: dict[str, Any]) -> dict[str, Any]:
    # Lambda spells SQS's attribute fields in camel case and sends binary as base64.
    attribute: dict[str, Any] = {
        "stringListValues": list(value.get("StringListValues", [])),
        "binaryListValues": [_b64(item) for item in value.get("BinaryListValues", [])],
        "dataType": value["DataType"],
    }
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = _b64(value["BinaryValue"])
    return attribute


def _b64(value: bytes | str) -> str:
    raw = value.encode() if isinstance(value, str) else value
    return base64.b64encode(raw).decode("ascii")


def _batch_outcome(records: list[SqsRecord], response: Any) -> _Outcome:
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if not failures:
        return _Outcome(frozenset())
    ids = {str(record["messageId"]) for record in records}
    failed: set[str] = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if identifier not in ids:
            # Lambda treats an unknown or empty identifier as a failure of the whole batch.
            return _Outcome(frozenset(ids), "invalid batchItemFailures identifier")
        failed.add(str(identifier))
    return _Outcome(frozenset(failed), "reported in batchItemFailures")


def _count(sqs: Any, url: str, attribute: str) -> int:
    answer = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[attribute])
    return int(answer["Attributes"].get(attribute, 0))
