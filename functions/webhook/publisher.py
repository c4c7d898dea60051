"""Stream consumer: publishes a domain event for each new message and stage change."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import runtime
from aremu.observability import logger, metrics
from aremu.services.event_outbox import StreamImage, publish_new_items
from aremu.tracing import tracer


# Not Powertools' BatchProcessor: it handles records one by one, and PutEvents takes ten
# per call; the partial-failure response is still the one Lambda expects.
@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
@event_source(data_class=DynamoDBStreamEvent)
def handler(event: DynamoDBStreamEvent, context: LambdaContext) -> PartialItemFailureResponse:
    images = [
        StreamImage(record.raw_event["dynamodb"]["SequenceNumber"], _new_image(record.raw_event))
        for record in event.records
    ]
    failed = publish_new_items(images, runtime.event_bus())
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}


def _new_image(raw: dict[str, Any]) -> dict[str, Any]:
    image: dict[str, Any] = raw["dynamodb"].get("NewImage", {})
    return image
