"""Risk items in the single table: each candidate's episode, stored assessments, the run mark.

| item            | pk          | sk           | by_candidate (gsi1pk / gsi1sk)          |
|-----------------|-------------|--------------|-----------------------------------------|
| risk episode    | CAND#<id>   | RISK#EPISODE | RISK#OPEN / <raised at>#<id> while open, |
|                 |             |              | RISK#RECHECK / <recheck at>#<id> while  |
|                 |             |              | an alert waits out its cool-down        |
| risk assessment | CAND#<id>   | RISK#<iso>   | -                                       |
| risk run mark   | RISK#RUN    | WATERMARK    | -                                       |

Every write of an episode is conditional on the version read, and goes in one transaction
with a check that the candidate still exists (and, for a raise, is still in the stage
assessed, has not written since and is held by no recruiter), the assessment, and for a
raise the CandidateAtRisk outbox event: two concurrent runs raise once, and an erased
candidate gets no alert and no leftover item. Assessments and episodes live under the
candidate's key, so erasure removes them with the rest.

Writes are bounded: nothing is written for a candidate whose score and episode did not
change, and an assessment is stored only when it scored above zero (or closed an episode).

Reads, each a Query, GetItem or BatchGetItem on a key (the items each returns are counted
in `items_read`, as DynamoDB bills them):
- due candidates: Query by_candidate on STAGE#<stage> with gsi1sk (last activity) between
  the bounds of a due span; returns only the candidates in the span;
- episodes: BatchGetItem of CAND#<id> / RISK#EPISODE, 100 keys a request;
- recent messages: Query by_candidate on CAND#<id>, gsi1sk from MSG#<lookback start>,
  newest first, at most `message_limit` items;
- failed sends: Query CAND#<id> on DELIVERY#, filtered on status "failed" and the lookback;
  DynamoDB reads (and this counts) every delivery item of the candidate, one per job matched
  to them within delivery_retention_days; only done for candidates receiving alerts;
- rechecks due: Query by_candidate on RISK#RECHECK up to now;
- at-risk count: Query by_candidate on RISK#OPEN from a week back, Select COUNT (reads the
  episodes raised in that week and still open);
- the run mark: GetItem RISK#RUN / WATERMARK.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.operand import Path
from pynamodb.pagination import ResultIterator
from pynamodb.transactions import TransactWrite

from aremu.domain.risk import Assessment, Episode, EpisodeChange, RecentMessage
from aremu.names import EventType
from aremu.storage.deliveries import DELIVERY_PREFIX, DeliveryItem, DeliveryStatus
from aremu.storage.errors import is_condition_failure, is_transaction_conflict
from aremu.storage.models import (
    ByCandidateIndex,
    CandidateItem,
    MessageItem,
    _Item,
    _TableMeta,
    candidate_key,
    outbox_event,
    stage_key,
)

EPISODE_SORT_KEY = "RISK#EPISODE"
OPEN_EPISODES = "RISK#OPEN"
RECHECKS = "RISK#RECHECK"
RUN_KEY = "RISK#RUN"
WATERMARK_SORT_KEY = "WATERMARK"
_BATCH_GET_MAX = 100


class RiskEpisodeItem(_Item):
    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="risk_episode")
    candidate_id = UnicodeAttribute()
    is_open = BooleanAttribute(default=False)
    score = NumberAttribute(default=0)
    raised_at = UTCDateTimeAttribute(null=True)
    handled_at = UTCDateTimeAttribute(null=True)
    recheck_at = UTCDateTimeAttribute(null=True)
    # What the last write did, and why: an audit trail without reading the assessments.
    change = UnicodeAttribute(null=True)
    change_reason = UnicodeAttribute(null=True)
    changed_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute(default=0)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    by_candidate = ByCandidateIndex()


class RiskAssessmentItem(_Item):
    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="risk_assessment")
    candidate_id = UnicodeAttribute()
    stage = UnicodeAttribute()
    score = NumberAttribute()
    factors = JSONAttribute()  # [{name, weight, strength, reason}], strongest first
    recommended_action = UnicodeAttribute(null=True)
    last_activity = UTCDateTimeAttribute(null=True)
    change = UnicodeAttribute()
    trigger = UnicodeAttribute()  # "schedule", or the detail-type of the event
    at = UTCDateTimeAttribute()
    expires_at = TTLAttribute(null=True)

    SORT_PREFIX: ClassVar[str] = "RISK#"


class RiskRunItem(_Item):
    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="risk_run")
    last_run_at = UTCDateTimeAttribute()


RISK_MODELS: tuple[type[_Item], ...] = (RiskEpisodeItem, RiskAssessmentItem, RiskRunItem)


@dataclass(frozen=True)
class StoredEpisode:
    episode: Episode
    version: int | None  # None: no episode item yet


class WriteOutcome(StrEnum):
    WRITTEN = "written"
    RACED = "raced"  # another run wrote this candidate's episode since it was read
    CANDIDATE_CHANGED = "candidate_changed"  # erased, moved stage or taken over meanwhile
    # DynamoDB cancelled the write because another transaction was writing one of its
    # items at that moment (the candidate, usually): nothing was written; try again.
    CONFLICTED = "conflicted"


@dataclass(frozen=True)
class RiskWrite:
    """One candidate's assessment outcome, written in one transaction."""

    candidate_id: str
    stored: StoredEpisode
    episode: Episode
    change: EpisodeChange
    reason: str
    assessment: Assessment | None  # None: nothing worth keeping
    trigger: str
    at_risk_detail: dict[str, object] | None = None  # a raise: the outbox event's detail
    # The candidate's last inbound message as read: a raise requires it unchanged, so a
    # candidate who wrote meanwhile is not alerted about.
    last_inbound_at: datetime | None = None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class RiskStore:
    def __init__(
        self,
        connection: Connection,
        assessment_retention: timedelta,
        message_limit: int = 20,
    ) -> None:
        self._connection = connection
        self._retention = assessment_retention
        self._message_limit = message_limit
        self.items_read = 0

    def due_candidates(
        self, stage: str, spans: Iterable[tuple[datetime, datetime]]
    ) -> Iterator[CandidateItem]:
        """Candidates in `stage` whose last activity lies in one of the spans [start, end)."""
        for start, end in spans:
            # gsi1sk is "<iso>#<id>": "<start>#…" sorts at or after start, "<end>#…" after end.
            condition = CandidateItem.gsi1sk.between(_iso(start), _iso(end))
            results = CandidateItem.by_stage.query(stage_key(stage), condition)
            yield from (item for item in results if isinstance(item, CandidateItem))
            self._count_scanned(results)

    def rechecks_due(self, now: datetime) -> list[str]:
        results = RiskEpisodeItem.by_candidate.query(RECHECKS, RiskEpisodeItem.gsi1sk < _iso(now))
        ids = [item.candidate_id for item in results if isinstance(item, RiskEpisodeItem)]
        self._count_scanned(results)
        return ids

    def candidate(self, candidate_id: str) -> CandidateItem | None:
        try:
            item = CandidateItem.get(candidate_key(candidate_id), CandidateItem.SORT_KEY)
        except CandidateItem.DoesNotExist:
            return None
        self.items_read += 1
        return item

    def candidates(self, candidate_ids: list[str]) -> list[CandidateItem]:
        keys = [(candidate_key(c), CandidateItem.SORT_KEY) for c in candidate_ids]
        items = list(CandidateItem.batch_get(keys)) if keys else []
        self.items_read += len(items)
        return items

    def episode(self, candidate_id: str) -> StoredEpisode:
        return self.episodes([candidate_id])[candidate_id]

    def episodes(self, candidate_ids: list[str]) -> dict[str, StoredEpisode]:
        found: dict[str, RiskEpisodeItem] = {}
        for start in range(0, len(candidate_ids), _BATCH_GET_MAX):
            keys = [
                (candidate_key(c), EPISODE_SORT_KEY)
                for c in candidate_ids[start : start + _BATCH_GET_MAX]
            ]
            found.update((item.candidate_id, item) for item in RiskEpisodeItem.batch_get(keys))
        self.items_read += len(found)
        return {c: _stored(found.get(c)) for c in candidate_ids}

    def recent_messages(self, candidate_id: str, since: datetime) -> tuple[RecentMessage, ...]:
        """The candidate's messages since `since`, at most `message_limit`, oldest first."""
        results = MessageItem.by_candidate.query(
            candidate_key(candidate_id),
            MessageItem.gsi1sk.between(f"MSG#{_iso(since)}", "MSG#~"),
            scan_index_forward=False,
            limit=self._message_limit,
        )
        items = [item for item in results if isinstance(item, MessageItem)]
        self._count_scanned(results)
        return tuple(
            RecentMessage(
                direction="in" if item.direction == "in" else "out",
                at=item.sent_at,
                text=item.text,
                button_id=item.button_id,
                status=item.status,
            )
            for item in reversed(items)
        )

    def failed_sends(self, candidate_id: str, since: datetime) -> tuple[datetime, ...]:
        results = DeliveryItem.query(
            candidate_key(candidate_id),
            DeliveryItem.sk.startswith(DELIVERY_PREFIX),
            filter_condition=(DeliveryItem.status == DeliveryStatus.FAILED.value)
            & (DeliveryItem.updated_at >= since),
        )
        failed = tuple(item.updated_at for item in results)
        self._count_scanned(results)
        return failed

    def open_episodes(self, raised_since: datetime) -> int:
        """Open episodes raised since then: an episode stays open (and silent) while its
        candidate stays away, so counting them all would only ever grow."""
        count = RiskEpisodeItem.by_candidate.count(
            OPEN_EPISODES, RiskEpisodeItem.gsi1sk >= _iso(raised_since)
        )
        self.items_read += count
        return count

    def watermark(self) -> datetime | None:
        try:
            item = RiskRunItem.get(RUN_KEY, WATERMARK_SORT_KEY)
        except RiskRunItem.DoesNotExist:
            return None
        self.items_read += 1
        return item.last_run_at

    def advance_watermark(self, now: datetime) -> None:
        """Record a finished run; a run that finished later already moved it further."""
        item = RiskRunItem(RUN_KEY, WATERMARK_SORT_KEY, last_run_at=now)
        try:
            item.save(
                condition=RiskRunItem.last_run_at.does_not_exist() | (RiskRunItem.last_run_at < now)
            )
        except PutError as error:
            if not is_condition_failure(error):
                raise

    def record(self, write: RiskWrite, now: datetime) -> WriteOutcome:
        candidate_id = write.candidate_id
        episode = _episode_item(write, now)
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.condition_check(
                    CandidateItem,
                    candidate_key(candidate_id),
                    CandidateItem.SORT_KEY,
                    condition=_candidate_condition(write),
                )
                transaction.save(episode, condition=_version_condition(write.stored.version))
                if write.assessment is not None:
                    transaction.save(self._assessment_item(write, now))
                if write.at_risk_detail is not None:
                    event = outbox_event(
                        candidate_id, EventType.CANDIDATE_AT_RISK, write.at_risk_detail, now
                    )
                    transaction.save(event, condition=_Item.sk.does_not_exist())
        except TransactWriteError as error:
            # Condition checks come first in the request, then the puts in order.
            reasons = [reason.code if reason else None for reason in error.cancellation_reasons]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                return WriteOutcome.CANDIDATE_CHANGED
            if "ConditionalCheckFailed" in reasons[1:]:
                return WriteOutcome.RACED
            if is_transaction_conflict(error):
                return WriteOutcome.CONFLICTED
            raise
        return WriteOutcome.WRITTEN

    def _assessment_item(self, write: RiskWrite, now: datetime) -> RiskAssessmentItem:
        assessment = write.assessment
        assert assessment is not None
        return RiskAssessmentItem(
            candidate_key(write.candidate_id),
            f"RISK#{_iso(now)}",
            candidate_id=write.candidate_id,
            stage=assessment.stage,
            score=assessment.score,
            factors=[
                {
                    "name": hit.factor.value,
                    "weight": hit.weight,
                    "strength": hit.strength,
                    "reason": hit.reason,
                }
                for hit in assessment.factors
            ],
            recommended_action=(
                assessment.recommended_action.value if assessment.recommended_action else None
            ),
            last_activity=assessment.last_activity,
            change=write.change.value,
            trigger=write.trigger,
            at=now,
            expires_at=now + self._retention,
        )

    def _count_scanned(self, results: ResultIterator[Any]) -> None:
        self.items_read += results.page_iter.total_scanned_count


def _stored(item: RiskEpisodeItem | None) -> StoredEpisode:
    if item is None:
        return StoredEpisode(Episode(), None)
    episode = Episode(
        open=bool(item.is_open),
        score=float(item.score),
        raised_at=item.raised_at,
        handled_at=item.handled_at,
        recheck_at=item.recheck_at,
    )
    return StoredEpisode(episode, int(item.version))


def _episode_item(write: RiskWrite, now: datetime) -> RiskEpisodeItem:
    episode = write.episode
    gsi1pk = gsi1sk = None
    if episode.open and episode.raised_at is not None:
        gsi1pk, gsi1sk = OPEN_EPISODES, f"{_iso(episode.raised_at)}#{write.candidate_id}"
    elif episode.recheck_at is not None:
        gsi1pk, gsi1sk = RECHECKS, f"{_iso(episode.recheck_at)}#{write.candidate_id}"
    return RiskEpisodeItem(
        candidate_key(write.candidate_id),
        EPISODE_SORT_KEY,
        candidate_id=write.candidate_id,
        is_open=episode.open,
        score=episode.score,
        raised_at=episode.raised_at,
        handled_at=episode.handled_at,
        recheck_at=episode.recheck_at,
        change=write.change.value,
        change_reason=write.reason,
        changed_at=now,
        version=(write.stored.version or 0) + 1,
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
    )


def _version_condition(version: int | None) -> Condition:
    if version is None:
        return RiskEpisodeItem.sk.does_not_exist()
    return RiskEpisodeItem.version == version


def _candidate_condition(write: RiskWrite) -> Condition:
    condition: Condition = CandidateItem.pk.exists()
    if write.change is EpisodeChange.RAISE and write.assessment is not None:
        # Read through a path: the takeover attribute belongs to the operator desk's model.
        operator = Path("operator_id")
        condition &= CandidateItem.state == write.assessment.stage
        condition &= operator.does_not_exist() | operator.is_type("NULL")
        last_inbound = CandidateItem.last_inbound_at
        condition &= (
            last_inbound.does_not_exist()
            if write.last_inbound_at is None
            else last_inbound == write.last_inbound_at
        )
    return condition
