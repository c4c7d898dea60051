"""Stream consumer: runs one conversation turn for each newly stored inbound message."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import runtime
from aremu.observability import logger, metrics
from aremu.services.conversation_turn import InboundTurn
from aremu.tracing import tracer

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def run_turn(record: DynamoDBRecord) -> None:
    runtime.conversation_turn()(
        InboundTurn.from_stream_image(record.raw_event["dynamodb"]["NewImage"])
    )


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    runtime.conversation_turn().register_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=run_turn, processor=processor, context=context
    )
