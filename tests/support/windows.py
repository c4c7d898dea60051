"""Window timers without AWS: an in-memory window store with DynamoDB's semantics, fakes for
Scheduler and the Graph API, and a simulated world that runs them on a moved clock.

The in-memory store applies the same conditions and changes as `DynamoWindowStore`
(tests/integration/test_window_timer.py holds the DynamoDB one to the same behaviours), so
the property tests and the benchmark exercise the real service and the real state machine
definition, fast.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from aremu.channels.scheduler import WindowScheduler
from aremu.channels.whatsapp.errors import WhatsAppSendError
from aremu.channels.whatsapp.outbound import OutboundMessage
from aremu.channels.whatsapp.sender import SendResult
from aremu.domain.window import DEFAULT_POLICY, Window, WindowPolicy
from aremu.observability import metrics
from aremu.services.window_timer import (
    StepRequest,
    StepResult,
    WindowTimerArming,
    WindowTimerSteps,
)
from aremu.storage.models import CandidateItem
from aremu.storage.windows import Change, Expect
from aremu.window_timer_definition import window_timer_definition
from aremu.window_timer_local import LocalStateMachine, one_time_fire_at

STATE_MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:aremu-window-timer"
STEP_FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:WindowTimerStep"
SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/aremu-one-time-schedules"
GROUP = "aremu"
START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


class InMemoryWindowStore:
    def __init__(self) -> None:
        self.windows: dict[str, Window] = {}
        self.reads = 0
        self.writes = 0

    def record_inbound(self, candidate_id: str, at: datetime) -> None:
        """What the inbound transaction does to the window (storage/inbound.py)."""
        self.writes += 1
        window = self.windows.get(candidate_id)
        if window is None:
            self.windows[candidate_id] = Window(candidate_id, epoch=1, last_inbound_at=at)
        else:
            self.windows[candidate_id] = replace(window, epoch=window.epoch + 1, last_inbound_at=at)

    def erase(self, candidate_id: str) -> None:
        self.windows.pop(candidate_id, None)

    def get(self, candidate_id: str) -> Window | None:
        self.reads += 1
        return self.windows.get(candidate_id)

    def update(self, candidate_id: str, expect: Expect, change: Change, now: datetime) -> bool:
        self.writes += 1
        window = self.windows.get(candidate_id)
        if window is None or not _holds(expect, window):
            return False
        self.windows[candidate_id] = _applied(change, window)
        return True


def _holds(expect: Expect, window: Window) -> bool:
    timer = window.timer
    checks = [
        expect.epoch is None or window.epoch == expect.epoch,
        not expect.no_timer or timer is None,
        expect.timer is None
        or (
            timer is not None
            and (timer.epoch, timer.due_at) == (expect.timer.epoch, expect.timer.due_at)
        ),
        expect.timer_epoch is None or (timer is not None and timer.epoch == expect.timer_epoch),
        expect.owner is None or timer is None or timer.owner in (None, expect.owner),
        expect.reminder_absent is None or expect.reminder_absent not in window.reminders_sent,
    ]
    return all(checks)


def _applied(change: Change, window: Window) -> Window:
    updated = window
    if change.status is not None:
        updated = replace(updated, status=change.status)
    if change.timer is not None:
        updated = replace(updated, timer=change.timer)
    if change.clear_timer:
        updated = replace(updated, timer=None)
    if change.opened_at is not None:
        updated = replace(updated, opened_at=change.opened_at)
    if change.clear_opened_at:
        updated = replace(updated, opened_at=None)
    if change.opened_epoch is not None:
        updated = replace(updated, opened_epoch=change.opened_epoch)
    reminders = set(updated.reminders_sent)
    if change.reset_reminders:
        reminders.clear()
    if change.add_reminder is not None:
        reminders.add(change.add_reminder)
    if change.remove_reminder is not None:
        reminders.discard(change.remove_reminder)
    return replace(updated, reminders_sent=frozenset(reminders))


class FakeSchedulerClient:
    """The boto3 `scheduler` calls the adapter makes: schedules kept, never fired by itself."""

    def __init__(self) -> None:
        self.schedules: dict[str, dict[str, Any]] = {}
        self._by_time: list[tuple[datetime, str]] = []
        self.created = 0
        self.fail_next: Exception | None = None

    def create_schedule(self, **request: Any) -> dict[str, Any]:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        name = request["Name"]
        if name in self.schedules:
            raise ClientError(
                {"Error": {"Code": "ConflictException", "Message": "exists"}}, "CreateSchedule"
            )
        self.created += 1
        self.schedules[name] = request
        heapq.heappush(self._by_time, (_fire_at(request), name))
        return {"ScheduleArn": f"arn:aws:scheduler:::schedule/{GROUP}/{name}"}

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """Take the schedules due by `now` (they delete themselves after firing)."""
        fired = []
        while self._by_time and self._by_time[0][0] <= now:
            _, name = heapq.heappop(self._by_time)
            fired.append(self.schedules.pop(name))
        return fired

    def next_fire(self) -> datetime | None:
        return self._by_time[0][0] if self._by_time else None


def _fire_at(schedule: dict[str, Any]) -> datetime:
    at = one_time_fire_at(schedule)
    assert at is not None
    return at


@dataclass
class SentReminder:
    at: datetime
    candidate_id: str
    recipient: str
    epoch: int
    body: str


class RecordingSender:
    """Answers like the Graph API sender; knows the window epoch each reminder went out in."""

    def __init__(self, store: InMemoryWindowStore, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self.sent: list[SentReminder] = []
        self.fail_with: list[WhatsAppSendError] = []
        self.on_send: Callable[[SentReminder], None] | None = None
        self.recipients: dict[str, str] = {}  # recipient -> candidate id

    def send(self, recipient: str, message: OutboundMessage) -> SendResult:
        if self.fail_with:
            raise self.fail_with.pop(0)
        candidate_id = self.recipients[recipient]
        window = self._store.windows[candidate_id]
        reminder = SentReminder(
            self._clock(), candidate_id, recipient, window.epoch, str(getattr(message, "body", ""))
        )
        self.sent.append(reminder)
        if self.on_send is not None:
            self.on_send(reminder)
        return SendResult(message_id=f"wamid.REMIND{len(self.sent)}", attempts=1)


class FakeCandidates:
    def __init__(self) -> None:
        self.items: dict[str, CandidateItem] = {}
        self.reads = 0

    def add(self, candidate_id: str, stage: str = "active", phone: str | None = None) -> str:
        phone = phone or f"23480{len(self.items):08d}"
        self.items[candidate_id] = CandidateItem(
            f"CAND#{candidate_id}",
            "PROFILE",
            candidate_id=candidate_id,
            wa_id=phone,
            state=stage,
            created_at=START,
        )
        return phone

    def get(self, candidate_id: str) -> CandidateItem | None:
        self.reads += 1
        return self.items.get(candidate_id)


@dataclass
class SimClock:
    moment: datetime = START

    def now(self) -> datetime:
        return self.moment


@dataclass(order=True)
class _Inbound:
    at: datetime
    seq: int
    candidate_id: str = field(compare=False)


class TimerWorld:
    """The arming consumer, the step Lambda and the real state machine definition on a
    simulated clock, over in-memory fakes; schedules fire on the minute they name.
    """

    def __init__(
        self,
        policy: WindowPolicy = DEFAULT_POLICY,
        duplicate_firing: Callable[[str], bool] = lambda name: False,
        repeat_step: Callable[[int], bool] = lambda index: False,
        is_taken_over: Callable[[CandidateItem], bool] = lambda candidate: False,
    ) -> None:
        self.clock = SimClock()
        self.store = InMemoryWindowStore()
        self.candidates = FakeCandidates()
        self.sender = RecordingSender(self.store, self.clock.now)
        self.scheduler_client = FakeSchedulerClient()
        self.scheduler = WindowScheduler(
            self.scheduler_client,
            group_name=GROUP,
            target_arn=STATE_MACHINE_ARN,
            role_arn=SCHEDULER_ROLE_ARN,
        )
        self.arming = WindowTimerArming(self.store, self.scheduler, policy)
        self.steps = WindowTimerSteps(
            self.store,
            self.candidates,
            self.scheduler,
            self.sender,
            policy=policy,
            is_taken_over=is_taken_over,
        )
        self.machine = LocalStateMachine(
            window_timer_definition(STEP_FUNCTION_ARN), self._invoke, self.clock.now
        )
        self._duplicate = duplicate_firing
        # A step run again with the same execution id: a Task retried after its first
        # attempt had already done its work (a timeout after the write, say).
        self._repeat = repeat_step
        self._inbound: list[_Inbound] = []
        self._seq = itertools.count()
        self.inbound_count = 0
        self.schedules_fired = 0
        self.results: list[StepResult] = []

    def add_candidate(self, candidate_id: str, stage: str = "active") -> None:
        phone = self.candidates.add(candidate_id, stage)
        self.sender.recipients[phone] = candidate_id

    def message_at(self, candidate_id: str, at: datetime) -> None:
        """A candidate's message arriving at `at` (runs when the clock reaches it)."""
        heapq.heappush(self._inbound, _Inbound(at, next(self._seq), candidate_id))

    @property
    def idle(self) -> bool:
        """Nothing left to happen: no message on its way, no schedule, no execution."""
        return not (self._inbound or self.scheduler_client.next_fire() or self.machine.next_wake())

    def run_until(self, end: datetime) -> None:
        """Move the clock to `end`, running messages, schedules and steps in time order.

        At the same instant a message goes first: a timer waking then sees it.
        """
        while True:
            moments = [
                m
                for m in (
                    self._inbound[0].at if self._inbound else None,
                    self.scheduler_client.next_fire(),
                    self.machine.next_wake(),
                )
                if m is not None and m <= end
            ]
            if not moments:
                break
            self.clock.moment = max(self.clock.moment, min(moments))
            now = self.clock.moment
            while self._inbound and self._inbound[0].at <= now:
                self._receive(heapq.heappop(self._inbound).candidate_id, now)
            for schedule in self.scheduler_client.due(now):
                self._fire(schedule)
            self.machine.run_due(now)
        self.clock.moment = max(self.clock.moment, end)

    def _receive(self, candidate_id: str, now: datetime) -> None:
        self.inbound_count += 1
        self.store.record_inbound(candidate_id, now)
        self.arming.arm_if_needed(candidate_id, now, now)
        # A handler's log_metrics flushes per invocation; here they are dropped instead.
        metrics.clear_metrics()

    def _fire(self, schedule: dict[str, Any]) -> None:
        payload = json.loads(schedule["Target"]["Input"])
        copies = 2 if self._duplicate(schedule["Name"]) else 1
        for _ in range(copies):
            self.schedules_fired += 1
            self.machine.start_execution(payload)

    def _invoke(self, resource: str, payload: dict[str, Any]) -> Any:
        assert resource == STEP_FUNCTION_ARN
        request = StepRequest.model_validate(payload)
        if self._repeat(len(self.results)):
            self.steps.run_step(request, self.clock.now())
        result = self.steps.run_step(request, self.clock.now())
        metrics.clear_metrics()
        self.results.append(result)
        return result.model_dump(mode="json")
