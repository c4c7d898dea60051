"""The 24-hour window timers end to end in moto: real webhook, real stream, the arming and
step handlers, Scheduler schedules in moto fired by the local firer, the real state machine
definition run by the local interpreter, and the clock moved with time-machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import time_machine
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.exceptions import ClientError

from aremu import clock, runtime
from aremu.channels.scheduler import WindowScheduler
from aremu.channels.whatsapp.signature import sign
from aremu.domain.window import KEEP_ALERTS_BUTTON_ID, Step, Timer, Window, WindowStatus
from aremu.local.handlers import load_handler
from aremu.names import SCHEDULE_GROUP_NAME
from aremu.services.window_timer import (
    StepRequest,
    WindowTimerArming,
    WindowTimerSteps,
)
from aremu.storage.inbound import NewInboundMessage, SenderIdentity
from aremu.storage.models import CandidateItem, MessageItem, OutboxEventItem
from aremu.storage.outbox_events import OutboxEventLog
from aremu.storage.windows import Change, DynamoWindowStore, Expect
from aremu.window_timer_definition import window_timer_definition
from aremu.window_timer_local import (
    ExecutionStatus,
    LocalScheduleFirer,
    LocalStateMachine,
    LocalWindowTimers,
)
from aremu.wiring import NEW_INBOUND_MESSAGES, WEBHOOK_API, FunctionSpec
from tests.integration.conftest import FakeGraphApi
from tests.support import whatsapp as wa
from tests.support.lambda_events import FakeLambdaContext, http_api_event
from tests.support.streams import TableStreamReader

ARM = FunctionSpec(
    name="WindowTimerArm",
    code_dir="functions/window_timer",
    handler="arm.handler",
    description="arms window timers",
    triggers=(),
    access=(),
)
STEP = FunctionSpec(
    name="WindowTimerStep",
    code_dir="functions/window_timer",
    handler="step.handler",
    description="one window timer step",
    triggers=(),
    access=(),
)
webhook = load_handler(WEBHOOK_API)
arm_handler = load_handler(ARM)
step_handler = load_handler(STEP)

STATE_MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:aremu-window-timer"
STEP_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:WindowTimerStep"
ROLE_ARN = "arn:aws:iam::123456789012:role/aremu-one-time-schedules"
PHONE = "2348044444444"
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)


@dataclass
class World:
    graph: FakeGraphApi
    traveller: Any
    stream: TableStreamReader
    scheduler_client: Any
    windows: DynamoWindowStore
    scheduler: WindowScheduler
    timers: LocalWindowTimers = field(init=False)
    outcomes: list[str] = field(default_factory=list)
    sent: int = 0

    def __post_init__(self) -> None:
        machine = LocalStateMachine(window_timer_definition(STEP_ARN), self._invoke, clock.now)
        firer = LocalScheduleFirer(
            self.scheduler_client, SCHEDULE_GROUP_NAME, machine.start_execution
        )
        self.timers = LocalWindowTimers(machine, firer)

    @property
    def machine(self) -> LocalStateMachine:
        return self.timers.state_machine

    def _invoke(self, resource: str, payload: dict[str, Any]) -> Any:
        assert resource == STEP_ARN
        answer = step_handler(payload, FakeLambdaContext())
        self.outcomes.append(answer["outcome"])
        return answer

    def store(self, text: str = "hi", phone: str = PHONE) -> dict[str, Any]:
        """A message through the real webhook; the stream event the arming consumer gets."""
        self.sent += 1
        message = wa.text_message(phone, f"wamid.{phone}.{self.sent}", text)
        body = wa.dumps(wa.envelope([message], [wa.contact(phone)]))
        headers = {"X-Hub-Signature-256": sign("local-app-secret", body)}
        event = http_api_event("POST", "/whatsapp/webhook", body, headers=headers)
        assert webhook(event, FakeLambdaContext())["statusCode"] == 200
        return self.stream.event(NEW_INBOUND_MESSAGES)

    def write(self, text: str = "hi", phone: str = PHONE) -> str:
        """A message stored, then the arming consumer run on its stream record."""
        records = self.store(text, phone)
        assert arm_handler(records, FakeLambdaContext()) == {"batchItemFailures": []}
        return candidate_of(records)

    def until(self, moment: datetime) -> None:
        """Move the clock to `moment`, stopping at every due time on the way."""
        while (due := self.timers.next_due()) is not None and due <= moment:
            self.traveller.move_to(max(due, clock.now()))
            self.timers.run_due(clock.now())
        self.traveller.move_to(moment)
        self.timers.run_due(moment)

    def window(self, candidate_id: str) -> Window:
        window = self.windows.get(candidate_id)
        assert window is not None
        return window

    def reminders(self) -> list[str]:
        return [
            body["interactive"]["body"]["text"]
            for body in self.graph.delivered
            if body.get("type") == "interactive"
            and body["interactive"]["action"]["buttons"][0]["reply"]["id"] == KEEP_ALERTS_BUTTON_ID
        ]


def candidate_of(records: dict[str, Any]) -> str:
    candidate_id: str = records["Records"][-1]["dynamodb"]["NewImage"]["candidate_id"]["S"]
    return candidate_id


def set_stage(candidate_id: str, stage: str) -> None:
    CandidateItem(f"CAND#{candidate_id}", "PROFILE").update(
        actions=[CandidateItem.state.set(stage)]
    )


def steps_service(
    world: World, windows: DynamoWindowStore | None = None, **options: Any
) -> WindowTimerSteps:
    return WindowTimerSteps(
        windows or world.windows,
        runtime.candidate_store(),
        world.scheduler,
        runtime.whatsapp_sender(),
        runtime.message_store(),
        **{"events": OutboxEventLog(), **options},
    )


@pytest.fixture
def world(graph: FakeGraphApi, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("AREMU_GRAPH_BACKOFF_BASE_SECONDS", "0")
    monkeypatch.setenv("AREMU_GRAPH_MAX_ATTEMPTS", "1")
    runtime.reset()
    with time_machine.travel(START, tick=False) as traveller:
        client = boto3.client("scheduler")
        client.create_schedule_group(Name=SCHEDULE_GROUP_NAME)
        runtime.dynamodb_connection()
        windows = DynamoWindowStore()
        scheduler = WindowScheduler(
            client, group_name=SCHEDULE_GROUP_NAME, target_arn=STATE_MACHINE_ARN, role_arn=ROLE_ARN
        )
        built = World(graph, traveller, TableStreamReader(), client, windows, scheduler)
        arming = WindowTimerArming(windows, scheduler)
        steps = steps_service(built)
        # The handlers find these, built on this world's scheduler client, in runtime.
        monkeypatch.setattr(runtime, "window_timer_arming", lambda: arming, raising=False)
        monkeypatch.setattr(runtime, "window_timer_steps", lambda: steps, raising=False)
        yield built


@pytest.fixture
def active(world: World) -> str:
    candidate_id = world.write("hi")
    set_stage(candidate_id, "active")
    return candidate_id


# Arming


def test_first_message_arms_one_schedule_for_twenty_hours_later(world: World) -> None:
    candidate_id = world.write()

    schedule = world.scheduler_client.get_schedule(
        GroupName=SCHEDULE_GROUP_NAME, Name=f"window-{candidate_id}-1"
    )
    assert schedule["ScheduleExpression"] == "at(2026-11-24T04:00:00)"
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["Target"]["Arn"] == STATE_MACHINE_ARN
    assert schedule["Target"]["RoleArn"] == ROLE_ARN
    assert world.window(candidate_id).timer == Timer(1, Step.REMIND_4H, START + 20 * H)


def test_schedule_names_its_dead_letter_queue_when_one_is_configured(world: World) -> None:
    dlq = "arn:aws:sqs:eu-west-1:123456789012:undelivered-schedules"
    scheduler = WindowScheduler(
        world.scheduler_client,
        group_name=SCHEDULE_GROUP_NAME,
        target_arn=STATE_MACHINE_ARN,
        role_arn=ROLE_ARN,
        dead_letter_arn=dlq,
    )

    scheduler.arm("c-dlq", Timer(1, Step.REMIND_4H, START + 20 * H), START)

    schedule = world.scheduler_client.get_schedule(
        GroupName=SCHEDULE_GROUP_NAME, Name="window-c-dlq-1"
    )
    assert schedule["Target"]["DeadLetterConfig"] == {"Arn": dlq}


def test_messages_while_a_timer_is_pending_make_no_scheduler_call(world: World) -> None:
    for minute in range(5):
        world.traveller.move_to(START + timedelta(minutes=minute))
        world.write(f"message {minute}")

    assert world.scheduler.total_calls == 1
    schedules = world.scheduler_client.list_schedules(GroupName=SCHEDULE_GROUP_NAME)
    assert len(schedules["Schedules"]) == 1


def test_window_records_its_start_and_its_messages(world: World) -> None:
    candidate_id = world.write("hi")
    world.traveller.move_to(START + timedelta(minutes=2))
    world.write("sales jobs")
    world.write("in Lagos")

    window = world.window(candidate_id)
    assert (window.opened_at, window.messages_in_window) == (START, 3)
    assert window.status is WindowStatus.ACTIVE


def test_arming_the_same_timer_twice_reports_it_already_armed(world: World) -> None:
    timer = Timer(1, Step.REMIND_4H, START + 20 * H)

    assert world.scheduler.arm("c1", timer, START)
    assert not world.scheduler.arm("c1", timer, START)


def test_failed_schedule_gives_the_claim_back_for_the_stream_retry(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FailingOnce:
        failed = False

        def create_schedule(self, **request: Any) -> Any:
            if not self.failed:
                self.failed = True
                error: Any = {"Error": {"Code": "ThrottlingException", "Message": "slow down"}}
                raise ClientError(error, "CreateSchedule")
            return world.scheduler_client.create_schedule(**request)

    flaky = WindowScheduler(
        FailingOnce(),
        group_name=SCHEDULE_GROUP_NAME,
        target_arn=STATE_MACHINE_ARN,
        role_arn=ROLE_ARN,
    )
    arming = WindowTimerArming(world.windows, flaky)
    monkeypatch.setattr(runtime, "window_timer_arming", lambda: arming, raising=False)
    records = world.store()
    with pytest.raises(BatchProcessingError):
        arm_handler(records, FakeLambdaContext())
    assert world.window(candidate_of(records)).timer is None

    assert arm_handler(records, FakeLambdaContext()) == {"batchItemFailures": []}

    assert world.window(candidate_of(records)).timer is not None


# The state diagram: Active -> FourHourWarning -> BatteryWarning -> Expired -> Active


def test_active_window_turns_four_hour_warning_at_twenty_hours_with_a_reminder(
    world: World, active: str
) -> None:
    world.until(START + 20 * H)

    assert world.window(active).status is WindowStatus.FOUR_HOUR_WARNING
    assert len(world.reminders()) == 1
    assert "24 hours after your last message" in world.reminders()[0]


def test_four_hour_warning_turns_battery_warning_at_twenty_three_hours(
    world: World, active: str
) -> None:
    world.until(START + 23 * H)

    assert world.window(active).status is WindowStatus.BATTERY_WARNING
    assert len(world.reminders()) == 2
    assert world.reminders()[1].startswith("🔋")


def test_battery_warning_turns_expired_at_twenty_four_hours_and_the_timer_ends(
    world: World, active: str
) -> None:
    world.until(START + 24 * H)

    window = world.window(active)
    assert (window.status, window.timer, window.messages_in_window) == (
        WindowStatus.EXPIRED,
        None,
        0,
    )
    assert world.outcomes[-1] == "expired"
    assert not world.machine.running
    assert world.machine.finished[ExecutionStatus.SUCCEEDED] == 1


def test_reminders_and_expiry_become_domain_events(world: World, active: str) -> None:
    world.until(START + 24 * H)

    events = OutboxEventItem.query(f"CAND#{active}", OutboxEventItem.sk.startswith("EVENT#"))
    details = [(e.detail_type, e.detail.get("reminder")) for e in events]
    assert details == [
        ("WindowReminderSent", "remind_4h"),
        ("WindowReminderSent", "battery"),
        ("WindowExpired", None),
    ]


def test_message_after_expiry_reopens_the_window_with_a_new_timer(
    world: World, active: str
) -> None:
    world.until(START + 30 * H)

    world.write("back again")

    window = world.window(active)
    assert (window.status, window.opened_at, window.messages_in_window) == (
        WindowStatus.ACTIVE,
        START + 30 * H,
        1,
    )
    assert window.timer == Timer(2, Step.REMIND_4H, START + 50 * H)
    assert window.reminders_sent == frozenset()
    assert world.scheduler.total_calls == 2


def test_message_while_active_moves_the_reminder_to_twenty_hours_after_it(
    world: World, active: str
) -> None:
    world.until(START + 10 * H)
    world.write("any new jobs?")

    world.until(START + 29 * H)
    assert world.reminders() == []
    world.until(START + 30 * H)
    assert len(world.reminders()) == 1
    assert world.scheduler.total_calls == 1  # re-armed inside the running execution


def test_message_during_four_hour_warning_returns_to_active_and_cancels_the_battery_warning(
    world: World, active: str
) -> None:
    world.until(START + 21 * H)
    world.write("keep them coming")

    assert world.window(active).status is WindowStatus.ACTIVE
    world.until(START + 24 * H)
    timer = world.window(active).timer
    assert len(world.reminders()) == 1
    assert timer is not None
    assert (timer.epoch, timer.step, timer.due_at) == (2, Step.REMIND_4H, START + 41 * H)


def test_message_during_battery_warning_returns_to_active_and_cancels_the_expiry(
    world: World, active: str
) -> None:
    world.until(START + 23.5 * H)
    world.write("still here")

    world.until(START + 25 * H)
    window = world.window(active)
    assert window.status is WindowStatus.ACTIVE
    assert window.timer is not None and window.timer.due_at == START + 43.5 * H


# Races, duplicates, retries


def test_message_at_the_moment_the_reminder_fires_prevents_the_reminder(
    world: World, active: str
) -> None:
    world.until(START + 20 * H - timedelta(seconds=1))
    world.traveller.move_to(START + 20 * H)

    world.write("hello again")
    world.timers.run_due(clock.now())

    assert world.reminders() == []
    assert world.outcomes == ["rearmed"]


def test_message_stored_between_reading_and_claiming_prevents_the_reminder(
    world: World, active: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class MessageLandsFirst(DynamoWindowStore):
        def update(self, candidate_id: str, expect: Expect, change: Change, now: datetime) -> bool:
            if change.add_reminder is not None:
                runtime.inbound_store().record(
                    SenderIdentity(wa_id=PHONE),
                    NewInboundMessage("wamid.race", "text", "hi", None, None, None, now),
                    now,
                )
            return super().update(candidate_id, expect, change, now)

    steps = steps_service(world, MessageLandsFirst())
    monkeypatch.setattr(runtime, "window_timer_steps", lambda: steps, raising=False)

    world.until(START + 20 * H)

    assert world.reminders() == []
    assert world.outcomes == ["rearmed"]


def test_duplicate_firing_sends_one_reminder(world: World, active: str) -> None:
    world.traveller.move_to(START + 20 * H)
    # Scheduler delivers at least once: the same input starts a second execution.
    world.machine.start_execution(
        {"candidate_id": active, "epoch": 1, "step": "remind_4h", "due_at": "2026-11-24T04:00:00Z"}
    )

    world.timers.run_due(clock.now())

    assert len(world.reminders()) == 1
    assert sorted(world.outcomes) == ["remind_4h_sent", "superseded"]
    assert len(world.machine.running) == 1


def test_duplicate_executions_deciding_at_once_send_one_reminder(world: World, active: str) -> None:
    first = StepRequest(
        candidate_id=active, epoch=1, step=Step.REMIND_4H, due_at=START + 20 * H, execution_id="a"
    )
    second = first.model_copy(update={"execution_id": "b"})

    class OtherExecutionWinsTheRace(DynamoWindowStore):
        raced = False

        def update(self, candidate_id: str, expect: Expect, change: Change, now: datetime) -> bool:
            if not self.raced:
                self.raced = True
                steps_service(world).run_step(second, now)
            return super().update(candidate_id, expect, change, now)

    world.traveller.move_to(START + 20 * H)

    result = steps_service(world, OtherExecutionWinsTheRace()).run_step(first, clock.now())

    assert len(world.reminders()) == 1
    assert result.outcome == "superseded"


def test_retried_step_sends_no_second_reminder(world: World, active: str) -> None:
    world.traveller.move_to(START + 20 * H)
    payload = {
        "candidate_id": active,
        "epoch": 1,
        "step": "remind_4h",
        "due_at": "2026-11-24T04:00:00Z",
        "execution_id": "exec-1",
    }

    first = step_handler(payload, FakeLambdaContext())
    again = step_handler(payload, FakeLambdaContext())

    assert len(world.reminders()) == 1
    assert (first["outcome"], again["outcome"]) == ("remind_4h_sent", "nothing_due")
    assert again["step"] == first["step"] == "battery"


def test_throttled_reminder_is_sent_once_on_the_task_retry(world: World, active: str) -> None:
    world.graph.fail_with.append((400, {"error": {"code": 130429, "message": "throttled"}}))

    world.until(START + 20 * H + timedelta(minutes=5))

    assert len(world.reminders()) == 1
    assert world.window(active).reminders_sent == frozenset({"1:remind_4h"})
    assert world.machine.finished[ExecutionStatus.FAILED] == 0


# Who gets reminders


def test_erased_candidate_with_a_pending_timer_gets_nothing_and_the_timer_stops(
    world: World, active: str
) -> None:
    runtime.candidate_store().erase(active)

    world.until(START + 25 * H)

    assert world.reminders() == []
    assert world.outcomes == ["no_window"]
    assert world.machine.finished == {ExecutionStatus.SUCCEEDED: 1, ExecutionStatus.FAILED: 0}


def test_paused_candidate_gets_no_reminder_but_the_window_expires(
    world: World, active: str
) -> None:
    set_stage(active, "paused")

    world.until(START + 25 * H)

    assert world.reminders() == []
    assert world.window(active).status is WindowStatus.EXPIRED


def test_candidate_taken_over_by_a_recruiter_gets_no_reminder(
    world: World, active: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = steps_service(world, is_taken_over=lambda candidate: True)
    monkeypatch.setattr(runtime, "window_timer_steps", lambda: steps, raising=False)

    world.until(START + 25 * H)

    assert world.reminders() == []
    assert world.outcomes[:2] == ["remind_4h_not_eligible", "battery_not_eligible"]


def test_reminder_is_stored_as_an_outbound_message(world: World, active: str) -> None:
    world.until(START + 20 * H)

    messages = MessageItem.query(f"CAND#{active}", MessageItem.sk.startswith("MSG#"))
    stored = [m for m in messages if m.direction == "out"]
    assert len(stored) == 1
    assert stored[0].content == {"window_step": "remind_4h", "epoch": 1}


def test_local_firer_starts_only_due_schedules_and_deletes_them(world: World) -> None:
    world.scheduler.arm("c1", Timer(1, Step.REMIND_4H, START + 2 * H), START)
    world.scheduler.arm("c2", Timer(1, Step.REMIND_4H, START + 5 * H), START)

    world.timers.run_due(START + 2 * H)

    assert world.machine.started == 1
    remaining = world.scheduler_client.list_schedules(GroupName=SCHEDULE_GROUP_NAME)
    assert [s["Name"] for s in remaining["Schedules"]] == ["window-c2-1"]
    assert world.timers.next_due() == START + 5 * H
