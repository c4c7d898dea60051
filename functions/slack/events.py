"""Slack on API Gateway: events, interactivity and slash commands, all on POST /slack/events.

The same function also receives its own lazy-listener invocations (bolt's Lambda runner).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import runtime
from aremu.observability import logger, metrics


# No Powertools tracer, as on the WhatsApp webhook: its import would lengthen the cold start
# that Slack's 3-second acknowledgement has to absorb (see aremu.tracing).
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return runtime.slack_events().handle(event, context)
