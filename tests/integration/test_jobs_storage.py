"""Jobs in the single table (moto in-process): stored once, merged across sites, enhanced."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws
from pynamodb.connection import Connection

from aremu.config import Settings
from aremu.jobs.dedup import deduplicate
from aremu.jobs.ingest import ingest_csv
from aremu.jobs.models import CanonicalJob
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.storage.jobs import (
    JOB_MODELS,
    JobItem,
    JobStore,
    job_from_stream_image,
    job_key,
)
from aremu.storage.schema import create_tables

NOW = datetime(2025, 8, 14, 9, 30, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[JobStore]:
    settings = Settings()
    with mock_aws():
        create_tables(boto3.client("dynamodb"), settings.table_name, "aremu-idempotency")
        # The storage owner adds JOB_MODELS to bind_models; bound here the same way.
        for model in JOB_MODELS:
            model.Meta.table_name = settings.table_name
            model.Meta.region = settings.region
            model.Meta.host = None
            model._connection = None
        yield JobStore(Connection(region=settings.region), sleep=lambda _: None)
    for model in JOB_MODELS:
        model._connection = None


def canonical(
    site: str = "indeed",
    site_id: str = "in-1",
    title: str = "Accountant",
    location: str = "Abuja, FC, NG",
    posted: str = "2025-08-13",
) -> CanonicalJob:
    raw = to_raw_job(
        {
            "id": site_id,
            "site": site,
            "job_url": f"https://{site}.example/{site_id}",
            "title": title,
            "company": "Okoro & Partners",
            "location": location,
            "date_posted": posted,
            "description": "Keep our books with QuickBooks.",
        }
    )
    return deduplicate([raw]).jobs[0]


def test_a_new_job_is_stored_raw_with_its_source(store: JobStore) -> None:
    job = canonical()

    assert store.save(job, NOW) == "stored"

    stored = store.get(job.job_id)
    assert stored is not None
    assert stored.status == "RAW"
    assert stored.raw == job.raw
    assert [s.key for s in stored.sources] == ["indeed#in-1"]


def test_the_same_site_id_again_is_a_duplicate_and_changes_nothing(store: JobStore) -> None:
    store.save(canonical(), NOW)

    outcome = store.save(canonical(title="Accountant (edited)"), NOW)

    assert outcome == "duplicate"
    assert store.job_id_for_site(canonical().sources[0]) == canonical().job_id


def test_the_same_listing_from_another_site_adds_its_source(store: JobStore) -> None:
    first = canonical()
    store.save(first, NOW)

    outcome = store.save(
        canonical(
            site="linkedin", site_id="li-7", location="Abuja, Federal Capital Territory, Nigeria"
        ),
        NOW,
    )

    assert outcome == "merged"
    stored = store.get(first.job_id)
    assert stored is not None
    assert [s.key for s in stored.sources] == ["indeed#in-1", "linkedin#li-7"]


def test_a_job_with_two_sources_in_one_batch_is_stored_once_with_both(store: JobStore) -> None:
    batch = deduplicate([canonical().raw, canonical(site="linkedin", site_id="li-2").raw]).jobs

    assert [store.save(job, NOW) for job in batch] == ["stored"]
    assert store.job_id_for_site(batch[0].sources[1]) == batch[0].job_id


def test_an_enhanced_job_stores_its_fields_and_how_they_were_made(store: JobStore) -> None:
    job = canonical()
    store.save(job, NOW)
    enhanced = OfflineEnhancer().enhance(job.raw, now=NOW)

    assert store.mark_enhanced(job.job_id, enhanced, NOW)

    stored = store.get(job.job_id)
    assert stored is not None
    assert stored.status == "ENHANCED"
    assert stored.enhanced == enhanced
    assert JobItem.get(job_key(job.job_id), "JOB").enhancement_source == "offline"


def test_enhancing_a_job_that_is_not_stored_reports_it(store: JobStore) -> None:
    enhanced = OfflineEnhancer().enhance(canonical().raw)

    assert not store.mark_enhanced("j-missing", enhanced, NOW)


def test_a_job_enhanced_offline_can_be_sent_back_for_ai(store: JobStore) -> None:
    job = canonical()
    store.save(job, NOW)
    store.mark_enhanced(job.job_id, OfflineEnhancer().enhance(job.raw), NOW)

    assert store.request_ai_enhancement(job.job_id, NOW)

    stored = store.get(job.job_id)
    assert stored is not None and stored.status == "RAW"


def test_jobs_of_a_day_are_those_ingested_that_day_newest_first(store: JobStore) -> None:
    yesterday_job = canonical(site_id="in-1", title="Accountant", posted="2025-08-01")
    first = canonical(site_id="in-2", title="Driver", posted="2025-08-14")
    second = canonical(site_id="in-3", title="Chef", posted="2025-07-01")
    store.save(yesterday_job, NOW - timedelta(days=1))
    store.save(first, NOW)
    store.save(second, NOW + timedelta(minutes=5))

    today = store.jobs_of_day(NOW.date())
    yesterday = store.jobs_of_day((NOW - timedelta(days=1)).date())

    assert [job.job_id for job in today] == [second.job_id, first.job_id]
    assert [job.job_id for job in yesterday] == [yesterday_job.job_id]


def test_only_jobs_enhanced_offline_can_be_listed_for_ai(store: JobStore) -> None:
    offline, raw = canonical(site_id="in-1"), canonical(site_id="in-2", title="Driver")
    for job in (offline, raw):
        store.save(job, NOW)
    store.mark_enhanced(offline.job_id, OfflineEnhancer().enhance(offline.raw), NOW)

    listed = store.jobs_of_day(NOW.date(), offline_only=True)

    assert [job.job_id for job in listed] == [offline.job_id]


def test_the_plan_cursor_survives_between_runs(store: JobStore) -> None:
    assert store.plan_cursor() is None

    store.save_plan_cursor("accountant|abuja", NOW)

    assert store.plan_cursor() == "accountant|abuja"


def test_a_stream_image_of_a_job_reads_back_as_the_job(store: JobStore) -> None:
    job = canonical()
    store.save(job, NOW)
    image = boto3.client("dynamodb").get_item(
        TableName="aremu", Key={"pk": {"S": job_key(job.job_id)}, "sk": {"S": "JOB"}}
    )["Item"]

    stored = job_from_stream_image(image)

    assert stored is not None and stored.job_id == job.job_id and stored.status == "RAW"
    assert job_from_stream_image({"kind": {"S": "message"}}) is None


def test_loading_a_csv_twice_stores_each_job_once(store: JobStore) -> None:
    text = (
        "id,site,job_url,title,company,location\n"
        'in-1,indeed,https://indeed.example/1,Accountant,Okoro,"Abuja, FC, NG"\n'
        'in-2,indeed,https://indeed.example/2,Driver,Okoro,"Abuja, FC, NG"\n'
    )

    first = ingest_csv(text, store, NOW)
    second = ingest_csv(text, store, NOW)

    assert (first.stored, second.stored, second.already_stored) == (2, 0, 2)
