"""The candidate journey in the table: current stage, one item per stay, and the funnel.

| item       | pk        | sk                        | holds                                   |
|------------|-----------|---------------------------|-----------------------------------------|
| stage      | CAND#<id> | JOURNEY                   | current stage, when entered, version    |
| stay       | CAND#<id> | JOURNEY#<iso>#<version>   | a stage entered, and when it completed  |
| funnel     | FUNNEL#<n> | JOURNEY                  | `stage:<name>`: candidates in each stage |
| (legacy)   | FUNNEL     | JOURNEY                  | the same counters, before the shards      |

A move is one transaction: the candidate still exists (and is not erased), the stage item
is as it was read (its version), the new stay, the completion of the previous stay, the
funnel's counters (ADD -1 / +1) and the CandidateStateChanged outbox event. Two concurrent
moves of one candidate: one wins, the other gets `MoveConflict` and reads again. The stay
and stage items share the candidate's partition, so erasure removes them with the rest.

The funnel is split over `FUNNEL_SHARDS` items, a candidate's counts always in the same
one (by a hash of their id). DynamoDB cancels a transaction that touches an item another
transaction is writing (TransactionConflict), so with one funnel item any two candidates
moving at the same moment would collide; with the shards only candidates of one shard
can, and the journey service retries those (a move, and an erasure's decrement).
`funnel_counts()` sums the shards, and the single item written before them, from one
BatchGetItem.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.operand import Path
from pynamodb.transactions import TransactWrite

from aremu.domain.events import candidate_state_changed
from aremu.domain.journey import Move
from aremu.storage.models import CandidateItem, _Item, _TableMeta, candidate_key, outbox_event

STAGE_SORT_KEY = "JOURNEY"
STAY_PREFIX = "JOURNEY#"
FUNNEL_KEY_PREFIX = "FUNNEL#"
FUNNEL_SORT_KEY = "JOURNEY"
FUNNEL_SHARDS = 16
# The single funnel item written before the shards: still read, so that its counts and the
# shards' moves since (which may be negative) add up.
LEGACY_FUNNEL_KEY = "FUNNEL"
FUNNEL_COUNTER_PREFIX = "stage:"
_CONFLICT_CODES = frozenset({"ConditionalCheckFailed", "TransactionConflict"})
_BATCH_ATTEMPTS = 3  # BatchGetItem may leave keys unprocessed under throttling


class JourneyStageItem(_Item):
    class Meta(_TableMeta):
        pass

    SORT_KEY: ClassVar[str] = STAGE_SORT_KEY
    kind = UnicodeAttribute(default="journey")
    candidate_id = UnicodeAttribute()
    stage = UnicodeAttribute()
    entered_at = UTCDateTimeAttribute()
    trigger = UnicodeAttribute()
    version = NumberAttribute()
    stay_sk = UnicodeAttribute()  # the stay item to complete on the next move


class JourneyStayItem(_Item):
    """A stage the candidate entered; `completed_at` is set when they leave it.

    Its kind is not "transition": the stream publishes the move from the outbox event.
    """

    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="journey_stay")
    candidate_id = UnicodeAttribute()
    stage = UnicodeAttribute()
    previous_stage = UnicodeAttribute(null=True)
    trigger = UnicodeAttribute()
    entered_at = UTCDateTimeAttribute()
    completed_at = UTCDateTimeAttribute(null=True)


class FunnelItem(_Item):
    """Counters named `stage:<stage>`, one per stage, outside the model's declared fields."""

    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="funnel")
    updated_at = UTCDateTimeAttribute(null=True)


JOURNEY_MODELS: tuple[type[_Item], ...] = (JourneyStageItem, JourneyStayItem, FunnelItem)


def stay_sort_key(entered_at: datetime, version: int) -> str:
    # The version keeps two moves in one instant apart, and sorts them in order.
    return f"{STAY_PREFIX}{entered_at.isoformat()}#{version:06d}"


def funnel_counter(stage: str) -> str:
    return f"{FUNNEL_COUNTER_PREFIX}{stage}"


def funnel_key(candidate_id: str) -> str:
    """The funnel shard holding this candidate's counts: the same one on every move."""
    # crc32, not hash(): Python salts str hashes per process, and every Lambda must agree.
    return f"{FUNNEL_KEY_PREFIX}{zlib.crc32(candidate_id.encode()) % FUNNEL_SHARDS:02d}"


def funnel_keys() -> list[str]:
    return [
        LEGACY_FUNNEL_KEY,
        *(f"{FUNNEL_KEY_PREFIX}{shard:02d}" for shard in range(FUNNEL_SHARDS)),
    ]


@dataclass(frozen=True)
class JourneyState:
    """A candidate's journey stage as read; a move is conditional on its version."""

    candidate_id: str
    stage: str
    entered_at: datetime
    version: int
    stay_sk: str


@dataclass(frozen=True)
class StageStay:
    stage: str
    previous_stage: str | None
    trigger: str
    entered_at: datetime
    completed_at: datetime | None


class MoveConflict(Exception):
    """The journey changed since it was read (or another transaction held the funnel)."""


class FunnelUnavailable(PynamoDBException):
    """DynamoDB kept some of the funnel's items unread (throttling)."""

    msg = "the funnel's items could not all be read"


class CandidateUnavailable(Exception):
    """No such candidate, or the candidate is erased."""


class JourneyStore:
    def __init__(
        self, connection: Connection, event_retention: timedelta = timedelta(days=30)
    ) -> None:
        self._connection = connection
        self._event_retention = event_retention

    def current(self, candidate_id: str) -> JourneyState | None:
        try:
            item = JourneyStageItem.get(
                candidate_key(candidate_id), STAGE_SORT_KEY, consistent_read=True
            )
        except JourneyStageItem.DoesNotExist:
            return None
        return JourneyState(
            candidate_id=candidate_id,
            stage=item.stage,
            entered_at=item.entered_at,
            version=int(item.version),
            stay_sk=item.stay_sk,
        )

    def move(
        self, candidate_id: str, read: JourneyState | None, move: Move, now: datetime
    ) -> JourneyState:
        """Write `move` if the journey is still as `read`; all of it or nothing."""
        now = now.astimezone(UTC)
        key = candidate_key(candidate_id)
        version = (read.version if read else 0) + 1
        stay_sk = stay_sort_key(now, version)
        previous_state, new_state = move.event_states()
        event = candidate_state_changed(candidate_id, previous_state, new_state, now, move.trigger)
        outbox = outbox_event(
            candidate_id, event.detail_type, event.detail, now, self._event_retention
        )
        # outbox_event's key is unique per moment; the version makes it unique per move.
        outbox.sk = f"{outbox.sk}#journey{version:06d}"
        counters = [Path([funnel_counter(move.new)]).add(1)]
        if read is not None:
            counters.append(Path([funnel_counter(read.stage)]).add(-1))
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.condition_check(
                    CandidateItem,
                    key,
                    CandidateItem.SORT_KEY,
                    condition=CandidateItem.pk.exists() & (CandidateItem.state != "erased"),
                )
                transaction.save(
                    JourneyStageItem(
                        key,
                        STAGE_SORT_KEY,
                        candidate_id=candidate_id,
                        stage=move.new,
                        entered_at=now,
                        trigger=move.trigger,
                        version=version,
                        stay_sk=stay_sk,
                    ),
                    condition=_as_read(read),
                )
                transaction.save(
                    JourneyStayItem(
                        key,
                        stay_sk,
                        candidate_id=candidate_id,
                        stage=move.new,
                        previous_stage=move.previous,
                        trigger=move.trigger,
                        entered_at=now,
                    ),
                    condition=JourneyStayItem.sk.does_not_exist(),
                )
                if read is not None:
                    transaction.update(
                        JourneyStayItem(key, read.stay_sk),
                        actions=[JourneyStayItem.completed_at.set(now)],
                        condition=JourneyStayItem.pk.exists(),
                    )
                transaction.update(
                    FunnelItem(funnel_key(candidate_id), FUNNEL_SORT_KEY),
                    actions=[
                        *counters,
                        FunnelItem.kind.set("funnel"),
                        FunnelItem.updated_at.set(now),
                    ],
                )
                transaction.save(outbox)
        except TransactWriteError as error:
            raise _cancelled(error) from error
        return JourneyState(candidate_id, move.new, now, version, stay_sk)

    def forget(self, read: JourneyState, now: datetime) -> None:
        """Take an erased candidate out of the funnel, before their items are deleted."""
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.delete(
                    JourneyStageItem(candidate_key(read.candidate_id), STAGE_SORT_KEY),
                    condition=_as_read(read),
                )
                transaction.update(
                    FunnelItem(funnel_key(read.candidate_id), FUNNEL_SORT_KEY),
                    actions=[
                        Path([funnel_counter(read.stage)]).add(-1),
                        FunnelItem.kind.set("funnel"),
                        FunnelItem.updated_at.set(now.astimezone(UTC)),
                    ],
                )
        except TransactWriteError as error:
            # The stage item changed (index 0) or a shard was being written (index 1).
            if any(code in _CONFLICT_CODES for code in _codes(error)):
                raise MoveConflict() from error
            raise

    def history(self, candidate_id: str) -> list[StageStay]:
        """Every stage the candidate entered, oldest first."""
        items = JourneyStayItem.query(
            candidate_key(candidate_id), JourneyStayItem.sk.startswith(STAY_PREFIX)
        )
        return [
            StageStay(
                stage=item.stage,
                previous_stage=item.previous_stage,
                trigger=item.trigger,
                entered_at=item.entered_at,
                completed_at=item.completed_at,
            )
            for item in items
        ]

    def funnel_counts(self) -> dict[str, int]:
        """Candidates in each stage ever counted: the shards summed, one BatchGetItem."""
        # Raw items: the counters are not declared attributes, so the model would drop them.
        connection = FunnelItem._get_connection()
        table = connection.table_name
        wanted: list[Any] = [{"pk": key, "sk": FUNNEL_SORT_KEY} for key in funnel_keys()]
        counts: dict[str, int] = {}
        for attempt in range(_BATCH_ATTEMPTS):
            if attempt:
                time.sleep(0.05 * attempt)  # unprocessed keys: DynamoDB asks for a pause
            answer: dict[str, Any] = connection.batch_get_item(wanted)
            for item in answer.get("Responses", {}).get(table, []):
                for name, value in item.items():
                    if name.startswith(FUNNEL_COUNTER_PREFIX) and "N" in value:
                        stage = name.removeprefix(FUNNEL_COUNTER_PREFIX)
                        counts[stage] = counts.get(stage, 0) + int(value["N"])
            unprocessed = answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
            if not unprocessed:
                return counts
            wanted = [{"pk": key["pk"]["S"], "sk": key["sk"]["S"]} for key in unprocessed]
        raise FunnelUnavailable()


def _as_read(read: JourneyState | None) -> Condition:
    if read is None:
        return JourneyStageItem.pk.does_not_exist()
    return JourneyStageItem.version == read.version


def _codes(error: TransactWriteError) -> list[str | None]:
    return [reason.code if reason else None for reason in error.cancellation_reasons]


def _cancelled(error: TransactWriteError) -> Exception:
    """Which of the move's conditions failed, as the project's own exceptions."""
    codes = _codes(error)
    if codes and codes[0] == "ConditionalCheckFailed":
        return CandidateUnavailable()
    if any(code in _CONFLICT_CODES for code in codes):
        return MoveConflict()
    return error
