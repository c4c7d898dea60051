"""The operator desk's storage: holds, interventions and outcomes, Slack threads, send claims.

- A hold (a recruiter's takeover) lives on the candidate item (`operator_*`): taking it is a
  conditional update on `operator_id`, in one transaction with the intervention item and
  the OperatorTakeover outbox event; ending it clears those fields, records the outcome on
  the same intervention and writes OperatorHandback, again in one transaction.
- An intervention (takeover, nudge, dismiss) is CAND#<id> / INTERVENTION#<iso>#<action>;
  a takeover's is found again from the hold's `operator_since`.
- A Slack thread attached to a hold is an identity item, ID#slack#<channel>#<thread ts>:
  a thread reply finds its candidate with one GetItem, and erasure removes it with the
  candidate's other identities.
- A claim, CAND#<id> / SEND#<key>, makes an effect happen once per key: a recruiter's
  reply once per Slack event, a nudge or a dismissal once per alert, a hold's Slack
  thread once per hold (completed with the thread's place once it is posted). A
  conditional put rather than Powertools idempotency: the claim lives with the candidate
  (erased with them, expired by TTL), a send's claim is completed in the same transaction
  that stores the sent message, so "sent" and "recorded" cannot disagree, it needs no
  Lambda context, and an effect that did not happen (window closed, failure) gives the
  claim back so that a retry decides again instead of replaying a refusal.
- A transaction DynamoDB cancels because another was writing one of its items (a risk
  run checking the candidate, say) is tried again; a failed condition is an answer.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from pynamodb.attributes import (
    BooleanAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from aremu.names import EventType
from aremu.storage.errors import is_condition_failure, is_transaction_conflict
from aremu.storage.models import (
    CandidateItem,
    IdentityItem,
    MessageItem,
    OutboxEventItem,
    _Item,
    _TableMeta,
    activity_key,
    candidate_key,
    identity_key,
    outbox_event,
    stage_key,
)

INTERVENTION_PREFIX = "INTERVENTION#"
SEND_CLAIM_PREFIX = "SEND#"
SLACK_THREAD = "slack"
# Longer than one send with the sender's retries: a claim older than this whose send never
# completed (the function died) may be taken again.
CLAIM_LEASE = timedelta(minutes=2)
# Slack retries within minutes; three days is plenty and keeps the partition small.
CLAIM_RETENTION = timedelta(days=3)
_MAX_RAW_KEY = 200
TRANSACT_ATTEMPTS = 3  # when DynamoDB cancels a write for a concurrent one on its items
GONE_STATES = frozenset({"opted_out", "erased"})


class InterventionAction(StrEnum):
    TAKEOVER = "takeover"
    NUDGE = "nudge"
    DISMISS = "dismiss"


class InterventionOutcome(StrEnum):
    OPEN = "open"  # a takeover still held
    HANDED_BACK = "handed_back"
    CANDIDATE_OPTED_OUT = "candidate_opted_out"
    CANDIDATE_ERASED = "candidate_erased"
    SENT_TEXT = "sent_text"
    SENT_TEMPLATE = "sent_template"
    FAILED = "failed"
    DISMISSED = "dismissed"
    THREAD_NOT_OPENED = "thread_not_opened"  # Slack refused the takeover's thread


class HoldEnd(StrEnum):
    """Who ended a hold: the recruiter handing back, or the candidate leaving."""

    RECRUITER = "recruiter"
    CANDIDATE_OPTED_OUT = "candidate_opted_out"
    CANDIDATE_ERASED = "candidate_erased"
    THREAD_NOT_OPENED = "thread_not_opened"


# What the recruiters read when a hold ended without a handback. No personal data.
AUTOMATIC_SUMMARIES: dict[HoldEnd, str] = {
    HoldEnd.CANDIDATE_OPTED_OUT: (
        "The candidate asked to stop messages: the hold ended and nobody may message them."
    ),
    HoldEnd.CANDIDATE_ERASED: (
        "The candidate asked for their data to be deleted: the hold ended and it is erased."
    ),
    HoldEnd.THREAD_NOT_OPENED: (
        "Slack did not take the takeover's thread, so Aremu kept the conversation."
    ),
}
_OUTCOME_OF_END: dict[HoldEnd, InterventionOutcome] = {
    HoldEnd.RECRUITER: InterventionOutcome.HANDED_BACK,
    HoldEnd.CANDIDATE_OPTED_OUT: InterventionOutcome.CANDIDATE_OPTED_OUT,
    HoldEnd.CANDIDATE_ERASED: InterventionOutcome.CANDIDATE_ERASED,
    HoldEnd.THREAD_NOT_OPENED: InterventionOutcome.THREAD_NOT_OPENED,
}


class InterventionItem(_Item):
    """One thing a recruiter did about a candidate, and how it turned out."""

    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="intervention")
    candidate_id = UnicodeAttribute()
    action = UnicodeAttribute()
    operator_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    reason = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute()
    message_id = UnicodeAttribute(null=True)
    # Takeovers only, when the hold ends.
    summary = UnicodeAttribute(null=True)
    ended_at = UTCDateTimeAttribute(null=True)
    ended_by = UnicodeAttribute(null=True)
    candidate_replied = BooleanAttribute(null=True)
    retained = BooleanAttribute(null=True)


class SendClaimItem(_Item):
    class Meta(_TableMeta):
        pass

    SORT_PREFIX: ClassVar[str] = SEND_CLAIM_PREFIX
    kind = UnicodeAttribute(default="send_claim")
    candidate_id = UnicodeAttribute()
    state = UnicodeAttribute()  # "pending" while the send runs, then "done"
    claimed_at = UTCDateTimeAttribute()
    message_id = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)


DESK_MODELS: tuple[type[_Item], ...] = (InterventionItem, SendClaimItem)


def intervention_sort_key(at: datetime, action: InterventionAction) -> str:
    return f"{INTERVENTION_PREFIX}{at.isoformat()}#{action.value}"


def claim_sort_key(dedup_key: str) -> str:
    # Slack's ids are short; anything longer is hashed to stay well inside the key limit.
    if len(dedup_key) > _MAX_RAW_KEY:
        dedup_key = hashlib.sha256(dedup_key.encode()).hexdigest()
    return f"{SEND_CLAIM_PREFIX}{dedup_key}"


def thread_key(channel: str, thread_ts: str) -> str:
    return identity_key(SLACK_THREAD, f"{channel}#{thread_ts}")


def is_held(candidate: CandidateItem) -> bool:
    """A recruiter holds the conversation: no bot replies, alerts or window reminders."""
    return candidate.operator_id is not None


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def takeover_detail(
    candidate_id: str, operator_id: str, at: datetime, reason: str
) -> dict[str, Any]:
    return {
        "candidateId": candidate_id,
        "operatorId": operator_id,
        "timestamp": iso(at),
        "reason": reason,
    }


def held_message_detail(
    candidate: CandidateItem, message_id: str, content: str, sent_at: datetime
) -> dict[str, Any]:
    """MessageReceived's shape, plus the recruiter holding the conversation."""
    return {
        "candidateId": candidate.candidate_id,
        "messageId": message_id,
        "operatorId": candidate.operator_id,
        "content": content,
        "timestamp": iso(sent_at),
        "source": "whatsapp",
    }


def handback_detail(
    candidate: CandidateItem, at: datetime, summary: str, ended_by: HoldEnd
) -> dict[str, Any]:
    """DESIGN.md's OperatorHandback, plus who ended it and the thread to tell."""
    detail: dict[str, Any] = {
        "candidateId": candidate.candidate_id,
        "operatorId": candidate.operator_id,
        "timestamp": iso(at),
        "summary": summary,
        "endedBy": ended_by.value,
    }
    if candidate.operator_channel and candidate.operator_thread_ts:
        detail["channel"] = candidate.operator_channel
        detail["threadTs"] = candidate.operator_thread_ts
    return detail


def hold_outcome(candidate: CandidateItem, ended_by: HoldEnd) -> tuple[bool, bool]:
    """(the candidate replied during the hold, the candidate is still with Aremu)."""
    since, last = candidate.operator_since, candidate.last_inbound_at
    replied = since is not None and last is not None and last > since
    retained = ended_by is HoldEnd.RECRUITER and candidate.state not in GONE_STATES
    return replied, retained


def _condition_failed(error: TransactWriteError) -> bool:
    """A condition failed: what the caller read has changed (it re-reads and decides)."""
    return any(
        reason is not None and reason.code == "ConditionalCheckFailed"
        for reason in error.cancellation_reasons
    )


def _same_hold(candidate: CandidateItem) -> Condition:
    # The hold as it was read: a stale caller never ends a newer hold by the same recruiter.
    same: Condition = (CandidateItem.operator_id == candidate.operator_id) & (
        CandidateItem.operator_since == candidate.operator_since
    )
    return same


@dataclass(frozen=True)
class SentRecord:
    """A completed recruiter send: the message, its claim, and what else it changes."""

    message: MessageItem
    dedup_key: str
    intervention: InterventionItem | None = None
    template_sent_at: datetime | None = None


class InterventionStore:
    def __init__(
        self,
        connection: Connection,
        event_retention: timedelta = timedelta(days=30),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._connection = connection
        self._event_retention = event_retention
        self._sleep = sleep

    def _transact(self, write: Callable[[TransactWrite], None]) -> bool:
        """Run one transaction; False when one of its conditions failed. A cancellation for
        a concurrent write is tried again a few times before it is raised."""
        for attempt in range(1, TRANSACT_ATTEMPTS + 1):
            try:
                with TransactWrite(connection=self._connection) as transaction:
                    write(transaction)
            except TransactWriteError as error:
                if _condition_failed(error):
                    return False
                # A risk run checking the candidate in its own transaction, say.
                if not is_transaction_conflict(error) or attempt == TRANSACT_ATTEMPTS:
                    raise
                self._sleep(random.uniform(0, 0.05 * attempt))
                continue
            return True
        raise AssertionError("unreachable: the loop returns or raises")

    def take(self, candidate: CandidateItem, operator_id: str, reason: str, now: datetime) -> bool:
        """Hold the candidate for `operator_id`; False when someone else got there first."""
        cid = candidate.candidate_id
        condition = (
            CandidateItem.pk.exists()
            & CandidateItem.operator_id.does_not_exist()
            & ~CandidateItem.state.is_in(*GONE_STATES)
        )
        intervention = InterventionItem(
            candidate_key(cid),
            intervention_sort_key(now, InterventionAction.TAKEOVER),
            candidate_id=cid,
            action=InterventionAction.TAKEOVER.value,
            operator_id=operator_id,
            at=now,
            reason=reason,
            outcome=InterventionOutcome.OPEN.value,
        )
        event = outbox_event(
            cid,
            EventType.OPERATOR_TAKEOVER.value,
            takeover_detail(cid, operator_id, now, reason),
            now,
            self._event_retention,
        )
        actions: list[Action] = [
            CandidateItem.operator_id.set(operator_id),
            CandidateItem.operator_since.set(now),
            CandidateItem.operator_reason.set(reason),
            CandidateItem.operator_channel.remove(),
            CandidateItem.operator_thread_ts.remove(),
            # Moving the activity key lets the matcher's profile cache see the hold.
            CandidateItem.gsi1sk.set(activity_key(now, cid)),
        ]

        def write(transaction: TransactWrite) -> None:
            transaction.update(
                CandidateItem(candidate.pk, candidate.sk), actions=actions, condition=condition
            )
            transaction.save(intervention)
            transaction.save(event)

        return self._transact(write)

    def attach_thread(self, candidate: CandidateItem, channel: str, thread_ts: str) -> bool:
        """Link a Slack thread to the hold as read; False when that hold has ended."""
        key = thread_key(channel, thread_ts)

        def write(transaction: TransactWrite) -> None:
            transaction.update(
                CandidateItem(candidate.pk, candidate.sk),
                actions=[
                    CandidateItem.operator_channel.set(channel),
                    CandidateItem.operator_thread_ts.set(thread_ts),
                ],
                condition=_same_hold(candidate),
            )
            transaction.save(
                IdentityItem(
                    key,
                    IdentityItem.SORT_KEY,
                    candidate_id=candidate.candidate_id,
                    gsi1pk=candidate.pk,
                    gsi1sk=key,
                )
            )
            old = _thread_of(candidate)
            if old is not None and old != key:
                transaction.delete(IdentityItem(old, IdentityItem.SORT_KEY))

        return self._transact(write)

    def thread_candidate(self, channel: str, thread_ts: str) -> str | None:
        try:
            item = IdentityItem.get(thread_key(channel, thread_ts), IdentityItem.SORT_KEY)
        except IdentityItem.DoesNotExist:
            return None
        return item.candidate_id

    def end_hold(
        self, candidate: CandidateItem, ended_by: HoldEnd, summary: str, now: datetime
    ) -> bool:
        """End the hold as read, record the outcome, publish OperatorHandback: one write.

        False when that hold had already ended (a retry, or a concurrent handback).
        """
        if candidate.operator_id is None or candidate.operator_since is None:
            return False
        cid = candidate.candidate_id
        replied, retained = hold_outcome(candidate, ended_by)
        intervention = InterventionItem(
            candidate.pk,
            intervention_sort_key(candidate.operator_since, InterventionAction.TAKEOVER),
        )
        # Every attribute is set, so a missing intervention is written whole, never partial.
        intervention_actions: list[Action] = [
            InterventionItem.kind.set("intervention"),
            InterventionItem.candidate_id.set(cid),
            InterventionItem.action.set(InterventionAction.TAKEOVER.value),
            InterventionItem.operator_id.set(candidate.operator_id),
            InterventionItem.at.set(candidate.operator_since),
            InterventionItem.outcome.set(_OUTCOME_OF_END[ended_by].value),
            InterventionItem.summary.set(summary),
            InterventionItem.ended_at.set(now),
            InterventionItem.ended_by.set(ended_by.value),
            InterventionItem.candidate_replied.set(replied),
            InterventionItem.retained.set(retained),
        ]
        if candidate.operator_reason:
            intervention_actions.append(InterventionItem.reason.set(candidate.operator_reason))
        candidate_actions: list[Action] = [
            CandidateItem.operator_id.remove(),
            CandidateItem.operator_since.remove(),
            CandidateItem.operator_reason.remove(),
            CandidateItem.operator_channel.remove(),
            CandidateItem.operator_thread_ts.remove(),
        ]
        if candidate.gsi1pk is not None:
            candidate_actions.append(CandidateItem.gsi1sk.set(activity_key(now, cid)))
        event = outbox_event(
            cid,
            EventType.OPERATOR_HANDBACK.value,
            handback_detail(candidate, now, summary, ended_by),
            now,
            self._event_retention,
        )

        def write(transaction: TransactWrite) -> None:
            transaction.update(
                CandidateItem(candidate.pk, candidate.sk),
                actions=candidate_actions,
                condition=_same_hold(candidate),
            )
            transaction.update(intervention, actions=intervention_actions)
            transaction.save(event)
            thread = _thread_of(candidate)
            if thread is not None:
                transaction.delete(IdentityItem(thread, IdentityItem.SORT_KEY))

        return self._transact(write)

    def release(self, candidate: CandidateItem, ended_by: HoldEnd, now: datetime) -> bool:
        """End a hold that no recruiter handed back: the candidate left, or no thread opened."""
        return self.end_hold(candidate, ended_by, AUTOMATIC_SUMMARIES[ended_by], now)

    def held_message(
        self, candidate: CandidateItem, message_id: str, content: str, sent_at: datetime
    ) -> None:
        """Publish HeldMessageReceived for a message the bot stepped aside from; once."""
        event = outbox_event(
            candidate.candidate_id,
            EventType.HELD_MESSAGE_RECEIVED.value,
            held_message_detail(candidate, message_id, content, sent_at),
            sent_at,
            self._event_retention,
        )
        # WhatsApp stamps messages to the second: the id keeps two in one second apart.
        event.sk = f"{event.sk}#{message_id}"
        try:
            event.save(condition=OutboxEventItem.sk.does_not_exist())
        except PutError as error:
            if not is_condition_failure(error):
                raise

    def claim(
        self, candidate_id: str, dedup_key: str, now: datetime, lease: timedelta = CLAIM_LEASE
    ) -> bool:
        """Claim the one effect allowed for `dedup_key`; False when it is done or under way.

        A claim left pending for longer than `lease` belongs to an attempt that died.
        """
        item = SendClaimItem(
            candidate_key(candidate_id),
            claim_sort_key(dedup_key),
            candidate_id=candidate_id,
            state="pending",
            claimed_at=now,
            expires_at=now + CLAIM_RETENTION,
        )
        abandoned = (SendClaimItem.state == "pending") & (SendClaimItem.claimed_at < now - lease)
        try:
            item.save(condition=SendClaimItem.sk.does_not_exist() | abandoned)
        except PutError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def complete(self, candidate_id: str, dedup_key: str, now: datetime, result: str) -> None:
        """Mark a claim done, with what it produced (a Slack thread's "<channel>#<ts>")."""
        self._done(candidate_id, dedup_key, now, message_id=result).save()

    def completed(self, candidate_id: str, dedup_key: str) -> str | None:
        """What a completed claim produced; None while it is pending or absent."""
        try:
            item = SendClaimItem.get(
                candidate_key(candidate_id), claim_sort_key(dedup_key), consistent_read=True
            )
        except SendClaimItem.DoesNotExist:
            return None
        return item.message_id if item.state == "done" else None

    def give_back(self, candidate_id: str, dedup_key: str) -> None:
        """Nothing was sent under this claim: a retry of the same event may decide again."""
        try:
            SendClaimItem(candidate_key(candidate_id), claim_sort_key(dedup_key)).delete(
                condition=SendClaimItem.state == "pending"
            )
        except DeleteError as error:
            if not is_condition_failure(error):
                raise

    def record_sent(self, sent: SentRecord, now: datetime) -> bool:
        """Store the sent message, complete its claim and record the rest in one write.

        False when the candidate was erased meanwhile: nothing is written for them then.
        """
        message = sent.message
        cid = message.candidate_id

        def write(transaction: TransactWrite) -> None:
            if sent.template_sent_at is not None:
                transaction.update(
                    CandidateItem(candidate_key(cid), CandidateItem.SORT_KEY),
                    actions=[CandidateItem.last_template_at.set(sent.template_sent_at)],
                    condition=CandidateItem.pk.exists(),
                )
            else:
                transaction.condition_check(
                    CandidateItem,
                    candidate_key(cid),
                    CandidateItem.SORT_KEY,
                    condition=CandidateItem.pk.exists(),
                )
            transaction.save(message)
            transaction.save(self._done(cid, sent.dedup_key, now, message.message_id))
            if sent.intervention is not None:
                transaction.save(sent.intervention)

        return self._transact(write)

    def record(self, intervention: InterventionItem) -> None:
        intervention.save()

    def record_claimed(self, intervention: InterventionItem, dedup_key: str, now: datetime) -> None:
        """Record an intervention that sends nothing, completing its claim in the same write.

        On failure the claim is given back: with nothing sent, a retry may simply record it.
        """
        cid = intervention.candidate_id

        def write(transaction: TransactWrite) -> None:
            transaction.save(intervention)
            transaction.save(self._done(cid, dedup_key, now, message_id=None))

        try:
            self._transact(write)
        except Exception:
            self.give_back(cid, dedup_key)
            raise

    @staticmethod
    def _done(
        candidate_id: str, dedup_key: str, now: datetime, message_id: str | None
    ) -> SendClaimItem:
        return SendClaimItem(
            candidate_key(candidate_id),
            claim_sort_key(dedup_key),
            candidate_id=candidate_id,
            state="done",
            claimed_at=now,
            message_id=message_id,
            expires_at=now + CLAIM_RETENTION,
        )

    def for_candidate(self, candidate_id: str) -> list[InterventionItem]:
        """The candidate's interventions, oldest first."""
        return list(
            InterventionItem.query(
                candidate_key(candidate_id), InterventionItem.sk.startswith(INTERVENTION_PREFIX)
            )
        )


def _thread_of(candidate: CandidateItem) -> str | None:
    if candidate.operator_channel and candidate.operator_thread_ts:
        return thread_key(candidate.operator_channel, candidate.operator_thread_ts)
    return None


class CandidateDirectory:
    """Finding a candidate for a recruiter: by phone (one GetItem) or by name (bounded)."""

    def by_wa_id(self, wa_id: str) -> CandidateItem | None:
        try:
            identity = IdentityItem.get(identity_key("wa", wa_id), IdentityItem.SORT_KEY)
        except IdentityItem.DoesNotExist:
            return None
        try:
            return CandidateItem.get(candidate_key(identity.candidate_id), CandidateItem.SORT_KEY)
        except CandidateItem.DoesNotExist:
            return None

    def recently_active(self, stage: str, limit: int) -> Iterator[CandidateItem]:
        """At most `limit` candidates of a stage, most recently active first: one Query.

        The name filter runs on what this returns: DynamoDB's contains() is case-sensitive,
        and a filter expression would not read fewer items anyway.
        """
        for item in CandidateItem.by_stage.query(
            stage_key(stage), scan_index_forward=False, limit=limit
        ):
            if isinstance(item, CandidateItem):
                yield item
