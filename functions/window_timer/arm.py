"""Stream consumer: arms a window timer for newly stored inbound messages, when none is pending."""

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

from aremu import clock, runtime
from aremu.observability import logger, metrics
from aremu.storage.models import MessageItem
from aremu.tracing import tracer

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def arm_one(record: DynamoDBRecord) -> None:
    message = MessageItem.from_raw_data(record.raw_event["dynamodb"]["NewImage"])
    runtime.window_timer_arming().arm_if_needed(
        message.candidate_id, message.stored_at, clock.now()
    )


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=arm_one, processor=processor, context=context
    )
