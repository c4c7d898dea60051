"""Step Functions Task: one step of a window timer (remind, warn, expire or re-arm)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import clock, runtime
from aremu.observability import logger, metrics
from aremu.services.window_timer import StepRequest
from aremu.tracing import tracer


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = StepRequest.model_validate(event)
    result = runtime.window_timer_steps().run_step(request, clock.now())
    answer: dict[str, Any] = result.model_dump(mode="json")
    return answer
