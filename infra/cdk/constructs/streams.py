"""Stream consumers: the main table's stream, filtered, into each `TableStream` function."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from aremu.wiring import TableStream
from infra.cdk.constructs.functions import Functions

# Stream records live 24 h; failed ones must be kept well past a weekend.
DEAD_LETTER_RETENTION = Duration.days(14)


class TableStreams(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, table: dynamodb.ITable, functions: Functions
    ) -> None:
        super().__init__(scope, construct_id)
        # One per consumer, so a replay tool knows which function a failed record was for.
        self.dead_letter_queues: dict[str, sqs.Queue] = {}

        for spec, function, stream in functions.triggered(TableStream):
            if spec.name not in self.dead_letter_queues:
                self.dead_letter_queues[spec.name] = sqs.Queue(
                    self,
                    f"{spec.name}FailedRecords",
                    encryption=sqs.QueueEncryption.SQS_MANAGED,
                    enforce_ssl=True,
                    retention_period=DEAD_LETTER_RETENTION,
                )
                Validations.of(self.dead_letter_queues[spec.name]).acknowledge(
                    Acknowledgment(
                        id="AwsSolutions-SQS3",
                        reason="This queue is itself a dead-letter queue: the on-failure "
                        "destination of a stream event source mapping.",
                    )
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
                    filters=[lambda_.FilterCriteria.filter(stream.filter_pattern)],
                    on_failure=event_sources.SqsDlq(self.dead_letter_queues[spec.name]),
                )
            )
