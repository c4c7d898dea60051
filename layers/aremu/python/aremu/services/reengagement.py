"""The scheduled re-engagement run: one template to lapsed candidates with waiting matches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit

from aremu.channels.whatsapp.errors import WhatsAppSendError
from aremu.channels.whatsapp.outbound import Template
from aremu.channels.whatsapp.sender import GraphApiSender
from aremu.domain.delivery.reengagement import (
    Lapsed,
    ReengagementPolicy,
    affordable,
    due_for_template,
)
from aremu.domain.delivery.routing import WINDOW
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.storage.candidates import CandidateStore
from aremu.storage.deliveries import DeliveryStore
from aremu.storage.messages import MessageStore, OutboundRecord


@dataclass
class ReengagementRun:
    considered: int = 0
    due: int = 0
    sent: int = 0
    failed: int = 0
    over_budget: int = 0
    estimated_cost_usd: float = 0.0


def reengage(
    candidates: CandidateStore,
    deliveries: DeliveryStore,
    messages: MessageStore,
    sender: GraphApiSender,
    template_name: str,
    policy: ReengagementPolicy,
    now: datetime,
) -> ReengagementRun:
    run = ReengagementRun()
    due: list[tuple[str, str, int]] = []
    # Only active candidates quiet for over a day: a Query on the stage index, by activity.
    for item in candidates.in_stage("active", before=now - WINDOW):
        run.considered += 1
        waiting = len(deliveries.waiting(item.candidate_id))
        lapsed = Lapsed(
            item.candidate_id, item.state, item.last_inbound_at, item.last_template_at, waiting
        )
        address = item.wa_id or item.bsuid
        if address and due_for_template(lapsed, now, policy):
            due.append((item.candidate_id, address, waiting))
    run.due = len(due)
    allowed = affordable(len(due), policy)
    run.over_budget = len(due) - allowed
    for candidate_id, address, waiting in due[:allowed]:
        template = Template.with_body(template_name, str(waiting))
        try:
            result = sender.send(address, template)
        except WhatsAppSendError as error:
            run.failed += 1
            logger.warning("template not sent", extra={"error_code": error.code})
            continue
        candidates.mark_template_sent(candidate_id, now)
        messages.record_outbound(
            OutboundRecord(
                result.message_id, candidate_id, "template", None, {"name": template_name}, now
            ),
            now,
        )
        run.sent += 1
        run.estimated_cost_usd += policy.price_usd
    if run.sent:
        metrics.add_metric(name=Metric.TEMPLATES_SENT, unit=MetricUnit.Count, value=run.sent)
        metrics.add_metric(
            name=Metric.MESSAGE_COST_USD, unit=MetricUnit.NoUnit, value=run.estimated_cost_usd
        )
    logger.info("re-engagement run", extra=run.__dict__)
    return run
