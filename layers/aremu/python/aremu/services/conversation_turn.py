"""One turn of the conversation for a stored inbound message: mark it read, then answer it.

For now the answer is the first-contact welcome (or a word on unsupported media); the
conversation engine takes this place later. A turn runs once per message even when the
stream redelivers it: `runtime.idempotent_turn` wraps it in Powertools idempotency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel

from aremu.channels.whatsapp.errors import PermanentSendError, WhatsAppSendError, WindowClosedError
from aremu.channels.whatsapp.outbound import Text
from aremu.channels.whatsapp.sender import GraphApiSender
from aremu.domain.first_contact import UNSUPPORTED_TEXT, ReplyKind, decide_reply, welcome_text
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.storage.candidates import CandidateStore
from aremu.storage.messages import MessageStore, OutboundRecord
from aremu.storage.models import CandidateItem, MessageItem


class InboundTurn(BaseModel):
    """The part of a stored inbound message a turn needs; also its idempotency payload."""

    message_id: str
    candidate_id: str
    message_type: str

    @classmethod
    def from_stream_image(cls, image: dict[str, Any]) -> InboundTurn:
        item = MessageItem.from_raw_data(image)
        return cls(
            message_id=item.message_id,
            candidate_id=item.candidate_id,
            message_type=item.message_type,
        )


@dataclass(frozen=True)
class TurnResult:
    reply: ReplyKind
    reply_message_id: str | None = None


class ConversationTurn:
    def __init__(
        self, candidates: CandidateStore, messages: MessageStore, sender: GraphApiSender
    ) -> None:
        self._candidates = candidates
        self._messages = messages
        self._sender = sender

    def handle(self, message: InboundTurn, now: datetime) -> TurnResult:
        candidate = self._candidates.get(message.candidate_id)
        recipient = _recipient(candidate)
        if candidate is None or recipient is None:
            logger.info("no candidate to answer", extra={"message_id": message.message_id})
            return TurnResult(ReplyKind.NONE)
        self._mark_read(message.message_id)
        kind = decide_reply(candidate.welcomed_at is not None, message.message_type)
        if kind is ReplyKind.WELCOME and not self._candidates.claim_welcome(
            candidate.candidate_id, now
        ):
            kind = decide_reply(True, message.message_type)
        if kind is ReplyKind.NONE:
            return TurnResult(kind)
        text = (
            welcome_text(candidate.profile_name) if kind is ReplyKind.WELCOME else UNSUPPORTED_TEXT
        )
        try:
            result = self._sender.send(recipient, Text(body=text))
        except (PermanentSendError, WindowClosedError) as error:
            # Retrying cannot help; the failure is counted and the turn ends here.
            logger.warning("reply not deliverable", extra={"error_code": error.code})
            metrics.add_metric(name=Metric.SEND_FAILURES, unit=MetricUnit.Count, value=1)
            return TurnResult(kind)
        except WhatsAppSendError:
            if kind is ReplyKind.WELCOME:
                self._candidates.release_welcome(candidate.candidate_id)
            raise
        self._messages.record_outbound(
            OutboundRecord(
                message_id=result.message_id,
                candidate_id=candidate.candidate_id,
                message_type="text",
                text=text,
                content=None,
                sent_at=now,
            ),
            now,
        )
        logger.info(
            "reply sent",
            extra={"candidate_id": candidate.candidate_id, "reply": kind.value},
        )
        metrics.add_metric(name=Metric.MESSAGES_SENT, unit=MetricUnit.Count, value=1)
        if kind is ReplyKind.WELCOME:
            metrics.add_metric(name=Metric.WELCOMES_SENT, unit=MetricUnit.Count, value=1)
        return TurnResult(kind, result.message_id)

    def _mark_read(self, message_id: str) -> None:
        # A read receipt is a courtesy: failing to send one must not block the answer.
        try:
            self._sender.mark_read(message_id, typing_indicator=True)
        except WhatsAppSendError as error:
            logger.warning("mark read failed", extra={"error_code": error.code})


def _recipient(candidate: CandidateItem | None) -> str | None:
    if candidate is None:
        return None
    return candidate.wa_id or candidate.bsuid
