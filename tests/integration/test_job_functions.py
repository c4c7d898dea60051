"""The enhancer functions: scheduled ingestion and stream enhancement, against moto."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest

from aremu import runtime
from aremu.domain.preferences import Preferences
from aremu.domain.vocabulary.places import resolve_place
from aremu.domain.vocabulary.roles import find_roles
from aremu.jobs import jobspy_source
from aremu.jobs.csv_source import sample_jobs_csv
from aremu.local.handlers import load_handler
from aremu.services.job_pipeline import load_csv
from aremu.storage.jobs import JobItem
from aremu.storage.models import CandidateItem
from aremu.wiring import JOB_ENHANCE, JOB_INGEST, NEW_RAW_JOBS
from tests.support.lambda_events import FakeLambdaContext
from tests.support.streams import TableStreamReader

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
enhance = load_handler(JOB_ENHANCE)
ingest = load_handler(JOB_INGEST)
pytestmark = pytest.mark.usefixtures("aws")


def jobs() -> list[JobItem]:
    return [item for item in JobItem.scan() if item.kind == "job"]


def enhance_pending(stream: TableStreamReader) -> None:
    event = stream.event(*JOB_ENHANCE.streams()[0].filter_patterns)
    assert enhance(event, FakeLambdaContext()) == {"batchItemFailures": []}


def active_candidate(candidate_id: str, wants: str, place: str) -> None:
    preferences = Preferences(roles=find_roles(wants), locations=[resolve_place(place)])
    CandidateItem(
        f"CAND#{candidate_id}",
        "PROFILE",
        candidate_id=candidate_id,
        state="active",
        created_at=NOW,
        preferences=preferences.model_dump(mode="json"),
        gsi1pk="STAGE#active",
        gsi1sk=f"{NOW.isoformat()}#{candidate_id}",
    ).save()


def test_csv_jobs_become_enhanced_through_the_stream() -> None:
    stream = TableStreamReader()
    summary = load_csv(sample_jobs_csv(), runtime.job_store(), NOW)

    enhance_pending(stream)

    stored = jobs()
    assert summary.stored == len(stored) > 60
    assert {job.status for job in stored} == {"ENHANCED"}
    assert {job.enhancement_source for job in stored} == {"offline"}
    assert all(job.enhanced and job.enhanced["fields"]["job_function"] for job in stored)


def test_a_job_sent_back_to_raw_is_enhanced_again() -> None:
    stream = TableStreamReader()
    load_csv(sample_jobs_csv(), runtime.job_store(), NOW)
    enhance_pending(stream)
    first = jobs()[0]

    runtime.job_store().request_ai_enhancement(first.job_id, NOW)
    resent = stream.event(JOB_ENHANCE.streams()[0].or_patterns[0])
    enhance(resent, FakeLambdaContext())

    assert [r["dynamodb"]["NewImage"]["job_id"]["S"] for r in resent["Records"]] == [first.job_id]
    assert JobItem.get(first.pk, first.sk).status == "ENHANCED"


def test_enhanced_jobs_do_not_pass_the_raw_filter_again() -> None:
    stream = TableStreamReader()
    load_csv(sample_jobs_csv(), runtime.job_store(), NOW)
    enhance_pending(stream)

    assert stream.event(NEW_RAW_JOBS)["Records"] == []


def test_scheduled_ingest_searches_what_active_candidates_want(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    active_candidate("c1", "sales rep", "Lagos")
    active_candidate("c2", "data analyst", "Abuja")
    searches: list[dict[str, Any]] = []
    sample = list(csv.DictReader(io.StringIO(sample_jobs_csv())))

    def fake_scrape(**query: Any) -> pd.DataFrame:
        searches.append(query)
        if query["site_name"] == ["linkedin"]:
            frame = pd.DataFrame([])
            frame.attrs["errors"] = {"linkedin": "429 Too Many Requests"}
            return frame
        return pd.DataFrame(sample[:5])

    monkeypatch.setattr(jobspy_source, "_default_scrape", lambda: fake_scrape)

    summary = ingest({}, FakeLambdaContext())

    terms = {(q["search_term"], q["location"]) for q in searches}
    assert {term for term, _ in terms} == {"Sales Representative", "Data Analyst"}
    assert summary["site_errors"][0]["site"] == "linkedin"
    assert summary["stored"] == 5
    assert len(jobs()) == 5


def test_scheduled_ingest_survives_a_scraper_that_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    active_candidate("c1", "sales rep", "Lagos")

    def broken_scrape(**_: Any) -> pd.DataFrame:
        raise ConnectionError("no route to host")

    monkeypatch.setattr(jobspy_source, "_default_scrape", lambda: broken_scrape)

    summary = ingest({}, FakeLambdaContext())

    assert summary["stored"] == 0
    assert {error["site"] for error in summary["site_errors"]} == {"indeed", "linkedin"}
    assert "no route to host" in summary["site_errors"][0]["error"]
