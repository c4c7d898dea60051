"""A JobSpy row (text cells, as in its CSV) → a typed RawJob, or a reason to skip it."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from datetime import date
from typing import cast
from urllib.parse import urlparse

from aremu.jobs.models import JobSource, RawJob, SalaryInterval, SalaryRange

ANNUAL_FACTOR: dict[str, int] = {
    "hourly": 2080,
    "daily": 260,
    "weekly": 52,
    "monthly": 12,
    "yearly": 1,
}
_INTERVALS = frozenset(ANNUAL_FACTOR)

_NAIRA_COUNTRIES = frozenset({"nigeria", "ng", "nga"})
# JobSpy (through Indeed Nigeria) labels Naira ranges as USD. No local job pays this many
# dollars a year, while a Naira salary is always above it (the 2024 minimum wage alone is
# ₦840,000 a year, interns get ₦30,000+ a month): so a "USD" range at or above it in
# Nigeria is Naira. Amounts below it stay dollars (remote contracts really pay $5-15/h).
NAIRA_LABELLED_AS_USD_THRESHOLD = 250_000.0

# Countries as ISO codes, the way JobSpy's Indeed locations and the places vocabulary say them.
_COUNTRY_CODES = {"ng": "NG", "nga": "NG", "nigeria": "NG"}
# Long enough for any real posting; keeps an item far below DynamoDB's 400 KB.
MAX_DESCRIPTION_CHARS = 30_000
MAX_TITLE_CHARS = 300
_REMOTE = re.compile(r"\bremote\b|\bwork from home\b|\bwfh\b", re.IGNORECASE)


class RowRejected(ValueError):
    """The row cannot be a posting; the message is the reason shown to whoever loaded it."""


def to_raw_job(row: Mapping[str, str], default_country: str | None = None) -> RawJob:
    title = _clean(row.get("title"))
    if not title:
        raise RowRejected("no title")
    if len(title) > MAX_TITLE_CHARS:
        raise RowRejected(f"title longer than {MAX_TITLE_CHARS} characters")
    job_url = _clean(row.get("job_url"))
    if not job_url:
        raise RowRejected("no job_url")
    if urlparse(job_url).scheme not in {"http", "https"} or not urlparse(job_url).netloc:
        raise RowRejected("job_url is not a web address")
    source = JobSource(
        site=(_clean(row.get("site")) or _site_from_url(job_url)).lower(),
        site_job_id=_clean(row.get("id")) or "url-" + _digest(job_url),
        job_url=job_url,
        job_url_direct=_clean(row.get("job_url_direct")),
    )
    location = _clean(row.get("location"))
    city, state, country = split_location(location)
    country = country or country_code(default_country)
    description = (row.get("description") or "").strip()[:MAX_DESCRIPTION_CHARS]
    return RawJob(
        source=source,
        title=title,
        company=_clean(row.get("company")),
        location=location,
        city=city,
        state=state,
        country=country,
        date_posted=_date(row.get("date_posted")),
        job_types=split_list(row.get("job_type")),
        salary=read_salary(row, country),
        is_remote=is_remote(row),
        job_level=_clean(row.get("job_level")),
        job_function=_clean(row.get("job_function")),
        listing_type=_clean(row.get("listing_type")),
        emails=split_list(row.get("emails")),
        description=description,
        company_industry=_clean(row.get("company_industry")),
        company_url=_clean(row.get("company_url")),
        company_logo=_clean(row.get("company_logo")),
        company_url_direct=_clean(row.get("company_url_direct")),
        company_addresses=_clean(row.get("company_addresses")),
        company_num_employees=_clean(row.get("company_num_employees")),
        company_revenue=_clean(row.get("company_revenue")),
        company_description=_clean(row.get("company_description")),
        skills=split_list(row.get("skills")),
        experience_range=_clean(row.get("experience_range")),
        company_rating=_number(row.get("company_rating")),
        company_reviews_count=_integer(row.get("company_reviews_count")),
        vacancy_count=_integer(row.get("vacancy_count")),
        work_from_home_type=_clean(row.get("work_from_home_type")),
    )


def split_list(value: str | None) -> list[str]:
    """JobSpy joins lists with ", "; split them back, dropping blanks and repeats."""
    items = (part.strip() for part in (value or "").split(","))
    return list(dict.fromkeys(item for item in items if item and item.lower() != "nan"))


def split_location(location: str | None) -> tuple[str | None, str | None, str | None]:
    """JobSpy shows a location as "city, state, country", leaving out the parts it lacks."""
    parts = [
        part.strip()
        for part in (location or "").split(",")
        if part.strip() and not _REMOTE.fullmatch(part.strip())
    ]
    if not parts:
        return None, None, None
    country = country_code(parts[-1])
    if len(parts) == 1:
        if parts[0].lower() in _COUNTRY_CODES or len(parts[0]) == 2:
            return None, None, country
        return parts[0], None, None
    if len(parts) == 2:
        return None, parts[0], country
    return ", ".join(parts[:-2]), parts[-2], country


def read_salary(row: Mapping[str, str], country: str | None) -> SalaryRange | None:
    low, high = _number(row.get("min_amount")), _number(row.get("max_amount"))
    low = low if low and low > 0 else None
    high = high if high and high > 0 else None
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    interval_text = (_clean(row.get("interval")) or "").lower()
    interval = cast(SalaryInterval, interval_text) if interval_text in _INTERVALS else None
    labelled = (_clean(row.get("currency")) or "").upper() or None
    currency = detect_currency(labelled, high or low or 0.0, interval, country)
    return SalaryRange(
        min_amount=low,
        max_amount=high,
        currency=currency,
        interval=interval,
        labelled_currency=labelled if labelled != currency else None,
    )


def detect_currency(
    labelled: str | None, amount: float, interval: str | None, country: str | None
) -> str | None:
    """The currency a pay range is really in, from its label, size and the job's country."""
    if (country or "").strip().lower() not in _NAIRA_COUNTRIES:
        return labelled
    if labelled not in {None, "USD"}:
        return labelled
    yearly = amount * ANNUAL_FACTOR.get(interval or "yearly", 1)
    if labelled is None or yearly >= NAIRA_LABELLED_AS_USD_THRESHOLD:
        return "NGN"
    return labelled


def is_remote(row: Mapping[str, str]) -> bool:
    if (_clean(row.get("is_remote")) or "").lower() in {"true", "1", "yes"}:
        return True
    if _clean(row.get("work_from_home_type")):
        return True
    return any(_REMOTE.search(row.get(name) or "") for name in ("title", "location"))


def country_code(country: str | None) -> str | None:
    if not country:
        return None
    return _COUNTRY_CODES.get(country.strip().lower(), country.strip())


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text if text and text.lower() not in {"nan", "none", "null"} else None


def _number(value: str | None) -> float | None:
    try:
        number = float((value or "").replace(",", "").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _integer(value: str | None) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _date(value: str | None) -> date | None:
    text = (value or "").strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _site_from_url(url: str) -> str:
    labels = (urlparse(url).hostname or "unknown").split(".")
    return labels[-2] if len(labels) >= 2 else labels[0]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
