"""Stream consumers: the main table's stream, filtered, into each `TableStream` function."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from aremu.wiring import TableStream
from infra.cdk.constructs.functions import Functions, dead_letter_queue


class TableStreams(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, table: dynamodb.ITable, functions: Functions
    ) -> None:
        super().__init__(scope, construct_id)
        # One per consumer, so a replay tool knows which function a failed record was for.
        # Stream records live 24 h, so these are the only copy of a failed one.
        self.dead_letter_queues: dict[str, sqs.Queue] = {}

        for spec, function, stream in functions.triggered(TableStream):
            if spec.name not in self.dead_letter_queues:
                self.dead_letter_queues[spec.name] = dead_letter_queue(
                    self,
                    f"{spec.name}FailedRecords",
                    reason="the on-failure destination of a stream event source mapping.",
                )
            function.add_event_source(
                event_sources.DynamoEventSource(
                    table,
                    starting_position=lambda_.StartingPosition.LATEST,
                    batch_size=stream.batch_size,
                    max_batching_window=(
                        Duration.seconds(stream.max_batching_window_seconds)
                        if stream.max_batching_window_seconds
                        else None
                    ),
                    retry_attempts=stream.retry_attempts,
                    bisect_batch_on_error=stream.bisect_on_error,
                    # Handlers use Powertools' BatchProcessor: one bad record is retried
                    # alone instead of the whole batch.
                    report_batch_item_failures=True,
                    filters=[
                        lambda_.FilterCriteria.filter(pattern) for pattern in stream.filter_patterns
                    ],
                    on_failure=event_sources.SqsDlq(self.dead_letter_queues[spec.name]),
                )
            )

    @property
    def consumers(self) -> list[str]:
        """The names of the functions reading the stream."""
        return list(self.dead_letter_queues)
