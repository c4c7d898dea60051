"""The python-jobspy adapter: one call per site, failures recorded, rows as CSV-like text."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

import pandas as pd

from aremu.jobs.csv_source import JOBSPY_COLUMNS
from aremu.jobs.jobspy_source import JobSpySource
from aremu.jobs.search_plan import SearchSettings, SearchWant, build_search_plan

SEARCHES = build_search_plan(
    [SearchWant(role="Accountant", location="Lagos")], SearchSettings(sites=("indeed", "linkedin"))
).searches


def frame(*titles: str, errors: dict[str, str] | None = None) -> pd.DataFrame:
    rows = [
        {
            "id": f"in-{index}",
            "site": "indeed",
            "job_url": f"https://ng.indeed.com/viewjob?jk={index}",
            "title": title,
            "date_posted": date(2025, 8, 13),
            "min_amount": float("nan"),
            "is_remote": False,
        }
        for index, title in enumerate(titles)
    ]
    df = pd.DataFrame(rows, columns=list(JOBSPY_COLUMNS))
    df.attrs = {"errors": errors or {}}
    return df


class FakeScrape:
    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        answer = self.answers[kwargs["site_name"][0]]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_each_site_is_scraped_in_its_own_call_with_the_search_terms() -> None:
    scrape = FakeScrape({"indeed": frame("Accountant"), "linkedin": frame()})

    JobSpySource(scrape).fetch(SEARCHES)

    assert [call["site_name"] for call in scrape.calls] == [["indeed"], ["linkedin"]]
    assert scrape.calls[0]["search_term"] == "Accountant"
    assert scrape.calls[0]["location"] == "Lagos"
    assert scrape.calls[0]["country_indeed"] == "nigeria"


def test_rows_come_back_as_the_text_cells_a_jobspy_csv_holds() -> None:
    scrape = FakeScrape({"indeed": frame("Accountant"), "linkedin": frame()})

    result = JobSpySource(scrape).fetch(SEARCHES)

    assert len(result.rows) == 1
    row = result.rows[0]
    assert set(row) == set(JOBSPY_COLUMNS)
    assert (row["title"], row["date_posted"], row["min_amount"], row["is_remote"]) == (
        "Accountant",
        "2025-08-13",
        "",
        "False",
    )


def test_a_site_error_in_the_frame_attrs_is_recorded_and_others_still_count() -> None:
    scrape = FakeScrape(
        {"indeed": frame("Accountant"), "linkedin": frame(errors={"linkedin": "429 Too Many"})}
    )

    result = JobSpySource(scrape).fetch(SEARCHES)

    assert len(result.rows) == 1
    assert [(e.site, e.error) for e in result.errors] == [("linkedin", "429 Too Many")]


def test_a_site_that_raises_is_recorded_without_ending_the_run() -> None:
    scrape = FakeScrape({"indeed": RuntimeError("boom"), "linkedin": frame("Accountant")})

    result = JobSpySource(scrape).fetch(SEARCHES)

    assert len(result.rows) == 1
    assert result.errors[0].site == "indeed"
    assert "RuntimeError: boom" in result.errors[0].error


def test_a_scraper_that_returns_nothing_is_recorded() -> None:
    scrape = FakeScrape({"indeed": None, "linkedin": frame()})

    result = JobSpySource(scrape).fetch(SEARCHES)

    assert result.rows == []
    assert [e.site for e in result.errors] == ["indeed"]


def test_jobspy_and_pandas_are_not_imported_until_a_scrape_runs() -> None:
    code = (
        "import sys, aremu.jobs.ingest, aremu.jobs.jobspy_source; "
        "print('jobspy' in sys.modules, 'pandas' in sys.modules)"
    )

    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.strip() == "False False"
