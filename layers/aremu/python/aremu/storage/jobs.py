"""Jobs in the single table: one item per canonical job, one alias item per site id.

| item      | pk                          | sk       | by_candidate (gsi1pk / gsi1sk)        |
|-----------|-----------------------------|----------|---------------------------------------|
| job       | JOB#<canonical id>          | JOB      | JOBS#<yyyy-mm-dd> / <iso time>#<id>   |
| site id   | JOBSITE#<site>#<site id>    | JOBSITE  | -                                     |
| plan      | JOBPLAN                     | CURSOR   | -                                     |

Access patterns:
- is this site id known, and as which job: GetItem/BatchGetItem on its JOBSITE item;
- store a new job once: one transaction puts the job and its site ids, each conditional
  on not existing, so a rerun or a concurrent run stores nothing twice;
- another site's copy of a known job: one transaction puts the new site id and appends
  the source to the job;
- jobs of a day, newest first (matching backfills): Query by_candidate on JOBS#<day>;
  the day is the posting date (the ingest date when unknown or in the future).
The job item's `status` (RAW → ENHANCED) drives the enhancer's stream filter.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from aremu.jobs.models import (
    CanonicalJob,
    EnhancedJob,
    JobSource,
    RawJob,
    SaveOutcome,
    StoredJob,
)
from aremu.storage.errors import is_condition_failure
from aremu.storage.models import ByCandidateIndex, _Item, _TableMeta


def job_key(job_id: str) -> str:
    return f"JOB#{job_id}"


def job_site_key(source_key: str) -> str:
    return f"JOBSITE#{source_key}"


def jobs_day_key(day: date) -> str:
    return f"JOBS#{day.isoformat()}"


class SourceMap(MapAttribute[str, Any]):
    site = UnicodeAttribute()
    site_job_id = UnicodeAttribute()
    job_url = UnicodeAttribute()
    job_url_direct = UnicodeAttribute(null=True)


class JobItem(_Item):
    class Meta(_TableMeta):
        pass

    SORT_KEY: ClassVar[str] = "JOB"
    kind = UnicodeAttribute(default="job")

    job_id = UnicodeAttribute()
    canonical_key = UnicodeAttribute()
    status = UnicodeAttribute(default="RAW")
    title = UnicodeAttribute()
    company = UnicodeAttribute(null=True)
    location = UnicodeAttribute(null=True)
    sources = ListAttribute(of=SourceMap)
    raw = JSONAttribute()
    enhanced = JSONAttribute(null=True)
    # "offline" or "ai", outside the JSON so a Query can filter the jobs to enhance again.
    enhancement_source = UnicodeAttribute(null=True)
    ingested_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    enhanced_at = UTCDateTimeAttribute(null=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_candidate = ByCandidateIndex()


class JobSiteItem(_Item):
    class Meta(_TableMeta):
        pass

    SORT_KEY: ClassVar[str] = "JOBSITE"
    kind = UnicodeAttribute(default="job_site")

    job_id = UnicodeAttribute()


class JobPlanItem(_Item):
    """Where the rotating search plan stopped last run."""

    class Meta(_TableMeta):
        pass

    KEY: ClassVar[str] = "JOBPLAN"
    SORT_KEY: ClassVar[str] = "CURSOR"
    kind = UnicodeAttribute(default="job_plan")

    cursor = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


JOB_MODELS: tuple[type[_Item], ...] = (JobItem, JobSiteItem, JobPlanItem)


@dataclass(frozen=True)
class _Cancelled:
    """Which conditions of a cancelled job transaction failed."""

    job_exists: bool
    site_known: bool


class JobStore:
    _MAX_ATTEMPTS = 4

    def __init__(self, connection: Connection, sleep: Callable[[float], None] = time.sleep) -> None:
        self._connection = connection
        self._sleep = sleep

    def save(self, job: CanonicalJob, now: datetime) -> SaveOutcome:
        """Store a new job once, or add its new sources to the job already stored."""
        merge_into: str | None = None
        for attempt in range(1, self._MAX_ATTEMPTS + 1):
            known = self._known_sources(job.sources)
            new_sources = [source for source in job.sources if source.key not in known]
            target = next(iter(known.values()), None) or merge_into
            try:
                if target is None:
                    self._create(job, now)
                    return "stored"
                if not new_sources:
                    return "duplicate"
                self._add_sources(target, new_sources, now)
                return "merged"
            except TransactWriteError as error:
                cancelled = _cancellation(error)
                if cancelled is None or attempt == self._MAX_ATTEMPTS:
                    raise
                if target is None and cancelled.job_exists and not cancelled.site_known:
                    # Another site's copy (or another run) stored this job first.
                    merge_into = job.job_id
                    continue
                # A concurrent run linked one of these site ids: read again and retry.
                self._sleep(random.uniform(0, 0.05 * attempt))
        raise RuntimeError("could not store the job")

    def job_id_for_site(self, source: JobSource) -> str | None:
        try:
            return JobSiteItem.get(job_site_key(source.key), JobSiteItem.SORT_KEY).job_id
        except JobSiteItem.DoesNotExist:
            return None

    def get(self, job_id: str) -> StoredJob | None:
        try:
            return to_stored_job(JobItem.get(job_key(job_id), JobItem.SORT_KEY))
        except JobItem.DoesNotExist:
            return None

    def mark_enhanced(self, job_id: str, enhanced: EnhancedJob, now: datetime) -> bool:
        """Store the enhancement and make the job ENHANCED; False when the job is gone."""
        try:
            JobItem(job_key(job_id), JobItem.SORT_KEY).update(
                actions=[
                    JobItem.status.set("ENHANCED"),
                    JobItem.enhanced.set(enhanced.model_dump(mode="json")),
                    JobItem.enhancement_source.set(enhanced.enhancement.source),
                    JobItem.enhanced_at.set(now),
                    JobItem.updated_at.set(now),
                ],
                condition=JobItem.pk.exists(),
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def request_ai_enhancement(self, job_id: str, now: datetime) -> bool:
        """Send a job enhanced offline back to RAW, so the stream enhances it again."""
        try:
            JobItem(job_key(job_id), JobItem.SORT_KEY).update(
                actions=[JobItem.status.set("RAW"), JobItem.updated_at.set(now)],
                condition=JobItem.enhancement_source == "offline",
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def jobs_of_day(
        self, day: date, limit: int = 100, offline_only: bool = False
    ) -> list[StoredJob]:
        condition = JobItem.enhancement_source == "offline" if offline_only else None
        items = JobItem.by_candidate.query(
            jobs_day_key(day), scan_index_forward=False, limit=limit, filter_condition=condition
        )
        return [to_stored_job(item) for item in items if isinstance(item, JobItem)]

    def plan_cursor(self) -> str | None:
        try:
            return JobPlanItem.get(JobPlanItem.KEY, JobPlanItem.SORT_KEY).cursor
        except JobPlanItem.DoesNotExist:
            return None

    def save_plan_cursor(self, cursor: str | None, now: datetime) -> None:
        JobPlanItem(JobPlanItem.KEY, JobPlanItem.SORT_KEY, cursor=cursor, updated_at=now).save()

    def _known_sources(self, sources: list[JobSource]) -> dict[str, str]:
        keys = [(job_site_key(source.key), JobSiteItem.SORT_KEY) for source in sources]
        found = {item.pk: item.job_id for item in JobSiteItem.batch_get(keys)}
        return {
            source.key: found[job_site_key(source.key)]
            for source in sources
            if job_site_key(source.key) in found
        }

    def _create(self, job: CanonicalJob, now: datetime) -> None:
        with TransactWrite(connection=self._connection) as transaction:
            transaction.save(_job_item(job, now), condition=JobItem.pk.does_not_exist())
            for source in job.sources:
                transaction.save(
                    _site_item(source, job.job_id), condition=JobSiteItem.pk.does_not_exist()
                )

    def _add_sources(self, job_id: str, sources: list[JobSource], now: datetime) -> None:
        with TransactWrite(connection=self._connection) as transaction:
            transaction.update(
                JobItem(job_key(job_id), JobItem.SORT_KEY),
                actions=[
                    JobItem.sources.set(JobItem.sources.append([_source_map(s) for s in sources])),
                    JobItem.updated_at.set(now),
                ],
                condition=JobItem.pk.exists(),
            )
            for source in sources:
                transaction.save(
                    _site_item(source, job_id), condition=JobSiteItem.pk.does_not_exist()
                )


def _cancellation(error: TransactWriteError) -> _Cancelled | None:
    codes = [reason.code if reason else None for reason in error.cancellation_reasons]
    if "ConditionalCheckFailed" not in codes:
        return None
    return _Cancelled(
        job_exists=codes[0] == "ConditionalCheckFailed",
        site_known="ConditionalCheckFailed" in codes[1:],
    )


def _job_item(job: CanonicalJob, now: datetime) -> JobItem:
    # Filed under the day Aremu learned of the job: "recent jobs" for matching and backfill
    # are the ones ingested lately, whatever date a site printed on them.
    return JobItem(
        job_key(job.job_id),
        JobItem.SORT_KEY,
        job_id=job.job_id,
        canonical_key=job.canonical_key,
        status="RAW",
        title=job.raw.title,
        company=job.raw.company,
        location=job.raw.location,
        sources=[_source_map(source) for source in job.sources],
        raw=job.raw.model_dump(mode="json"),
        ingested_at=now,
        updated_at=now,
        gsi1pk=jobs_day_key(now.date()),
        gsi1sk=f"{now.isoformat()}#{job.job_id}",
    )


def _site_item(source: JobSource, job_id: str) -> JobSiteItem:
    return JobSiteItem(job_site_key(source.key), JobSiteItem.SORT_KEY, job_id=job_id)


def _source_map(source: JobSource) -> SourceMap:
    return SourceMap(**source.model_dump())  # type: ignore[no-untyped-call]


def to_stored_job(item: JobItem) -> StoredJob:
    return StoredJob(
        job_id=item.job_id,
        status="ENHANCED" if item.status == "ENHANCED" else "RAW",
        raw=RawJob.model_validate(item.raw),
        sources=[
            JobSource.model_validate(source.as_dict())  # type: ignore[no-untyped-call]
            for source in item.sources
        ],
        enhanced=EnhancedJob.model_validate(item.enhanced) if item.enhanced else None,
        ingested_at=item.ingested_at,
        updated_at=item.updated_at,
    )


def job_from_stream_image(image: dict[str, Any]) -> StoredJob | None:
    """The job in a DynamoDB stream record's NewImage, or None for any other item."""
    if image.get("kind", {}).get("S") != "job":
        return None
    return to_stored_job(JobItem.from_raw_data(image))
