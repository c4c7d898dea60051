"""The ingest use case: every row stored, a duplicate, or skipped with its reason."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from importlib import resources

import pytest

from aremu.jobs.csv_source import JOBSPY_COLUMNS, NotAJobSpyCsv
from aremu.jobs.ingest import ingest_csv, run_scheduled_ingest
from aremu.jobs.jobspy_source import FetchResult, SiteError
from aremu.jobs.search_plan import Search, SearchSettings, SearchWant
from tests.support.jobs import MemoryRepository

NOW = datetime(2025, 8, 14, 9, 0, tzinfo=UTC)


def csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(JOBSPY_COLUMNS), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def posting(site_id: str, title: str = "Accountant", site: str = "indeed") -> dict[str, str]:
    return {
        "id": site_id,
        "site": site,
        "job_url": f"https://{site}.example/{site_id}",
        "title": title,
        "company": "Kola Foods",
        "location": "Lagos, LA, NG",
        "description": "Keep our books.",
    }


def test_a_csv_is_read_deduplicated_and_stored_with_a_summary() -> None:
    rows = [
        posting("1"),
        posting("1"),  # the same site id again
        posting("9", site="linkedin"),  # the same listing on another site
        posting("2", title="Sales Executive"),
        posting("3", title=""),  # not a posting
    ]
    repository = MemoryRepository()

    summary = ingest_csv(csv_text(rows), repository, NOW)

    assert summary.read == 5
    assert summary.skipped == 1
    assert summary.skipped_rows[0].row == 5
    assert summary.skipped_rows[0].reason == "no title"
    assert summary.duplicates_in_batch == 2
    assert summary.stored == 2
    assert summary.read == summary.skipped + summary.duplicates + summary.stored


def test_loading_the_same_file_again_stores_nothing_new() -> None:
    repository = MemoryRepository()
    text = csv_text([posting("1"), posting("2", title="Driver")])
    ingest_csv(text, repository, NOW)

    again = ingest_csv(text, repository, NOW)

    assert again.stored == 0
    assert again.already_stored == 2
    assert again.model_dump()["duplicates"] == 2


def test_garbage_lines_are_skipped_and_counted_while_the_rest_loads() -> None:
    text = (
        csv_text([posting("1")]) + "a,b,c\n" + csv_text([posting("2", "Driver")]).split("\n", 1)[1]
    )

    summary = ingest_csv(text, MemoryRepository(), NOW)

    assert (summary.read, summary.skipped, summary.stored) == (3, 1, 2)


def test_a_file_that_is_not_a_jobspy_csv_raises_a_clear_error() -> None:
    with pytest.raises(NotAJobSpyCsv):
        ingest_csv("hello, world\n1,2\n", MemoryRepository(), NOW)


def test_the_packaged_demo_sample_loads_completely() -> None:
    text = (resources.files("aremu") / "data" / "sample_jobs.csv").read_text(encoding="utf-8")

    summary = ingest_csv(text, MemoryRepository(), NOW)

    assert summary.read >= 60
    assert summary.skipped == 0
    assert summary.missing_columns == []
    assert summary.duplicates_in_batch >= 1
    assert summary.stored + summary.duplicates_in_batch == summary.read


class FakeSource:
    def __init__(self, result: FetchResult) -> None:
        self.result = result
        self.searches: list[Search] = []

    def fetch(self, searches: list[Search]) -> FetchResult:
        self.searches = searches
        return self.result


def test_a_scheduled_run_records_site_errors_and_moves_the_cursor() -> None:
    repository = MemoryRepository()
    source = FakeSource(
        FetchResult(
            rows=[posting("1")],
            errors=[SiteError(site="linkedin", search="accountant|lagos", error="blocked")],
            searches=1,
        )
    )
    wants = [SearchWant(role="Accountant", location="Lagos")]

    summary = run_scheduled_ingest(wants, repository, source, SearchSettings(), NOW)

    assert summary.stored == 1
    assert summary.searches == 1
    assert [(e.site, e.error) for e in summary.site_errors] == [("linkedin", "blocked")]
    assert repository.cursor == source.searches[-1].key


def test_a_scheduled_run_where_every_site_fails_still_completes() -> None:
    source = FakeSource(
        FetchResult(errors=[SiteError(site="indeed", search="x", error="403")], searches=1)
    )

    summary = run_scheduled_ingest(
        [SearchWant(role="Chef")], MemoryRepository(), source, SearchSettings(), NOW
    )

    assert summary.stored == 0
    assert len(summary.site_errors) == 1
