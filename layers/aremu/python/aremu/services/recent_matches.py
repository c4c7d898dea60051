"""One candidate against the recent jobs: the "jobs" command and backfill after an edit."""

from __future__ import annotations

from datetime import datetime, timedelta

from aremu.domain.delivery.alerts import AlertContent
from aremu.domain.preferences import Preferences
from aremu.jobs.models import StoredJob
from aremu.matching.explain import pay_text, place_text
from aremu.matching.job_view import job_view_from_stored
from aremu.matching.profile import profile_from_preferences
from aremu.matching.scoring import score
from aremu.storage.jobs import JobStore


class RecentMatches:
    def __init__(
        self, jobs: JobStore, threshold: float, days: int = 7, jobs_per_day: int = 200
    ) -> None:
        self._jobs = jobs
        self._threshold = threshold
        self._days = days
        self._jobs_per_day = jobs_per_day

    def best(
        self,
        candidate_id: str,
        preferences: Preferences,
        muted: frozenset[str],
        now: datetime,
        limit: int = 5,
    ) -> list[AlertContent]:
        """The candidate's best matches among the last days' enhanced jobs, best first."""
        profile = profile_from_preferences(candidate_id, preferences)
        scored: list[tuple[float, AlertContent]] = []
        for job in self._recent(now):
            view = job_view_from_stored(job)
            if view.title.lower() in muted:
                continue
            result = score(profile, view)
            if result.passes(self._threshold):
                scored.append((result.total, content_of(job, result.total, result.reason)))
        scored.sort(key=lambda pair: -pair[0])
        return [content for _, content in scored[:limit]]

    def _recent(self, now: datetime) -> list[StoredJob]:
        seen: set[str] = set()
        jobs: list[StoredJob] = []
        for back in range(self._days):
            day = (now - timedelta(days=back)).date()
            for job in self._jobs.jobs_of_day(day, self._jobs_per_day):
                if job.enhanced is not None and job.job_id not in seen:
                    seen.add(job.job_id)
                    jobs.append(job)
        return jobs


def content_of(job: StoredJob, total: float, reason: str) -> AlertContent:
    """What an alert or a digest says about one matched job."""
    assert job.enhanced is not None
    fields = job.enhanced.fields
    return AlertContent(
        job_id=job.job_id,
        # The posting's own title: what the candidate will see when they apply.
        title=job.raw.title,
        company=job.raw.company,
        place=place_text(job_view_from_stored(job)) or None,
        pay=pay_text(fields.salary) if fields.salary else None,
        match_percent=min(100, round(total)),
        reason=reason,
        summary=fields.summary or None,
        apply_url=fields.how_to_apply.url or job.sources[0].job_url,
    )
