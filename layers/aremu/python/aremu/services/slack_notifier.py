"""Domain events into Slack: at-risk alerts, the held candidate's messages, handback summaries.

The notifier runs once per EventBridge event id (Powertools idempotency around `handle`,
built in `aremu.runtime`): the bus delivers at least once and Lambda retries a failed
asynchronous invocation, but a delivered event posts once. A post Slack never confirmed
(a read timeout) fails the event, and its retry posts again: a rare duplicate rather than
an alert or a candidate's message lost.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from aremu.channels.slack import blocks
from aremu.channels.slack.web_api import JsonDict
from aremu.config import Settings
from aremu.names import EventType, Metric
from aremu.observability import logger, metrics
from aremu.services.operator_desk import CandidateCard, Hold
from aremu.storage.interventions import HoldEnd


class SlackPoster(Protocol):
    def post_message(
        self,
        channel: str,
        text: str,
        blocks: list[JsonDict] | None = None,
        thread_ts: str | None = None,
    ) -> str: ...


class NotifierDesk(Protocol):
    """What the notifier reads from `aremu.services.operator_desk.OperatorDesk`."""

    def card(self, candidate_id: str) -> CandidateCard | None: ...
    def hold_of(self, candidate_id: str) -> Hold | None: ...


class ThreadNotReady(Exception):
    """A held candidate wrote before the takeover thread was attached: retry later."""


class NotifyOutcome(StrEnum):
    ALERT_POSTED = "alert_posted"
    MIRRORED = "mirrored"
    SUMMARY_POSTED = "summary_posted"
    NOT_HELD = "not_held"  # handed back before the message was mirrored
    ALREADY_HELD = "already_held"  # an at-risk candidate a recruiter already holds
    CANDIDATE_GONE = "candidate_gone"
    IGNORED = "ignored"


class _Detail(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class BusEvent(BaseModel):
    """An EventBridge event as the rule target receives it."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    id: str
    detail_type: str = Field(alias="detail-type")
    source: str = ""
    detail: dict[str, Any] = Field(default_factory=dict)


class RiskFactorDetail(_Detail):
    name: str = Field(validation_alias=AliasChoices("name", "factor", "code"))
    reason: str = Field(
        default="", validation_alias=AliasChoices("reason", "explanation", "description")
    )

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        # A factor may come as its bare name.
        return {"name": value} if isinstance(value, str) else value


class AtRiskDetail(_Detail):
    candidate_id: str = Field(alias="candidateId")
    risk_score: float = Field(alias="riskScore")
    risk_factors: list[RiskFactorDetail] = Field(default_factory=list, alias="riskFactors")
    last_activity: datetime | None = Field(default=None, alias="lastActivity")
    recommended_action: str | None = Field(default=None, alias="recommendedAction")


class HeldMessageDetail(_Detail):
    candidate_id: str = Field(alias="candidateId")
    content: str = ""
    timestamp: datetime


class HandbackDetail(_Detail):
    candidate_id: str = Field(alias="candidateId")
    operator_id: str = Field(alias="operatorId")
    summary: str = ""
    # Where the hold's thread was; the hold itself is gone by the time this event arrives.
    channel: str | None = None
    thread_ts: str | None = Field(default=None, alias="threadTs")
    ended_by: str | None = Field(default=None, alias="endedBy")


class SlackNotifier:
    def __init__(self, slack: SlackPoster, desk: NotifierDesk, recruiters_channel: str) -> None:
        self._slack = slack
        self._desk = desk
        self._channel = recruiters_channel

    def handle(self, event: BusEvent, now: datetime) -> NotifyOutcome:
        if event.detail_type == EventType.CANDIDATE_AT_RISK:
            outcome = self._alert(AtRiskDetail.model_validate(event.detail))
        elif event.detail_type == EventType.HELD_MESSAGE_RECEIVED:
            outcome = self._mirror(HeldMessageDetail.model_validate(event.detail))
        elif event.detail_type == EventType.OPERATOR_HANDBACK:
            outcome = self._summarise(HandbackDetail.model_validate(event.detail))
        else:
            outcome = NotifyOutcome.IGNORED
        logger.info(
            "slack notification",
            extra={"event_id": event.id, "detail_type": event.detail_type, "outcome": outcome},
        )
        return outcome

    def _alert(self, detail: AtRiskDetail) -> NotifyOutcome:
        card = self._desk.card(detail.candidate_id)
        if card is None:
            return NotifyOutcome.CANDIDATE_GONE
        if card.held_by is not None:
            return NotifyOutcome.ALREADY_HELD
        factors = [blocks.Factor(factor.name, factor.reason) for factor in detail.risk_factors]
        alert = blocks.at_risk_alert(
            card, detail.risk_score, factors, detail.last_activity, detail.recommended_action
        )
        self._slack.post_message(self._channel, alert.text, alert.blocks)
        metrics.add_metric(name=Metric.SLACK_ALERTS_POSTED, unit=MetricUnit.Count, value=1)
        return NotifyOutcome.ALERT_POSTED

    def _mirror(self, detail: HeldMessageDetail) -> NotifyOutcome:
        hold = self._desk.hold_of(detail.candidate_id)
        if hold is None:
            return NotifyOutcome.NOT_HELD
        if hold.channel is None or hold.thread_ts is None:
            raise ThreadNotReady(detail.candidate_id)
        card = self._desk.card(detail.candidate_id)
        name = card.display_name if card else "Candidate"
        mirrored = blocks.mirrored_message(detail.content, detail.timestamp, name)
        self._slack.post_message(hold.channel, mirrored.text, mirrored.blocks, hold.thread_ts)
        metrics.add_metric(name=Metric.SLACK_MESSAGES_MIRRORED, unit=MetricUnit.Count, value=1)
        return NotifyOutcome.MIRRORED

    def _summarise(self, detail: HandbackDetail) -> NotifyOutcome:
        if detail.ended_by == HoldEnd.THREAD_NOT_OPENED:
            # The takeover never had a thread; the recruiter who pressed was told at once.
            return NotifyOutcome.IGNORED
        message = blocks.handback_summary(detail.operator_id, detail.summary)
        if detail.channel and detail.thread_ts:
            self._slack.post_message(detail.channel, message.text, message.blocks, detail.thread_ts)
        else:
            # No thread known: the channel still learns the bot is back, under the name.
            card = self._desk.card(detail.candidate_id)
            name = blocks.safe_text(card.display_name, 150) if card else "a candidate"
            heading = blocks.notice(f"*{name}*")
            self._slack.post_message(self._channel, message.text, heading.blocks + message.blocks)
        metrics.add_metric(
            name=Metric.SLACK_HANDBACK_SUMMARIES_POSTED, unit=MetricUnit.Count, value=1
        )
        return NotifyOutcome.SUMMARY_POSTED


def build_slack_notifier(
    settings: Settings, slack: SlackPoster, desk: NotifierDesk
) -> SlackNotifier:
    return SlackNotifier(slack, desk, settings.slack_recruiters_channel)
