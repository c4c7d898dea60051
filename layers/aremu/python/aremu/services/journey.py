"""The candidate journey as a service: move a candidate, read where they are, count the funnel.

Recruiters set a stage from Slack (`set_stage` with trigger "recruiter:<user id>"), a
candidate's "I applied" and the conversation's own progress move it forward
(`follow_turn`, from the conversation turn). Every move records the stay it completes and
emits the funnel metrics: StageConversion (From, To), TimeInStage (Stage) and DropOff.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException

from aremu.config import Settings
from aremu.domain.journey import (
    NO_STAGE,
    FollowKind,
    JourneyPlan,
    Move,
    Ruling,
    follow_conversation,
)
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.storage.journey import (
    CandidateUnavailable,
    JourneyState,
    JourneyStore,
    MoveConflict,
    StageStay,
)

if TYPE_CHECKING:
    # Only the conversation function follows turns; Slack and risk read the journey without it.
    from aremu.domain.conversation.state import Decision


class StageOutcome(StrEnum):
    MOVED = "moved"
    UNCHANGED = "unchanged"  # already there, or a move the rules do not allow this actor
    UNKNOWN_STAGE = "unknown_stage"
    NOT_AVAILABLE = "not_available"  # unknown or erased candidate


class JourneyBusy(Exception):
    """Concurrent moves kept winning over this one; the caller may retry later."""


class Journey:
    MAX_ATTEMPTS = 5

    def __init__(
        self,
        plan: JourneyPlan,
        store: JourneyStore,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.plan = plan
        self.stages: tuple[str, ...] = plan.stages
        self._store = store
        self._sleep = sleep

    def set_stage(self, candidate_id: str, stage: str, trigger: str, now: datetime) -> StageOutcome:
        if not self.plan.knows(stage):
            return StageOutcome.UNKNOWN_STAGE
        for attempt in range(1, self.MAX_ATTEMPTS + 1):
            read = self._store.current(candidate_id)
            verdict = self.plan.decide(read.stage if read else None, stage, trigger)
            if verdict.move is None:
                if verdict.ruling is not Ruling.SAME:
                    logger.info(
                        "journey move refused",
                        extra={"candidate_id": candidate_id, "ruling": verdict.ruling.value},
                    )
                return StageOutcome.UNCHANGED
            try:
                self._store.move(candidate_id, read, verdict.move, now)
            except CandidateUnavailable:
                return StageOutcome.NOT_AVAILABLE
            except MoveConflict:
                # Another move of this candidate (or of the funnel) won: read, decide again.
                self._sleep(random.uniform(0, 0.02 * attempt))
                continue
            self._measure(verdict.move, read, now)
            logger.info(
                "journey moved",
                extra={
                    "candidate_id": candidate_id,
                    "previous": verdict.move.previous,
                    "new": verdict.move.new,
                    "trigger": trigger,
                },
            )
            return StageOutcome.MOVED
        raise JourneyBusy(candidate_id)

    def stage_of(self, candidate_id: str) -> str | None:
        read = self._store.current(candidate_id)
        return read.stage if read else None

    def history(self, candidate_id: str) -> list[StageStay]:
        return self._store.history(candidate_id)

    def funnel(self) -> dict[str, int]:
        """Candidates now in each stage, in the journey's order (one read)."""
        counts = self._store.funnel_counts()
        return {stage: counts.get(stage, 0) for stage in self.stages}

    def follow_conversation(
        self,
        candidate_id: str,
        previous_conversation_stage: str | None,
        new_conversation_stage: str,
        now: datetime,
    ) -> StageOutcome:
        follow = follow_conversation(self.plan, previous_conversation_stage, new_conversation_stage)
        if follow.kind is FollowKind.MOVE and follow.stage and follow.trigger:
            return self.set_stage(candidate_id, follow.stage, follow.trigger, now)
        if follow.kind is FollowKind.DROP_OFF:
            read = self._store.current(candidate_id)
            _drop_off(read.stage if read else NO_STAGE, new_conversation_stage)
        if follow.kind is FollowKind.FORGET:
            self.forget(candidate_id, now)
        return StageOutcome.UNCHANGED

    def follow_turn(
        self, candidate_id: str, previous_conversation_stage: str, decision: Decision, now: datetime
    ) -> None:
        """Carry a conversation turn into the journey; call it before the turn is saved.

        Best effort: the turn's reply is already out, and failing the turn here would have
        the retry send it again. A missed move is logged and counted instead.
        """
        from aremu.domain.conversation.engine import journey_move

        try:
            self.follow_conversation(
                candidate_id, previous_conversation_stage, decision.stage.value, now
            )
            asked = journey_move(decision)
            if asked is not None:
                self.set_stage(candidate_id, asked.stage, asked.trigger, now)
        except (PynamoDBException, JourneyBusy) as error:
            logger.warning(
                "journey not followed",
                extra={"candidate_id": candidate_id, "error": type(error).__name__},
            )
            metrics.add_metric(name=Metric.JOURNEY_FOLLOW_FAILURES, unit=MetricUnit.Count, value=1)

    def forget(self, candidate_id: str, now: datetime) -> None:
        """Take a candidate out of the funnel; call it before erasing their items."""
        for _ in range(self.MAX_ATTEMPTS):
            read = self._store.current(candidate_id)
            if read is None:
                return
            try:
                self._store.forget(read, now)
            except MoveConflict:
                continue
            logger.info("journey forgotten", extra={"candidate_id": candidate_id})
            return
        raise JourneyBusy(candidate_id)

    def _measure(self, move: Move, read: JourneyState | None, now: datetime) -> None:
        _emit(
            Metric.STAGE_CONVERSION,
            MetricUnit.Count,
            1,
            From=move.previous or NO_STAGE,
            To=move.new,
        )
        if read is not None and move.completes is not None:
            seconds = max((now.astimezone(UTC) - read.entered_at).total_seconds(), 0.0)
            _emit(Metric.TIME_IN_STAGE, MetricUnit.Seconds, seconds, Stage=move.completes)
        if move.drop_off:
            _drop_off(move.previous or NO_STAGE, move.new)


def _drop_off(stage: str, reason: str) -> None:
    _emit(Metric.DROP_OFF, MetricUnit.Count, 1, Stage=stage, Reason=reason)


def _emit(name: str, unit: MetricUnit, value: float, **dimensions: str) -> None:
    # One EMF blob per metric: its dimensions are its own, not the invocation's.
    with single_metric(
        name=name,
        unit=unit,
        value=value,
        namespace=metrics.namespace,
        default_dimensions={"service": metrics.service or ""},
    ) as metric:
        for dimension, dimension_value in dimensions.items():
            metric.add_dimension(name=dimension, value=dimension_value)


def build_journey(
    settings: Settings, connection: Connection, sleep: Callable[[float], None] = time.sleep
) -> Journey:
    """The journey over the configured stages; the runtime calls this once per container."""
    store = JourneyStore(connection)
    return Journey(JourneyPlan.from_settings(settings), store, sleep)
