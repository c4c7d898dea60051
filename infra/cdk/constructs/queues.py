"""The SQS queues in `aremu.wiring.QUEUES`: senders (Access.OUTBOX_SEND) and consumers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import CfnOutput, Duration
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from aremu.wiring import Access, FunctionSpec, QueueSource, QueueSpec
from infra.cdk.constructs.functions import Functions, dead_letter_queue


def queue_url_variable(queue_name: str) -> str:
    """The environment variable holding a queue's URL: `AREMU_QUEUE_URL_<NAME>`."""
    return "AREMU_QUEUE_URL_" + re.sub(r"[^A-Z0-9]", "_", queue_name.upper())


def queue_source_problems(specs: Sequence[FunctionSpec], queues: Sequence[QueueSpec]) -> list[str]:
    """What would make a `QueueSource` fail to deploy or to work."""
    by_name = {queue.name: queue for queue in queues}
    problems: list[str] = []
    for spec in specs:
        for source in spec.queues():
            queue = by_name.get(source.queue)
            if queue is None:
                problems.append(f"{spec.name}: queue {source.queue!r} is not in QUEUES")
            elif queue.visibility_timeout_seconds < spec.timeout_seconds:
                # Lambda refuses such a mapping: a message would reappear while in work.
                problems.append(
                    f"{spec.name}: queue {source.queue!r} hides messages for "
                    f"{queue.visibility_timeout_seconds} s, less than the "
                    f"{spec.timeout_seconds} s timeout"
                )
    return problems


class Queues(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        queues: Sequence[QueueSpec],
        functions: Functions,
    ) -> None:
        super().__init__(scope, construct_id)
        self.specs = {queue.name: queue for queue in queues}
        self.queues: dict[str, sqs.Queue] = {}
        self.dead_letter_queues: dict[str, sqs.Queue] = {}

        for queue in queues:
            self.dead_letter_queues[queue.name] = dead_letter_queue(
                self,
                f"{_pascal(queue.name)}DeadLetters",
                reason=f"the redrive target of the {queue.name} queue.",
            )
            self.queues[queue.name] = sqs.Queue(
                self,
                _pascal(queue.name),
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                enforce_ssl=True,
                visibility_timeout=Duration.seconds(queue.visibility_timeout_seconds),
                dead_letter_queue=sqs.DeadLetterQueue(
                    max_receive_count=queue.max_receive_count,
                    queue=self.dead_letter_queues[queue.name],
                ),
            )
            CfnOutput(self, f"{_pascal(queue.name)}Url", value=self.queues[queue.name].queue_url)

        # The outbox is the only queue kind so far: a sender may send to each of them.
        for _, function, role in functions.with_access(Access.OUTBOX_SEND):
            for name, sqs_queue in self.queues.items():
                sqs_queue.grant_send_messages(role)
                function.add_environment(queue_url_variable(name), sqs_queue.queue_url)

        problems = queue_source_problems(functions.specs, queues)
        if problems:
            raise ValueError(f"queue consumers the queues cannot serve: {problems}")
        for _, function, source in functions.triggered(QueueSource):
            sqs_queue = self.queues[source.queue]
            function.add_environment(queue_url_variable(source.queue), sqs_queue.queue_url)
            function.add_event_source(
                event_sources.SqsEventSource(
                    sqs_queue,
                    batch_size=source.batch_size,
                    max_concurrency=source.max_concurrency,
                    # Handlers use Powertools' BatchProcessor: only failed messages return.
                    report_batch_item_failures=True,
                )
            )


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part)
