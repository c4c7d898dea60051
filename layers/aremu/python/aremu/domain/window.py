"""The 24-hour customer-service window: its status, its timer's steps and its reminders' words.

WhatsApp lets Aremu send free-form messages for 24 hours after the candidate's last message;
after that only paid templates go. One timer per window wakes at 20 h ("4 hours left"),
23 h (the battery warning) and 24 h (expiry). Every inbound message adds one to the window's
`epoch`, so a timer armed for one epoch knows, when it wakes, whether the candidate has
written since: if so it re-arms for the new time and does nothing else.

State diagram (stored status; the derived `status_at` is always right on its own):

    ACTIVE --20h--> FOUR_HOUR_WARNING --23h--> BATTERY_WARNING --24h--> EXPIRED
       ^                                                                  |
       +------------- any inbound message, from any state ----------------+

Plain rules over plain values: `now` is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from aremu.channels.whatsapp.outbound import Buttons, ReplyButton, Text
from aremu.domain.delivery.routing import ALERT_STAGES, WINDOW


class WindowStatus(StrEnum):
    ACTIVE = "active"
    FOUR_HOUR_WARNING = "four_hour_warning"
    BATTERY_WARNING = "battery_warning"
    EXPIRED = "expired"


class Step(StrEnum):
    """What a timer does when it wakes."""

    REMIND_4H = "remind_4h"
    BATTERY = "battery"
    EXPIRE = "expire"
    REARM = "rearm"  # the candidate wrote since the timer was armed
    NOTHING = "nothing"  # woke early, or this step is already done


# The steps a timer waits for, in order; a timer's `step` is always one of these.
TIMER_STEPS: tuple[Step, ...] = (Step.REMIND_4H, Step.BATTERY, Step.EXPIRE)
REMINDER_STEPS = frozenset({Step.REMIND_4H, Step.BATTERY})
STATUS_AFTER: dict[Step, WindowStatus] = {
    Step.REMIND_4H: WindowStatus.FOUR_HOUR_WARNING,
    Step.BATTERY: WindowStatus.BATTERY_WARNING,
    Step.EXPIRE: WindowStatus.EXPIRED,
}


@dataclass(frozen=True)
class WindowPolicy:
    remind_after: timedelta = timedelta(hours=20)
    battery_after: timedelta = timedelta(hours=23)
    expire_after: timedelta = WINDOW
    # A pending timer this far past its wake-up is presumed dead (its execution failed for
    # good), so the next inbound message arms a new one instead of trusting it.
    stale_after: timedelta = timedelta(hours=1)
    # Re-arming inside the running execution (a loop back to its Wait) costs no Scheduler
    # call; an execution this old re-arms through a new schedule instead, which keeps
    # executions well inside Standard's one-year limit and picks up a redeployed definition.
    rearm_in_execution: bool = True
    max_execution_age: timedelta = timedelta(days=7)

    def __post_init__(self) -> None:
        if not timedelta(0) < self.remind_after < self.battery_after < self.expire_after:
            raise ValueError("window steps must come in order: remind, battery, expire")

    def offset(self, step: Step) -> timedelta:
        offsets = {
            Step.REMIND_4H: self.remind_after,
            Step.BATTERY: self.battery_after,
            Step.EXPIRE: self.expire_after,
        }
        return offsets[step]

    def due_at(self, last_inbound_at: datetime, step: Step) -> datetime:
        return last_inbound_at + self.offset(step)


DEFAULT_POLICY = WindowPolicy()


@dataclass(frozen=True)
class Timer:
    """A pending timer: the epoch it counts from, the step it wakes for, and when."""

    epoch: int
    step: Step
    due_at: datetime
    # The Step Functions execution that runs it; None until its first step claims it.
    owner: str | None = None

    def counts_from(self, policy: WindowPolicy) -> datetime:
        """The inbound time this timer counts from."""
        return self.due_at - policy.offset(self.step)


@dataclass(frozen=True)
class Window:
    candidate_id: str
    epoch: int
    last_inbound_at: datetime
    opened_at: datetime | None = None
    # The epoch of the message that opened this window.
    opened_epoch: int = 1
    # As the timer last recorded it; `status_at` derives it from the clock instead.
    status: WindowStatus = WindowStatus.ACTIVE
    # "epoch:step" of the reminders sent in this window.
    reminders_sent: frozenset[str] = field(default_factory=frozenset)
    timer: Timer | None = None

    @property
    def messages_in_window(self) -> int:
        return max(0, self.epoch - self.opened_epoch + 1)


def status_at(
    last_inbound_at: datetime, now: datetime, policy: WindowPolicy = DEFAULT_POLICY
) -> WindowStatus:
    step = latest_due(last_inbound_at, now, policy)
    return WindowStatus.ACTIVE if step is None else STATUS_AFTER[step]


def latest_due(
    last_inbound_at: datetime, now: datetime, policy: WindowPolicy = DEFAULT_POLICY
) -> Step | None:
    """The last of the timer's steps whose time has come, or None before the first."""
    due = [step for step in TIMER_STEPS if now >= policy.due_at(last_inbound_at, step)]
    return due[-1] if due else None


def reminder_key(epoch: int, step: Step) -> str:
    """Idempotency key of a reminder; kept on the candidate's own window item."""
    return f"{epoch}:{step.value}"


def may_remind(stage: str, taken_over: bool) -> bool:
    """Reminders keep job alerts flowing, so only candidates who get alerts receive them."""
    return stage in ALERT_STAGES and not taken_over


def first_timer(
    last_inbound_at: datetime, epoch: int, now: datetime, policy: WindowPolicy = DEFAULT_POLICY
) -> Timer:
    """The timer for a window counting from `last_inbound_at`.

    Armed late, it wakes at once for the step whose time has come (a stale reminder is
    skipped rather than sent late).
    """
    step = latest_due(last_inbound_at, now, policy) or Step.REMIND_4H
    return Timer(epoch, step, policy.due_at(last_inbound_at, step))


def owns(window: Window, armed_epoch: int, execution_id: str) -> bool:
    """Whether the execution that woke still runs this window's timer.

    A duplicate execution (Scheduler delivers at least once) or one superseded by a newer
    timer finds the timer claimed by another execution, or armed for another epoch.
    """
    timer = window.timer
    return timer is not None and timer.epoch == armed_epoch and timer.owner in (None, execution_id)


def next_step(
    window: Window, armed_epoch: int, now: datetime, policy: WindowPolicy = DEFAULT_POLICY
) -> Step:
    """What a timer armed for `armed_epoch` does on waking at `now`."""
    if window.epoch != armed_epoch:
        return Step.REARM
    due = latest_due(window.last_inbound_at, now, policy)
    if due is None:
        return Step.NOTHING
    if due in REMINDER_STEPS and reminder_key(window.epoch, due) in window.reminders_sent:
        return Step.NOTHING
    return due


@dataclass(frozen=True)
class StepDecision:
    action: Step
    status: WindowStatus | None  # the status to record; None leaves it
    then: Timer | None  # the next wake-up; None ends the timer
    # REARM only: the activity came after the window had closed, so it opened a new one.
    reopened: bool = False


def decide_step(
    window: Window, armed_epoch: int, now: datetime, policy: WindowPolicy = DEFAULT_POLICY
) -> StepDecision:
    """The step `next_step` names, with the status it leaves and the next wake-up."""
    action = next_step(window, armed_epoch, now, policy)
    if action is Step.REARM:
        then = first_timer(window.last_inbound_at, window.epoch, now, policy)
        return StepDecision(action, WindowStatus.ACTIVE, then, _reopened(window, policy))
    if action is Step.EXPIRE:
        return StepDecision(action, WindowStatus.EXPIRED, None)
    if action is Step.NOTHING:
        return StepDecision(action, None, _upcoming(window, now, policy))
    following = TIMER_STEPS[TIMER_STEPS.index(action) + 1]
    then = Timer(armed_epoch, following, policy.due_at(window.last_inbound_at, following))
    return StepDecision(action, STATUS_AFTER[action], then)


def _upcoming(window: Window, now: datetime, policy: WindowPolicy) -> Timer:
    step = next(
        (s for s in TIMER_STEPS if policy.due_at(window.last_inbound_at, s) > now), Step.EXPIRE
    )
    return Timer(window.epoch, step, policy.due_at(window.last_inbound_at, step))


def _reopened(window: Window, policy: WindowPolicy) -> bool:
    # Only certain when exactly one message came since: with more, an earlier one may have
    # kept the window open. Counting a rare lapse as an extension only skews the
    # window's start and message count; the derived status stays right.
    timer = window.timer
    return (
        timer is not None
        and window.epoch == timer.epoch + 1
        and window.last_inbound_at - timer.counts_from(policy) >= policy.expire_after
    )


@dataclass(frozen=True)
class ArmDecision:
    timer: Timer | None  # a timer to arm; None leaves the timer as it is
    mark_active: bool  # record the window active again
    reopened: bool  # this inbound message opened a new window


def arm_decision(
    window: Window, now: datetime, policy: WindowPolicy = DEFAULT_POLICY
) -> ArmDecision:
    """What a newly stored inbound message does to the window's timer.

    A timer is armed only when none is pending, so Scheduler calls cost O(1) per window:
    a pending timer notices the new epoch when it wakes and re-arms itself.
    """
    open_now = now < window.last_inbound_at + policy.expire_after
    if not open_now and window.status is WindowStatus.EXPIRED:
        # A late replay of an old message: its window already closed and was recorded so.
        return ArmDecision(None, mark_active=False, reopened=False)
    reopened = open_now and (window.opened_at is None or window.status is WindowStatus.EXPIRED)
    mark_active = open_now and window.status is not WindowStatus.ACTIVE
    timer = window.timer
    if timer is not None and now < timer.due_at + policy.stale_after:
        return ArmDecision(None, mark_active, reopened)
    return ArmDecision(
        first_timer(window.last_inbound_at, window.epoch, now, policy), mark_active, reopened
    )


KEEP_ALERTS_BUTTON_ID = "window_keep"
_KEEP_ALERTS = ReplyButton(id=KEEP_ALERTS_BUTTON_ID, title="Keep alerts on")
_FOOTER = "Write PAUSE or STOP any time"


def four_hours_left() -> Buttons:
    return Buttons(
        body=(
            "⏳ About 4 hours left to keep your job alerts coming.\n\n"
            "WhatsApp only lets me message you for 24 hours after your last message. "
            "Reply to keep job alerts coming free; after that I have to wait until you "
            "write to me again."
        ),
        buttons=[_KEEP_ALERTS],
        footer=_FOOTER,
    )


def battery_warning() -> Buttons:
    return Buttons(
        body=(
            "🔋 1 hour left. After that WhatsApp won't let me send you new jobs until you "
            "message me again. Tap the button or send any reply to keep them coming."
        ),
        buttons=[_KEEP_ALERTS],
        footer=_FOOTER,
    )


def reminder_message(step: Step) -> Buttons:
    if step is Step.REMIND_4H:
        return four_hours_left()
    if step is Step.BATTERY:
        return battery_warning()
    raise ValueError(f"no reminder for step {step}")


# The conversation's answer to the "Keep alerts on" button (the reply itself re-opened
# the window; this only says so).
KEEP_ALERTS_ACK = Text(
    body="Great, your job alerts stay on. I'll keep sending jobs that fit you here."
)
