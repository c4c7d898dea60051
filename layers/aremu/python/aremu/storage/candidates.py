"""Candidate profiles: reads, saving a conversation turn, and erasure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.models import BatchWrite
from pynamodb.transactions import TransactWrite

from aremu.storage.models import (
    CandidateItem,
    IdentityItem,
    MessageItem,
    TransitionItem,
    _Item,
    activity_key,
    candidate_key,
    stage_key,
    transition_sort_key,
)


@dataclass(frozen=True)
class StageChange:
    previous: str
    new: str
    trigger: str


@dataclass(frozen=True)
class TurnChanges:
    """What a conversation turn changes on the candidate, written in one transaction."""

    stage: str
    awaiting: str
    preferences: dict[str, Any]
    needs_person: bool
    transitions: list[StageChange] = field(default_factory=list)
    mute_title: str | None = None


class CandidateGone(Exception):
    """The candidate was erased while the turn ran."""


class CandidateStore:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, candidate_id: str) -> CandidateItem | None:
        try:
            return CandidateItem.get(candidate_key(candidate_id), CandidateItem.SORT_KEY)
        except CandidateItem.DoesNotExist:
            return None

    def save_turn(
        self,
        candidate: CandidateItem,
        changes: TurnChanges,
        outbound: MessageItem | None,
        now: datetime,
    ) -> None:
        """Candidate update, stage transitions and the reply's record: one DynamoDB request."""
        actions: list[Action] = [
            CandidateItem.state.set(changes.stage),
            CandidateItem.gsi1pk.set(stage_key(changes.stage)),
            # The cache of matching profiles re-reads candidates changed since its last look.
            CandidateItem.gsi1sk.set(activity_key(now, candidate.candidate_id)),
            CandidateItem.awaiting.set(changes.awaiting),
            CandidateItem.preferences.set(changes.preferences),
        ]
        if changes.transitions:
            actions.append(CandidateItem.stage_changed_at.set(now))
        if changes.needs_person and candidate.needs_person_at is None:
            actions.append(CandidateItem.needs_person_at.set(now))
        if changes.mute_title and changes.mute_title not in (candidate.muted_titles or []):
            muted = CandidateItem.muted_titles
            actions.append(muted.set((muted | []).append([changes.mute_title])))
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.update(
                    CandidateItem(candidate.pk, candidate.sk),
                    actions=actions,
                    condition=CandidateItem.pk.exists(),
                )
                for sequence, change in enumerate(changes.transitions):
                    transaction.save(
                        TransitionItem(
                            candidate.pk,
                            transition_sort_key(now, sequence),
                            candidate_id=candidate.candidate_id,
                            previous_stage=change.previous,
                            new_stage=change.new,
                            trigger=change.trigger,
                            at=now,
                        )
                    )
                if outbound is not None:
                    transaction.save(outbound)
        except TransactWriteError as error:
            reasons = [reason.code if reason else None for reason in error.cancellation_reasons]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise CandidateGone() from error
            raise

    def in_stage(
        self, stage: str, since: datetime | None = None, before: datetime | None = None
    ) -> Iterator[CandidateItem]:
        """Candidates in `stage`, least recently active first: all of them, or those active
        (or changed) since `since`, or those not active since `before`.

        A Query on the stage index, never a Scan.
        """
        condition = None
        if since is not None:
            condition = CandidateItem.gsi1sk > since.isoformat()
        elif before is not None:
            condition = CandidateItem.gsi1sk < before.isoformat()
        for item in CandidateItem.by_stage.query(stage_key(stage), condition):
            if isinstance(item, CandidateItem):
                yield item

    def mark_template_sent(self, candidate_id: str, now: datetime) -> None:
        CandidateItem(candidate_key(candidate_id), CandidateItem.SORT_KEY).update(
            actions=[CandidateItem.last_template_at.set(now)],
            condition=CandidateItem.pk.exists(),
        )

    def erase(self, candidate_id: str) -> int:
        """Delete every item keyed to the candidate; returns how many were deleted."""
        key = candidate_key(candidate_id)
        items: list[_Item] = list(_Item.query(key))
        items.extend(IdentityItem.by_candidate.query(key, IdentityItem.gsi1sk.startswith("ID#")))
        with BatchWrite(_Item) as batch:
            for item in items:
                batch.delete(item)
        return len(items)
