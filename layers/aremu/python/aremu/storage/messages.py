"""Messages: outbound records, delivery statuses that only move forward, conversation reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from aremu.storage.errors import is_condition_failure
from aremu.storage.models import (
    IdentityItem,
    MessageItem,
    candidate_key,
    identity_key,
    message_sort_key,
)

# Statuses only move forward: a late "delivered" never overwrites "read". A message read at
# once may never get "delivered" at all, and "failed" ranks below delivery because Meta only
# fails messages it has not delivered.
STATUS_RANK: dict[str, int] = {
    "accepted": 0,
    "sent": 1,
    "failed": 2,
    "delivered": 3,
    "read": 4,
    "played": 5,
}


class StatusOutcome(StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"  # unknown message, stale (out of order) or a repeat
    UNTRACKED = "untracked"  # a status kind that does not move delivery (deleted, warning)


@dataclass(frozen=True)
class StatusUpdate:
    message_id: str
    status: str
    at: datetime
    errors: list[dict[str, Any]]
    recipient_wa_id: str | None = None
    recipient_bsuid: str | None = None


@dataclass(frozen=True)
class OutboundRecord:
    message_id: str
    candidate_id: str
    message_type: str
    text: str | None
    content: dict[str, Any] | None
    sent_at: datetime


class MessageStore:
    def __init__(self, retention: timedelta) -> None:
        self._retention = retention

    def apply_status(self, update: StatusUpdate) -> StatusOutcome:
        rank = STATUS_RANK.get(update.status)
        if rank is None:
            return StatusOutcome.UNTRACKED
        actions: list[Action] = [
            MessageItem.status.set(update.status),
            MessageItem.status_rank.set(rank),
            MessageItem.status_at.set(update.at),
        ]
        if update.errors:
            actions.append(MessageItem.errors.set(update.errors))
        candidate_id = self._recipient(update)
        if candidate_id is None:
            return StatusOutcome.IGNORED
        condition = MessageItem.sk.exists() & (
            MessageItem.status_rank.does_not_exist() | (MessageItem.status_rank < rank)
        )
        try:
            MessageItem(candidate_key(candidate_id), message_sort_key(update.message_id)).update(
                actions=actions, condition=condition
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return StatusOutcome.IGNORED
            raise
        return StatusOutcome.APPLIED

    @staticmethod
    def _recipient(update: StatusUpdate) -> str | None:
        for kind, value in (("wa", update.recipient_wa_id), ("bsuid", update.recipient_bsuid)):
            if value:
                try:
                    identity = IdentityItem.get(identity_key(kind, value), IdentityItem.SORT_KEY)
                except IdentityItem.DoesNotExist:
                    continue
                return identity.candidate_id
        return None

    def record_outbound(self, record: OutboundRecord, now: datetime) -> None:
        self.outbound_item(record, now).save()

    def outbound_item(self, record: OutboundRecord, now: datetime) -> MessageItem:
        return MessageItem(
            candidate_key(record.candidate_id),
            message_sort_key(record.message_id),
            message_id=record.message_id,
            candidate_id=record.candidate_id,
            direction="out",
            message_type=record.message_type,
            text=record.text,
            content=record.content,
            sent_at=record.sent_at,
            stored_at=now,
            status="accepted",
            status_rank=STATUS_RANK["accepted"],
            gsi1pk=candidate_key(record.candidate_id),
            gsi1sk=f"MSG#{record.sent_at.isoformat()}#{record.message_id}",
            expires_at=now + self._retention,
        )

    def get_message(self, candidate_id: str, message_id: str) -> MessageItem | None:
        try:
            return MessageItem.get(candidate_key(candidate_id), message_sort_key(message_id))
        except MessageItem.DoesNotExist:
            return None

    def conversation(self, candidate_id: str, limit: int = 50) -> list[MessageItem]:
        """The candidate's messages, oldest first."""
        items = MessageItem.by_candidate.query(
            candidate_key(candidate_id),
            MessageItem.gsi1sk.startswith("MSG#"),
            scan_index_forward=False,
            limit=limit,
        )
        return list(reversed([item for item in items if isinstance(item, MessageItem)]))
