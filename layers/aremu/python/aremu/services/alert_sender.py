"""Send what the outbox asks for: a job alert or a digest, paced, within the rules.

Everything is checked again at send time, because time passed since the match: the
candidate may have stopped, paused or been taken over, their window may have closed,
quiet hours may have begun, the day's cap may be reached.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aws_lambda_powertools.metrics import MetricUnit

from aremu.channels.outbox import SendRequest
from aremu.channels.whatsapp.errors import (
    PermanentSendError,
    RetryableSendError,
    WindowClosedError,
)
from aremu.channels.whatsapp.outbound import OutboundMessage
from aremu.channels.whatsapp.sender import GraphApiSender
from aremu.domain.delivery.alerts import AlertContent, digest, job_alert
from aremu.domain.delivery.pacing import TokenBucket
from aremu.domain.delivery.routing import DeliveryPolicy, Recipient, Route, route_alert
from aremu.jobs.models import StoredJob
from aremu.names import Metric
from aremu.observability import metrics
from aremu.services.recent_matches import content_of
from aremu.storage.candidates import CandidateStore
from aremu.storage.deliveries import AlertAllowance, DeliveryItem, DeliveryStatus, DeliveryStore
from aremu.storage.jobs import JobStore
from aremu.storage.messages import MessageStore, OutboundRecord
from aremu.storage.models import CandidateItem

DIGEST_SIZE = 5
THROTTLE_PENALTY_SECONDS = 1.0
_WAITING_FOR = {
    Route.QUIET_HOURS: "quiet_hours",
    Route.WINDOW_CLOSED: "window_closed",
    Route.DAILY_CAP: "daily_cap",
}


class AlertSender:
    def __init__(
        self,
        candidates: CandidateStore,
        jobs: JobStore,
        deliveries: DeliveryStore,
        allowance: AlertAllowance,
        messages: MessageStore,
        sender: GraphApiSender,
        pacer: TokenBucket,
        policy: DeliveryPolicy,
        service_message_price_usd: float = 0.0,
    ) -> None:
        self._candidates = candidates
        self._jobs = jobs
        self._deliveries = deliveries
        self._allowance = allowance
        self._messages = messages
        self._sender = sender
        self._pacer = pacer
        self._policy = policy
        self._service_price = service_message_price_usd

    def handle(self, request: SendRequest, now: datetime) -> str:
        """Carry out one request; returns what happened. Raises only to be retried."""
        candidate = self._candidates.get(request.candidate_id)
        if request.kind == "digest":
            return self._digest(candidate, request.candidate_id, now)
        assert request.job_id is not None  # alerts always name their job
        return self._alert(candidate, request.candidate_id, request.job_id, now)

    def _alert(
        self, candidate: CandidateItem | None, candidate_id: str, job_id: str, now: datetime
    ) -> str:
        delivery = self._deliveries.get(candidate_id, job_id)
        if delivery is None or delivery.status != DeliveryStatus.QUEUED:
            return "not_queued"
        recipient = _recipient(candidate)
        if candidate is None or recipient is None:
            self._deliveries.mark(candidate_id, job_id, DeliveryStatus.SKIPPED, now, "ineligible")
            metrics.add_metric(name=Metric.ALERTS_SKIPPED, unit=MetricUnit.Count, value=1)
            return "skipped"
        route = route_alert(recipient, now, self._policy)
        if route is Route.INELIGIBLE:
            self._deliveries.mark(candidate_id, job_id, DeliveryStatus.SKIPPED, now, "ineligible")
            metrics.add_metric(name=Metric.ALERTS_SKIPPED, unit=MetricUnit.Count, value=1)
            return "skipped"
        if route is not Route.SEND_NOW:
            return self._wait(candidate_id, job_id, route, now)
        day = self._local_day(now)
        if not self._allowance.reserve(candidate_id, day, self._policy.daily_cap):
            return self._wait(candidate_id, job_id, Route.DAILY_CAP, now)
        job = self._jobs.get(job_id)
        if job is None or job.enhanced is None:
            self._allowance.release(candidate_id, day)
            self._deliveries.mark(candidate_id, job_id, DeliveryStatus.SKIPPED, now, "job_gone")
            return "skipped"
        message = job_alert(alert_content(job, delivery))
        try:
            message_id = self._send(_address(candidate), message)
        except WindowClosedError:
            self._allowance.release(candidate_id, day)
            return self._wait(candidate_id, job_id, Route.WINDOW_CLOSED, now)
        except PermanentSendError as error:
            self._allowance.release(candidate_id, day)
            self._deliveries.mark(candidate_id, job_id, DeliveryStatus.FAILED, now, str(error.code))
            return "failed"
        except RetryableSendError:
            self._allowance.release(candidate_id, day)
            raise
        record = self._messages.outbound_item(
            OutboundRecord(message_id, candidate_id, "interactive", None, {"job_id": job_id}, now),
            now,
        )
        self._deliveries.mark_sent(candidate_id, job_id, record, now)
        metrics.add_metric(name=Metric.ALERTS_DELIVERED, unit=MetricUnit.Count, value=1)
        return "sent"

    def _digest(self, candidate: CandidateItem | None, candidate_id: str, now: datetime) -> str:
        recipient = _recipient(candidate)
        if candidate is None or recipient is None:
            return "skipped"
        if route_alert(recipient, now, self._policy) in (Route.INELIGIBLE, Route.WINDOW_CLOSED):
            return "skipped"
        waiting = self._deliveries.waiting(candidate_id)
        best = waiting[:DIGEST_SIZE]
        contents = []
        for delivery in best:
            job = self._jobs.get(delivery.job_id)
            if job is not None and job.enhanced is not None:
                contents.append(alert_content(job, delivery))
        if not contents:
            return "nothing_waiting"
        message_id = self._send(_address(candidate), digest(contents, len(waiting)))
        self._messages.record_outbound(
            OutboundRecord(message_id, candidate_id, "text", None, {"digest": len(contents)}, now),
            now,
        )
        for delivery in waiting:
            self._deliveries.mark(candidate_id, delivery.job_id, DeliveryStatus.SENT, now, "digest")
        metrics.add_metric(name=Metric.DIGESTS_SENT, unit=MetricUnit.Count, value=1)
        return "sent"

    def _send(self, address: str, message: OutboundMessage) -> str:
        self._pacer.acquire()
        try:
            result = self._sender.send(address, message)
        except RetryableSendError:
            # 130429 / 131056 after the sender's own retries: slow this number down.
            self._pacer.penalise(THROTTLE_PENALTY_SECONDS)
            metrics.add_metric(name=Metric.SEND_THROTTLED, unit=MetricUnit.Count, value=1)
            raise
        metrics.add_metric(name=Metric.MESSAGES_SENT, unit=MetricUnit.Count, value=1)
        metrics.add_metric(
            name=Metric.MESSAGE_COST_USD, unit=MetricUnit.NoUnit, value=self._service_price
        )
        return result.message_id

    def _wait(self, candidate_id: str, job_id: str, route: Route, now: datetime) -> str:
        self._deliveries.mark(
            candidate_id, job_id, DeliveryStatus.WAITING, now, _WAITING_FOR[route]
        )
        metrics.add_metric(name=Metric.ALERTS_WAITING, unit=MetricUnit.Count, value=1)
        return f"waiting:{_WAITING_FOR[route]}"

    def _local_day(self, now: datetime) -> str:
        return now.astimezone(ZoneInfo(self._policy.timezone)).date().isoformat()


def _recipient(candidate: CandidateItem | None) -> Recipient | None:
    if candidate is None or not (candidate.wa_id or candidate.bsuid):
        return None
    return Recipient(
        stage=candidate.state,
        last_inbound_at=candidate.last_inbound_at,
        alerts_today=0,  # the allowance enforces the cap atomically at send time
        taken_over=candidate.operator_id is not None,
    )


def _address(candidate: CandidateItem) -> str:
    address = candidate.wa_id or candidate.bsuid
    assert address is not None  # checked by _recipient
    return address


def alert_content(job: StoredJob, delivery: DeliveryItem) -> AlertContent:
    return content_of(job, delivery.score, delivery.reason)
