"""The recruiters' Slack app end to end in-process: signed requests through bolt and the
Lambda adapter, a fake operator desk and journey, and the Slack Web API faked at HTTP.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
import yaml
from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner

from aremu.channels.slack.blocks import ActionId, HandbackTarget
from aremu.channels.slack.recruiters import RecruiterPolicy
from aremu.channels.slack.web_api import SlackCallFailed, SlackWebApi
from aremu.config import Settings
from aremu.credentials import from_environment
from aremu.local.handlers import load_handler
from aremu.observability import metrics
from aremu.services.operator_desk import ConversationLine, Hold, RelayOutcome
from aremu.services.slack_app import (
    COMMAND,
    InlineLazyListenerRunner,
    SlackEvents,
    build_slack_events,
    lazy_runner_for,
)
from aremu.storage.journey import FunnelUnavailable
from aremu.wiring import SLACK_EVENTS
from tests.support.lambda_events import FakeLambdaContext
from tests.support.slack import (
    BOT_USER,
    FORM,
    RECRUITERS_CHANNEL,
    RECRUITERS_GROUP,
    SLACK_API,
    TEAM_ID,
    FakeDesk,
    FakeJourney,
    FakeLambdaClient,
    FakeSlackApi,
    block_action,
    card,
    form,
    message_event,
    signed_event,
    slash_command,
    view_submission,
)

ADA = "c0123456789abcdef01234567"
RECRUITER = "URECRUITER1"
OTHER_RECRUITER = "URECRUITER2"
GROUP_MEMBER = "UGROUPMEMBER"
STRANGER = "USTRANGER"
OTHER_CHANNEL = "COTHER"
THREAD_TS = "1795000050.000001"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SETTINGS = Settings(
    slack_api_base_url=SLACK_API,
    slack_team_id=TEAM_ID,
    slack_bot_user_id=BOT_USER,
    slack_recruiters_channel=RECRUITERS_CHANNEL,
    slack_recruiters_user_group=RECRUITERS_GROUP,
)
CREDENTIALS = from_environment({})
ALERT_BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "At risk: Ada Obi"}},
    {"type": "actions", "elements": [{"type": "button", "action_id": "aremu_take_over"}]},
]

# Slack's ts of an alert posted 2.5 minutes before the app's NOW.
ALERT_TS = f"{(NOW - timedelta(seconds=150)).timestamp():.6f}"

EVENTS_FUNCTION = SLACK_EVENTS  # as wired: the handler the stack runs


@dataclass
class Slack:
    """The app as Lambda serves it, and what it did to the desk, the journey and Slack."""

    events: SlackEvents
    desk: FakeDesk
    journey: FakeJourney
    api: FakeSlackApi

    def post(self, body: bytes, content_type: str, **signing: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self.events.handle(
            signed_event(body, content_type, **signing), FakeLambdaContext()
        )
        return answer

    def click(self, action_id: ActionId, value: str = ADA, **payload: Any) -> dict[str, Any]:
        retry = payload.pop("retry_num", None)
        return self.post(form(block_action(action_id, value, **payload)), FORM, retry_num=retry)

    def command(self, text: str, **who: Any) -> dict[str, Any]:
        return self.post(slash_command(text, **who), FORM)

    def say(self, text: str, **event: Any) -> dict[str, Any]:
        retry = event.pop("retry_num", None)
        return self.post(message_event(text, **event), "application/json", retry_num=retry)


@pytest.fixture
def api() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi(answers={"usergroups.users.list": {"ok": True, "users": [GROUP_MEMBER]}})
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        yield fake


@pytest.fixture
def desk() -> FakeDesk:
    fake = FakeDesk()
    fake.add(
        card(ADA, "Ada Obi"),
        [
            ConversationLine("in", "I want a sales job in Lagos", NOW, None),
            ConversationLine("out", "Here are 3 jobs for you", NOW, None),
        ],
    )
    return fake


@pytest.fixture
def slack(api: FakeSlackApi, desk: FakeDesk) -> Slack:
    journey = FakeJourney(known={ADA}, current={ADA: "matching"})
    events = build_slack_events(
        SETTINGS,
        CREDENTIALS,
        desk,
        journey,
        web_api=SlackWebApi(SLACK_API, CREDENTIALS.slack_bot_token.get_secret_value()),
        lazy_runner=InlineLazyListenerRunner(),
        now=lambda: NOW,
    )
    return Slack(events, desk, journey, api)


def held_in_thread(desk: FakeDesk, operator: str = RECRUITER) -> None:
    desk.holds[ADA] = Hold(ADA, operator, NOW, "at-risk alert", RECRUITERS_CHANNEL, THREAD_TS)


def texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks)


# -- request verification -------------------------------------------------------------------


def test_forged_signature_is_rejected_with_401(slack: Slack) -> None:
    answer = slack.post(
        form(block_action(ActionId.TAKE_OVER, ADA)), FORM, secret="not-the-signing-secret"
    )

    assert answer["statusCode"] == 401
    assert slack.desk.calls == []


def test_timestamp_older_than_five_minutes_is_rejected_with_401(slack: Slack) -> None:
    six_minutes_ago = int(time.time()) - 6 * 60

    answer = slack.post(
        form(block_action(ActionId.TAKE_OVER, ADA)), FORM, timestamp=six_minutes_ago
    )

    assert answer["statusCode"] == 401
    assert slack.desk.calls == []


def test_url_verification_challenge_is_answered(slack: Slack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "xyz", "token": "t"}).encode()

    answer = slack.post(body, "application/json")

    assert answer["statusCode"] == 200
    assert "xyz" in answer["body"]


# -- take over ------------------------------------------------------------------------------


def test_take_over_opens_a_thread_with_the_recent_conversation(slack: Slack) -> None:
    answer = slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS)

    assert answer["statusCode"] == 200
    assert slack.desk.called("take_over") == [("take_over", ADA, RECRUITER, "at-risk alert")]
    [opener] = slack.api.posts()
    assert opener["channel"] == RECRUITERS_CHANNEL
    assert "I want a sales job in Lagos" in texts(opener["blocks"])
    assert ActionId.HAND_BACK.value in texts(opener["blocks"])


def test_take_over_attaches_the_new_thread_to_the_hold(slack: Slack) -> None:
    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS)

    [attached] = slack.desk.called("attach_thread")
    assert attached[:4] == ("attach_thread", ADA, RECRUITER, RECRUITERS_CHANNEL)
    assert slack.desk.holds[ADA].thread_ts == attached[4]


def test_take_over_updates_the_alert_and_removes_its_buttons(slack: Slack) -> None:
    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS, message_ts="1795000000.000100")

    [update] = slack.api.to("chat.update")
    assert (update["channel"], update["ts"]) == (RECRUITERS_CHANNEL, "1795000000.000100")
    assert f"Taken over by <@{RECRUITER}>" in texts(update["blocks"])
    assert all(block["type"] != "actions" for block in update["blocks"])


def test_non_recruiter_take_over_is_refused_and_the_desk_not_called(slack: Slack) -> None:
    answer = slack.click(ActionId.TAKE_OVER, user=STRANGER, channel=OTHER_CHANNEL)

    assert answer["statusCode"] == 200
    assert slack.desk.calls == []
    [refusal] = slack.api.ephemerals()
    assert (refusal["user"], refusal["channel"]) == (STRANGER, OTHER_CHANNEL)
    assert "Only recruiters" in refusal["text"]


def test_user_group_member_may_act_outside_the_recruiters_channel(slack: Slack) -> None:
    slack.click(ActionId.TAKE_OVER, user=GROUP_MEMBER, channel=OTHER_CHANNEL)

    assert slack.desk.called("take_over") == [("take_over", ADA, GROUP_MEMBER, "at-risk alert")]


def test_retried_take_over_has_one_effect(slack: Slack) -> None:
    payload = block_action(ActionId.TAKE_OVER, ADA, message_blocks=ALERT_BLOCKS)

    first = slack.post(form(payload), FORM)
    retry = slack.post(form(payload), FORM, retry_num=1)

    assert first["statusCode"] == retry["statusCode"] == 200
    assert len(slack.api.posts()) == 1
    assert len(slack.desk.called("attach_thread")) == 1
    assert slack.api.ephemerals() == []


def test_second_recruiter_is_told_who_holds_the_conversation(slack: Slack) -> None:
    slack.click(ActionId.TAKE_OVER, user=RECRUITER, message_blocks=ALERT_BLOCKS)
    slack.click(ActionId.TAKE_OVER, user=OTHER_RECRUITER, message_blocks=ALERT_BLOCKS)

    assert len(slack.api.posts()) == 1
    [told] = slack.api.ephemerals()
    assert told["user"] == OTHER_RECRUITER
    assert f"already held by <@{RECRUITER}>" in told["text"]
    assert f"<@{RECRUITER}>" in texts(told["blocks"])


def test_take_over_of_an_erased_or_opted_out_candidate_is_refused(slack: Slack) -> None:
    slack.click(ActionId.TAKE_OVER, "c-gone", message_blocks=ALERT_BLOCKS)

    assert slack.api.posts() == []
    [refusal] = slack.api.ephemerals()
    assert "no longer available" in refusal["text"]


def test_take_over_whose_thread_was_never_posted_posts_it_on_the_next_press(slack: Slack) -> None:
    slack.desk.holds[ADA] = Hold(ADA, RECRUITER, NOW, "at-risk alert", None, None)

    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS)

    assert len(slack.api.posts()) == 1
    assert slack.desk.holds[ADA].thread_ts is not None


def test_second_press_while_the_first_is_posting_the_thread_opens_no_second_thread(
    slack: Slack,
) -> None:
    # A double click: the second press finds the hold its own, with no thread attached yet.
    second_press: list[dict[str, Any]] = []
    slack.api.meanwhile["chat.postMessage"] = lambda: second_press.append(
        slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS)
    )

    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS)

    assert second_press[0]["statusCode"] == 200
    assert len(slack.api.posts()) == 1
    assert len(slack.desk.called("attach_thread")) == 1
    [told] = slack.api.ephemerals()
    assert "being opened" in told["text"]
    assert slack.desk.holds[ADA].thread_ts is not None


def test_retry_of_a_press_that_posted_the_thread_and_died_attaches_it_without_posting(
    slack: Slack,
) -> None:
    hold = Hold(ADA, RECRUITER, NOW, "at-risk alert", None, None)
    slack.desk.holds[ADA] = hold
    slack.desk.posted_threads[(ADA, NOW)] = (RECRUITERS_CHANNEL, THREAD_TS)

    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS)

    assert slack.api.posts() == []
    assert slack.desk.holds[ADA].thread_ts == THREAD_TS
    [update] = slack.api.to("chat.update")
    assert f"Taken over by <@{RECRUITER}>" in texts(update["blocks"])


@pytest.mark.parametrize(
    "failure",
    [{"ok": False, "error": "not_in_channel"}, requests.ReadTimeout("read timed out")],
    ids=["refused", "unconfirmed"],
)
def test_thread_slack_did_not_take_gives_the_conversation_back_to_aremu(
    slack: Slack, failure: dict[str, Any] | Exception
) -> None:
    slack.api.answers["chat.postMessage"] = failure

    answer = slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS)

    assert answer["statusCode"] == 200
    assert len(slack.api.posts()) == 1  # a post that may have gone through is not repeated
    assert slack.desk.called("thread_not_opened") == [("thread_not_opened", ADA)]
    assert ADA not in slack.desk.holds
    assert slack.desk.called("attach_thread") == []
    assert slack.api.to("chat.update") == []  # the alert keeps its buttons
    [told] = slack.api.ephemerals()
    assert "Aremu keeps the conversation" in told["text"]


def test_take_over_from_a_candidate_card_notes_it_without_updating_the_card(slack: Slack) -> None:
    slack.click(ActionId.TAKE_OVER, ephemeral=True)

    assert slack.desk.called("take_over")[0][3] == "candidate card"
    assert slack.api.to("chat.update") == []
    assert "Taken over" in slack.api.ephemerals()[0]["text"]


# -- the thread -----------------------------------------------------------------------------


def test_thread_reply_is_relayed_with_its_text_and_event_id_as_dedup_key(slack: Slack) -> None:
    held_in_thread(slack.desk)

    slack.say("Hello Ada, this is Tolu from Aremu", thread_ts=THREAD_TS, event_id="Ev123")

    assert slack.desk.called("relay_reply") == [
        ("relay_reply", ADA, RECRUITER, "Hello Ada, this is Tolu from Aremu", "slack:Ev123")
    ]


def test_retried_thread_reply_sends_once(slack: Slack) -> None:
    held_in_thread(slack.desk)

    slack.say("Hello Ada", thread_ts=THREAD_TS, event_id="Ev123")
    slack.say("Hello Ada", thread_ts=THREAD_TS, event_id="Ev123", retry_num=1)

    keys = [call[4] for call in slack.desk.called("relay_reply")]
    assert keys == ["slack:Ev123", "slack:Ev123"]
    assert slack.desk.seen_keys == {"slack:Ev123"}


@pytest.mark.parametrize(
    "event",
    [
        {"bot_id": "BAREMU"},
        {"subtype": "message_changed"},
        {"user": BOT_USER},
        {"thread_ts": None},
    ],
    ids=["bot message", "edit", "our own post", "not in a thread"],
)
def test_messages_that_are_not_a_recruiter_reply_are_not_relayed(
    slack: Slack, event: dict[str, Any]
) -> None:
    held_in_thread(slack.desk)

    answer = slack.say("anything", **{"thread_ts": THREAD_TS, **event})

    assert answer["statusCode"] == 200
    assert slack.desk.called("relay_reply") == []


def test_reply_in_a_thread_nobody_holds_is_ignored(slack: Slack) -> None:
    slack.say("Hello", thread_ts=THREAD_TS)

    assert slack.desk.called("relay_reply") == []
    assert slack.api.calls == []


def test_reply_after_the_window_closed_offers_the_follow_up_template(slack: Slack) -> None:
    held_in_thread(slack.desk)
    slack.desk.relay_outcome = RelayOutcome.WINDOW_CLOSED

    slack.say("Are you still interested?", thread_ts=THREAD_TS)

    [offer] = slack.api.posts()
    assert (offer["channel"], offer["thread_ts"]) == (RECRUITERS_CHANNEL, THREAD_TS)
    [button] = offer["blocks"][-1]["elements"]
    assert (button["action_id"], button["value"]) == (ActionId.SEND_TEMPLATE.value, ADA)


def test_reply_to_a_candidate_gone_meanwhile_is_answered_in_the_thread(slack: Slack) -> None:
    held_in_thread(slack.desk)
    slack.desk.relay_outcome = RelayOutcome.CANDIDATE_GONE

    slack.say("Hello?", thread_ts=THREAD_TS)

    [told] = slack.api.ephemerals()
    assert (told["user"], told["thread_ts"]) == (RECRUITER, THREAD_TS)
    assert "Nothing was sent" in told["text"]


def test_follow_up_template_button_sends_the_template_and_marks_the_offer(slack: Slack) -> None:
    held_in_thread(slack.desk)

    slack.click(ActionId.SEND_TEMPLATE, thread_ts=THREAD_TS, message_ts="1795000060.000001")

    assert [call[:3] for call in slack.desk.called("send_follow_up_template")] == [
        ("send_follow_up_template", ADA, RECRUITER)
    ]
    [update] = slack.api.to("chat.update")
    assert update["ts"] == "1795000060.000001"
    assert "Follow-up template sent" in update["text"]


def test_follow_up_template_for_a_conversation_no_longer_held_is_refused_in_the_thread(
    slack: Slack,
) -> None:
    slack.click(ActionId.SEND_TEMPLATE, thread_ts=THREAD_TS, message_ts="1795000060.000001")

    [told] = slack.api.ephemerals()
    assert (told["user"], told["thread_ts"]) == (RECRUITER, THREAD_TS)
    assert "no longer hold" in told["text"]
    assert slack.api.to("chat.update") == []


# -- hand back ------------------------------------------------------------------------------


def test_hand_back_button_opens_the_summary_modal(slack: Slack) -> None:
    held_in_thread(slack.desk)
    payload = block_action(ActionId.HAND_BACK, ADA, message_ts=THREAD_TS)

    slack.post(form(payload), FORM)

    [opened] = slack.api.to("views.open")
    assert opened["trigger_id"] == payload["trigger_id"]
    assert opened["view"]["callback_id"] == "aremu_handback"
    target = HandbackTarget.from_metadata(opened["view"]["private_metadata"])
    assert target == HandbackTarget(ADA, RECRUITERS_CHANNEL, THREAD_TS)


def test_handback_modal_submission_hands_back_with_the_summary(slack: Slack) -> None:
    held_in_thread(slack.desk)
    metadata = HandbackTarget(ADA, RECRUITERS_CHANNEL, THREAD_TS).to_metadata()

    answer = slack.post(form(view_submission("Interview booked for Tuesday", metadata)), FORM)

    assert answer["statusCode"] == 200
    assert slack.desk.called("hand_back") == [
        ("hand_back", ADA, RECRUITER, "Interview booked for Tuesday")
    ]
    assert ADA not in slack.desk.holds


def test_empty_handback_summary_keeps_the_modal_open_with_an_error(slack: Slack) -> None:
    held_in_thread(slack.desk)
    metadata = HandbackTarget(ADA, RECRUITERS_CHANNEL, THREAD_TS).to_metadata()

    answer = slack.post(form(view_submission("   ", metadata)), FORM)

    assert json.loads(answer["body"])["response_action"] == "errors"
    assert slack.desk.called("hand_back") == []


def test_handback_command_hands_back_by_candidate_id(slack: Slack) -> None:
    held_in_thread(slack.desk)

    slack.command(f"handback {ADA} Wants remote roles only")

    assert slack.desk.called("hand_back") == [
        ("hand_back", ADA, RECRUITER, "Wants remote roles only")
    ]


def test_handback_command_hands_back_by_quoted_name(slack: Slack) -> None:
    held_in_thread(slack.desk)

    slack.command('handback "ada obi" Applied to two jobs')

    assert slack.desk.called("hand_back") == [("hand_back", ADA, RECRUITER, "Applied to two jobs")]


def test_handback_of_a_conversation_nobody_holds_is_refused(slack: Slack) -> None:
    slack.command(f"handback {ADA} Done")

    [refusal] = slack.api.ephemerals()
    assert "Nobody holds this conversation" in refusal["text"]


# -- nudge, dismiss, journey ----------------------------------------------------------------


def test_nudge_button_nudges_and_notes_it_on_the_alert_keeping_its_buttons(slack: Slack) -> None:
    slack.click(ActionId.NUDGE, message_blocks=ALERT_BLOCKS)

    assert [call[:3] for call in slack.desk.called("nudge")] == [("nudge", ADA, RECRUITER)]
    [update] = slack.api.to("chat.update")
    assert f"Nudged by <@{RECRUITER}>" in texts(update["blocks"])
    assert any(block["type"] == "actions" for block in update["blocks"])


def test_retried_nudge_carries_the_same_dedup_key(slack: Slack) -> None:
    payload = block_action(ActionId.NUDGE, ADA, message_blocks=ALERT_BLOCKS)

    slack.post(form(payload), FORM)
    slack.post(form(payload), FORM, retry_num=1)

    keys = {call[3] for call in slack.desk.called("nudge")}
    assert len(keys) == 1
    assert len(slack.api.to("chat.update")) == 1


def test_dismiss_button_dismisses_and_settles_the_alert(slack: Slack) -> None:
    slack.click(ActionId.DISMISS, message_blocks=ALERT_BLOCKS)

    [(_, candidate, recruiter, _key)] = slack.desk.called("dismiss")
    assert (candidate, recruiter) == (ADA, RECRUITER)
    [update] = slack.api.to("chat.update")
    assert f"Dismissed by <@{RECRUITER}>" in texts(update["blocks"])
    assert all(block["type"] != "actions" for block in update["blocks"])


def test_two_presses_of_nudge_on_one_alert_share_its_key_and_the_second_is_told(
    slack: Slack,
) -> None:
    slack.click(ActionId.NUDGE, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS)
    slack.click(
        ActionId.NUDGE, user=OTHER_RECRUITER, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS
    )

    keys = [call[3] for call in slack.desk.called("nudge")]
    assert len(keys) == 2 and len(set(keys)) == 1
    assert len(slack.api.to("chat.update")) == 1
    [told] = slack.api.ephemerals()
    assert (told["user"], "already nudged" in told["text"]) == (OTHER_RECRUITER, True)


def test_nudges_from_two_alerts_have_their_own_keys(slack: Slack) -> None:
    slack.click(ActionId.NUDGE, message_blocks=ALERT_BLOCKS, message_ts="1795000000.000100")
    slack.click(ActionId.NUDGE, message_blocks=ALERT_BLOCKS, message_ts="1795090000.000100")

    assert len({call[3] for call in slack.desk.called("nudge")}) == 2


def test_dismissal_run_again_by_lambda_is_one_dismissal(slack: Slack) -> None:
    # Lambda's retry of the lazy work carries the same body and no Slack retry header.
    payload = block_action(ActionId.DISMISS, ADA, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS)

    slack.post(form(payload), FORM)
    slack.post(form(payload), FORM)

    [first, again] = slack.desk.called("dismiss")
    assert first[3] == again[3]
    assert len(slack.desk.seen_keys) == 1
    assert slack.api.ephemerals() == []


def test_dismissal_of_a_candidate_no_longer_there_is_refused(slack: Slack) -> None:
    slack.click(ActionId.DISMISS, "c-gone", message_blocks=ALERT_BLOCKS)

    assert slack.api.to("chat.update") == []
    [refusal] = slack.api.ephemerals()
    assert "no longer available" in refusal["text"]


def test_stage_select_sets_the_journey_stage_as_the_recruiter(slack: Slack) -> None:
    slack.click(
        ActionId.SET_STAGE, ephemeral=True, block_id=f"aremu_stage:{ADA}", selected="interviewing"
    )

    assert slack.journey.moves == [(ADA, "interviewing", f"recruiter:{RECRUITER}")]
    assert "Interviewing" in slack.api.ephemerals()[0]["text"]


# -- /aremu ---------------------------------------------------------------------------------


def test_find_shows_matching_candidate_cards_to_the_asker_only(slack: Slack) -> None:
    slack.command("find ada")

    assert slack.desk.called("find") == [("find", "ada")]
    [answer] = slack.api.ephemerals()
    assert answer["user"] == RECRUITER
    assert "Ada Obi" in texts(answer["blocks"])
    assert ActionId.SET_STAGE.value in texts(answer["blocks"])


def test_find_by_phone_number_never_echoes_the_number(slack: Slack) -> None:
    slack.command("find +234 803 123 4567")

    [answer] = slack.api.ephemerals()
    assert "803" not in answer["text"] + texts(answer["blocks"])


def test_stats_shows_the_funnel_now(slack: Slack) -> None:
    slack.command("stats")

    [answer] = slack.api.ephemerals()
    assert "Candidate funnel" in texts(answer["blocks"])
    assert "Matching" in texts(answer["blocks"])


def test_stats_when_the_funnel_cannot_be_read_says_so(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable() -> dict[str, int]:
        raise FunnelUnavailable()

    monkeypatch.setattr(slack.journey, "funnel", unreadable)

    slack.command("stats")

    [told] = slack.api.ephemerals()
    assert "could not be read" in told["text"]


def test_unknown_subcommand_is_answered_with_the_usage_at_once(slack: Slack) -> None:
    answer = slack.command("dance")

    assert "/aremu find" in answer["body"]
    assert slack.desk.calls == []
    assert slack.api.calls == []


def test_non_recruiter_find_is_refused(slack: Slack) -> None:
    slack.command("find ada", user=STRANGER, channel=OTHER_CHANNEL)

    assert slack.desk.calls == []
    assert "Only recruiters" in slack.api.ephemerals()[0]["text"]


# -- operator response time -----------------------------------------------------------------

RESPONSE_SECONDS = "OperatorResponseSeconds"
SETTLED_ALERT_BLOCKS = [
    *ALERT_BLOCKS,
    {"type": "context", "block_id": "aremu_status", "elements": []},
]


Emitted = Callable[[str], list[tuple[list[float], str]]]


@pytest.fixture
def emf(capsys: pytest.CaptureFixture[str]) -> Iterator[Emitted]:
    """(values, unit) of a metric in what the handler's `log_metrics` would print now."""
    metrics.clear_metrics()
    capsys.readouterr()

    def emitted(name: str) -> list[tuple[list[float], str]]:
        metrics.flush_metrics()
        out = capsys.readouterr().out.splitlines()
        blobs = [json.loads(line) for line in out if line.startswith("{")]
        return [
            (blob[name] if isinstance(blob[name], list) else [blob[name]], metric["Unit"])
            for blob in blobs
            for directive in blob.get("_aws", {}).get("CloudWatchMetrics", [])
            if directive["Namespace"] == "Aremu"
            for metric in directive["Metrics"]
            if metric["Name"] == name
        ]

    yield emitted
    metrics.clear_metrics()


@pytest.mark.parametrize("action_id", [ActionId.TAKE_OVER, ActionId.NUDGE, ActionId.DISMISS])
def test_acting_on_an_at_risk_alert_reports_seconds_since_it_was_posted(
    slack: Slack, emf: Emitted, action_id: ActionId
) -> None:
    slack.click(action_id, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS)

    assert emf(RESPONSE_SECONDS) == [([150.0], "Seconds")]


def test_take_over_from_a_candidate_card_reports_no_response_time(
    slack: Slack, emf: Emitted
) -> None:
    slack.click(ActionId.TAKE_OVER, ephemeral=True, message_ts=ALERT_TS)

    assert slack.desk.holds[ADA].operator_id == RECRUITER
    assert emf(RESPONSE_SECONDS) == []


def test_refused_action_reports_no_response_time(slack: Slack, emf: Emitted) -> None:
    slack.click(ActionId.DISMISS, user=STRANGER, channel=OTHER_CHANNEL, message_ts=ALERT_TS)

    assert emf(RESPONSE_SECONDS) == []


def test_take_over_of_a_conversation_someone_holds_reports_no_response_time(
    slack: Slack, emf: Emitted
) -> None:
    held_in_thread(slack.desk, operator=OTHER_RECRUITER)

    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS)

    assert emf(RESPONSE_SECONDS) == []


def test_take_over_whose_thread_slack_refused_reports_no_response_time(
    slack: Slack, emf: Emitted
) -> None:
    slack.api.answers["chat.postMessage"] = {"ok": False, "error": "channel_not_found"}

    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS)

    assert emf(RESPONSE_SECONDS) == []


def test_take_over_of_a_conversation_already_yours_reports_no_response_time(
    slack: Slack, emf: Emitted
) -> None:
    held_in_thread(slack.desk)

    slack.click(ActionId.TAKE_OVER, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS)

    assert emf(RESPONSE_SECONDS) == []


@pytest.mark.parametrize("action_id", [ActionId.TAKE_OVER, ActionId.NUDGE, ActionId.DISMISS])
def test_retried_action_reports_one_response_time(
    slack: Slack, emf: Emitted, action_id: ActionId
) -> None:
    payload = block_action(action_id, ADA, message_blocks=ALERT_BLOCKS, message_ts=ALERT_TS)

    slack.post(form(payload), FORM)
    slack.post(form(payload), FORM, retry_num=1)

    assert emf(RESPONSE_SECONDS) == [([150.0], "Seconds")]


def test_action_on_an_alert_already_answered_reports_no_response_time(
    slack: Slack, emf: Emitted
) -> None:
    slack.click(ActionId.TAKE_OVER, message_blocks=SETTLED_ALERT_BLOCKS, message_ts=ALERT_TS)

    assert slack.desk.holds[ADA].operator_id == RECRUITER
    assert emf(RESPONSE_SECONDS) == []


# -- on Lambda ------------------------------------------------------------------------------


def test_on_lambda_the_ack_leaves_the_work_to_an_asynchronous_self_invocation(
    api: FakeSlackApi, desk: FakeDesk
) -> None:
    lambda_client = FakeLambdaClient()
    events = build_slack_events(
        SETTINGS,
        CREDENTIALS,
        desk,
        FakeJourney(),
        web_api=SlackWebApi(SLACK_API, CREDENTIALS.slack_bot_token.get_secret_value()),
        lambda_client=lambda_client,
    )
    context = FakeLambdaContext()
    event = signed_event(form(block_action(ActionId.TAKE_OVER, ADA)), FORM)

    answer = events.handle(event, context)

    assert answer["statusCode"] == 200
    assert desk.calls == []
    [invocation] = lambda_client.invocations
    assert invocation["FunctionName"] == context.invoked_function_arn
    assert invocation["InvocationType"] == "Event"
    events.handle(json.loads(invocation["Payload"]), context)
    assert desk.called("take_over") == [("take_over", ADA, RECRUITER, "at-risk alert")]
    assert len(api.posts()) == 1


def test_lazy_work_runs_inline_on_the_local_stack() -> None:
    local = SETTINGS.model_copy(update={"aws_endpoint_url": "http://127.0.0.1:5000"})

    runner = lazy_runner_for(local)

    assert isinstance(runner, InlineLazyListenerRunner)


def test_lazy_work_invokes_the_function_itself_on_aws() -> None:
    runner = lazy_runner_for(SETTINGS, lambda_client=FakeLambdaClient())

    assert isinstance(runner, LambdaLazyListenerRunner)


def test_events_handler_serves_the_app_from_the_runtime(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aremu import runtime

    monkeypatch.setattr(runtime, "slack_events", lambda: slack.events, raising=False)
    handler = load_handler(EVENTS_FUNCTION)
    event = signed_event(slash_command("stats"), FORM)

    answer = handler(event, FakeLambdaContext())

    assert answer["statusCode"] == 200
    assert len(slack.api.ephemerals()) == 1


def test_base64_and_plain_bodies_verify_alike(slack: Slack) -> None:
    body = slash_command("stats")
    event = signed_event(body, FORM)
    event["isBase64Encoded"] = False
    event["body"] = base64.b64decode(event["body"]).decode()

    answer = slack.events.handle(event, FakeLambdaContext())

    assert answer["statusCode"] == 200


# -- who may act ----------------------------------------------------------------------------


class Ticker:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_user_group_membership_is_read_once_within_its_ttl(api: FakeSlackApi) -> None:
    ticker = Ticker()
    policy = RecruiterPolicy(
        SlackWebApi(SLACK_API, "xoxb-test"),
        channel=RECRUITERS_CHANNEL,
        user_group=RECRUITERS_GROUP,
        ttl_seconds=60,
        monotonic=ticker,
    )

    first = policy.may_act(GROUP_MEMBER, OTHER_CHANNEL)
    ticker.now = 59
    second = policy.may_act(STRANGER, OTHER_CHANNEL)

    assert (first, second) == (True, False)
    assert api.to("usergroups.users.list") == [{"usergroup": RECRUITERS_GROUP}]


def test_user_group_membership_is_read_again_after_its_ttl(api: FakeSlackApi) -> None:
    ticker = Ticker()
    policy = RecruiterPolicy(
        SlackWebApi(SLACK_API, "xoxb-test"),
        channel=RECRUITERS_CHANNEL,
        user_group=RECRUITERS_GROUP,
        ttl_seconds=60,
        monotonic=ticker,
    )
    policy.may_act(GROUP_MEMBER, OTHER_CHANNEL)
    api.answers["usergroups.users.list"] = {"ok": True, "users": []}
    ticker.now = 61

    assert policy.may_act(GROUP_MEMBER, OTHER_CHANNEL) is False


def test_acting_in_the_recruiters_channel_needs_no_group_lookup(api: FakeSlackApi) -> None:
    policy = RecruiterPolicy(
        SlackWebApi(SLACK_API, "xoxb-test"),
        channel=RECRUITERS_CHANNEL,
        user_group=RECRUITERS_GROUP,
    )

    assert policy.may_act(STRANGER, RECRUITERS_CHANNEL) is True
    assert api.calls == []


def test_unreadable_user_group_refuses(api: FakeSlackApi) -> None:
    api.answers["usergroups.users.list"] = {"ok": False, "error": "missing_scope"}
    policy = RecruiterPolicy(
        SlackWebApi(SLACK_API, "xoxb-test"), channel=RECRUITERS_CHANNEL, user_group="S1"
    )

    assert policy.may_act(GROUP_MEMBER, OTHER_CHANNEL) is False


# -- the Web API adapter --------------------------------------------------------------------


def test_slack_error_answer_raises_slack_call_failed(api: FakeSlackApi) -> None:
    api.answers["chat.postMessage"] = {"ok": False, "error": "channel_not_found"}
    web_api = SlackWebApi(SLACK_API, "xoxb-test")

    with pytest.raises(SlackCallFailed) as failure:
        web_api.post_message("CNOPE", "hello")

    assert (failure.value.method, failure.value.error) == ("chat.postMessage", "channel_not_found")


def test_rate_limited_call_is_retried_after_the_time_slack_asks() -> None:
    slept: list[float] = []
    web_api = SlackWebApi(SLACK_API, "xoxb-test", sleep=slept.append)
    with responses.RequestsMock() as mock:
        url = SLACK_API + "chat.postMessage"
        mock.add(responses.POST, url, status=429, headers={"Retry-After": "2"}, json={})
        mock.add(responses.POST, url, json={"ok": True, "ts": "1.2"})

        ts = web_api.post_message("C1", "hello")

    assert (ts, slept) == ("1.2", [2.0])


def test_post_that_timed_out_reading_the_answer_is_not_repeated() -> None:
    # Slack may have posted it: a second chat.postMessage could post the message twice.
    web_api = SlackWebApi(SLACK_API, "xoxb-test", sleep=lambda _: None)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        url = SLACK_API + "chat.postMessage"
        mock.add(responses.POST, url, body=requests.ReadTimeout("read timed out"))
        mock.add(responses.POST, url, json={"ok": True, "ts": "1.2"})

        with pytest.raises(SlackCallFailed) as failure:
            web_api.post_message("C1", "hello")

        assert len(mock.calls) == 1
    assert (failure.value.error, failure.value.unconfirmed) == ("read_timeout", True)


@pytest.mark.parametrize("status", [500, 503])
def test_post_answered_with_a_server_error_is_not_repeated(status: int) -> None:
    web_api = SlackWebApi(SLACK_API, "xoxb-test", sleep=lambda _: None)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        url = SLACK_API + "chat.postMessage"
        mock.add(responses.POST, url, status=status, json={})
        mock.add(responses.POST, url, json={"ok": True, "ts": "1.2"})

        with pytest.raises(SlackCallFailed) as failure:
            web_api.post_message("C1", "hello")

        assert len(mock.calls) == 1
    assert failure.value.unconfirmed is True


def test_post_that_never_connected_is_retried() -> None:
    web_api = SlackWebApi(SLACK_API, "xoxb-test", sleep=lambda _: None)
    with responses.RequestsMock() as mock:
        url = SLACK_API + "chat.postMessage"
        mock.add(responses.POST, url, body=requests.ConnectTimeout("connect timed out"))
        mock.add(responses.POST, url, json={"ok": True, "ts": "1.2"})

        assert web_api.post_message("C1", "hello") == "1.2"
        assert len(mock.calls) == 2


def test_update_that_timed_out_is_retried_because_repeating_it_changes_nothing() -> None:
    web_api = SlackWebApi(SLACK_API, "xoxb-test", sleep=lambda _: None)
    with responses.RequestsMock() as mock:
        url = SLACK_API + "chat.update"
        mock.add(responses.POST, url, body=requests.ReadTimeout("read timed out"))
        mock.add(responses.POST, url, status=502, json={})
        mock.add(responses.POST, url, json={"ok": True})

        web_api.update_message("C1", "1.2", "settled")

        assert len(mock.calls) == 3


def test_call_failing_on_every_attempt_raises_after_the_last() -> None:
    web_api = SlackWebApi(SLACK_API, "xoxb-test", sleep=lambda _: None, max_attempts=3)
    with responses.RequestsMock() as mock:
        url = SLACK_API + "chat.postMessage"
        for _ in range(3):
            mock.add(responses.POST, url, status=429, headers={"Retry-After": "0"}, json={})

        with pytest.raises(SlackCallFailed) as failure:
            web_api.post_message("C1", "hello")

        assert len(mock.calls) == 3
    assert (failure.value.error, failure.value.unconfirmed) == ("ratelimited", False)


def test_calls_carry_the_bot_token() -> None:
    web_api = SlackWebApi(SLACK_API, "xoxb-test")
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, SLACK_API + "chat.postMessage", json={"ok": True, "ts": "1.2"})

        web_api.post_message("C1", "hello")

        assert mock.calls[0].request.headers["Authorization"] == "Bearer xoxb-test"


# -- the app manifest -----------------------------------------------------------------------

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yaml"


def test_manifest_sends_events_interactivity_and_the_command_to_slack_events() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())

    [command] = manifest["features"]["slash_commands"]
    urls = [
        command["url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]
    assert command["command"] == COMMAND
    assert all(url.endswith("/slack/events") for url in urls)
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_manifest_subscribes_to_thread_messages_and_grants_the_scopes_the_app_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())

    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "message.channels",
        "message.groups",
    }
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "chat:write",
        "commands",
        "channels:history",
        "groups:history",
        "usergroups:read",
    }
    assert manifest["display_information"]["name"] == "Aremu"
