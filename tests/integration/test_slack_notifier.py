"""Domain events into Slack: the notifier behind Powertools idempotency (moto's table), a fake
desk, and the Slack Web API faked at HTTP.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import responses

from aremu import runtime
from aremu.channels.slack.blocks import ActionId
from aremu.channels.slack.web_api import SlackWebApi
from aremu.local.handlers import load_handler
from aremu.services.operator_desk import Hold
from aremu.services.slack_notifier import (
    BusEvent,
    NotifyOutcome,
    SlackNotifier,
    ThreadNotReady,
)
from aremu.wiring import SLACK_NOTIFY
from tests.support.lambda_events import FakeLambdaContext
from tests.support.slack import RECRUITERS_CHANNEL, SLACK_API, FakeDesk, FakeSlackApi, card

ADA = "c5f2a9e0b7d14c3e8a6f9b21"
RECRUITER = "URECRUITER1"
THREAD_TS = "1795000050.000001"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)

NOTIFY_FUNCTION = SLACK_NOTIFY  # as wired: the handler the stack runs


def bus_event(
    detail_type: str, detail: dict[str, Any], event_id: str | None = None
) -> dict[str, Any]:
    """An EventBridge event as a rule's Lambda target receives it."""
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "aremu",
        "account": "123456789012",
        "time": "2026-11-22T10:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": detail,
    }


def at_risk(candidate_id: str = ADA, event_id: str | None = None) -> dict[str, Any]:
    return bus_event(
        "CandidateAtRisk",
        {
            "candidateId": candidate_id,
            "riskScore": 0.74,
            "riskFactors": [
                {
                    "name": "inactive_for_stage",
                    "weight": 0.5,
                    "strength": 1.0,
                    "reason": "silent for 4 days",
                },
                {
                    "name": "window_closing_unconfirmed",
                    "weight": 0.3,
                    "strength": 0.8,
                    "reason": "2 h left",
                },
            ],
            "lastActivity": "2026-11-18T09:00:00Z",
            "recommendedAction": "take_over",
        },
        event_id,
    )


def held_message(text: str = "Hello? Anyone there?", event_id: str | None = None) -> dict[str, Any]:
    return bus_event(
        "HeldMessageReceived",
        {
            "candidateId": ADA,
            "messageId": "wamid.IN1",
            "operatorId": RECRUITER,
            "content": text,
            "timestamp": "2026-11-22T10:00:00Z",
            "source": "whatsapp",
        },
        event_id,
    )


def handback(**thread: str) -> dict[str, Any]:
    detail = {
        "candidateId": ADA,
        "operatorId": RECRUITER,
        "timestamp": "2026-11-22T10:00:00Z",
        "summary": "Interview booked for Tuesday",
        **thread,
    }
    return bus_event("OperatorHandback", detail)


@pytest.fixture
def api(aws: None) -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        yield fake


@pytest.fixture
def desk() -> FakeDesk:
    fake = FakeDesk()
    fake.add(card(ADA, "Ada Obi"))
    return fake


@pytest.fixture
def notify(api: FakeSlackApi, desk: FakeDesk) -> runtime.Idempotent[BusEvent]:
    """The notifier as the runtime wires it: once per EventBridge event id."""
    notifier = SlackNotifier(SlackWebApi(SLACK_API, "xoxb-test"), desk, RECRUITERS_CHANNEL)

    def run(request: BusEvent) -> dict[str, Any]:
        return {"outcome": notifier.handle(request, NOW)}

    once = runtime.Idempotent("slack_notify", "id", run)
    once.register_lambda_context(FakeLambdaContext())
    return once


def deliver(notify: runtime.Idempotent[BusEvent], event: dict[str, Any]) -> str:
    outcome: str = notify(BusEvent.model_validate(event))["outcome"]
    return outcome


def held(desk: FakeDesk, *, thread: bool = True) -> None:
    channel, ts = (RECRUITERS_CHANNEL, THREAD_TS) if thread else (None, None)
    desk.holds[ADA] = Hold(ADA, RECRUITER, NOW, "at-risk alert", channel, ts)


# -- at-risk alerts -------------------------------------------------------------------------


def test_at_risk_event_posts_the_alert_to_the_recruiters_channel(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    outcome = deliver(notify, at_risk())

    assert outcome == NotifyOutcome.ALERT_POSTED
    [alert] = api.posts()
    assert alert["channel"] == RECRUITERS_CHANNEL
    shown = json.dumps(alert["blocks"], ensure_ascii=False)
    assert "Ada Obi" in shown
    assert "silent for 4 days" in shown


def test_alert_buttons_carry_the_candidate_id(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    deliver(notify, at_risk())

    [alert] = api.posts()
    buttons = [e for b in alert["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {(button["action_id"], button["value"]) for button in buttons} == {
        (ActionId.TAKE_OVER.value, ADA),
        (ActionId.NUDGE.value, ADA),
        (ActionId.DISMISS.value, ADA),
    }


def test_the_same_at_risk_event_delivered_twice_posts_one_alert(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    event = at_risk(event_id="evt-1")

    deliver(notify, event)
    deliver(notify, event)

    assert len(api.posts()) == 1


def test_at_risk_alert_for_a_candidate_a_recruiter_holds_is_not_posted(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi, desk: FakeDesk
) -> None:
    held(desk)

    outcome = deliver(notify, at_risk())

    assert outcome == NotifyOutcome.ALREADY_HELD
    assert api.posts() == []


def test_at_risk_alert_for_an_erased_candidate_is_not_posted(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    outcome = deliver(notify, at_risk("c-erased"))

    assert outcome == NotifyOutcome.CANDIDATE_GONE
    assert api.posts() == []


def test_risk_factors_given_as_bare_names_are_shown(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    event = at_risk()
    event["detail"]["riskFactors"] = ["failed_deliveries"]

    deliver(notify, event)

    assert "Failed deliveries" in json.dumps(api.posts()[0]["blocks"])


def test_alert_without_a_recommended_action_is_posted_without_one(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    event = at_risk()
    event["detail"]["recommendedAction"] = None

    deliver(notify, event)

    assert "Recommended" not in json.dumps(api.posts()[0]["blocks"])


# -- the held candidate's messages ----------------------------------------------------------


def test_message_from_a_held_candidate_is_mirrored_into_the_thread(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi, desk: FakeDesk
) -> None:
    held(desk)

    outcome = deliver(notify, held_message("Is the job still open?"))

    assert outcome == NotifyOutcome.MIRRORED
    [mirrored] = api.posts()
    assert (mirrored["channel"], mirrored["thread_ts"]) == (RECRUITERS_CHANNEL, THREAD_TS)
    assert "Is the job still open?" in json.dumps(mirrored["blocks"])


def test_message_from_a_candidate_handed_back_meanwhile_is_not_mirrored(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    outcome = deliver(notify, held_message())

    assert outcome == NotifyOutcome.NOT_HELD
    assert api.calls == []


def test_redelivered_message_is_mirrored_once(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi, desk: FakeDesk
) -> None:
    held(desk)
    event = held_message(event_id="evt-msg-1")

    deliver(notify, event)
    deliver(notify, event)

    assert len(api.posts()) == 1


def test_message_before_the_thread_exists_fails_and_its_retry_mirrors_it(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi, desk: FakeDesk
) -> None:
    held(desk, thread=False)
    event = held_message(event_id="evt-msg-2")
    with pytest.raises(ThreadNotReady):
        deliver(notify, event)
    held(desk)

    outcome = deliver(notify, event)

    assert outcome == NotifyOutcome.MIRRORED
    assert len(api.posts()) == 1


def test_mirrored_message_hides_phone_numbers(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi, desk: FakeDesk
) -> None:
    held(desk)

    deliver(notify, held_message("call me on 0803 123 4567"))

    assert "123 4567" not in json.dumps(api.posts()[0])


# -- handback summaries ---------------------------------------------------------------------


def test_handback_summary_is_posted_in_the_thread(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    outcome = deliver(notify, handback(channel=RECRUITERS_CHANNEL, threadTs=THREAD_TS))

    assert outcome == NotifyOutcome.SUMMARY_POSTED
    [summary] = api.posts()
    assert (summary["channel"], summary["thread_ts"]) == (RECRUITERS_CHANNEL, THREAD_TS)
    assert "Interview booked for Tuesday" in json.dumps(summary["blocks"])


def test_handback_without_a_known_thread_is_posted_in_the_channel_under_the_name(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    deliver(notify, handback())

    [summary] = api.posts()
    assert summary["channel"] == RECRUITERS_CHANNEL
    assert "thread_ts" not in summary
    assert "Ada Obi" in json.dumps(summary["blocks"])


def test_handback_of_a_takeover_whose_thread_never_opened_is_not_posted(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi
) -> None:
    # The recruiter who pressed Take over was told at once; the channel needs no summary.
    outcome = deliver(notify, handback(endedBy="thread_not_opened"))

    assert outcome == NotifyOutcome.IGNORED
    assert api.posts() == []


def test_the_notifier_is_not_invoked_for_messages_the_bot_answers() -> None:
    # Every candidate message is a MessageReceived; only held ones concern Slack.
    [rule] = NOTIFY_FUNCTION.rules()
    assert "MessageReceived" not in rule.detail_types
    assert "HeldMessageReceived" in rule.detail_types


def test_other_events_are_ignored(notify: runtime.Idempotent[BusEvent], api: FakeSlackApi) -> None:
    outcome = deliver(notify, bus_event("JobMatched", {"candidateId": ADA}))

    assert outcome == NotifyOutcome.IGNORED
    assert api.calls == []


# -- the handler ----------------------------------------------------------------------------


def test_notify_handler_runs_the_notifier_for_the_bus_event(
    notify: runtime.Idempotent[BusEvent], api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "slack_notify", lambda: notify, raising=False)
    handler = load_handler(NOTIFY_FUNCTION)

    answer = handler(at_risk(), FakeLambdaContext())

    assert answer == {"outcome": NotifyOutcome.ALERT_POSTED}
    assert len(api.posts()) == 1
