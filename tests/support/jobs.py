"""An in-memory job repository that behaves like JobStore, for unit tests and benchmarks.

moto copies its table on every transaction, so hundreds of conditional writes take minutes
there; the real store's writes are exercised by tests/integration/test_jobs_storage.py.
"""

from __future__ import annotations

from datetime import datetime

from aremu.jobs.models import CanonicalJob, SaveOutcome


class MemoryRepository:
    """Behaves like JobStore: a site id is known once, a canonical id stored once."""

    def __init__(self) -> None:
        self.jobs: dict[str, CanonicalJob] = {}
        self.sites: dict[str, str] = {}
        self.cursor: str | None = None

    def save(self, job: CanonicalJob, now: datetime) -> SaveOutcome:
        known = [self.sites[s.key] for s in job.sources if s.key in self.sites]
        new = [s for s in job.sources if s.key not in self.sites]
        target = known[0] if known else (job.job_id if job.job_id in self.jobs else None)
        for source in new:
            self.sites[source.key] = target or job.job_id
        if target is None:
            self.jobs[job.job_id] = job
            return "stored"
        return "merged" if new else "duplicate"

    def plan_cursor(self) -> str | None:
        return self.cursor

    def save_plan_cursor(self, cursor: str | None, now: datetime) -> None:
        self.cursor = cursor
