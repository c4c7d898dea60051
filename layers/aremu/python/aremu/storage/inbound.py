"""Record an inbound WhatsApp message exactly once, with its candidate and window, in one write.

Two DynamoDB requests per message: a BatchGetItem that resolves the sender's identities
to a candidate, and a TransactWriteItems that puts the message (conditional on its id),
upserts the candidate, extends the window and links any new identity. A redelivered
message fails the condition and changes nothing.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from aremu.storage.errors import is_transaction_conflict
from aremu.storage.models import (
    CandidateItem,
    IdentityItem,
    MessageItem,
    WindowItem,
    activity_key,
    candidate_key,
    identity_key,
    message_sort_key,
    stage_key,
)


@dataclass(frozen=True)
class SenderIdentity:
    """Who wrote: a phone number (wa_id), a business-scoped user id, or both."""

    wa_id: str | None = None
    bsuid: str | None = None
    username: str | None = None
    profile_name: str | None = None

    def identity_keys(self) -> list[str]:
        keys = []
        if self.wa_id:
            keys.append(identity_key("wa", self.wa_id))
        if self.bsuid:
            keys.append(identity_key("bsuid", self.bsuid))
        return keys


@dataclass(frozen=True)
class NewInboundMessage:
    message_id: str
    message_type: str
    text: str | None
    button_id: str | None
    content: dict[str, Any] | None
    reply_to: str | None
    sent_at: datetime


@dataclass(frozen=True)
class RecordOutcome:
    candidate_id: str
    stored: bool  # False: a redelivery of a message already stored


class IdentityRace(Exception):
    """Another request linked the same identity first; resolve again and retry."""


NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def new_candidate_id() -> str:
    return "c" + uuid.uuid4().hex[:24]


class InboundStore:
    _MAX_ATTEMPTS = 4

    def __init__(
        self,
        connection: Connection,
        retention: timedelta,
        new_id: Callable[[], str] = new_candidate_id,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._connection = connection
        self._retention = retention
        self._new_id = new_id
        self._sleep = sleep

    def record(
        self, sender: SenderIdentity, message: NewInboundMessage, now: datetime
    ) -> RecordOutcome:
        for attempt in range(1, self._MAX_ATTEMPTS + 1):
            candidate_id, unlinked = self._resolve(sender)
            try:
                stored = self._write(candidate_id, unlinked, sender, message, now)
            except IdentityRace:
                continue
            except TransactWriteError as error:
                if attempt == self._MAX_ATTEMPTS or not is_transaction_conflict(error):
                    raise
                # Concurrent redeliveries touch the same items; back off and let one win.
                self._sleep(random.uniform(0, 0.05 * attempt))
                continue
            return RecordOutcome(candidate_id=candidate_id, stored=stored)
        raise RuntimeError("could not record the inbound message")

    def _resolve(self, sender: SenderIdentity) -> tuple[str, list[str]]:
        keys = sender.identity_keys()
        found = {
            item.pk: item.candidate_id
            for item in IdentityItem.batch_get([(key, IdentityItem.SORT_KEY) for key in keys])
        }
        candidate_id = next(iter(found.values()), None) or self._new_id()
        return candidate_id, [key for key in keys if key not in found]

    def _write(
        self,
        candidate_id: str,
        unlinked: list[str],
        sender: SenderIdentity,
        message: NewInboundMessage,
        now: datetime,
    ) -> bool:
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.save(
                    self._message_item(candidate_id, message, now),
                    condition=MessageItem.sk.does_not_exist(),
                )
                transaction.update(
                    CandidateItem(candidate_key(candidate_id), CandidateItem.SORT_KEY),
                    actions=self._candidate_actions(candidate_id, sender, now),
                )
                transaction.update(
                    WindowItem(candidate_key(candidate_id), WindowItem.SORT_KEY),
                    actions=[
                        WindowItem.kind.set("window"),
                        WindowItem.candidate_id.set(candidate_id),
                        WindowItem.last_inbound_at.set(now),
                        WindowItem.epoch.add(1),
                    ],
                )
                for key in unlinked:
                    transaction.save(
                        IdentityItem(
                            key,
                            IdentityItem.SORT_KEY,
                            candidate_id=candidate_id,
                            gsi1pk=candidate_key(candidate_id),
                            gsi1sk=key,
                        ),
                        condition=IdentityItem.pk.does_not_exist(),
                    )
        except TransactWriteError as error:
            reasons = [reason.code if reason else None for reason in error.cancellation_reasons]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                return False
            if "ConditionalCheckFailed" in reasons[3:]:
                raise IdentityRace() from error
            raise
        return True

    def _message_item(
        self, candidate_id: str, message: NewInboundMessage, now: datetime
    ) -> MessageItem:
        return MessageItem(
            candidate_key(candidate_id),
            message_sort_key(message.message_id),
            message_id=message.message_id,
            candidate_id=candidate_id,
            direction="in",
            message_type=message.message_type,
            text=message.text,
            button_id=message.button_id,
            content=message.content,
            reply_to=message.reply_to,
            sent_at=message.sent_at,
            stored_at=now,
            gsi1pk=candidate_key(candidate_id),
            gsi1sk=f"MSG#{message.sent_at.isoformat()}#{message.message_id}",
            expires_at=now + self._retention,
        )

    @staticmethod
    def _candidate_actions(
        candidate_id: str, sender: SenderIdentity, now: datetime
    ) -> list[Action]:
        actions: list[Action] = [
            CandidateItem.kind.set("candidate"),
            CandidateItem.candidate_id.set(candidate_id),
            CandidateItem.state.set(CandidateItem.state | "new"),
            CandidateItem.created_at.set(CandidateItem.created_at | now),
            # Never written before reads as the epoch: a window long closed.
            CandidateItem.previous_inbound_at.set(CandidateItem.last_inbound_at | NEVER),
            CandidateItem.last_inbound_at.set(now),
            CandidateItem.messages_in.add(1),
            CandidateItem.gsi1pk.set(CandidateItem.gsi1pk | stage_key("new")),
            CandidateItem.gsi1sk.set(activity_key(now, candidate_id)),
        ]
        optional = (
            (CandidateItem.wa_id, sender.wa_id),
            (CandidateItem.bsuid, sender.bsuid),
            (CandidateItem.username, sender.username),
            (CandidateItem.profile_name, sender.profile_name),
        )
        actions.extend(attribute.set(value) for attribute, value in optional if value)
        return actions
