"""The window item's timer state: reads, and conditional updates that make each step run once.

The inbound transaction (storage/inbound.py) owns `last_inbound_at` and `epoch`; this module
owns the rest of the item. Every write here is one conditional UpdateItem, so

- a timer is armed only when none is pending (condition on the timer as it was read);
- a reminder is claimed before it is sent (`NOT contains(reminders_sent, "epoch:step")`),
  so a duplicate firing or a retry never sends it twice;
- a step runs only for the execution that owns the timer and only if the candidate has not
  written since (`epoch` unchanged), else the caller reads again and decides again;
- nothing is written for an erased candidate (`attribute_exists(pk)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pynamodb.attributes import (
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from aremu.domain.window import Step, Timer, Window, WindowStatus
from aremu.storage.errors import is_condition_failure
from aremu.storage.models import WindowItem, candidate_key


class WindowStateItem(WindowItem):
    """WindowItem with the timer's attributes (same table, keys and `kind`)."""

    opened_at = UTCDateTimeAttribute(null=True)
    opened_epoch = NumberAttribute(null=True)
    status = UnicodeAttribute(null=True)
    status_at = UTCDateTimeAttribute(null=True)
    reminders_sent = UnicodeSetAttribute(null=True)
    timer_epoch = NumberAttribute(null=True)
    timer_step = UnicodeAttribute(null=True)
    timer_due_at = UTCDateTimeAttribute(null=True)
    timer_owner = UnicodeAttribute(null=True)


@dataclass(frozen=True)
class Expect:
    """What a write requires of the stored window; None checks nothing."""

    epoch: int | None = None
    no_timer: bool = False
    timer: Timer | None = None  # this timer (epoch and due time) is still the pending one
    timer_epoch: int | None = None
    owner: str | None = None  # the timer is unclaimed or claimed by this execution
    reminder_absent: str | None = None


@dataclass(frozen=True)
class Change:
    """What a write does; None changes nothing."""

    status: WindowStatus | None = None
    timer: Timer | None = None  # arm or move the timer (its owner is set, or removed if None)
    clear_timer: bool = False
    opened_at: datetime | None = None
    opened_epoch: int | None = None
    clear_opened_at: bool = False
    reset_reminders: bool = False
    add_reminder: str | None = None
    remove_reminder: str | None = None


class WindowStore(Protocol):
    def get(self, candidate_id: str) -> Window | None: ...

    def update(self, candidate_id: str, expect: Expect, change: Change, now: datetime) -> bool:
        """Apply `change` if `expect` holds; False when it did not (or the window is gone)."""
        ...


class DynamoWindowStore:
    def __init__(self) -> None:
        # The subclass caches its own connection; start from the one the models are bound to.
        WindowStateItem._connection = None

    def get(self, candidate_id: str) -> Window | None:
        try:
            item = WindowStateItem.get(
                candidate_key(candidate_id), WindowStateItem.SORT_KEY, consistent_read=True
            )
        except WindowStateItem.DoesNotExist:
            return None
        return to_window(item)

    def update(self, candidate_id: str, expect: Expect, change: Change, now: datetime) -> bool:
        key = WindowStateItem(candidate_key(candidate_id), WindowStateItem.SORT_KEY)
        try:
            key.update(actions=_actions(change, now), condition=_condition(expect))
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True


def to_window(item: WindowStateItem) -> Window:
    timer = None
    if item.timer_epoch is not None and item.timer_step and item.timer_due_at:
        timer = Timer(
            int(item.timer_epoch), Step(item.timer_step), item.timer_due_at, item.timer_owner
        )
    return Window(
        candidate_id=item.candidate_id,
        epoch=int(item.epoch),
        last_inbound_at=item.last_inbound_at,
        opened_at=item.opened_at,
        opened_epoch=int(item.opened_epoch) if item.opened_epoch is not None else 1,
        status=WindowStatus(item.status or WindowStatus.ACTIVE),
        reminders_sent=frozenset(item.reminders_sent or ()),
        timer=timer,
    )


def _condition(expect: Expect) -> Condition:
    item = WindowStateItem
    condition: Condition = item.pk.exists()
    if expect.epoch is not None:
        condition &= item.epoch == expect.epoch
    if expect.no_timer:
        condition &= item.timer_epoch.does_not_exist()
    if expect.timer is not None:
        condition &= item.timer_epoch == expect.timer.epoch
        condition &= item.timer_due_at == expect.timer.due_at
    if expect.timer_epoch is not None:
        condition &= item.timer_epoch == expect.timer_epoch
    if expect.owner is not None:
        condition &= item.timer_owner.does_not_exist() | (item.timer_owner == expect.owner)
    if expect.reminder_absent is not None:
        condition &= ~item.reminders_sent.contains(expect.reminder_absent)
    return condition


def _actions(change: Change, now: datetime) -> list[Action]:
    item = WindowStateItem
    actions: list[Action] = []
    if change.status is not None:
        actions += [item.status.set(change.status.value), item.status_at.set(now)]
    if change.timer is not None:
        timer = change.timer
        actions += [
            item.timer_epoch.set(timer.epoch),
            item.timer_step.set(timer.step.value),
            item.timer_due_at.set(timer.due_at),
            item.timer_owner.set(timer.owner) if timer.owner else item.timer_owner.remove(),
        ]
    if change.clear_timer:
        actions += [
            item.timer_epoch.remove(),
            item.timer_step.remove(),
            item.timer_due_at.remove(),
            item.timer_owner.remove(),
        ]
    if change.opened_at is not None:
        actions.append(item.opened_at.set(change.opened_at))
    if change.clear_opened_at:
        actions.append(item.opened_at.remove())
    if change.opened_epoch is not None:
        actions.append(item.opened_epoch.set(change.opened_epoch))
    if change.reset_reminders:
        actions.append(item.reminders_sent.remove())
    if change.add_reminder is not None:
        actions.append(item.reminders_sent.add({change.add_reminder}))
    if change.remove_reminder is not None:
        actions.append(item.reminders_sent.delete({change.remove_reminder}))
    return actions
