"""Outbox consumer: sends job alerts and digests, paced, once each."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import runtime
from aremu.channels.outbox import parse_request
from aremu.observability import logger, metrics
from aremu.tracing import tracer

processor = BatchProcessor(event_type=EventType.SQS)


def send_one(record: SQSRecord) -> None:
    runtime.alert_sender()(parse_request(record.body))


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    runtime.alert_sender().register_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=send_one, processor=processor, context=context
    )
