"""Typed jobs: a posting as scraped (RawJob), the canonical job that groups its sources, and
what enhancement adds (EnhancedFields) with how it was obtained (Enhancement)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SalaryInterval = Literal["yearly", "monthly", "weekly", "daily", "hourly"]
JobStatus = Literal["RAW", "ENHANCED"]
WorkArrangement = Literal["onsite", "remote", "hybrid"]
EmploymentType = Literal[
    "full_time", "part_time", "contract", "temporary", "internship", "volunteer", "freelance"
]
# The roles vocabulary's SENIORITY_LEVELS, so the matcher compares like with like.
Level = Literal["intern", "entry", "junior", "mid", "senior", "lead", "manager", "director"]
EnhancementSource = Literal["offline", "ai"]
SaveOutcome = Literal["stored", "merged", "duplicate"]

SUMMARY_MAX_CHARS = 600


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SalaryRange(_Frozen):
    """Pay as the posting states it, in the currency we believe (not always the label's)."""

    min_amount: float | None = None
    max_amount: float | None = None
    currency: str | None = None
    interval: SalaryInterval | None = None
    # The site said another currency (JobSpy labels Naira ranges as USD); kept for audit.
    labelled_currency: str | None = None


class JobSource(_Frozen):
    site: str
    site_job_id: str
    job_url: str
    job_url_direct: str | None = None

    @property
    def key(self) -> str:
        return f"{self.site}#{self.site_job_id}"


class RawJob(_Frozen):
    """One JobSpy row, typed: lists split, salary currency checked, remote flag and date read."""

    source: JobSource
    title: str
    company: str | None = None
    location: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    date_posted: date | None = None
    job_types: list[str] = Field(default_factory=list)
    salary: SalaryRange | None = None
    is_remote: bool = False
    job_level: str | None = None
    job_function: str | None = None
    listing_type: str | None = None
    emails: list[str] = Field(default_factory=list)
    description: str = ""
    company_industry: str | None = None
    company_url: str | None = None
    company_logo: str | None = None
    company_url_direct: str | None = None
    company_addresses: str | None = None
    company_num_employees: str | None = None
    company_revenue: str | None = None
    company_description: str | None = None
    skills: list[str] = Field(default_factory=list)
    experience_range: str | None = None
    company_rating: float | None = None
    company_reviews_count: int | None = None
    vacancy_count: int | None = None
    work_from_home_type: str | None = None


class CanonicalJob(_Frozen):
    """A job as stored: one posting, possibly seen on several sites."""

    job_id: str
    canonical_key: str
    raw: RawJob
    sources: list[JobSource]


class ExperienceRange(_Frozen):
    min_years: float | None = None
    max_years: float | None = None


class JobLocation(_Frozen):
    city: str | None = None
    state: str | None = None
    country: str | None = None
    remote: bool = False


class NormalisedSalary(_Frozen):
    currency: str
    monthly_min: float | None = None
    monthly_max: float | None = None
    yearly_min: float | None = None
    yearly_max: float | None = None


class HowToApply(_Frozen):
    url: str | None = None
    email: str | None = None
    whatsapp: str | None = None


class EnhancedFields(_Frozen):
    normalised_title: str
    title_variants: list[str] = Field(default_factory=list)
    required_skills: list[str] = Field(default_factory=list)
    preferred_skills: list[str] = Field(default_factory=list)
    industry: str | None = None
    job_function: str | None = None
    level: Level | None = None
    experience: ExperienceRange = ExperienceRange()
    work_arrangement: WorkArrangement | None = None
    location: JobLocation = JobLocation()
    salary: NormalisedSalary | None = None
    employment_type: EmploymentType | None = None
    how_to_apply: HowToApply = HowToApply()
    summary: str = Field(default="", max_length=SUMMARY_MAX_CHARS)

    @property
    def skills(self) -> list[str]:
        return [*self.required_skills, *self.preferred_skills]


class Enhancement(_Frozen):
    """How the fields were obtained; an offline result can be enhanced again by AI later."""

    source: EnhancementSource
    model: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    estimated_cost_usd: float = 0.0
    # Why an AI run fell back to the offline enhancer ("rate_limited", "refusal", ...).
    fallback_reason: str | None = None
    enhanced_at: datetime | None = None


class EnhancedJob(_Frozen):
    fields: EnhancedFields
    enhancement: Enhancement


class StoredJob(_Frozen):
    """A job as the table holds it: RAW until enhanced, then with its fields."""

    job_id: str
    status: JobStatus
    raw: RawJob
    sources: list[JobSource]
    enhanced: EnhancedJob | None = None
    ingested_at: datetime
    updated_at: datetime


class EnhanceRun(BaseModel):
    """One enhancement run: a result per job, in input order, and what it cost."""

    results: list[EnhancedJob]
    ai: int = 0
    offline: int = 0
    fallbacks: dict[str, int] = Field(default_factory=dict)
    input_tokens: int = 0
    output_tokens: int = 0
    estimated_cost_usd: float = 0.0
    budget_exhausted: bool = False
