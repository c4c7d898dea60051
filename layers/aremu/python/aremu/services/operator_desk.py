"""The operator desk: what a recruiter in Slack can do about a candidate.

Take over (the bot, alerts and reminders step aside), reply through WhatsApp as an operator,
follow up with a template when the window has closed, hand back with a summary, nudge a
quiet candidate, dismiss an alert, look a candidate up. Slack calls these; nothing here
knows about Slack beyond the ids it is given. Every intervention is recorded with its
outcome (storage/interventions.py), and every effect happens once per dedup key: a
recruiter's reply once per Slack event, a nudge or a dismissal once per alert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol

from aws_lambda_powertools.metrics import MetricUnit

from aremu.channels.whatsapp.errors import WhatsAppSendError, WindowClosedError
from aremu.channels.whatsapp.outbound import OutboundMessage, Template, Text
from aremu.channels.whatsapp.sender import GraphApiSender
from aremu.config import Settings
from aremu.domain.conversation.commands import Intent
from aremu.domain.conversation.state import Awaiting
from aremu.domain.delivery.routing import window_open
from aremu.domain.preferences import CURRENCY_SYMBOLS, Money, Preferences
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.storage.candidates import CandidateStore
from aremu.storage.interventions import (
    GONE_STATES,
    CandidateDirectory,
    HoldEnd,
    InterventionAction,
    InterventionItem,
    InterventionOutcome,
    InterventionStore,
    SentRecord,
    intervention_sort_key,
)
from aremu.storage.messages import MessageStore, OutboundRecord
from aremu.storage.models import CandidateItem, MessageItem, candidate_key

# Stages a recruiter may look a candidate up in; erased candidates have no items at all.
FIND_STAGES = ("active", "paused", "collecting", "consented", "new", "opted_out")
MAX_FOUND = 10
# Attempts at a takeover when a concurrent one keeps winning the write.
TAKEOVER_ATTEMPTS = 3
# The Slack function's timeout (wiring.SLACK_EVENTS): a press that claimed a hold's thread
# this long ago and never attached it has died, and the next press may open it.
THREAD_CLAIM_LEASE = timedelta(seconds=30)


@dataclass(frozen=True)
class Hold:
    """A recruiter holding a candidate's conversation."""

    candidate_id: str
    operator_id: str  # Slack user id
    since: datetime
    reason: str
    channel: str | None  # Slack thread where the conversation is mirrored
    thread_ts: str | None


class TakeoverOutcome(StrEnum):
    TAKEN = "taken"
    ALREADY_YOURS = "already_yours"
    HELD_BY_OTHER = "held_by_other"
    NOT_AVAILABLE = "not_available"  # unknown, erased or opted-out candidate


class ThreadClaimOutcome(StrEnum):
    CLAIMED = "claimed"  # this press posts the thread
    BUSY = "busy"  # another press is posting it
    POSTED = "posted"  # an earlier press posted it and died before attaching it


@dataclass(frozen=True)
class ThreadClaim:
    outcome: ThreadClaimOutcome
    channel: str | None = None  # POSTED: the thread already in Slack
    thread_ts: str | None = None


@dataclass(frozen=True)
class TakeoverResult:
    outcome: TakeoverOutcome
    hold: Hold | None  # the current holder's hold (the winner's); None if NOT_AVAILABLE


class RelayOutcome(StrEnum):
    SENT = "sent"
    DUPLICATE = "duplicate"
    WINDOW_CLOSED = "window_closed"
    NOT_HELD = "not_held"
    CANDIDATE_GONE = "candidate_gone"
    FAILED = "failed"


class HandbackOutcome(StrEnum):
    HANDED_BACK = "handed_back"
    NOT_HELD = "not_held"


class DismissOutcome(StrEnum):
    DISMISSED = "dismissed"
    DUPLICATE = "duplicate"  # this alert was dismissed already
    NOT_AVAILABLE = "not_available"


class NudgeOutcome(StrEnum):
    SENT_TEXT = "sent_text"
    SENT_TEMPLATE = "sent_template"
    DUPLICATE = "duplicate"
    NOT_AVAILABLE = "not_available"
    FAILED = "failed"


@dataclass(frozen=True)
class ConversationLine:
    direction: Literal["in", "out"]
    text: str
    at: datetime
    operator_id: str | None


@dataclass(frozen=True)
class CandidateCard:
    candidate_id: str
    display_name: str  # profile name, or "Candidate <first 6 of id>"; never the phone
    stage: str  # conversation stage
    journey_stage: str | None
    preferences_summary: str  # one line, e.g. "Sales Executive · Lagos · ₦300k+/month"
    last_activity: datetime | None
    held_by: str | None


class StageLookup(Protocol):
    """The journey's read side (services/journey.py) that a card needs."""

    def stage_of(self, candidate_id: str) -> str | None: ...


@dataclass(frozen=True)
class DeskSettings:
    operator_template_name: str
    nudge_template_name: str
    nudge_text: str
    template_language: str = "en"
    service_price_usd: float = 0.0
    # A recruiter's follow-up is about the candidate's own application (utility); a nudge
    # to come back is marketing.
    follow_up_price_usd: float = 0.0
    nudge_template_price_usd: float = 0.0
    name_search_budget: int = 500  # candidates read per stage by a name search

    @classmethod
    def from_settings(cls, settings: Settings) -> DeskSettings:
        return cls(
            operator_template_name=settings.operator_template_name,
            nudge_template_name=settings.nudge_template_name,
            nudge_text=settings.nudge_text,
            service_price_usd=settings.price_service_message_usd,
            follow_up_price_usd=settings.price_utility_template_usd,
            nudge_template_price_usd=settings.price_marketing_template_usd,
        )


# --- Rules: plain functions, no I/O -------------------------------------------------------

_PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().\-]+$")
NIGERIA = "234"


def normalise_phone(text: str) -> str | None:
    """A WhatsApp id (country code and number, digits only) from a phone number as typed.

    Nigerian local forms get the country code: "0803 123 4567" and "803 123 4567" become
    "2348031234567". None when the text is not a phone number (a name, say).
    """
    raw = text.strip()
    if not raw or not _PHONE_CHARACTERS.match(raw):
        return None
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("00"):
        digits = digits[2:]
    elif not raw.startswith("+"):
        if len(digits) == 11 and digits.startswith("0"):
            digits = NIGERIA + digits[1:]
        elif len(digits) == 10 and digits[0] in "789":
            digits = NIGERIA + digits
    return digits if 8 <= len(digits) <= 15 else None


def display_name(profile_name: str | None, candidate_id: str) -> str:
    name = (profile_name or "").strip()
    return name or f"Candidate {candidate_id[:6]}"


def compact_pay(pay: Money) -> str:
    """ "₦300k+/month": the floor a candidate asked for, short enough for a card."""
    amount = pay.amount
    if amount >= 1_000_000:
        number = f"{amount / 1_000_000:.1f}".removesuffix(".0") + "m"
    elif amount >= 1_000:
        number = f"{amount / 1_000:.1f}".removesuffix(".0") + "k"
    else:
        number = f"{amount:.0f}"
    return f"{CURRENCY_SYMBOLS[pay.currency]}{number}+/{pay.period}"


def preferences_summary(preferences: Preferences) -> str:
    """One line: the roles, the places and the pay floor a candidate wants."""
    parts: list[str] = []
    if preferences.roles:
        parts.append(", ".join(role.title for role in preferences.roles[:2]))
    places = [place.label() for place in preferences.locations[:2]]
    if preferences.anywhere_in_nigeria:
        places.append("anywhere in Nigeria")
    if preferences.open_to_remote and "remote" not in places:
        places.append("remote")
    if places:
        parts.append(", ".join(places))
    if preferences.min_pay is not None:
        parts.append(compact_pay(preferences.min_pay))
    elif preferences.pay_negotiable:
        parts.append("pay negotiable")
    return " · ".join(parts) or "no preferences yet"


def hold_of_item(item: CandidateItem) -> Hold | None:
    if item.operator_id is None or item.operator_since is None:
        return None
    return Hold(
        candidate_id=item.candidate_id,
        operator_id=item.operator_id,
        since=item.operator_since,
        reason=item.operator_reason or "",
        channel=item.operator_channel,
        thread_ts=item.operator_thread_ts,
    )


def reachable(item: CandidateItem | None) -> bool:
    """Someone a recruiter may act on: known, not opted out or erased, with an address."""
    return item is not None and item.state not in GONE_STATES and _address(item) is not None


def bot_answers_while_held(intent: Intent | None, awaiting: Awaiting) -> bool:
    """While a recruiter holds the conversation the bot stays silent, except to honour a
    stop request or the erasure flow: those must work whoever is talking.
    """
    if intent in (Intent.STOP, Intent.DELETE, Intent.ERASE_YES, Intent.ERASE_NO):
        return True
    return awaiting is Awaiting.ERASE_CONFIRMATION and intent in (Intent.YES, Intent.NO)


def line_text(message: MessageItem) -> str:
    """What a recruiter reads for a stored message; placeholders for what has no words."""
    if message.text:
        return str(message.text)
    content = dict(message.content or {})
    if message.message_type == "template":
        name = content.get("name")
        return f"[template {name}]" if name else "[template]"
    if "job_id" in content:
        return "[job alert]"
    if "digest" in content:
        return "[jobs digest]"
    return f"[{message.message_type}]"


def _standing(item: CandidateItem | None, operator_id: str) -> TakeoverResult | None:
    """What a takeover finds: gone, already held (by whom), or None when it is free."""
    if item is None or not reachable(item):
        return TakeoverResult(TakeoverOutcome.NOT_AVAILABLE, None)
    hold = hold_of_item(item)
    if hold is None:
        return None
    mine = hold.operator_id == operator_id
    return TakeoverResult(
        TakeoverOutcome.ALREADY_YOURS if mine else TakeoverOutcome.HELD_BY_OTHER, hold
    )


def _address(item: CandidateItem) -> str | None:
    address = item.wa_id or item.bsuid
    return str(address) if address else None


# --- The service ---------------------------------------------------------------------------


class OperatorDesk:
    def __init__(
        self,
        candidates: CandidateStore,
        messages: MessageStore,
        sender: GraphApiSender,
        interventions: InterventionStore,
        settings: DeskSettings,
        journey: StageLookup | None = None,
        directory: CandidateDirectory | None = None,
    ) -> None:
        self._candidates = candidates
        self._messages = messages
        self._sender = sender
        self._interventions = interventions
        self._settings = settings
        self._journey = journey
        self._directory = directory or CandidateDirectory()

    # Holds --------------------------------------------------------------------------------

    def take_over(
        self, candidate_id: str, operator_id: str, reason: str, now: datetime
    ) -> TakeoverResult:
        for _ in range(TAKEOVER_ATTEMPTS):
            item = self._candidates.get(candidate_id)
            standing = _standing(item, operator_id)
            if standing is not None:
                return standing
            assert item is not None  # _standing answers for a missing candidate
            if self._interventions.take(item, operator_id, reason, now):
                metrics.add_metric(name=Metric.OPERATOR_TAKEOVERS, unit=MetricUnit.Count, value=1)
                logger.info(
                    "conversation taken over",
                    extra={"candidate_id": candidate_id, "operator_id": operator_id},
                )
                hold = Hold(candidate_id, operator_id, now, reason, None, None)
                return TakeoverResult(TakeoverOutcome.TAKEN, hold)
            # Lost the write to a concurrent takeover (or the candidate left): read again.
        raise RuntimeError("takeover kept losing to concurrent writes")

    def claim_thread(self, hold: Hold, now: datetime) -> ThreadClaim:
        """Only one press opens a hold's Slack thread.

        Two presses of Take over (a double click, two devices) both find the hold theirs
        before either has attached a thread: without this, each would post one. A press
        that posted the thread and died before attaching it left the thread's place in
        the claim, so the retry attaches that thread instead of posting another.
        """
        key = _thread_claim_key(hold)
        if self._interventions.claim(hold.candidate_id, key, now, lease=THREAD_CLAIM_LEASE):
            return ThreadClaim(ThreadClaimOutcome.CLAIMED)
        posted = self._interventions.completed(hold.candidate_id, key)
        if posted is None or "#" not in posted:
            return ThreadClaim(ThreadClaimOutcome.BUSY)
        channel, thread_ts = posted.split("#", 1)
        return ThreadClaim(ThreadClaimOutcome.POSTED, channel, thread_ts)

    def thread_posted(self, hold: Hold, channel: str, thread_ts: str, now: datetime) -> None:
        """The hold's thread is in Slack: remember where, before it is attached."""
        self._interventions.complete(
            hold.candidate_id, _thread_claim_key(hold), now, f"{channel}#{thread_ts}"
        )

    def thread_not_opened(self, hold: Hold, now: datetime) -> bool:
        """Slack did not take the hold's thread: end the hold rather than leave the
        candidate silenced with nowhere for a recruiter to answer. False if it had ended.
        """
        item = self._candidates.get(hold.candidate_id)
        current = hold_of_item(item) if item is not None else None
        if item is None or current is None or current.since != hold.since:
            return False
        released = self._interventions.release(item, HoldEnd.THREAD_NOT_OPENED, now)
        logger.warning(
            "takeover undone: no thread", extra={"candidate_id": hold.candidate_id, "ok": released}
        )
        return released

    def attach_thread(
        self, candidate_id: str, operator_id: str, channel: str, thread_ts: str
    ) -> None:
        """Remember where the held conversation is mirrored; ignored unless you hold it."""
        item = self._candidates.get(candidate_id)
        hold = hold_of_item(item) if item is not None else None
        if item is None or hold is None or hold.operator_id != operator_id:
            logger.warning("thread not attached: not held", extra={"candidate_id": candidate_id})
            return
        if (hold.channel, hold.thread_ts) == (channel, thread_ts):
            return
        if not self._interventions.attach_thread(item, channel, thread_ts):
            logger.warning("thread not attached: hold ended", extra={"candidate_id": candidate_id})

    def hold_of(self, candidate_id: str) -> Hold | None:
        item = self._candidates.get(candidate_id)
        return hold_of_item(item) if item is not None else None

    def hold_for_thread(self, channel: str, thread_ts: str) -> Hold | None:
        candidate_id = self._interventions.thread_candidate(channel, thread_ts)
        if candidate_id is None:
            return None
        hold = self.hold_of(candidate_id)
        if hold is None or (hold.channel, hold.thread_ts) != (channel, thread_ts):
            return None
        return hold

    def hand_back(
        self, candidate_id: str, operator_id: str, summary: str, now: datetime
    ) -> HandbackOutcome:
        item = self._candidates.get(candidate_id)
        hold = hold_of_item(item) if item is not None else None
        if item is None or hold is None or hold.operator_id != operator_id:
            return HandbackOutcome.NOT_HELD
        if not self._interventions.end_hold(item, HoldEnd.RECRUITER, summary.strip(), now):
            return HandbackOutcome.NOT_HELD
        metrics.add_metric(name=Metric.OPERATOR_HANDBACKS, unit=MetricUnit.Count, value=1)
        replied = item.last_inbound_at is not None and item.last_inbound_at > hold.since
        if replied and item.state not in GONE_STATES:
            metrics.add_metric(name=Metric.INTERVENTIONS_RETAINED, unit=MetricUnit.Count, value=1)
        logger.info(
            "conversation handed back",
            extra={"candidate_id": candidate_id, "operator_id": operator_id, "replied": replied},
        )
        return HandbackOutcome.HANDED_BACK

    # Sends --------------------------------------------------------------------------------

    def relay_reply(
        self, candidate_id: str, operator_id: str, text: str, dedup_key: str, now: datetime
    ) -> RelayOutcome:
        """Send a recruiter's thread reply to the candidate, once per Slack event."""
        if not text.strip():
            return RelayOutcome.FAILED
        return self._operator_send(
            candidate_id, operator_id, Text(body=text), dedup_key, now, needs_window=True
        )

    def send_follow_up_template(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> RelayOutcome:
        """The recruiter's way to reach a candidate whose 24-hour window has closed."""
        template = Template(
            name=self._settings.operator_template_name, language=self._settings.template_language
        )
        return self._operator_send(
            candidate_id, operator_id, template, dedup_key, now, needs_window=False
        )

    def _operator_send(
        self,
        candidate_id: str,
        operator_id: str,
        message: Text | Template,
        dedup_key: str,
        now: datetime,
        *,
        needs_window: bool,
    ) -> RelayOutcome:
        item = self._candidates.get(candidate_id)
        if item is None or not reachable(item):
            if item is not None and item.operator_id is not None:
                self._candidate_left(item, now)
            return RelayOutcome.CANDIDATE_GONE
        # Claimed before anything else: a retry of a send that went out is a duplicate,
        # whatever has changed since.
        if not self._interventions.claim(candidate_id, dedup_key, now):
            return RelayOutcome.DUPLICATE
        hold = hold_of_item(item)
        outcome: RelayOutcome | None = None
        if hold is None or hold.operator_id != operator_id:
            outcome = RelayOutcome.NOT_HELD
        elif needs_window and not window_open(item.last_inbound_at, now):
            outcome = RelayOutcome.WINDOW_CLOSED
        else:
            outcome = self._send_once(item, operator_id, message, dedup_key, now)
        if outcome is not RelayOutcome.SENT:
            self._interventions.give_back(candidate_id, dedup_key)
        logger.info(
            "operator send",
            extra={"candidate_id": candidate_id, "operator_id": operator_id, "outcome": outcome},
        )
        return outcome

    def _send_once(
        self,
        item: CandidateItem,
        operator_id: str,
        message: Text | Template,
        dedup_key: str,
        now: datetime,
    ) -> RelayOutcome:
        try:
            message_id = self._send(item, message)
        except WindowClosedError:
            return RelayOutcome.WINDOW_CLOSED
        except WhatsAppSendError:
            return RelayOutcome.FAILED
        template = isinstance(message, Template)
        self._interventions.record_sent(
            SentRecord(
                message=self._outbound(item.candidate_id, operator_id, message, message_id, now),
                dedup_key=dedup_key,
                template_sent_at=now if template else None,
            ),
            now,
        )
        metrics.add_metric(name=Metric.OPERATOR_MESSAGES_SENT, unit=MetricUnit.Count, value=1)
        price = self._settings.follow_up_price_usd if template else self._settings.service_price_usd
        self._count_send(template, price)
        return RelayOutcome.SENT

    def nudge(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> NudgeOutcome:
        """A friendly check-in inside the window, the check-in template outside it."""
        item = self._candidates.get(candidate_id)
        if item is None or not reachable(item):
            return NudgeOutcome.NOT_AVAILABLE
        if not self._interventions.claim(candidate_id, dedup_key, now):
            return NudgeOutcome.DUPLICATE
        text = Text(body=self._settings.nudge_text)
        template = Template(
            name=self._settings.nudge_template_name, language=self._settings.template_language
        )
        sent: Text | Template = text if window_open(item.last_inbound_at, now) else template
        message_id: str | None
        try:
            message_id = self._send(item, sent)
        except WindowClosedError:
            # Meta's clock says the window closed before ours did: the template may still go.
            sent = template
            message_id = self._send_or_none(item, template)
        except WhatsAppSendError:
            message_id = None
        if message_id is None:
            self._interventions.give_back(candidate_id, dedup_key)
            self._interventions.record(
                _intervention(item, InterventionAction.NUDGE, operator_id, now, "failed")
            )
            return NudgeOutcome.FAILED
        is_template = isinstance(sent, Template)
        outcome = NudgeOutcome.SENT_TEMPLATE if is_template else NudgeOutcome.SENT_TEXT
        intervention = _intervention(item, InterventionAction.NUDGE, operator_id, now, outcome)
        intervention.message_id = message_id
        self._interventions.record_sent(
            SentRecord(
                message=self._outbound(candidate_id, operator_id, sent, message_id, now),
                dedup_key=dedup_key,
                intervention=intervention,
                template_sent_at=now if is_template else None,
            ),
            now,
        )
        metrics.add_metric(name=Metric.NUDGES_SENT, unit=MetricUnit.Count, value=1)
        price = (
            self._settings.nudge_template_price_usd
            if is_template
            else self._settings.service_price_usd
        )
        self._count_send(is_template, price)
        logger.info(
            "candidate nudged",
            extra={"candidate_id": candidate_id, "operator_id": operator_id, "outcome": outcome},
        )
        return outcome

    def dismiss(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> DismissOutcome:
        """Record, once per `dedup_key`, that a recruiter decided nothing needs doing."""
        item = self._candidates.get(candidate_id)
        if item is None:
            return DismissOutcome.NOT_AVAILABLE
        if not self._interventions.claim(candidate_id, dedup_key, now):
            return DismissOutcome.DUPLICATE
        self._interventions.record_claimed(
            _intervention(
                item, InterventionAction.DISMISS, operator_id, now, InterventionOutcome.DISMISSED
            ),
            dedup_key,
            now,
        )
        metrics.add_metric(name=Metric.AT_RISK_DISMISSALS, unit=MetricUnit.Count, value=1)
        logger.info(
            "alert dismissed", extra={"candidate_id": candidate_id, "operator_id": operator_id}
        )
        return DismissOutcome.DISMISSED

    # Reads --------------------------------------------------------------------------------

    def recent_conversation(self, candidate_id: str, limit: int = 10) -> list[ConversationLine]:
        """The last `limit` messages, oldest first, as a recruiter reads them."""
        return [
            ConversationLine(
                direction="in" if message.direction == "in" else "out",
                text=line_text(message),
                at=message.sent_at,
                operator_id=message.operator_id,
            )
            for message in self._messages.conversation(candidate_id, limit)
        ]

    def card(self, candidate_id: str) -> CandidateCard | None:
        item = self._candidates.get(candidate_id)
        return self._card(item) if item is not None else None

    def find(self, query: str) -> list[CandidateCard]:
        """A candidate by phone number (any usual format), or candidates by name.

        An admin command, bounded: a phone is one GetItem on its identity; a name reads at
        most `name_search_budget` of the most recently active candidates of each stage.
        """
        wa_id = normalise_phone(query)
        if wa_id is not None:
            item = self._directory.by_wa_id(wa_id)
            return [self._card(item)] if item is not None else []
        wanted = " ".join(query.split()).casefold()
        if len(wanted) < 2:
            return []
        found: list[CandidateItem] = []
        for stage in FIND_STAGES:
            for item in self._directory.recently_active(stage, self._settings.name_search_budget):
                if item.profile_name and wanted in " ".join(item.profile_name.split()).casefold():
                    found.append(item)
        found.sort(key=lambda c: c.gsi1sk or "", reverse=True)
        return [self._card(item) for item in found[:MAX_FOUND]]

    # Helpers ------------------------------------------------------------------------------

    def _card(self, item: CandidateItem) -> CandidateCard:
        preferences = Preferences.model_validate(item.preferences or {})
        journey = self._journey.stage_of(item.candidate_id) if self._journey else None
        return CandidateCard(
            candidate_id=item.candidate_id,
            display_name=display_name(item.profile_name, item.candidate_id),
            stage=item.state,
            journey_stage=journey,
            preferences_summary=preferences_summary(preferences),
            last_activity=item.last_inbound_at,
            held_by=item.operator_id,
        )

    def _candidate_left(self, item: CandidateItem, now: datetime) -> None:
        # The conversation consumer normally ends the hold when the candidate leaves; this
        # catches a hold that outlived it.
        if self._interventions.release(item, HoldEnd.CANDIDATE_OPTED_OUT, now):
            metrics.add_metric(name=Metric.HOLDS_ENDED_BY_CANDIDATE, unit=MetricUnit.Count, value=1)

    def _send(self, item: CandidateItem, message: OutboundMessage) -> str:
        address = _address(item)
        assert address is not None  # checked by reachable()
        try:
            return self._sender.send(address, message).message_id
        except WhatsAppSendError as error:
            logger.warning(
                "operator message not sent",
                extra={"candidate_id": item.candidate_id, "error_code": error.code},
            )
            metrics.add_metric(name=Metric.SEND_FAILURES, unit=MetricUnit.Count, value=1)
            raise

    def _send_or_none(self, item: CandidateItem, message: OutboundMessage) -> str | None:
        try:
            return self._send(item, message)
        except WhatsAppSendError:
            return None

    def _outbound(
        self,
        candidate_id: str,
        operator_id: str,
        message: Text | Template,
        message_id: str,
        now: datetime,
    ) -> MessageItem:
        if isinstance(message, Template):
            record = OutboundRecord(
                message_id, candidate_id, "template", None, {"name": message.name}, now
            )
        else:
            record = OutboundRecord(message_id, candidate_id, "text", message.body, None, now)
        item = self._messages.outbound_item(record, now)
        # The operator id makes MessageSent say source "operator".
        item.operator_id = operator_id
        return item

    @staticmethod
    def _count_send(template: bool, price_usd: float) -> None:
        metrics.add_metric(name=Metric.MESSAGES_SENT, unit=MetricUnit.Count, value=1)
        if template:
            metrics.add_metric(name=Metric.TEMPLATES_SENT, unit=MetricUnit.Count, value=1)
        metrics.add_metric(name=Metric.MESSAGE_COST_USD, unit=MetricUnit.NoUnit, value=price_usd)


def _thread_claim_key(hold: Hold) -> str:
    # One per hold: a later takeover of the same candidate opens its own thread.
    return f"thread:{hold.since.isoformat()}"


def _intervention(
    item: CandidateItem,
    action: InterventionAction,
    operator_id: str,
    now: datetime,
    outcome: str,
) -> InterventionItem:
    return InterventionItem(
        candidate_key(item.candidate_id),
        intervention_sort_key(now, action),
        candidate_id=item.candidate_id,
        action=action.value,
        operator_id=operator_id,
        at=now,
        outcome=str(outcome),
    )


def build_operator_desk(
    settings: Settings,
    candidates: CandidateStore,
    messages: MessageStore,
    sender: GraphApiSender,
    interventions: InterventionStore,
    journey: StageLookup | None = None,
) -> OperatorDesk:
    """The desk as runtime.py builds it, once per container."""
    return OperatorDesk(
        candidates, messages, sender, interventions, DeskSettings.from_settings(settings), journey
    )
