"""The window timer's two halves: arming it when a message is stored, and each step it runs.

Arming runs in a stream consumer (never in the webhook API path) and creates a Scheduler
schedule only when the window has no pending timer. The schedule starts a Step Functions
execution whose Task calls `run_step` at 20 h, 23 h and 24 h. Each step re-reads the window:
if the candidate has written since, it re-arms for the new time (by looping the running
execution back to its Wait, which costs no Scheduler call) and does nothing else.

Idempotency, for Scheduler's at-least-once delivery and Step Functions' retries:
- the first step of an execution claims the timer with the execution's id; a duplicate
  execution finds it claimed by another and stops;
- a reminder is claimed in the window item ("epoch:step") before it is sent, so it goes
  out at most once per window epoch and step; a failed send gives the claim back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, Protocol

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ConfigDict, Field

from aremu.channels.scheduler import iso_z
from aremu.channels.whatsapp.errors import RetryableSendError, WhatsAppSendError
from aremu.channels.whatsapp.outbound import OutboundMessage
from aremu.domain.window import (
    DEFAULT_POLICY,
    REMINDER_STEPS,
    Step,
    StepDecision,
    Timer,
    Window,
    WindowPolicy,
    WindowStatus,
    arm_decision,
    decide_step,
    may_remind,
    owns,
    reminder_key,
    reminder_message,
)
from aremu.names import EventType, Metric
from aremu.observability import logger, metrics
from aremu.storage.messages import OutboundRecord
from aremu.storage.models import CandidateItem
from aremu.storage.windows import Change, Expect, WindowStore

if TYPE_CHECKING:
    # Only a type here: the arming function never sends, so it does not import `requests`.
    from aremu.channels.whatsapp.sender import SendResult

# A step that keeps losing its conditional write to concurrent changes gives up and lets
# the Task's retry decide again.
MAX_DECISIONS = 3


class TimerScheduler(Protocol):
    def arm(self, candidate_id: str, timer: Timer, now: datetime) -> bool: ...


class ReminderSender(Protocol):
    def send(self, recipient: str, message: OutboundMessage) -> SendResult: ...


class CandidateLookup(Protocol):
    def get(self, candidate_id: str) -> CandidateItem | None: ...


class OutboundLog(Protocol):
    def record_outbound(self, record: OutboundRecord, now: datetime) -> None: ...


class EventLog(Protocol):
    def record(
        self, candidate_id: str, detail_type: str, detail: dict[str, Any], at: datetime
    ) -> None: ...


class ArmOutcome(StrEnum):
    ARMED = "armed"
    ALREADY_ARMED = "already_armed"  # the schedule existed (a retried stream batch)
    PENDING = "pending"  # a timer is pending: it will notice the new message itself
    CLOSED = "closed"  # a late replay for a window recorded as expired
    NO_WINDOW = "no_window"  # the candidate was erased
    RACED = "raced"  # the window changed while we looked; the next record arms


class WindowTimerArming:
    def __init__(
        self,
        windows: WindowStore,
        scheduler: TimerScheduler,
        policy: WindowPolicy = DEFAULT_POLICY,
    ) -> None:
        self._windows = windows
        self._scheduler = scheduler
        self._policy = policy

    def arm_if_needed(self, candidate_id: str, inbound_at: datetime, now: datetime) -> ArmOutcome:
        """For a newly stored inbound message (arrived at `inbound_at`): arm a timer if none."""
        window = self._windows.get(candidate_id)
        if window is None:
            return ArmOutcome.NO_WINDOW
        decision = arm_decision(window, now, self._policy)
        change = Change(
            status=WindowStatus.ACTIVE if decision.mark_active else None,
            timer=decision.timer,
            opened_at=inbound_at if decision.reopened else None,
            reset_reminders=decision.reopened,
        )
        if decision.timer is None:
            if decision.mark_active or decision.reopened:
                self._windows.update(candidate_id, Expect(epoch=window.epoch), change, now)
            return ArmOutcome.PENDING if window.timer is not None else ArmOutcome.CLOSED
        # Claimed before the schedule is made, so only one consumer makes it.
        expect = Expect(timer=window.timer) if window.timer else Expect(no_timer=True)
        if not self._windows.update(candidate_id, expect, change, now):
            return ArmOutcome.RACED
        try:
            created = self._scheduler.arm(candidate_id, decision.timer, now)
        except Exception:
            # Give the claim back, so the stream's retry of this record arms again.
            self._windows.update(
                candidate_id, Expect(timer=decision.timer), Change(clear_timer=True), now
            )
            raise
        metrics.add_metric(name=Metric.WINDOW_TIMERS_ARMED, unit=MetricUnit.Count, value=1)
        logger.info(
            "window timer armed",
            extra={"candidate_id": candidate_id, "epoch": decision.timer.epoch},
        )
        return ArmOutcome.ARMED if created else ArmOutcome.ALREADY_ARMED


class StepRequest(BaseModel):
    """What the state machine's Task passes (see `window_timer_definition`)."""

    model_config = ConfigDict(frozen=True)

    candidate_id: str
    epoch: int
    step: Step
    due_at: datetime
    execution_id: str = Field(min_length=1)
    execution_started_at: datetime | None = None


class StepResult(BaseModel):
    """The Task's answer: the execution's next state input, and what this step did."""

    model_config = ConfigDict(frozen=True)

    candidate_id: str
    epoch: int
    step: Step
    due_at: str
    next: Literal["wait", "stop"]
    outcome: str


def _never_taken_over(candidate: CandidateItem) -> bool:
    return False


@dataclass(frozen=True)
class _Step:
    request: StepRequest
    window: Window
    decision: StepDecision
    now: datetime

    @property
    def candidate_id(self) -> str:
        return self.request.candidate_id

    @property
    def owned(self) -> Expect:
        """The timer is still this execution's, for the epoch it was armed for."""
        return Expect(timer_epoch=self.request.epoch, owner=self.request.execution_id)

    def then(self) -> Timer:
        assert self.decision.then is not None  # every action but EXPIRE has a next wake
        return replace(self.decision.then, owner=self.request.execution_id)


class WindowTimerSteps:
    def __init__(
        self,
        windows: WindowStore,
        candidates: CandidateLookup,
        scheduler: TimerScheduler,
        sender: ReminderSender,
        messages: OutboundLog | None = None,
        *,
        policy: WindowPolicy = DEFAULT_POLICY,
        is_taken_over: Callable[[CandidateItem], bool] = _never_taken_over,
        service_message_price_usd: float = 0.0,
        events: EventLog | None = None,
    ) -> None:
        self._windows = windows
        self._events = events
        self._candidates = candidates
        self._scheduler = scheduler
        self._sender = sender
        self._messages = messages
        self._policy = policy
        self._is_taken_over = is_taken_over
        self._service_price = service_message_price_usd

    def run_step(self, request: StepRequest, now: datetime) -> StepResult:
        for _ in range(MAX_DECISIONS):
            window = self._windows.get(request.candidate_id)
            if window is None:
                return _stop(request, "no_window")
            timer = window.timer
            if timer and timer.owner == request.execution_id and timer.epoch != request.epoch:
                # A retry of a step that had already re-armed: carry on from there.
                return _wait(request, timer, "resumed")
            if not owns(window, request.epoch, request.execution_id):
                return _stop(request, "superseded")
            decision = decide_step(window, request.epoch, now, self._policy)
            step = _Step(request, window, decision, now)
            result = self._carry_out(step)
            if result is not None:
                _log(step, result)
                return result
        raise RuntimeError("window kept changing under the timer step")

    def _carry_out(self, step: _Step) -> StepResult | None:
        """Do what the decision says; None when the window changed first (decide again)."""
        action = step.decision.action
        if action is Step.REARM:
            return self._rearm(step)
        if action is Step.EXPIRE:
            return self._expire(step)
        if action in REMINDER_STEPS:
            return self._remind(step)
        then = step.then()
        if step.window.timer != then and not self._windows.update(
            step.candidate_id, step.owned, Change(timer=then), step.now
        ):
            return None
        return _wait(step.request, then, "nothing_due")

    def _rearm(self, step: _Step) -> StepResult | None:
        started = step.request.execution_started_at
        by_schedule = not self._policy.rearm_in_execution or (
            started is not None and step.now - started >= self._policy.max_execution_age
        )
        assert step.decision.then is not None
        timer = step.decision.then if by_schedule else step.then()
        reopened = step.decision.reopened
        change = Change(
            status=WindowStatus.ACTIVE,
            timer=timer,
            opened_at=step.window.last_inbound_at if reopened else None,
            opened_epoch=step.window.epoch if reopened else None,
            reset_reminders=reopened,
        )
        if by_schedule:
            # Made before the write: a schedule nobody claims finds the timer moved on and
            # stops, while a write without its schedule would leave the window timerless.
            self._scheduler.arm(step.candidate_id, timer, step.now)
        if not self._windows.update(step.candidate_id, step.owned, change, step.now):
            return None
        metrics.add_metric(name=Metric.WINDOW_TIMERS_REARMED, unit=MetricUnit.Count, value=1)
        if by_schedule:
            return _stop(step.request, "rearmed_by_schedule")
        return _wait(step.request, timer, "rearmed")

    def _expire(self, step: _Step) -> StepResult | None:
        expect = replace(step.owned, epoch=step.request.epoch)
        change = Change(
            status=WindowStatus.EXPIRED,
            clear_timer=True,
            # The next inbound message opens the next window, with the next epoch.
            opened_epoch=step.window.epoch + 1,
            clear_opened_at=True,
        )
        if not self._windows.update(step.candidate_id, expect, change, step.now):
            return None
        metrics.add_metric(name=Metric.WINDOWS_EXPIRED, unit=MetricUnit.Count, value=1)
        self._record(step, EventType.WINDOW_EXPIRED, {})
        return _stop(step.request, "expired")

    def _remind(self, step: _Step) -> StepResult | None:
        action = step.decision.action
        then = step.then()
        recipient = self._recipient(step.candidate_id)
        key = reminder_key(step.request.epoch, action) if recipient else None
        expect = replace(step.owned, epoch=step.request.epoch, reminder_absent=key)
        change = Change(status=step.decision.status, timer=then, add_reminder=key)
        if not self._windows.update(step.candidate_id, expect, change, step.now):
            return None
        if recipient is None or key is None:
            return _wait(step.request, then, f"{action.value}_not_eligible")
        message = reminder_message(action)
        try:
            sent = self._sender.send(recipient, message)
        except WhatsAppSendError as error:
            self._windows.update(
                step.candidate_id,
                Expect(owner=step.request.execution_id),
                Change(remove_reminder=key),
                step.now,
            )
            metrics.add_metric(name=Metric.SEND_FAILURES, unit=MetricUnit.Count, value=1)
            if isinstance(error, RetryableSendError):
                raise
            logger.warning("window reminder not deliverable", extra={"error_code": error.code})
            return _wait(step.request, then, f"{action.value}_send_failed")
        if self._messages is not None:
            self._messages.record_outbound(
                OutboundRecord(
                    sent.message_id,
                    step.candidate_id,
                    "interactive",
                    message.body,
                    {"window_step": action.value, "epoch": step.request.epoch},
                    step.now,
                ),
                step.now,
            )
        metrics.add_metric(name=Metric.WINDOW_REMINDERS_SENT, unit=MetricUnit.Count, value=1)
        self._record(step, EventType.WINDOW_REMINDER_SENT, {"reminder": action.value})
        metrics.add_metric(name=Metric.MESSAGES_SENT, unit=MetricUnit.Count, value=1)
        metrics.add_metric(
            name=Metric.MESSAGE_COST_USD, unit=MetricUnit.NoUnit, value=self._service_price
        )
        return _wait(step.request, then, f"{action.value}_sent")

    def _record(self, step: _Step, event: EventType, detail: dict[str, Any]) -> None:
        if self._events is None:
            return
        self._events.record(
            step.candidate_id,
            event.value,
            {
                "candidateId": step.candidate_id,
                "epoch": step.request.epoch,
                "timestamp": iso_z(step.now),
                **detail,
            },
            step.now,
        )

    def _recipient(self, candidate_id: str) -> str | None:
        """Where a reminder goes, or None when the candidate may not get one."""
        candidate = self._candidates.get(candidate_id)
        if candidate is None or not may_remind(candidate.state, self._is_taken_over(candidate)):
            return None
        return candidate.wa_id or candidate.bsuid


def _wait(request: StepRequest, timer: Timer, outcome: str) -> StepResult:
    return StepResult(
        candidate_id=request.candidate_id,
        epoch=timer.epoch,
        step=timer.step,
        due_at=iso_z(timer.due_at),
        next="wait",
        outcome=outcome,
    )


def _stop(request: StepRequest, outcome: str) -> StepResult:
    return StepResult(
        candidate_id=request.candidate_id,
        epoch=request.epoch,
        step=request.step,
        due_at=iso_z(request.due_at),
        next="stop",
        outcome=outcome,
    )


def _log(step: _Step, result: StepResult) -> None:
    logger.info(
        "window timer step",
        extra={
            "candidate_id": step.candidate_id,
            "epoch": step.request.epoch,
            "step": step.request.step.value,
            "outcome": result.outcome,
            "next": result.next,
        },
    )
