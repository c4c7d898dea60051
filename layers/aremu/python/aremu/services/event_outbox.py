"""Turn new table items from the stream into domain events and publish them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aremu.channels.eventbridge import EventBusPublisher
from aremu.domain.events import (
    DomainEvent,
    candidate_state_changed,
    message_received,
    message_sent,
)
from aremu.names import EventType
from aremu.observability import logger
from aremu.storage.models import MessageItem, OutboxEventItem, TransitionItem


@dataclass(frozen=True)
class StreamImage:
    sequence_number: str
    image: dict[str, Any]


def event_for(image: dict[str, Any]) -> DomainEvent | None:
    kind = image.get("kind", {}).get("S")
    if kind == "message":
        message = MessageItem.from_raw_data(image)
        if message.direction == "in":
            return message_received(
                message.candidate_id, message.message_id, message.text, message.sent_at
            )
        return message_sent(
            message.candidate_id,
            message.message_id,
            message.text,
            message.sent_at,
            message.operator_id,
        )
    if kind == "transition":
        change = TransitionItem.from_raw_data(image)
        return candidate_state_changed(
            change.candidate_id, change.previous_stage, change.new_stage, change.at, change.trigger
        )
    if kind == "event":
        item = OutboxEventItem.from_raw_data(image)
        return DomainEvent(EventType(item.detail_type), dict(item.detail), item.at)
    return None


def publish_new_items(images: list[StreamImage], bus: EventBusPublisher) -> list[str]:
    """Publish an event per item; returns the sequence numbers whose event did not go out."""
    events: list[DomainEvent] = []
    sources: list[str] = []
    for record in images:
        event = event_for(record.image)
        if event is None:
            logger.warning("stream item is not an event", extra={"seq": record.sequence_number})
            continue
        events.append(event)
        sources.append(record.sequence_number)
    failed = [sources[index] for index in bus.publish(events)]
    logger.info(
        "events published", extra={"published": len(events) - len(failed), "failed": len(failed)}
    )
    return failed
