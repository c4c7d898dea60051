"""Scheduled: one re-engagement template to lapsed candidates whose matches are waiting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import clock, runtime
from aremu.config import get_settings
from aremu.domain.delivery.reengagement import ReengagementPolicy
from aremu.observability import logger, metrics
from aremu.services.reengagement import reengage
from aremu.tracing import tracer


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    settings = get_settings()
    policy = ReengagementPolicy(
        min_waiting=settings.reengagement_min_waiting,
        period=timedelta(days=settings.reengagement_period_days),
        budget_usd_per_run=settings.reengagement_budget_usd_per_run,
        price_usd=settings.price_marketing_template_usd,
    )
    run = reengage(
        runtime.candidate_store(),
        runtime.delivery_store(),
        runtime.message_store(),
        runtime.whatsapp_sender(),
        settings.reengagement_template_name,
        policy,
        clock.now(),
    )
    return run.__dict__
