"""When two postings are one job.

The same site id is always the same job. Across sites (and Indeed's reposts under new ids)
the same normalised title, company and location is one canonical job that lists every
source. The key is textual, not the role vocabulary's: "Senior Accountant" and
"Accountant" at one firm are two openings, and must not merge.

A posting without a company cannot be told apart from another firm's same-titled job in
the same city ("Marketing Lead, Lagos"), so its key also carries a fingerprint of the
description: identical reposts still merge, different jobs do not.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from aremu.domain.vocabulary.places import resolve_place
from aremu.jobs.models import CanonicalJob, JobSource, RawJob

_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMPANY_SUFFIXES = re.compile(
    r"\b(?:nigeria|nig|ng|limited|ltd|plc|inc|llc|llp|company|co|group|enterprises?|"
    r"international|intl|services|ventures)\b"
)
_TITLE_NOISE = re.compile(
    r"\((?:urgent|immediate start|hiring|re-?advertised|new)\)|\b(?:urgent(?:ly)?|hiring|"
    r"needed|wanted|vacancy|job opening)\b",
    re.IGNORECASE,
)


def _fold(text: str | None) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(_NON_WORD.sub(" ", ascii_text.lower().replace("&", " and ")).split())


def normalise_title(title: str, company: str | None) -> str:
    text = _TITLE_NOISE.sub(" ", title)
    if company:
        # "Video Editor at Clout Africa" posted by Clout Africa is just "Video Editor".
        text = re.sub(rf"\s+(?:at|@|-)\s+{re.escape(company)}\s*$", "", text, flags=re.I)
    return _fold(text)


def normalise_company(company: str | None) -> str:
    folded = _fold(company)
    stripped = " ".join(_COMPANY_SUFFIXES.sub(" ", folded).split())
    return stripped or folded


def normalise_location(job: RawJob) -> str:
    """One spelling per place: Indeed's "Ikeja, LA, NG" and LinkedIn's "Ikeja, Lagos State,
    Nigeria" both read as Ikeja|Lagos|NG through the places vocabulary."""
    place = resolve_place(job.location) if job.location else None
    if place is not None:
        return "|".join(_fold(part) for part in (place.city, place.state, place.country))
    if job.is_remote and not job.city:
        return "remote"
    return "|".join(_fold(part) for part in (job.city, job.state, job.country))


def canonical_key(job: RawJob) -> str:
    company = normalise_company(job.company)
    if not company:
        company = "?" + hashlib.sha256(_fold(job.description).encode()).hexdigest()[:12]
    return "|".join((normalise_title(job.title, job.company), company, normalise_location(job)))


def canonical_id(key: str) -> str:
    return "j" + hashlib.sha256(key.encode()).hexdigest()[:24]


@dataclass
class DedupResult:
    jobs: list[CanonicalJob] = field(default_factory=list)
    same_site_id: int = 0  # rows repeating a site id already seen in this batch
    same_listing: int = 0  # rows merged into another source's job by title+company+place

    @property
    def duplicates(self) -> int:
        return self.same_site_id + self.same_listing


def deduplicate(jobs: list[RawJob]) -> DedupResult:
    """Group a batch into canonical jobs, in first-seen order, each listing all its sources."""
    result = DedupResult()
    by_key: dict[str, tuple[RawJob, list[JobSource]]] = {}
    seen_sources: set[str] = set()
    for job in jobs:
        if job.source.key in seen_sources:
            result.same_site_id += 1
            continue
        seen_sources.add(job.source.key)
        key = canonical_key(job)
        if key in by_key:
            result.same_listing += 1
            by_key[key][1].append(job.source)
            continue
        by_key[key] = (job, [job.source])
    result.jobs = [
        CanonicalJob(job_id=canonical_id(key), canonical_key=key, raw=job, sources=sources)
        for key, (job, sources) in by_key.items()
    ]
    return result
