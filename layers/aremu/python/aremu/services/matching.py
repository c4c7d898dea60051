"""Match newly enhanced jobs to the cached candidates and route each match.

Each match is recorded (candidate x job, conditionally) before anything is queued, so a
retried stream batch or a concurrent one never sends the same job twice; a match that
already exists but is still queued is queued again, and the sender's idempotency keeps
that from becoming a second message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit

from aremu.channels.outbox import Outbox, SendRequest
from aremu.domain.delivery.routing import DeliveryPolicy, Route, route_alert
from aremu.jobs.models import StoredJob
from aremu.matching.job_view import job_view_from_stored
from aremu.matching.matcher import Matcher
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.services.profile_cache import ProfileCache
from aremu.storage.deliveries import DeliveryStatus, DeliveryStore


@dataclass
class MatchRun:
    jobs: int = 0
    matches: int = 0
    queued: int = 0
    waiting: int = 0
    already_matched: int = 0
    routes: dict[str, int] = field(default_factory=dict)


def match_jobs(
    stored: Iterable[StoredJob | None],
    cache: ProfileCache,
    deliveries: DeliveryStore,
    outbox: Outbox,
    policy: DeliveryPolicy,
    threshold: float,
    now: datetime,
) -> MatchRun:
    cache.refresh(now)
    matcher = Matcher(cache.index, threshold)
    run = MatchRun()
    requests: list[SendRequest] = []
    for job in stored:
        if job is None or job.enhanced is None:
            continue
        run.jobs += 1
        view = job_view_from_stored(job)
        for match in matcher.match(view):
            candidate_id = str(match.candidate_id)
            recipient = cache.recipient(candidate_id)
            if recipient is None or view.title.lower() in cache.muted(candidate_id):
                continue
            route = route_alert(recipient, now, policy)
            if route is Route.INELIGIBLE:
                continue
            run.matches += 1
            run.routes[route.value] = run.routes.get(route.value, 0) + 1
            status = DeliveryStatus.QUEUED if route is Route.SEND_NOW else DeliveryStatus.WAITING
            waiting_for = None if route is Route.SEND_NOW else route.value
            if deliveries.claim(
                candidate_id, job.job_id, match.score, match.reason, status, waiting_for, now
            ):
                if status is DeliveryStatus.QUEUED:
                    requests.append(
                        SendRequest(kind="alert", candidate_id=candidate_id, job_id=job.job_id)
                    )
                else:
                    run.waiting += 1
                continue
            run.already_matched += 1
            existing = deliveries.get(candidate_id, job.job_id)
            if existing is not None and existing.status == DeliveryStatus.QUEUED:
                requests.append(
                    SendRequest(kind="alert", candidate_id=candidate_id, job_id=job.job_id)
                )
    outbox.enqueue(requests)
    run.queued = len(requests)
    _count(run)
    logger.info(
        "jobs matched",
        extra={
            "jobs": run.jobs,
            "matches": run.matches,
            "queued": run.queued,
            "routes": run.routes,
        },
    )
    return run


def _count(run: MatchRun) -> None:
    for name, value in (
        (Metric.JOBS_MATCHED, run.matches),
        (Metric.ALERTS_QUEUED, run.queued),
        (Metric.ALERTS_WAITING, run.waiting),
    ):
        if value:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
