"""Domain events with the shapes of DESIGN.md, derived from the items a change wrote.

Events are published from the table stream (an outbox): a function that fails after its
write loses nothing, because the stream hands the new item to the publisher and retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aremu.names import EventType


@dataclass(frozen=True)
class DomainEvent:
    detail_type: EventType
    detail: dict[str, Any]
    time: datetime


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def message_received(
    candidate_id: str, message_id: str, content: str | None, timestamp: datetime
) -> DomainEvent:
    return DomainEvent(
        EventType.MESSAGE_RECEIVED,
        {
            "candidateId": candidate_id,
            "messageId": message_id,
            "content": content or "",
            "timestamp": _iso(timestamp),
            "source": "whatsapp",
        },
        timestamp,
    )


def message_sent(
    candidate_id: str,
    message_id: str,
    content: str | None,
    timestamp: datetime,
    operator_id: str | None = None,
) -> DomainEvent:
    detail: dict[str, Any] = {
        "candidateId": candidate_id,
        "messageId": message_id,
        "content": content or "",
        "timestamp": _iso(timestamp),
        "source": "operator" if operator_id else "bot",
    }
    if operator_id:
        detail["operatorId"] = operator_id
    return DomainEvent(EventType.MESSAGE_SENT, detail, timestamp)


def candidate_state_changed(
    candidate_id: str, previous: str, new: str, timestamp: datetime, trigger: str
) -> DomainEvent:
    return DomainEvent(
        EventType.CANDIDATE_STATE_CHANGED,
        {
            "candidateId": candidate_id,
            "previousState": previous,
            "newState": new,
            "timestamp": _iso(timestamp),
            "trigger": trigger,
        },
        timestamp,
    )
