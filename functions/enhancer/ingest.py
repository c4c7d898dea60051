"""Scheduled job ingestion: search python-jobspy for what confirmed candidates want."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import clock, runtime
from aremu.jobs.jobspy_source import JobSpySource
from aremu.observability import logger, metrics
from aremu.services.job_pipeline import scheduled_ingest
from aremu.tracing import tracer


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    summary = scheduled_ingest(
        runtime.candidate_store(),
        runtime.job_store(),
        JobSpySource(),
        runtime.search_settings(),
        clock.now(),
    )
    return summary.model_dump(mode="json")
