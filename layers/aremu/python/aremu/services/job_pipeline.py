"""Jobs in: what to search for, scheduled ingestion, CSV loads, and enhancement of stored jobs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit

from aremu.domain.preferences import Preferences
from aremu.jobs.enhance import JobEnhancer, enhance_stored_jobs
from aremu.jobs.ingest import IngestSummary, PostingSource, ingest_csv, run_scheduled_ingest
from aremu.jobs.models import EnhanceRun, StoredJob
from aremu.jobs.search_plan import SearchSettings, SearchWant
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.storage.candidates import CandidateStore
from aremu.storage.jobs import JobStore

# Candidates whose wants shape the searches: confirmed, whether or not alerts are paused.
SEARCHED_STAGES = ("active", "paused")


def wants_of(preferences: Preferences) -> list[SearchWant]:
    places: list[str | None] = [place.label() for place in preferences.locations]
    if preferences.open_to_remote:
        places.append("remote")
    if not places:
        places.append(None)  # anywhere in Nigeria: the country-wide search
    return [
        SearchWant(role=role.title, location=place)
        for role in preferences.roles
        for place in places
    ]


def confirmed_wants(candidates: CandidateStore) -> list[SearchWant]:
    wants: list[SearchWant] = []
    for stage in SEARCHED_STAGES:
        for item in candidates.in_stage(stage):
            wants.extend(wants_of(Preferences.model_validate(item.preferences or {})))
    return wants


def scheduled_ingest(
    candidates: CandidateStore,
    jobs: JobStore,
    source: PostingSource,
    settings: SearchSettings,
    now: datetime,
) -> IngestSummary:
    summary = run_scheduled_ingest(confirmed_wants(candidates), jobs, source, settings, now)
    _count_summary(summary)
    return summary


def load_csv(text: str, jobs: JobStore, now: datetime) -> IngestSummary:
    summary = ingest_csv(text, jobs, now)
    _count_summary(summary)
    return summary


def enhance_new_jobs(
    stored: Iterable[StoredJob | None], enhancer: JobEnhancer, jobs: JobStore, now: datetime
) -> EnhanceRun:
    batch: Sequence[StoredJob] = [job for job in stored if job is not None]
    run = enhance_stored_jobs(batch, enhancer, jobs, now)
    _count_run(run)
    logger.info(
        "jobs enhanced",
        extra={
            "jobs": len(batch),
            "ai": run.ai,
            "offline": run.offline,
            "fallbacks": run.fallbacks,
        },
    )
    return run


def _count_run(run: EnhanceRun) -> None:
    counts = {
        Metric.JOBS_ENHANCED_AI: run.ai,
        Metric.JOBS_ENHANCED_OFFLINE: run.offline,
        Metric.ENHANCEMENT_FALLBACKS: sum(run.fallbacks.values()),
    }
    for name, value in counts.items():
        if value:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    if run.estimated_cost_usd:
        metrics.add_metric(
            name=Metric.ENHANCEMENT_COST_USD, unit=MetricUnit.NoUnit, value=run.estimated_cost_usd
        )


def _count_summary(summary: IngestSummary) -> None:
    counts = {
        Metric.JOBS_READ: summary.read,
        Metric.JOBS_STORED: summary.stored,
        Metric.JOBS_DUPLICATES: summary.duplicates,
        Metric.JOBS_SKIPPED: summary.skipped,
        Metric.JOB_SITE_ERRORS: len(summary.site_errors),
    }
    for name, value in counts.items():
        if value:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
