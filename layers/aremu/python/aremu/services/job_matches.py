"""What the conversation does with jobs: top matches on demand, backfill, digest, feedback.

Kept apart from the turn itself so that a turn without jobs in it costs nothing more.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from aremu.channels.outbox import Outbox, SendRequest
from aremu.domain.conversation.state import Decision, Stage
from aremu.domain.delivery.alerts import top_matches
from aremu.domain.delivery.routing import window_open
from aremu.domain.preferences import Preferences
from aremu.observability import logger
from aremu.services.recent_matches import RecentMatches
from aremu.storage.deliveries import DeliveryStatus, DeliveryStore
from aremu.storage.inbound import NEVER
from aremu.storage.jobs import JobStore
from aremu.storage.models import CandidateItem

BACKFILL_LIMIT = 5


class JobMatches:
    def __init__(
        self, jobs: JobStore, recent: RecentMatches, deliveries: DeliveryStore, outbox: Outbox
    ) -> None:
        self._jobs = jobs
        self._recent = recent
        self._deliveries = deliveries
        self._outbox = outbox

    def job_title(self, job_id: str) -> str | None:
        job = self._jobs.get(job_id)
        return job.enhanced.fields.normalised_title if job and job.enhanced else None

    def shown(self, item: CandidateItem, decision: Decision, now: datetime) -> Decision:
        """The "jobs" command: the best recent matches replace the engine's "none yet"."""
        best = self._recent.best(
            item.candidate_id, decision.preferences, _muted(item), now, limit=5
        )
        if not best:
            return decision
        for content in best:
            # Shown now, so never alerted later.
            self._deliveries.claim(
                item.candidate_id,
                content.job_id,
                content.match_percent,
                content.reason,
                DeliveryStatus.SENT,
                "on_demand",
                now,
            )
        return replace(decision, reply=top_matches(best))

    def after_turn(self, item: CandidateItem, decision: Decision, now: datetime) -> None:
        if decision.stage is not Stage.ACTIVE:
            return
        reopened = not window_open(item.previous_inbound_at, item.last_inbound_at or NEVER)
        requests: list[SendRequest] = []
        if reopened:
            # Back after the window closed: the matches that waited come as one digest.
            requests.append(SendRequest(kind="digest", candidate_id=item.candidate_id))
        if _preferences_changed(item, decision):
            requests.extend(self._backfill(item, decision.preferences, now))
        if requests:
            self._outbox.enqueue(requests)

    def _backfill(
        self, item: CandidateItem, preferences: Preferences, now: datetime
    ) -> list[SendRequest]:
        """New or changed preferences: alert the best recent jobs not sent before."""
        requests = []
        for content in self._recent.best(
            item.candidate_id, preferences, _muted(item), now, limit=BACKFILL_LIMIT
        ):
            if self._deliveries.claim(
                item.candidate_id,
                content.job_id,
                content.match_percent,
                content.reason,
                DeliveryStatus.QUEUED,
                None,
                now,
            ):
                requests.append(
                    SendRequest(kind="alert", candidate_id=item.candidate_id, job_id=content.job_id)
                )
        logger.info("backfill", extra={"candidate_id": item.candidate_id, "queued": len(requests)})
        return requests


def _muted(item: CandidateItem) -> frozenset[str]:
    return frozenset(map(str, item.muted_titles or ()))


def _preferences_changed(item: CandidateItem, decision: Decision) -> bool:
    became_active = any(change.new is Stage.ACTIVE for change in decision.transitions)
    before = Preferences.model_validate(item.preferences or {})
    return became_active or before != decision.preferences
