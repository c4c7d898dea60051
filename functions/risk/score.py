"""Risk scoring: the whole pass on a schedule (`{}`), or one candidate named by a domain event."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import clock, runtime
from aremu.observability import logger, metrics
from aremu.services.risk_run import handle
from aremu.tracing import tracer


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle(event, runtime.risk_run(), clock.now())
