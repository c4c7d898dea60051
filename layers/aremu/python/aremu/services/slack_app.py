"""The recruiters' Slack app (slack-bolt): alerts' buttons, the takeover thread, `/aremu`.

Every listener acknowledges at once and leaves the work (the desk, WhatsApp, Slack posts)
to a lazy listener, so Slack gets its answer well inside 3 s. Where the lazy work runs
is injected:

- On Lambda, bolt's `LambdaLazyListenerRunner` invokes this same function asynchronously
  with the request and the lazy function's name (the function needs lambda:InvokeFunction
  on itself). A Lambda freezes once the handler returns, so a thread would never finish.
- On the local stack there is no Lambda service to invoke, so `InlineLazyListenerRunner`
  runs the lazy work in-process right after the ack is built, before the HTTP answer
  leaves. The local answer is slower, but when a signed request returns its effects are in
  place: the e2e test and `make demo` read the sandbox without polling. (bolt's
  `ThreadLazyListenerRunner` would answer sooner and leave the reader guessing.)

Slack retries a request it thinks went unanswered (X-Slack-Retry-Num), and Lambda runs a
failed lazy listener again. The desk makes each effect idempotent: a thread reply once
per Slack event id, a nudge or a dismissal once per alert, a takeover's thread once per
hold (claimed before it is posted), and a retried takeover stays silent.
"""

from __future__ import annotations

import functools
import html
import logging
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from aws_lambda_powertools.metrics import MetricUnit
from pynamodb.exceptions import PynamoDBException
from slack_bolt import Ack, App, BoltRequest
from slack_bolt.adapter.aws_lambda.handler import SlackRequestHandler
from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_sdk import WebClient

from aremu import clock
from aremu.channels.slack import blocks
from aremu.channels.slack.blocks import ActionId, HandbackTarget, SlackMessage
from aremu.channels.slack.recruiters import RecruiterPolicy
from aremu.channels.slack.web_api import SlackCallFailed, SlackWebApi
from aremu.config import Settings
from aremu.credentials import ChannelSecrets
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.services.journey import StageOutcome
from aremu.services.operator_desk import (
    CandidateCard,
    ConversationLine,
    DismissOutcome,
    HandbackOutcome,
    Hold,
    NudgeOutcome,
    RelayOutcome,
    TakeoverOutcome,
    TakeoverResult,
    ThreadClaim,
    ThreadClaimOutcome,
)

COMMAND = "/aremu"
RECENT_LINES = 10
RETRY_HEADER = "x-slack-retry-num"
USAGE = (
    "*Aremu for recruiters*\n"
    "• `/aremu find <name or phone>`: candidate cards\n"
    "• `/aremu stats`: the candidate funnel now\n"
    '• `/aremu handback <candidate id or "name"> <one-line summary>`: give a conversation '
    "back to Aremu (or press *Hand back* in its thread)"
)
NOT_A_RECRUITER = (
    "Only recruiters can do that: act from the recruiters' channel, or ask an admin to "
    "add you to the recruiters' user group."
)
NO_LONGER_AVAILABLE = "This candidate is no longer available: they opted out or erased their data."


class Desk(Protocol):
    """What the Slack app needs of `aremu.services.operator_desk.OperatorDesk`."""

    def take_over(
        self, candidate_id: str, operator_id: str, reason: str, now: datetime
    ) -> TakeoverResult: ...
    def claim_thread(self, hold: Hold, now: datetime) -> ThreadClaim: ...
    def thread_posted(self, hold: Hold, channel: str, thread_ts: str, now: datetime) -> None: ...
    def thread_not_opened(self, hold: Hold, now: datetime) -> bool: ...
    def attach_thread(
        self, candidate_id: str, operator_id: str, channel: str, thread_ts: str
    ) -> None: ...
    def hold_for_thread(self, channel: str, thread_ts: str) -> Hold | None: ...
    def relay_reply(
        self, candidate_id: str, operator_id: str, text: str, dedup_key: str, now: datetime
    ) -> RelayOutcome: ...
    def send_follow_up_template(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> RelayOutcome: ...
    def hand_back(
        self, candidate_id: str, operator_id: str, summary: str, now: datetime
    ) -> HandbackOutcome: ...
    def nudge(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> NudgeOutcome: ...
    def dismiss(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> DismissOutcome: ...
    def recent_conversation(self, candidate_id: str, limit: int = 10) -> list[ConversationLine]: ...
    def card(self, candidate_id: str) -> CandidateCard | None: ...
    def find(self, query: str) -> list[CandidateCard]: ...


class JourneyStages(Protocol):
    """What the Slack app needs of `aremu.services.journey.Journey`."""

    @property
    def stages(self) -> tuple[str, ...]: ...
    def set_stage(
        self, candidate_id: str, stage: str, trigger: str, now: datetime
    ) -> StageOutcome: ...
    def funnel(self) -> dict[str, int]: ...


# bolt's runners want a standard logger; bolt logs a lazy listener's failure and moves on.
_bolt_logger = logging.getLogger("aremu.slack_bolt")


_SLACK_LINK = re.compile(r"<(?:mailto:)?([^<>|]+)(?:\|([^<>]*))?>")


def plain_text(slack_text: str) -> str:
    """A Slack message as the candidate should read it on WhatsApp.

    Slack escapes &, < and > and wraps links as <url|label>; WhatsApp shows text verbatim.
    """
    linked = _SLACK_LINK.sub(
        lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), slack_text
    )
    return html.unescape(linked)


class InlineLazyListenerRunner(LazyListenerRunner):
    """Runs a lazy listener in the request's own thread, as soon as bolt starts it."""

    def __init__(self) -> None:
        self.logger = _bolt_logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.run(function, request)


@dataclass(frozen=True)
class _Action:
    """The parts of a block_actions payload every button handler reads."""

    user: str
    channel: str | None
    value: str
    block_id: str
    action_ts: str
    message_ts: str | None
    thread_ts: str | None
    message_blocks: list[dict[str, Any]] | None
    on_card: bool  # an ephemeral candidate card, which cannot be updated or threaded
    retry: bool
    # The alert carries no status yet: nobody has acted on it before this press.
    unanswered: bool

    @classmethod
    def parse(cls, body: dict[str, Any], request: BoltRequest | None = None) -> _Action:
        action = body["actions"][0]
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        value = action.get("value") or (action.get("selected_option") or {}).get("value", "")
        return cls(
            user=body["user"]["id"],
            channel=channel,
            value=value,
            block_id=action.get("block_id", ""),
            action_ts=str(action.get("action_ts", "")),
            message_ts=container.get("message_ts") or message.get("ts"),
            thread_ts=message.get("thread_ts"),
            message_blocks=message.get("blocks"),
            on_card=bool(container.get("is_ephemeral")) or not message,
            retry=request is not None and bool(request.headers.get(RETRY_HEADER)),
            unanswered=all(
                block.get("block_id") != blocks.STATUS_BLOCK_ID
                for block in message.get("blocks") or []
            ),
        )

    @property
    def dedup_key(self) -> str:
        # Slack stamps action_ts when the button is pressed: a retry carries the same one.
        return f"slack:{self.user}:{self.action_ts}"

    def alert_key(self, effect: str) -> str:
        """One `effect` per alert (or card): every press on it, by anyone, shares this key."""
        if self.channel and self.message_ts:
            return f"slack:{effect}:{self.channel}:{self.message_ts}"
        return f"{self.dedup_key}:{effect}"


@dataclass(frozen=True)
class _Command:
    user: str
    channel: str
    name: str
    args: str

    @classmethod
    def parse(cls, command: dict[str, Any]) -> _Command:
        name, _, args = (command.get("text") or "").strip().partition(" ")
        return cls(command["user_id"], command["channel_id"], name.lower(), args.strip())


def _is_command(name: str, *, needs_args: bool) -> Callable[[dict[str, Any]], bool]:
    def matches(command: dict[str, Any]) -> bool:
        parsed = _Command.parse(command)
        return parsed.name == name and (bool(parsed.args) or not needs_args)

    return matches


def _acknowledge(ack: Ack) -> None:
    ack()


def _logged(work: Callable[..., None]) -> Callable[..., None]:
    """Lazy work with its failure logged with keys (bolt only logs the error's text)."""

    @functools.wraps(work)  # bolt finds a lazy listener again by its name and arguments
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            work(*args, **kwargs)
        except Exception:
            logger.exception("slack lazy listener failed", extra={"listener": work.__name__})
            raise

    return run


class RecruiterListeners:
    """The app's listeners; each `ack_*` answers Slack, each other method is lazy work."""

    def __init__(
        self,
        settings: Settings,
        desk: Desk,
        journey: JourneyStages,
        web_api: SlackWebApi,
        policy: RecruiterPolicy,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self._settings = settings
        self._desk = desk
        self._journey = journey
        self._slack = web_api
        self._policy = policy
        self._now = now

    def register(self, app: App) -> None:
        app.action(ActionId.TAKE_OVER.value)(ack=_acknowledge, lazy=[_logged(self.take_over)])
        app.action(ActionId.NUDGE.value)(ack=_acknowledge, lazy=[_logged(self.nudge)])
        app.action(ActionId.DISMISS.value)(ack=_acknowledge, lazy=[_logged(self.dismiss)])
        app.action(ActionId.SEND_TEMPLATE.value)(
            ack=_acknowledge, lazy=[_logged(self.send_template)]
        )
        app.action(ActionId.SET_STAGE.value)(ack=_acknowledge, lazy=[_logged(self.set_stage)])
        app.action(ActionId.HAND_BACK.value)(self.ack_hand_back_button)
        app.view_submission(blocks.HANDBACK_CALLBACK_ID)(
            ack=self.ack_handback_modal, lazy=[_logged(self.hand_back_from_modal)]
        )
        app.event("message", matchers=[self.is_thread_reply])(
            ack=_acknowledge, lazy=[_logged(self.relay_thread_reply)]
        )
        # Every other message in the channel: answered, so Slack does not retry it.
        app.event("message")(_acknowledge)
        app.command(COMMAND, matchers=[_is_command("find", needs_args=True)])(
            ack=_acknowledge, lazy=[_logged(self.find)]
        )
        app.command(COMMAND, matchers=[_is_command("stats", needs_args=False)])(
            ack=_acknowledge, lazy=[_logged(self.stats)]
        )
        app.command(COMMAND, matchers=[_is_command("handback", needs_args=True)])(
            ack=_acknowledge, lazy=[_logged(self.hand_back_from_command)]
        )
        app.command(COMMAND)(self.ack_usage)

    # -- alert and card buttons ------------------------------------------------------------

    def take_over(self, body: dict[str, Any], request: BoltRequest) -> None:
        action = _Action.parse(body, request)
        if not self._admit(action.user, action.channel):
            return
        reason = "candidate card" if action.on_card else "at-risk alert"
        now = self._now()
        result = self._desk.take_over(action.value, action.user, reason, now)
        hold = result.hold
        logger.info(
            "slack takeover",
            extra={
                "candidate_id": action.value,
                "operator_id": action.user,
                "outcome": result.outcome,
            },
        )
        if result.outcome == TakeoverOutcome.NOT_AVAILABLE or hold is None:
            self._tell(action.channel, action.user, blocks.refusal(NO_LONGER_AVAILABLE))
        elif result.outcome == TakeoverOutcome.HELD_BY_OTHER:
            self._tell(
                action.channel,
                action.user,
                blocks.refusal(f"This conversation is already held by <@{hold.operator_id}>."),
            )
        elif result.outcome == TakeoverOutcome.TAKEN or hold.thread_ts is None:
            # An ALREADY_YOURS hold without a thread is a takeover whose press died before
            # its thread was posted (this is the retry), or one still posting it.
            if self._open_thread(hold, action, now) and result.outcome == TakeoverOutcome.TAKEN:
                self._measure_response(action)
        elif not action.retry:
            self._tell(
                action.channel,
                action.user,
                blocks.notice("You already hold this conversation: reply in its thread."),
            )

    def _open_thread(self, hold: Hold, action: _Action, now: datetime) -> bool:
        """Post the takeover thread and attach it to the hold; True once it is attached."""
        claim = self._desk.claim_thread(hold, now)
        if claim.outcome == ThreadClaimOutcome.BUSY:
            if not action.retry:
                notice = "The conversation's thread is being opened: it will appear shortly."
                self._tell(action.channel, action.user, blocks.notice(notice))
            return False
        if claim.outcome == ThreadClaimOutcome.POSTED and claim.channel and claim.thread_ts:
            # An earlier press posted it and died before attaching it.
            thread: tuple[str, str] | None = (claim.channel, claim.thread_ts)
        else:
            thread = self._post_thread(hold, action, now)
        if thread is None:
            return False
        channel, ts = thread
        self._desk.attach_thread(hold.candidate_id, hold.operator_id, channel, ts)
        self._settle(action, f":raising_hand: Taken over by <@{hold.operator_id}>")
        return True

    def _post_thread(self, hold: Hold, action: _Action, now: datetime) -> tuple[str, str] | None:
        """Post the thread's opener and record where it is; None (the recruiter told) if not."""
        card = self._desk.card(hold.candidate_id)
        if card is None:
            self._tell(action.channel, action.user, blocks.refusal(NO_LONGER_AVAILABLE))
            return None
        lines = self._desk.recent_conversation(hold.candidate_id, RECENT_LINES)
        opener = blocks.thread_opener(card, lines, hold.operator_id)
        channel = self._settings.slack_recruiters_channel or action.channel
        if channel is None:
            raise ValueError("no channel to open the takeover thread in")
        try:
            ts = self._slack.post_message(channel, opener.text, opener.blocks)
        except SlackCallFailed as error:
            # Slack refused it, or never confirmed it (a post is not repeated: see web_api).
            # A hold with no thread would silence the bot with nobody able to answer.
            logger.warning(
                "takeover thread not posted",
                extra={"candidate_id": hold.candidate_id, "error": error.error},
            )
            metrics.add_metric(name=Metric.SLACK_THREADS_NOT_OPENED, unit=MetricUnit.Count, value=1)
            if self._desk.thread_not_opened(hold, now):
                refusal = (
                    "Slack did not open the conversation's thread, so Aremu keeps the "
                    "conversation: press *Take over* again in a moment."
                )
            else:
                refusal = "Slack did not open the conversation's thread: press *Take over* again."
            self._tell(action.channel, action.user, blocks.refusal(refusal))
            return None
        self._desk.thread_posted(hold, channel, ts, now)
        return channel, ts

    def nudge(self, body: dict[str, Any], request: BoltRequest) -> None:
        action = _Action.parse(body, request)
        if not self._admit(action.user, action.channel):
            return
        # Once per alert: a double click, or two recruiters on one alert, nudge once.
        outcome = self._desk.nudge(
            action.value, action.user, action.alert_key("nudge"), self._now()
        )
        logger.info("slack nudge", extra={"candidate_id": action.value, "outcome": outcome})
        if outcome in (NudgeOutcome.SENT_TEXT, NudgeOutcome.SENT_TEMPLATE):
            self._measure_response(action)
            how = "a WhatsApp message" if outcome == NudgeOutcome.SENT_TEXT else "a template"
            self._settle(action, f":wave: Nudged by <@{action.user}> with {how}", keep_actions=True)
        elif outcome == NudgeOutcome.NOT_AVAILABLE:
            self._tell(action.channel, action.user, blocks.refusal(NO_LONGER_AVAILABLE))
        elif outcome == NudgeOutcome.DUPLICATE and not action.retry:
            self._tell(
                action.channel,
                action.user,
                blocks.notice("This candidate was already nudged from this alert."),
            )
        elif outcome == NudgeOutcome.FAILED:
            self._tell(
                action.channel,
                action.user,
                blocks.refusal("The nudge could not be sent: try later."),
            )

    def dismiss(self, body: dict[str, Any], request: BoltRequest) -> None:
        action = _Action.parse(body, request)
        if not self._admit(action.user, action.channel):
            return
        outcome = self._desk.dismiss(
            action.value, action.user, action.alert_key("dismiss"), self._now()
        )
        logger.info("slack dismiss", extra={"candidate_id": action.value, "outcome": outcome})
        if outcome == DismissOutcome.NOT_AVAILABLE:
            self._tell(action.channel, action.user, blocks.refusal(NO_LONGER_AVAILABLE))
            return
        if outcome == DismissOutcome.DISMISSED:
            self._measure_response(action)
        elif not action.unanswered:
            return  # dismissed before, and the alert already says so
        # A duplicate on an alert that does not show it yet: the press that recorded the
        # dismissal died before settling the alert.
        self._settle(action, f":heavy_minus_sign: Dismissed by <@{action.user}>")

    def set_stage(self, body: dict[str, Any], request: BoltRequest) -> None:
        action = _Action.parse(body, request)
        if not self._admit(action.user, action.channel):
            return
        candidate_id = action.block_id.removeprefix(blocks.STAGE_BLOCK_PREFIX)
        outcome = self._journey.set_stage(
            candidate_id, action.value, f"recruiter:{action.user}", self._now()
        )
        logger.info("slack journey stage", extra={"candidate_id": candidate_id, "outcome": outcome})
        label = blocks.safe_text(blocks.stage_label(action.value), 100)
        answers = {
            StageOutcome.MOVED: blocks.notice(f"Journey stage set to *{label}*."),
            StageOutcome.UNCHANGED: blocks.notice(f"The candidate is already at *{label}*."),
            StageOutcome.UNKNOWN_STAGE: blocks.refusal(f"*{label}* is not a journey stage."),
            StageOutcome.NOT_AVAILABLE: blocks.refusal(NO_LONGER_AVAILABLE),
        }
        self._tell(action.channel, action.user, answers[StageOutcome(outcome)])

    # -- the takeover thread ---------------------------------------------------------------

    def is_thread_reply(self, event: dict[str, Any]) -> bool:
        """A person's new message inside a thread: not an edit, a bot post or our own."""
        thread_ts = event.get("thread_ts")
        return (
            event.get("subtype") in (None, "thread_broadcast")
            and not event.get("bot_id")
            and bool(event.get("user"))
            and event.get("user") != self._settings.slack_bot_user_id
            and bool(thread_ts)
            and thread_ts != event.get("ts")
            and bool((event.get("text") or "").strip())
        )

    def relay_thread_reply(self, body: dict[str, Any]) -> None:
        event = body["event"]
        channel, thread_ts, user = event["channel"], event["thread_ts"], event["user"]
        hold = self._desk.hold_for_thread(channel, thread_ts)
        if hold is None:
            return  # a thread that is not (or no longer) a takeover
        if not self._admit(user, channel, thread_ts):
            return
        # The event id is the same on every retry of one delivery.
        dedup_key = f"slack:{body.get('event_id') or event.get('client_msg_id')}"
        outcome = self._desk.relay_reply(
            hold.candidate_id, user, plain_text(event["text"]), dedup_key, self._now()
        )
        logger.info("slack relay", extra={"candidate_id": hold.candidate_id, "outcome": outcome})
        if outcome == RelayOutcome.WINDOW_CLOSED:
            offer = blocks.template_offer(hold.candidate_id)
            self._slack.post_message(channel, offer.text, offer.blocks, thread_ts=thread_ts)
            metrics.add_metric(name=Metric.SLACK_TEMPLATE_OFFERS, unit=MetricUnit.Count, value=1)
        else:
            self._answer_relay(outcome, channel, user, thread_ts)

    def send_template(self, body: dict[str, Any], request: BoltRequest) -> None:
        action = _Action.parse(body, request)
        if not self._admit(action.user, action.channel):
            return
        outcome = self._desk.send_follow_up_template(
            action.value, action.user, action.dedup_key, self._now()
        )
        logger.info("slack template", extra={"candidate_id": action.value, "outcome": outcome})
        if outcome == RelayOutcome.SENT and action.channel and action.message_ts:
            sent = blocks.notice(
                f":incoming_envelope: Follow-up template sent by <@{action.user}>."
            )
            self._slack.update_message(action.channel, action.message_ts, sent.text, sent.blocks)
        else:
            self._answer_relay(outcome, action.channel, action.user, action.thread_ts)

    def _answer_relay(
        self, outcome: RelayOutcome, channel: str | None, user: str, thread_ts: str | None
    ) -> None:
        answers = {
            RelayOutcome.NOT_HELD: "You no longer hold this conversation, so nothing was sent.",
            RelayOutcome.CANDIDATE_GONE: NO_LONGER_AVAILABLE + " Nothing was sent.",
            RelayOutcome.FAILED: "WhatsApp did not accept the message: nothing was sent.",
            RelayOutcome.WINDOW_CLOSED: "The window is closed: only a template can go now.",
        }
        if outcome in answers:
            self._tell(channel, user, blocks.refusal(answers[outcome]), thread_ts)

    # -- hand back -------------------------------------------------------------------------

    def ack_hand_back_button(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        # Opened here, not lazily: a trigger id expires 3 s after the click, and a lazy
        # self-invocation (perhaps a cold start) could outlive it.
        action = _Action.parse(body)
        target = HandbackTarget(action.value, action.channel, action.thread_ts or action.message_ts)
        try:
            self._slack.open_view(body["trigger_id"], blocks.handback_modal(target))
        except SlackCallFailed as error:
            logger.warning("handback modal not opened", extra={"error": error.error})

    def ack_handback_modal(self, ack: Ack, view: dict[str, Any]) -> None:
        if _summary(view):
            ack()
        else:
            ack(
                response_action="errors",
                errors={blocks.SUMMARY_BLOCK_ID: "Write a one-line summary for Aremu."},
            )

    def hand_back_from_modal(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        summary = _summary(view)
        if not summary:
            return
        target = HandbackTarget.from_metadata(view["private_metadata"])
        user = body["user"]["id"]
        if not self._admit(user, target.channel, target.thread_ts):
            return
        self._hand_back(target.candidate_id, user, summary, target.channel, target.thread_ts)

    def hand_back_from_command(self, command: dict[str, Any]) -> None:
        parsed = _Command.parse(command)
        if not self._admit(parsed.user, parsed.channel):
            return
        reference, summary = _split_reference(parsed.args)
        if not reference or not summary:
            self._tell(parsed.channel, parsed.user, blocks.notice(USAGE))
            return
        card = self._resolve(reference, parsed)
        if card is not None:
            self._hand_back(card.candidate_id, parsed.user, summary, parsed.channel, None)

    def _resolve(self, reference: str, command: _Command) -> CandidateCard | None:
        card = self._desk.card(reference)
        if card is not None:
            return card
        cards = self._desk.find(reference)
        if len(cards) == 1:
            return cards[0]
        shown = blocks.safe_text(reference, 100)
        problem = (
            f"No candidate matches “{shown}”."
            if not cards
            else f"{len(cards)} candidates match “{shown}”: use the id from `/aremu find`."
        )
        self._tell(command.channel, command.user, blocks.refusal(problem))
        return None

    def _hand_back(
        self,
        candidate_id: str,
        user: str,
        summary: str,
        channel: str | None,
        thread_ts: str | None,
    ) -> None:
        outcome = self._desk.hand_back(candidate_id, user, summary, self._now())
        logger.info("slack handback", extra={"candidate_id": candidate_id, "outcome": outcome})
        if outcome == HandbackOutcome.NOT_HELD:
            answer = blocks.refusal(
                "Nobody holds this conversation, so there is nothing to hand back."
            )
        else:
            # The thread gets the summary from the notifier, on OperatorHandback.
            answer = blocks.notice(":robot_face: Handed back: Aremu has resumed the conversation.")
        self._tell(channel, user, answer, thread_ts)

    # -- /aremu ----------------------------------------------------------------------------

    def ack_usage(self, ack: Ack) -> None:
        ack(text=USAGE)

    def find(self, command: dict[str, Any]) -> None:
        parsed = _Command.parse(command)
        if not self._admit(parsed.user, parsed.channel):
            return
        cards = self._desk.find(parsed.args)
        logger.info("slack find", extra={"matches": len(cards)})
        answer = blocks.candidate_cards(parsed.args, cards, self._journey.stages)
        self._tell(parsed.channel, parsed.user, answer)

    def stats(self, command: dict[str, Any]) -> None:
        parsed = _Command.parse(command)
        if not self._admit(parsed.user, parsed.channel):
            return
        try:
            funnel = self._journey.funnel()
        except PynamoDBException as error:
            logger.warning("funnel unavailable", extra={"error": type(error).__name__})
            answer = blocks.refusal("The funnel could not be read just now: try again shortly.")
            self._tell(parsed.channel, parsed.user, answer)
            return
        self._tell(parsed.channel, parsed.user, blocks.funnel(funnel))

    # -- shared ----------------------------------------------------------------------------

    def _measure_response(self, action: _Action) -> None:
        """Seconds from an at-risk alert's post to the first action on it that took effect.

        Call only once the action took effect. A candidate card is not an alert, and an alert
        that already shows a status was answered earlier (a nudge keeps its buttons).
        """
        if action.on_card or not action.unanswered or action.message_ts is None:
            return
        try:
            # A Slack ts is the post's epoch seconds, made unique by its fraction.
            posted = float(action.message_ts)
        except ValueError:
            logger.warning("alert ts unreadable", extra={"message_ts": action.message_ts})
            return
        # Slack's clock and ours may differ by a little: never a negative response time.
        seconds = max(0.0, self._now().timestamp() - posted)
        metrics.add_metric(
            name=Metric.OPERATOR_RESPONSE_SECONDS, unit=MetricUnit.Seconds, value=seconds
        )

    def _admit(self, user: str, channel: str | None, thread_ts: str | None = None) -> bool:
        if self._policy.may_act(user, channel):
            return True
        logger.info("slack action refused", extra={"operator_id": user, "channel": channel})
        metrics.add_metric(name=Metric.SLACK_ACTIONS_REFUSED, unit=MetricUnit.Count, value=1)
        self._tell(channel, user, blocks.refusal(NOT_A_RECRUITER), thread_ts)
        return False

    def _settle(self, action: _Action, status: str, *, keep_actions: bool = False) -> None:
        """Show what happened on the alert itself (an ephemeral card gets a note instead)."""
        if action.on_card or not action.channel or not action.message_ts:
            self._tell(action.channel, action.user, blocks.notice(status))
            return
        settled = blocks.settle_alert(
            action.message_blocks or [], status, keep_actions=keep_actions
        )
        self._slack.update_message(action.channel, action.message_ts, status, settled)

    def _tell(
        self, channel: str | None, user: str, message: SlackMessage, thread_ts: str | None = None
    ) -> None:
        if channel is None:
            logger.warning("no channel for an ephemeral answer", extra={"operator_id": user})
            return
        try:
            self._slack.post_ephemeral(channel, user, message.text, message.blocks, thread_ts)
        except SlackCallFailed as error:
            # An answer only the asker would see: losing it must not undo the work done.
            logger.warning("ephemeral answer not posted", extra={"error": error.error})


def _summary(view: dict[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    field = values.get(blocks.SUMMARY_BLOCK_ID, {}).get(blocks.SUMMARY_ACTION_ID, {})
    return str(field.get("value") or "").strip()


def _split_reference(args: str) -> tuple[str, str]:
    """`c0ffee… summary` or `"Ada Obi" summary`: the candidate, then the summary."""
    if args.startswith(('"', "'")):
        try:
            lexer = shlex.shlex(args, posix=True)
            lexer.whitespace_split = True
            reference = next(iter(lexer))
        except (ValueError, StopIteration):
            return "", ""
        quote = args[0]
        end = args.find(quote, 1)
        return reference, args[end + 1 :].strip()
    reference, _, summary = args.partition(" ")
    return reference, summary.strip()


def _authorizer(settings: Settings, credentials: ChannelSecrets) -> Callable[..., AuthorizeResult]:
    token = credentials.slack_bot_token.get_secret_value()

    # One workspace, one bot token: nothing to look up, and no auth.test at start-up. Who
    # may act is the recruiter policy's call, not the workspace's (Slack Connect users too).
    def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id or settings.slack_team_id or None,
            bot_token=token,
            bot_user_id=settings.slack_bot_user_id or None,
        )

    return authorize


def build_slack_app(
    settings: Settings,
    credentials: ChannelSecrets,
    desk: Desk,
    journey: JourneyStages,
    *,
    web_api: SlackWebApi | None = None,
    policy: RecruiterPolicy | None = None,
    lazy_runner: LazyListenerRunner | None = None,
    now: Callable[[], datetime] = clock.now,
) -> App:
    """The bolt app; it checks signatures and timestamps (5 minutes) on every request."""
    web_api = web_api or SlackWebApi.from_settings(settings, credentials)
    policy = policy or RecruiterPolicy(
        web_api,
        channel=settings.slack_recruiters_channel,
        user_group=settings.slack_recruiters_user_group,
    )
    app = App(
        name="aremu",
        signing_secret=credentials.slack_signing_secret.get_secret_value(),
        authorize=_authorizer(settings, credentials),
        process_before_response=True,
        # Never called by the listeners (they use `web_api`); pointed at the same API anyway.
        client=WebClient(base_url=settings.slack_api_base_url),
    )
    if lazy_runner is not None:
        app.listener_runner.lazy_listener_runner = lazy_runner
    RecruiterListeners(settings, desk, journey, web_api, policy, now).register(app)
    return app


class SlackEvents:
    """`POST /slack/events` on Lambda: bolt's adapter, with the lazy runner of our choice."""

    def __init__(self, app: App, lazy_runner: LazyListenerRunner) -> None:
        self._handler = SlackRequestHandler(app)
        # The adapter installs its own Lambda runner; ours (the same, or inline) replaces it.
        app.listener_runner.lazy_listener_runner = lazy_runner

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self._handler.handle(event, context)  # type: ignore[no-untyped-call]
        return answer


def lazy_runner_for(settings: Settings, lambda_client: Any = None) -> LazyListenerRunner:
    # An endpoint override is set only on the local stack (moto): no Lambda service to invoke.
    if settings.aws_endpoint_url:
        return InlineLazyListenerRunner()
    if lambda_client is None:
        import boto3

        lambda_client = boto3.client("lambda", region_name=settings.region)
    return LambdaLazyListenerRunner(_bolt_logger, lambda_client)


def build_slack_events(
    settings: Settings,
    credentials: ChannelSecrets,
    desk: Desk,
    journey: JourneyStages,
    *,
    web_api: SlackWebApi | None = None,
    lambda_client: Any = None,
    lazy_runner: LazyListenerRunner | None = None,
    now: Callable[[], datetime] = clock.now,
) -> SlackEvents:
    """What `functions/slack/events.py` serves; build once per container."""
    runner = lazy_runner or lazy_runner_for(settings, lambda_client)
    app = build_slack_app(
        settings, credentials, desk, journey, web_api=web_api, lazy_runner=runner, now=now
    )
    return SlackEvents(app, runner)
