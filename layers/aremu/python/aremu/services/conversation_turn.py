"""One turn of the conversation for a stored inbound message: decide, send, remember.

The engine decides; this carries the decision out. The reply is sent before the turn is
saved, so a failed send leaves the candidate as they were and the stream's retry decides
again from the same state. A turn costs one Graph API call (the reply, or a read receipt
when there is nothing to say) and, with idempotency, four DynamoDB requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel

from aremu.channels.whatsapp.errors import (
    PermanentSendError,
    WhatsAppSendError,
    WindowClosedError,
)
from aremu.channels.whatsapp.outbound import OutboundMessage
from aremu.channels.whatsapp.sender import GraphApiSender
from aremu.domain.conversation.commands import read_intent
from aremu.domain.conversation.engine import respond
from aremu.domain.conversation.state import Awaiting, Candidate, Decision, Incoming, Stage
from aremu.domain.extraction import PreferenceExtractor
from aremu.domain.preferences import Preferences
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.services.job_matches import JobMatches
from aremu.services.journey import Journey
from aremu.services.operator_desk import bot_answers_while_held
from aremu.storage.candidates import CandidateStore, StageChange, TurnChanges
from aremu.storage.interventions import HoldEnd, is_held
from aremu.storage.messages import MessageStore, OutboundRecord
from aremu.storage.models import CandidateItem, MessageItem


class InboundTurn(BaseModel):
    """The part of a stored inbound message a turn needs; also its idempotency payload."""

    message_id: str
    candidate_id: str
    message_type: str
    text: str | None = None
    button_id: str | None = None
    sent_at: datetime | None = None

    @classmethod
    def from_stream_image(cls, image: dict[str, Any]) -> InboundTurn:
        item = MessageItem.from_raw_data(image)
        return cls(
            message_id=item.message_id,
            candidate_id=item.candidate_id,
            message_type=item.message_type,
            text=item.text,
            button_id=item.button_id,
            sent_at=item.sent_at,
        )


@dataclass(frozen=True)
class TurnResult:
    intent: str
    stage: str
    reply_message_id: str | None = None


def to_candidate(item: CandidateItem) -> Candidate:
    return Candidate(
        candidate_id=item.candidate_id,
        stage=Stage(item.state),
        preferences=Preferences.model_validate(item.preferences or {}),
        awaiting=Awaiting(item.awaiting or Awaiting.NOTHING),
        profile_name=item.profile_name,
        needs_person=item.needs_person_at is not None,
    )


def to_changes(decision: Decision) -> TurnChanges:
    return TurnChanges(
        stage=decision.stage.value,
        awaiting=decision.awaiting.value,
        preferences=decision.preferences.model_dump(mode="json"),
        needs_person=decision.needs_person,
        transitions=[
            StageChange(change.previous.value, change.new.value, change.trigger)
            for change in decision.transitions
        ],
        mute_title=decision.mute_title.lower() if decision.mute_title else None,
    )


class Holds(Protocol):
    """A recruiter's hold, as a turn meets it (storage/interventions.py)."""

    def release(self, candidate: CandidateItem, ended_by: HoldEnd, now: datetime) -> bool:
        """End the hold: the candidate left."""
        ...

    def held_message(
        self, candidate: CandidateItem, message_id: str, content: str, sent_at: datetime
    ) -> None:
        """Tell the recruiter holding the conversation what the candidate wrote."""
        ...


class ConversationTurn:
    def __init__(
        self,
        candidates: CandidateStore,
        messages: MessageStore,
        sender: GraphApiSender,
        extractor: PreferenceExtractor,
        matches: JobMatches | None = None,
        service_message_price_usd: float = 0.0,
        *,
        holds: Holds | None = None,
        journey: Journey | None = None,
    ) -> None:
        self._candidates = candidates
        self._messages = messages
        self._sender = sender
        self._extractor = extractor
        self._matches = matches
        self._service_price = service_message_price_usd
        self._holds = holds
        self._journey = journey

    def handle(self, message: InboundTurn, now: datetime) -> TurnResult:
        item = self._candidates.get(message.candidate_id)
        recipient = (item.wa_id or item.bsuid) if item else None
        if item is None or recipient is None:
            logger.info("no candidate to answer", extra={"message_id": message.message_id})
            return TurnResult(intent="none", stage=Stage.ERASED.value)
        if is_held(item) and not bot_answers_while_held(
            read_intent(message.text, message.button_id), Awaiting(item.awaiting or "nothing")
        ):
            return self._step_aside(item, message, now)
        incoming = Incoming(
            message.message_id,
            message.message_type,
            message.text,
            message.button_id,
            self._job_title(message.button_id),
        )
        decision = respond(to_candidate(item), incoming, self._extractor)
        if decision.show_matches and self._matches is not None:
            decision = self._matches.shown(item, decision, now)
        reply_id = self._deliver(recipient, message.message_id, decision)
        if self._journey is not None:
            # Before an erase: the journey takes the candidate out of the funnel first.
            self._journey.follow_turn(item.candidate_id, item.state, decision, now)
        if decision.erase:
            self._end_hold(item, HoldEnd.CANDIDATE_ERASED, now)
            erased = self._candidates.erase(item.candidate_id)
            logger.info(
                "candidate erased", extra={"candidate_id": item.candidate_id, "items": erased}
            )
        else:
            outbound = self._outbound_item(item.candidate_id, decision.reply, reply_id, now)
            self._candidates.save_turn(item, to_changes(decision), outbound, now)
            if decision.stage is Stage.OPTED_OUT:
                self._end_hold(item, HoldEnd.CANDIDATE_OPTED_OUT, now)
            if self._matches is not None:
                self._matches.after_turn(item, decision, now)
        _count(decision, asked_before=item.needs_person_at is not None)
        logger.info(
            "turn done",
            extra={
                "candidate_id": item.candidate_id,
                "intent": decision.intent,
                "stage": decision.stage.value,
                "replied": reply_id is not None,
            },
        )
        return TurnResult(decision.intent, decision.stage.value, reply_id)

    def _step_aside(self, item: CandidateItem, message: InboundTurn, now: datetime) -> TurnResult:
        # A recruiter holds the conversation: Slack mirrors the message (from the
        # HeldMessageReceived event); the bot only marks it read.
        if self._holds is not None:
            content = message.text or ""
            self._holds.held_message(item, message.message_id, content, message.sent_at or now)
        self._mark_read(message.message_id)
        logger.info("held conversation: bot silent", extra={"candidate_id": item.candidate_id})
        return TurnResult(intent="held", stage=item.state)

    def _end_hold(self, item: CandidateItem, ended_by: HoldEnd, now: datetime) -> None:
        if not is_held(item) or self._holds is None:
            return
        released = self._holds.release(item, ended_by, now)
        logger.info(
            "hold ended by the candidate",
            extra={"candidate_id": item.candidate_id, "by": ended_by, "released": released},
        )

    def _job_title(self, button_id: str | None) -> str | None:
        if self._matches is None or not button_id or ":" not in button_id:
            return None
        return self._matches.job_title(button_id.split(":", 1)[1])

    def _deliver(self, recipient: str, inbound_id: str, decision: Decision) -> str | None:
        if decision.reply is None:
            if decision.stage is not Stage.OPTED_OUT:
                self._mark_read(inbound_id)
            return None
        try:
            result = self._sender.send(recipient, decision.reply)
        except (PermanentSendError, WindowClosedError) as error:
            # Retrying cannot help; the decision still stands and the failure is counted.
            logger.warning("reply not deliverable", extra={"error_code": error.code})
            metrics.add_metric(name=Metric.SEND_FAILURES, unit=MetricUnit.Count, value=1)
            return None
        metrics.add_metric(name=Metric.MESSAGES_SENT, unit=MetricUnit.Count, value=1)
        # A reply inside the window is a service message: priced by the configured table.
        metrics.add_metric(
            name=Metric.MESSAGE_COST_USD, unit=MetricUnit.NoUnit, value=self._service_price
        )
        return result.message_id

    def _mark_read(self, message_id: str) -> None:
        # A read receipt is a courtesy: failing to send one must not fail the turn.
        try:
            self._sender.mark_read(message_id, typing_indicator=False)
        except WhatsAppSendError as error:
            logger.warning("mark read failed", extra={"error_code": error.code})

    def _outbound_item(
        self,
        candidate_id: str,
        reply: OutboundMessage | None,
        reply_id: str | None,
        now: datetime,
    ) -> MessageItem | None:
        if reply is None or reply_id is None:
            return None
        body = reply.to_body("")
        return self._messages.outbound_item(
            OutboundRecord(
                message_id=reply_id,
                candidate_id=candidate_id,
                message_type=str(body.get("type", "text")),
                text=_words_of(body),
                content=None,
                sent_at=now,
            ),
            now,
        )


_STAGE_METRICS: dict[Stage, Metric] = {
    Stage.CONSENTED: Metric.CANDIDATES_OPTED_IN,
    Stage.ACTIVE: Metric.CANDIDATES_ACTIVATED,
    Stage.PAUSED: Metric.CANDIDATES_PAUSED,
    Stage.OPTED_OUT: Metric.CANDIDATES_OPTED_OUT,
    Stage.ERASED: Metric.CANDIDATES_ERASED,
}


def _count(decision: Decision, asked_before: bool) -> None:
    for change in decision.transitions:
        if change.new in _STAGE_METRICS:
            metrics.add_metric(name=_STAGE_METRICS[change.new], unit=MetricUnit.Count, value=1)
    if decision.needs_person and not asked_before:
        metrics.add_metric(name=Metric.PERSON_REQUESTED, unit=MetricUnit.Count, value=1)


def _words_of(body: dict[str, Any]) -> str | None:
    if body.get("type") == "text":
        text: str = body["text"]["body"]
        return text
    if body.get("type") == "interactive":
        interactive_text: str = body["interactive"]["body"]["text"]
        return interactive_text
    return None
