"""Stream consumer: matches each newly ENHANCED job to the candidates and routes the alerts."""

from __future__ import annotations

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import clock, runtime
from aremu.config import get_settings
from aremu.observability import logger, metrics
from aremu.services.matching import match_jobs
from aremu.storage.jobs import job_from_stream_image
from aremu.tracing import tracer


# The batch is matched as a whole (one profile refresh for all its jobs); delivery records
# make a retried batch harmless, so a failure fails the batch rather than single records.
@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
@event_source(data_class=DynamoDBStreamEvent)
def handler(event: DynamoDBStreamEvent, context: LambdaContext) -> PartialItemFailureResponse:
    jobs = [
        job_from_stream_image(record.raw_event["dynamodb"]["NewImage"]) for record in event.records
    ]
    match_jobs(
        jobs,
        runtime.profile_cache(),
        runtime.delivery_store(),
        runtime.outbox(),
        runtime.delivery_policy(),
        get_settings().match_threshold,
        clock.now(),
    )
    return {"batchItemFailures": []}
