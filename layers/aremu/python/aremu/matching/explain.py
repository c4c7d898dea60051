"""The one line that says what a matched job is: "Sales Executive · Lagos · 3–5 yrs · ₦300k+/month".

Parts the job does not state are left out rather than guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aremu.domain.preferences import CURRENCY_SYMBOLS
from aremu.domain.vocabulary.places import COUNTRY_NAMES

if TYPE_CHECKING:
    from aremu.jobs.models import NormalisedSalary
    from aremu.matching.job_view import JobView

SEPARATOR = " · "


def reason_for(job: JobView) -> str:
    parts = [job.title, place_text(job), years_text(job.exp_min, job.exp_max)]
    if job.salary is not None:
        parts.append(pay_text(job.salary))
    return SEPARATOR.join(part for part in parts if part)


def place_text(job: JobView) -> str:
    if job.city:
        place = job.city
    elif job.state:
        place = "Abuja" if job.state == "FCT" else f"{job.state} State"
    elif job.country:
        place = COUNTRY_NAMES.get(job.country, job.country)
    else:
        place = ""
    if job.remote:
        return f"Remote ({place})" if place else "Remote"
    return place


def years_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None and high > low:
        return f"{low:g}–{high:g} yrs"
    if low is not None:
        return "no experience needed" if low == 0 else f"{low:g}+ yrs"
    if high is not None:
        return f"up to {high:g} yrs"
    return ""


def pay_text(salary: NormalisedSalary) -> str:
    symbol = CURRENCY_SYMBOLS.get(salary.currency, f"{salary.currency} ")
    low, high = salary.monthly_min, salary.monthly_max
    if low is not None and high is not None and high > low:
        return f"{symbol}{short_amount(low)}–{short_amount(high)}/month"
    if low is not None:
        return f"{symbol}{short_amount(low)}+/month"
    if high is not None:
        return f"up to {symbol}{short_amount(high)}/month"
    return ""


def short_amount(amount: float) -> str:
    """300000 -> "300k", 1250000 -> "1.25m", 950 -> "950"."""
    for size, suffix in ((1_000_000, "m"), (1_000, "k")):
        if amount >= size:
            return f"{round(amount / size, 2):g}{suffix}"
    return f"{round(amount):d}"
