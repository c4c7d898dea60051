"""EventBridge rule target: at-risk alerts, mirrored messages and handback summaries to Slack."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import runtime
from aremu.observability import logger, metrics
from aremu.services.slack_notifier import BusEvent
from aremu.tracing import tracer


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    notify = runtime.slack_notify()
    notify.register_lambda_context(context)
    return notify(BusEvent.model_validate(event))
