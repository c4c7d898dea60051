"""Jobs in: rows (from a CSV or a scrape) → typed raw jobs → de-duplicated → stored once.

Every row is accounted for: stored, a duplicate (in the batch or already in the table),
or skipped with its reason. A site that failed is recorded and counted; it never fails
the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, computed_field

from aremu.jobs.csv_source import Row, read_jobspy_csv
from aremu.jobs.dedup import deduplicate
from aremu.jobs.jobspy_source import FetchResult
from aremu.jobs.models import CanonicalJob, RawJob, SaveOutcome
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.search_plan import Search, SearchSettings, SearchWant, build_search_plan
from aremu.observability import logger

# Enough to show what went wrong in a file without making the answer huge.
MAX_LISTED_SKIPS = 50


class JobRepository(Protocol):
    def save(self, job: CanonicalJob, now: datetime) -> SaveOutcome: ...


class PlannedJobRepository(JobRepository, Protocol):
    def plan_cursor(self) -> str | None: ...

    def save_plan_cursor(self, cursor: str | None, now: datetime) -> None: ...


class PostingSource(Protocol):
    """Where scheduled runs get postings: python-jobspy's adapter, or a fake in tests."""

    def fetch(self, searches: list[Search]) -> FetchResult: ...


class Skip(BaseModel):
    model_config = ConfigDict(frozen=True)

    row: int
    reason: str


class SiteFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    site: str
    search: str
    error: str


class IngestSummary(BaseModel):
    read: int = 0
    skipped: int = 0
    skipped_rows: list[Skip] = Field(default_factory=list)
    duplicates_in_batch: int = 0
    already_stored: int = 0
    merged: int = 0  # a known job seen on a new site: its source was added
    stored: int = 0
    stored_job_ids: list[str] = Field(default_factory=list)
    missing_columns: list[str] = Field(default_factory=list)
    searches: int = 0
    site_errors: list[SiteFailure] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duplicates(self) -> int:
        return self.duplicates_in_batch + self.already_stored + self.merged


def ingest_csv(
    text: str, repository: JobRepository, now: datetime, default_country: str | None = "NG"
) -> IngestSummary:
    """Load a python-jobspy CSV; raises NotAJobSpyCsv when the text is not one."""
    read = read_jobspy_csv(text)
    summary = IngestSummary(missing_columns=read.missing_columns)
    summary.read = len(read.rows) + len(read.skipped)
    for skipped in read.skipped:
        _skip(summary, skipped.row, skipped.reason)
    _ingest(read.rows, repository, now, default_country, summary)
    return summary


def ingest_rows(
    rows: Sequence[Row],
    repository: JobRepository,
    now: datetime,
    default_country: str | None = "NG",
) -> IngestSummary:
    summary = IngestSummary(read=len(rows))
    _ingest(enumerate(rows, start=1), repository, now, default_country, summary)
    return summary


def run_scheduled_ingest(
    wants: Iterable[SearchWant],
    repository: PlannedJobRepository,
    source: PostingSource,
    settings: SearchSettings,
    now: datetime,
) -> IngestSummary:
    """One scheduled run: this run's slice of the search plan, scraped and stored."""
    plan = build_search_plan(wants, settings, cursor=repository.plan_cursor())
    fetched = source.fetch(plan.searches)
    summary = ingest_rows(fetched.rows, repository, now, default_country=settings.country)
    summary.searches = fetched.searches
    summary.site_errors = [
        SiteFailure(site=error.site, search=error.search, error=error.error)
        for error in fetched.errors
    ]
    repository.save_plan_cursor(plan.next_cursor, now)
    logger.info(
        "search plan run",
        extra={
            "searches": len(plan.searches),
            "pairs": plan.total_pairs,
            "site_errors": len(summary.site_errors),
        },
    )
    return summary


def _ingest(
    rows: Iterable[tuple[int, Row]],
    repository: JobRepository,
    now: datetime,
    default_country: str | None,
    summary: IngestSummary,
) -> None:
    jobs: list[RawJob] = []
    for number, row in rows:
        try:
            jobs.append(to_raw_job(row, default_country))
        except ValueError as error:  # RowRejected, or a value the model refuses
            _skip(summary, number, (str(error) or type(error).__name__).splitlines()[0])
    batch = deduplicate(jobs)
    summary.duplicates_in_batch = batch.duplicates
    for job in batch.jobs:
        outcome = repository.save(job, now)
        if outcome == "stored":
            summary.stored += 1
            summary.stored_job_ids.append(job.job_id)
        elif outcome == "merged":
            summary.merged += 1
        else:
            summary.already_stored += 1
    logger.info(
        "jobs ingested",
        extra={
            "read": summary.read,
            "skipped": summary.skipped,
            "duplicates": summary.duplicates,
            "stored": summary.stored,
        },
    )


def _skip(summary: IngestSummary, row: int, reason: str) -> None:
    summary.skipped += 1
    if len(summary.skipped_rows) < MAX_LISTED_SKIPS:
        summary.skipped_rows.append(Skip(row=row, reason=reason))
