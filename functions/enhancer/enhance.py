"""Stream consumer: enhances each newly stored RAW job, with OpenAI or offline."""

from __future__ import annotations

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import clock, runtime
from aremu.observability import logger, metrics
from aremu.services.job_pipeline import enhance_new_jobs
from aremu.storage.jobs import job_from_stream_image
from aremu.tracing import tracer


# The whole batch goes to the enhancer at once, which runs its calls concurrently; a job
# whose AI call fails falls back offline inside it, so only a storage error fails the batch.
@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
@event_source(data_class=DynamoDBStreamEvent)
def handler(event: DynamoDBStreamEvent, context: LambdaContext) -> PartialItemFailureResponse:
    jobs = [
        job_from_stream_image(record.raw_event["dynamodb"]["NewImage"]) for record in event.records
    ]
    enhance_new_jobs(jobs, runtime.job_enhancer(), runtime.job_store(), clock.now())
    return {"batchItemFailures": []}
