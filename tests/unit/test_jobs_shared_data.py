"""The 611 real Indeed Nigeria postings in ../shared/data, when present (CI has them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aremu.jobs.csv_source import read_jobspy_csv
from aremu.jobs.dedup import deduplicate
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "indeed_ng_jobs.csv"

pytestmark = pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not here")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    read = read_jobspy_csv(DATA.read_text(encoding="utf-8"))
    assert read.skipped == []
    return [row for _, row in read.rows]


def test_every_row_reads_and_thirteen_are_duplicates(rows: list[dict[str, str]]) -> None:
    result = deduplicate([to_raw_job(row, "NG") for row in rows])

    assert len(rows) == 611
    # 12 exact repeats, one differing only in the company's case and suffix; and two
    # "Marketing Lead, Lagos" postings without a company are different jobs.
    assert result.duplicates == 13
    assert len(result.jobs) == 598


def test_naira_ranges_labelled_usd_are_read_as_naira(rows: list[dict[str, str]]) -> None:
    salaries = [job.salary for job in (to_raw_job(row, "NG") for row in rows) if job.salary]

    assert len(salaries) == 122
    assert sum(1 for s in salaries if s.currency == "NGN" and s.labelled_currency == "USD") == 121


@pytest.mark.slow
def test_the_offline_enhancer_fills_function_and_three_skills_for_nine_in_ten(
    rows: list[dict[str, str]],
) -> None:
    enhancer = OfflineEnhancer()
    fields = [enhancer.fields(to_raw_job(row, "NG")) for row in rows]

    covered = sum(1 for f in fields if f.job_function and len(f.skills) >= 3)
    assert covered / len(fields) >= 0.90
