"""Risk runs: a scheduled pass over the candidates whose risk may have moved, and one
candidate's assessment when an event says something happened to them.

Time alone changes a score only when a candidate's silence crosses one of their stage's
thresholds (`RiskPolicy.thresholds`), so the scheduled pass reads just the candidates who
crossed one since the previous run, by their last activity on the stage index, plus those
whose alert waited out a cool-down. Whatever a message, a stage change or a takeover does
to a candidate's risk reaches it through the event path (`assess_one`), routed from the bus.

Read per run (details in `aremu.storage.risk`): the run mark (one GetItem); for each scored
stage, one Query on the stage index per merged due span, returning the due candidates only;
one Query of the episodes whose cool-down ended, and one BatchGetItem per 100 of their
profiles; per 100 due candidates, one BatchGetItem of their episodes; per due candidate one
Query of at most 20 recent messages and, for candidates receiving alerts, one Query of their
deliveries; one COUNT Query of the episodes opened in the last week and still open; the
journey funnel (one BatchGetItem). Per event: one GetItem each of the candidate and their
episode, then the same two Queries. Writes: one transaction per candidate whose score or
episode changed, and the run mark.

A candidate's transaction can be cancelled by a concurrent write to their items (their
own message arriving, say): the candidate is read and assessed again, a few times. One
still conflicting does not stop the pass; the run mark then stays where it was, so the
next run reads that span again rather than skip a candidate it never assessed.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, Protocol

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from pydantic import BaseModel, ConfigDict, Field
from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException

from aremu.config import Settings
from aremu.domain.delivery.routing import ALERT_STAGES
from aremu.domain.risk import (
    CandidateSignals,
    EpisodeChange,
    RiskPolicy,
    assess,
    at_risk_detail,
    blocked,
    decide,
    due_spans,
    person_requested_at,
)
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.storage.models import CandidateItem
from aremu.storage.risk import (
    RiskStore,
    RiskWrite,
    StoredEpisode,
    WriteOutcome,
)

SCHEDULE_TRIGGER = "schedule"
_CHUNK = 100  # episodes are fetched 100 to a BatchGetItem
WRITE_ATTEMPTS = 3  # per candidate, when DynamoDB cancels the write for a conflict


class StageCounts(Protocol):
    """Candidates now in each journey stage (the journey service)."""

    def funnel(self) -> dict[str, int]: ...


@dataclass
class RiskRunReport:
    since: datetime
    now: datetime
    candidates_due: int = 0
    due_by_stage: Counter[str] = field(default_factory=Counter)
    rechecked: int = 0
    items_read: int = 0
    assessed: int = 0
    raised: int = 0
    closed: int = 0
    suppressed: int = 0
    assessments_stored: int = 0
    raced: int = 0
    conflicted: int = 0  # still conflicting after every attempt: assessed again next run
    at_risk: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)  # the journey funnel's gauges

    def count(self, outcome: CandidateRisk) -> None:
        self.assessed += 1
        self.raised += outcome.did(EpisodeChange.RAISE)
        self.closed += outcome.did(EpisodeChange.CLOSE)
        self.suppressed += outcome.did(EpisodeChange.SUPPRESS)
        self.assessments_stored += outcome.stored
        self.raced += outcome.written is WriteOutcome.RACED
        self.conflicted += outcome.written is WriteOutcome.CONFLICTED

    def summary(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "now": self.now.isoformat(),
            "candidates_due": self.candidates_due,
            "due_by_stage": dict(self.due_by_stage),
            "rechecked": self.rechecked,
            "items_read": self.items_read,
            "assessed": self.assessed,
            "raised": self.raised,
            "closed": self.closed,
            "suppressed": self.suppressed,
            "assessments_stored": self.assessments_stored,
            "raced": self.raced,
            "conflicted": self.conflicted,
            "at_risk": self.at_risk,
            "by_stage": self.by_stage,
        }


@dataclass(frozen=True)
class CandidateRisk:
    """What assessing one candidate did."""

    candidate_id: str
    score: float | None  # None: unknown or erased candidate
    change: EpisodeChange = EpisodeChange.NONE
    written: WriteOutcome | None = None  # None: nothing needed writing
    stored: bool = False  # an assessment item was written
    items_read: int = 0

    def did(self, change: EpisodeChange) -> bool:
        """Whether this change was decided and written."""
        return self.change is change and self.written is WriteOutcome.WRITTEN

    def summary(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "score": self.score,
            "change": self.change.value,
            "written": self.written.value if self.written else None,
            "items_read": self.items_read,
        }


class RiskRun:
    def __init__(
        self,
        store: RiskStore,
        policy: RiskPolicy,
        stages: StageCounts | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._store = store
        self._policy = policy
        self._stages = stages
        self._sleep = sleep

    def run(self, now: datetime) -> RiskRunReport:
        store, policy = self._store, self._policy
        read_before = store.items_read
        report = RiskRunReport(since=self._since(store.watermark(), now), now=now)
        seen: set[str] = set()
        for stage in map(str, policy.norms):
            due = store.due_candidates(stage, due_spans(stage, report.since, now, policy))
            for chunk in _chunks(due):
                report.due_by_stage[stage] += len(chunk)
                seen.update(item.candidate_id for item in chunk)
                self._assess_all(chunk, now, report)
        rechecks = [c for c in store.rechecks_due(now) if c not in seen]
        report.rechecked = len(rechecks)
        for ids in _chunks(rechecks):
            self._assess_all(store.candidates(ids), now, report)
        report.candidates_due = sum(report.due_by_stage.values()) + report.rechecked
        report.at_risk = store.open_episodes(raised_since=now - policy.lookback)
        report.by_stage = self._funnel()
        if report.conflicted:
            logger.warning("risk run mark held back", extra={"conflicted": report.conflicted})
        else:
            store.advance_watermark(now)
        report.items_read = store.items_read - read_before
        _emit_run(report)
        logger.info("risk run", extra=report.summary())
        return report

    def assess_one(self, candidate_id: str, now: datetime, trigger: str) -> CandidateRisk:
        read_before = self._store.items_read
        candidate = self._store.candidate(candidate_id)
        if candidate is None:
            outcome = CandidateRisk(candidate_id, score=None)
        else:
            outcome = self._assess_until_written(
                candidate, self._store.episode(candidate_id), now, trigger
            )
            if outcome.written is WriteOutcome.CONFLICTED:
                # The event is delivered again (Lambda retries it): nothing is lost.
                raise RiskWriteConflict(candidate_id)
        outcome = replace(outcome, items_read=self._store.items_read - read_before)
        _emit_changes(outcome.did(EpisodeChange.RAISE), outcome.did(EpisodeChange.CLOSE))
        logger.info("risk assessed", extra={"trigger": trigger, **outcome.summary()})
        return outcome

    def _since(self, mark: datetime | None, now: datetime) -> datetime:
        if mark is None:
            return now - self._policy.first_run_lookback
        return max(mark, now - self._policy.max_catch_up)

    def _assess_all(
        self, candidates: list[CandidateItem], now: datetime, report: RiskRunReport
    ) -> None:
        episodes = self._store.episodes([c.candidate_id for c in candidates])
        for candidate in candidates:
            outcome = self._assess_until_written(
                candidate, episodes[candidate.candidate_id], now, SCHEDULE_TRIGGER
            )
            report.count(outcome)

    def _assess_until_written(
        self, candidate: CandidateItem, stored: StoredEpisode, now: datetime, trigger: str
    ) -> CandidateRisk:
        """Assess; on a write cancelled for a conflict, read the candidate again and retry."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            outcome = self._assess(candidate, stored, now, trigger)
            if outcome.written is not WriteOutcome.CONFLICTED or attempt == WRITE_ATTEMPTS:
                break
            self._sleep(random.uniform(0, 0.05 * attempt))
            fresh = self._store.candidate(candidate.candidate_id)
            if fresh is None:
                return CandidateRisk(candidate.candidate_id, score=None)
            candidate, stored = fresh, self._store.episode(candidate.candidate_id)
        if outcome.written is WriteOutcome.CONFLICTED:
            logger.warning(
                "risk write kept conflicting", extra={"candidate_id": candidate.candidate_id}
            )
        return outcome

    def _assess(
        self, candidate: CandidateItem, stored: StoredEpisode, now: datetime, trigger: str
    ) -> CandidateRisk:
        policy = self._policy
        signals = _signals(candidate, stored)
        block = blocked(signals, policy)
        if block is None:
            # Only a candidate who may be alerted about is worth the reads.
            signals = self._with_history(signals, now - policy.lookback)
        assessment = assess(signals, now, policy)
        asked = person_requested_at(signals, now, policy)
        decision = decide(assessment, stored.episode, block, now, policy, asked)
        outcome = CandidateRisk(signals.candidate_id, assessment.score, decision.change)
        if not decision.changes_state:
            return outcome
        raising = decision.change is EpisodeChange.RAISE
        write = RiskWrite(
            candidate_id=signals.candidate_id,
            stored=stored,
            episode=decision.episode,
            change=decision.change,
            reason=decision.reason,
            assessment=assessment if decision.store_assessment else None,
            trigger=trigger,
            at_risk_detail=at_risk_detail(assessment) if raising else None,
            last_inbound_at=candidate.last_inbound_at,
        )
        written = self._store.record(write, now)
        if raising and written is WriteOutcome.WRITTEN:
            factors = [hit.factor.value for hit in assessment.factors]
            logger.info(
                "candidate at risk",
                extra={
                    "candidate_id": signals.candidate_id,
                    "score": assessment.score,
                    "factors": factors,
                },
            )
        stored_assessment = written is WriteOutcome.WRITTEN and write.assessment is not None
        return replace(outcome, written=written, stored=stored_assessment)

    def _with_history(self, signals: CandidateSignals, since: datetime) -> CandidateSignals:
        store, candidate_id = self._store, signals.candidate_id
        failed = store.failed_sends(candidate_id, since) if signals.stage in ALERT_STAGES else ()
        return replace(
            signals, messages=store.recent_messages(candidate_id, since), failed_sends=failed
        )

    def _funnel(self) -> dict[str, int]:
        if self._stages is None:
            return {}
        try:
            return self._stages.funnel()
        except PynamoDBException as error:
            # The gauges are a view; scoring must not fail because the funnel did.
            logger.warning("journey funnel unavailable", extra={"error": type(error).__name__})
            return {}


def _signals(candidate: CandidateItem, stored: StoredEpisode) -> CandidateSignals:
    return CandidateSignals(
        candidate_id=candidate.candidate_id,
        stage=candidate.state,
        last_activity=candidate.last_inbound_at or candidate.created_at,
        needs_person_at=candidate.needs_person_at,
        # The operator desk sets `operator_id` while a recruiter holds the conversation.
        taken_over=getattr(candidate, "operator_id", None) is not None,
        handled_at=stored.episode.handled_at,
    )


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk


def _emit_run(report: RiskRunReport) -> None:
    metrics.add_metric(name=Metric.CANDIDATES_AT_RISK, unit=MetricUnit.Count, value=report.at_risk)
    metrics.add_metric(
        name=Metric.RISK_CANDIDATES_DUE, unit=MetricUnit.Count, value=report.candidates_due
    )
    metrics.add_metric(name=Metric.RISK_ITEMS_READ, unit=MetricUnit.Count, value=report.items_read)
    if report.raised:
        metrics.add_metric(
            name=Metric.RISK_ALERTS_RAISED, unit=MetricUnit.Count, value=report.raised
        )
    if report.closed:
        metrics.add_metric(
            name=Metric.RISK_EPISODES_CLOSED, unit=MetricUnit.Count, value=report.closed
        )
    for stage, count in report.by_stage.items():
        # One EMF blob per stage: the Stage dimension belongs to this metric alone.
        with single_metric(
            name=Metric.CANDIDATES_IN_STAGE,
            unit=MetricUnit.Count,
            value=count,
            namespace=metrics.namespace,
            default_dimensions={"service": metrics.service or ""},
        ) as gauge:
            gauge.add_dimension(name="Stage", value=stage)


def _emit_changes(raised: bool, closed: bool) -> None:
    if raised:
        metrics.add_metric(name=Metric.RISK_ALERTS_RAISED, unit=MetricUnit.Count, value=1)
    if closed:
        metrics.add_metric(name=Metric.RISK_EPISODES_CLOSED, unit=MetricUnit.Count, value=1)


class RiskWriteConflict(Exception):
    """A candidate's risk write kept being cancelled by concurrent writes to their items."""


class _TriggerDetail(BaseModel):
    model_config = ConfigDict(extra="ignore")

    candidate_id: str | None = Field(default=None, alias="candidateId")


class RiskTrigger(BaseModel):
    """What invoked the function: the schedule (`{}`) or a domain event naming a candidate."""

    model_config = ConfigDict(extra="ignore")

    detail_type: str | None = Field(default=None, alias="detail-type")
    detail: _TriggerDetail = Field(default_factory=_TriggerDetail)


def handle(event: dict[str, Any], risk: RiskRun, now: datetime) -> dict[str, Any]:
    """Run the whole pass for a scheduled invocation, or assess the event's candidate."""
    trigger = RiskTrigger.model_validate(event)
    if trigger.detail_type is None:
        return risk.run(now).summary()  # the schedule's `{}`
    if trigger.detail.candidate_id is None:
        # A routed event without a candidate never starts a whole pass.
        logger.warning("risk event without a candidate", extra={"detail_type": trigger.detail_type})
        return {"skipped": "no_candidate"}
    reason = trigger.detail_type or "event"
    return risk.assess_one(trigger.detail.candidate_id, now, reason).summary()


def policy_from_settings(settings: Settings) -> RiskPolicy:
    return RiskPolicy(
        alert_threshold=settings.risk_alert_threshold,
        clear_threshold=settings.risk_clear_threshold,
        cooldown=timedelta(hours=settings.risk_cooldown_hours),
    )


def build_risk_run(
    settings: Settings, connection: Connection, stages: StageCounts | None = None
) -> RiskRun:
    """The risk run over the configured table; the runtime calls this once per container."""
    store = RiskStore(connection, timedelta(days=settings.risk_assessment_retention_days))
    return RiskRun(store, policy_from_settings(settings), stages)
