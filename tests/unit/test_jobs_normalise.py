"""A JobSpy row becomes a typed raw job: lists, salary currency, remote flag, date, rejections."""

from __future__ import annotations

from datetime import date

import pytest

from aremu.jobs.normalise import RowRejected, to_raw_job


def row(**values: str) -> dict[str, str]:
    base = {
        "id": "in-abc",
        "site": "indeed",
        "job_url": "https://ng.indeed.com/viewjob?jk=abc",
        "title": "Sales Executive",
        "company": "Kola Foods",
        "location": "Lagos, LA, NG",
        "date_posted": "2025-08-13",
        "is_remote": "False",
    }
    base.update(values)
    return base


def test_comma_joined_lists_are_split() -> None:
    job = to_raw_job(row(job_type="parttime, fulltime", emails="a@x.ng, b@x.ng, a@x.ng"))

    assert job.job_types == ["parttime", "fulltime"]
    assert job.emails == ["a@x.ng", "b@x.ng"]


def test_a_naira_range_labelled_usd_in_nigeria_is_read_as_naira() -> None:
    job = to_raw_job(
        row(interval="yearly", min_amount="3706608.0", max_amount="4693392.0", currency="USD")
    )

    assert job.salary is not None
    assert job.salary.currency == "NGN"
    assert job.salary.labelled_currency == "USD"
    assert (job.salary.min_amount, job.salary.max_amount) == (3706608.0, 4693392.0)


def test_a_monthly_naira_range_labelled_usd_is_read_as_naira() -> None:
    job = to_raw_job(
        row(interval="monthly", min_amount="80000", max_amount="120000", currency="USD")
    )

    assert job.salary is not None and job.salary.currency == "NGN"


def test_a_plausible_dollar_range_in_nigeria_stays_dollars() -> None:
    job = to_raw_job(
        row(
            location="NG",
            interval="yearly",
            min_amount="17650",
            max_amount="22349",
            currency="USD",
        )
    )

    assert job.salary is not None
    assert job.salary.currency == "USD"
    assert job.salary.labelled_currency is None


def test_outside_nigeria_the_label_is_trusted() -> None:
    job = to_raw_job(
        row(location="London, ENG, GB", interval="yearly", min_amount="900000", currency="USD")
    )

    assert job.salary is not None and job.salary.currency == "USD"


def test_the_run_country_decides_when_the_location_does_not_say() -> None:
    job = to_raw_job(
        row(location="", interval="yearly", min_amount="900000", currency="USD"),
        default_country="nigeria",
    )

    assert job.country == "NG"
    assert job.salary is not None and job.salary.currency == "NGN"


def test_no_amounts_means_no_salary() -> None:
    assert to_raw_job(row(interval="yearly", currency="USD")).salary is None


@pytest.mark.parametrize(
    "values",
    [
        {"is_remote": "True"},
        {"title": "Remote Content Writer"},
        {"location": "Remote"},
        {"work_from_home_type": "Fully remote"},
    ],
)
def test_remote_is_read_from_the_flag_the_title_or_the_location(values: dict[str, str]) -> None:
    assert to_raw_job(row(**values)).is_remote


def test_an_office_job_is_not_remote() -> None:
    assert not to_raw_job(row()).is_remote


def test_location_parts_and_posting_date_are_read() -> None:
    job = to_raw_job(row())

    assert (job.city, job.state, job.country) == ("Lagos", "LA", "NG")
    assert job.date_posted == date(2025, 8, 13)


def test_an_unreadable_date_is_left_empty() -> None:
    assert to_raw_job(row(date_posted="yesterday")).date_posted is None


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"title": "  "}, "no title"),
        ({"job_url": ""}, "no job_url"),
        ({"job_url": "not a url"}, "not a web address"),
        ({"title": "x" * 301}, "longer than 300"),
    ],
)
def test_a_row_that_cannot_be_a_posting_is_rejected_with_its_reason(
    values: dict[str, str], reason: str
) -> None:
    with pytest.raises(RowRejected, match=reason):
        to_raw_job(row(**values))


def test_a_row_without_site_or_id_gets_them_from_its_url() -> None:
    first = to_raw_job(row(id="", site=""))
    again = to_raw_job(row(id="", site=""))

    assert first.source.site == "indeed"
    assert first.source.site_job_id.startswith("url-")
    assert first.source.key == again.source.key


def test_nan_cells_from_pandas_read_as_empty() -> None:
    job = to_raw_job(row(company="nan", min_amount="nan"))

    assert job.company is None
    assert job.salary is None
