"""Accept a verified WhatsApp webhook: store each new message once, apply each status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from aremu.channels.whatsapp.inbound import (
    KNOWN_MESSAGE_TYPES,
    Contact,
    InboundMessage,
    Status,
    WebhookPayload,
)
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.storage.inbound import InboundStore, NewInboundMessage, SenderIdentity
from aremu.storage.messages import MessageStore, StatusOutcome, StatusUpdate

_COMMON_FIELDS = {"id", "from", "from_user_id", "timestamp", "context", "type"}


@dataclass
class WebhookOutcome:
    stored: int = 0
    duplicates: int = 0
    unknown_types: int = 0
    unattributed: int = 0
    statuses_applied: int = 0
    statuses_ignored: int = 0


def sender_identity(message: InboundMessage, contact: Contact | None) -> SenderIdentity | None:
    wa_id = message.from_ or (contact.wa_id if contact else None)
    bsuid = message.from_user_id or (contact.user_id if contact else None)
    if not wa_id and not bsuid:
        return None
    return SenderIdentity(
        wa_id=wa_id,
        bsuid=bsuid,
        username=contact.username if contact else None,
        profile_name=contact.display_name if contact else None,
    )


def to_new_message(message: InboundMessage) -> NewInboundMessage:
    content: dict[str, Any] = message.model_dump(mode="json", by_alias=True, exclude_none=True)
    specific = {
        key: value for key, value in content.items() if key not in _COMMON_FIELDS and value != []
    }
    return NewInboundMessage(
        message_id=message.id,
        message_type=message.type,
        text=message.text_content(),
        button_id=message.button_id(),
        content=specific or None,
        reply_to=message.context.id if message.context else None,
        sent_at=message.timestamp,
    )


def to_status_update(status: Status) -> StatusUpdate:
    return StatusUpdate(
        message_id=status.id,
        status=status.status,
        at=status.timestamp,
        errors=[error.model_dump(mode="json", exclude_none=True) for error in status.errors],
        recipient_wa_id=status.recipient_id,
        recipient_bsuid=status.recipient_user_id,
    )


def accept_webhook(
    payload: WebhookPayload, inbound: InboundStore, messages: MessageStore, now: datetime
) -> WebhookOutcome:
    outcome = WebhookOutcome()
    for message, contact in payload.messages():
        if message.type not in KNOWN_MESSAGE_TYPES:
            outcome.unknown_types += 1
            logger.warning("unknown message type", extra={"message_type": message.type[:40]})
        sender = sender_identity(message, contact)
        if sender is None:
            outcome.unattributed += 1
            logger.warning("message without a sender id", extra={"message_id": message.id})
            continue
        result = inbound.record(sender, to_new_message(message), now)
        if result.stored:
            outcome.stored += 1
        else:
            outcome.duplicates += 1
        logger.info(
            "inbound message",
            extra={
                "candidate_id": result.candidate_id,
                "message_id": message.id,
                "message_type": message.type[:40],
                "duplicate": not result.stored,
            },
        )
    for status in payload.statuses():
        applied = messages.apply_status(to_status_update(status)) is StatusOutcome.APPLIED
        outcome.statuses_applied += applied
        outcome.statuses_ignored += not applied
        logger.info(
            "status callback",
            extra={
                "message_id": status.id,
                "status": status.status[:20],
                "applied": applied,
                "error_codes": [error.code for error in status.errors],
            },
        )
    return outcome


def record_outcome_metrics(outcome: WebhookOutcome) -> None:
    counts = {
        Metric.WEBHOOK_MESSAGES_STORED: outcome.stored,
        Metric.WEBHOOK_DUPLICATES: outcome.duplicates,
        Metric.WEBHOOK_UNKNOWN_TYPES: outcome.unknown_types,
        Metric.WEBHOOK_STATUSES_APPLIED: outcome.statuses_applied,
        Metric.WEBHOOK_STATUSES_IGNORED: outcome.statuses_ignored,
    }
    for name, value in counts.items():
        if value:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
