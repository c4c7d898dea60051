"""Deliveries: one item per candidate x job, written before anything is sent.

The conditional put on CAND#<id> / DELIVERY#<job id> is what makes an alert go out at most
once, whatever the stream retries or concurrent batches do.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.transactions import TransactWrite

from aremu.storage.errors import is_condition_failure
from aremu.storage.models import CandidateItem, MessageItem, _Item, _TableMeta, candidate_key

DELIVERY_PREFIX = "DELIVERY#"


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # in the outbox
    WAITING = "waiting"  # for the window, quiet hours or tomorrow's cap
    SENT = "sent"
    SKIPPED = "skipped"  # the candidate could no longer receive alerts
    FAILED = "failed"  # WhatsApp refused it for good


class DeliveryItem(_Item):
    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="delivery")
    candidate_id = UnicodeAttribute()
    job_id = UnicodeAttribute()
    score = NumberAttribute()
    reason = UnicodeAttribute()
    status = UnicodeAttribute()
    waiting_for = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute(null=True)

    SORT_PREFIX: ClassVar[str] = DELIVERY_PREFIX


def delivery_sort_key(job_id: str) -> str:
    return f"{DELIVERY_PREFIX}{job_id}"


class DeliveryStore:
    def __init__(self, connection: Connection, retention: timedelta) -> None:
        self._connection = connection
        self._retention = retention

    def claim(
        self,
        candidate_id: str,
        job_id: str,
        score: float,
        reason: str,
        status: DeliveryStatus,
        waiting_for: str | None,
        now: datetime,
    ) -> bool:
        """Record the match; False when this job was already matched to this candidate."""
        item = DeliveryItem(
            candidate_key(candidate_id),
            delivery_sort_key(job_id),
            candidate_id=candidate_id,
            job_id=job_id,
            score=round(score, 1),
            reason=reason,
            status=status.value,
            waiting_for=waiting_for,
            created_at=now,
            updated_at=now,
            expires_at=now + self._retention,
        )
        try:
            item.save(condition=DeliveryItem.sk.does_not_exist())
        except PutError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def get(self, candidate_id: str, job_id: str) -> DeliveryItem | None:
        try:
            return DeliveryItem.get(candidate_key(candidate_id), delivery_sort_key(job_id))
        except DeliveryItem.DoesNotExist:
            return None

    def mark(
        self, candidate_id: str, job_id: str, status: DeliveryStatus, now: datetime, why: str = ""
    ) -> None:
        DeliveryItem(candidate_key(candidate_id), delivery_sort_key(job_id)).update(
            actions=[
                DeliveryItem.status.set(status.value),
                DeliveryItem.waiting_for.set(why) if why else DeliveryItem.waiting_for.remove(),
                DeliveryItem.updated_at.set(now),
            ]
        )

    def mark_sent(
        self, candidate_id: str, job_id: str, message: MessageItem | None, now: datetime
    ) -> None:
        """The delivery is sent and its message recorded: one transaction."""
        with TransactWrite(connection=self._connection) as transaction:
            transaction.update(
                DeliveryItem(candidate_key(candidate_id), delivery_sort_key(job_id)),
                actions=[
                    DeliveryItem.status.set(DeliveryStatus.SENT.value),
                    DeliveryItem.waiting_for.remove(),
                    DeliveryItem.updated_at.set(now),
                    *([DeliveryItem.message_id.set(message.message_id)] if message else []),
                ],
            )
            if message is not None:
                transaction.save(message)

    def waiting(self, candidate_id: str) -> list[DeliveryItem]:
        """The candidate's waiting matches, best first."""
        items = DeliveryItem.query(
            candidate_key(candidate_id),
            DeliveryItem.sk.startswith(DELIVERY_PREFIX),
            filter_condition=DeliveryItem.status == DeliveryStatus.WAITING.value,
        )
        return sorted(items, key=lambda item: -item.score)

    def for_candidate(self, candidate_id: str) -> list[DeliveryItem]:
        return list(
            DeliveryItem.query(
                candidate_key(candidate_id), DeliveryItem.sk.startswith(DELIVERY_PREFIX)
            )
        )


class AlertAllowance:
    """The per-candidate daily cap, counted on the candidate item in their local day."""

    def reserve(self, candidate_id: str, day: str, cap: int) -> bool:
        key = (candidate_key(candidate_id), CandidateItem.SORT_KEY)
        try:
            CandidateItem(*key).update(
                actions=[CandidateItem.alerts_today.add(1)],
                condition=(CandidateItem.alerts_day == day) & (CandidateItem.alerts_today < cap),
            )
            return True
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
        try:
            # A new day: start its count at one, unless another send already did.
            CandidateItem(*key).update(
                actions=[CandidateItem.alerts_day.set(day), CandidateItem.alerts_today.set(1)],
                condition=CandidateItem.pk.exists()
                & (CandidateItem.alerts_day.does_not_exist() | (CandidateItem.alerts_day != day)),
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def release(self, candidate_id: str, day: str) -> None:
        """Give back a reserved send that did not happen."""
        try:
            CandidateItem(candidate_key(candidate_id), CandidateItem.SORT_KEY).update(
                actions=[CandidateItem.alerts_today.add(-1)],
                condition=(CandidateItem.alerts_day == day) & (CandidateItem.alerts_today > 0),
            )
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
