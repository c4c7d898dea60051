"""The python-jobspy adapter: one call per site, so one blocked site never costs the others.

python-jobspy (with pandas and numpy) is imported only when a scrape really runs: it
takes most of a second to import and no other path needs it. A blocked site does not
raise; it leaves its reason in `df.attrs["errors"]`. A site that does raise is caught
too. Either way the failure is returned, counted, and the run goes on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from aremu.jobs.csv_source import JOBSPY_COLUMNS, Row
from aremu.jobs.search_plan import Search
from aremu.observability import logger

ScrapeFunction = Callable[..., Any]


@dataclass(frozen=True)
class SiteError:
    site: str
    search: str
    error: str


@dataclass
class FetchResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[SiteError] = field(default_factory=list)
    searches: int = 0


def _default_scrape() -> ScrapeFunction:
    from jobspy import scrape_jobs

    return scrape_jobs  # type: ignore[no-any-return]


class JobSpySource:
    def __init__(
        self,
        scrape: ScrapeFunction | None = None,
        description_format: str = "markdown",
        fetch_description: bool = True,
    ) -> None:
        self._scrape = scrape
        self._description_format = description_format
        self._fetch_description = fetch_description

    def fetch(self, searches: list[Search]) -> FetchResult:
        result = FetchResult()
        for search in searches:
            result.searches += 1
            for site in search.sites:
                rows, error = self._fetch_site(search, site)
                result.rows.extend(rows)
                if error:
                    result.errors.append(SiteError(site=site, search=search.key, error=error))
                    logger.warning(
                        "job site failed",
                        extra={"site": site, "search": search.key, "error": error},
                    )
        return result

    def _fetch_site(self, search: Search, site: str) -> tuple[list[Row], str | None]:
        try:
            scrape = self._scrape or _default_scrape()
            frame = scrape(
                site_name=[site],
                search_term=search.search_term,
                location=search.location,
                results_wanted=search.results_wanted,
                country_indeed=search.country,
                hours_old=search.hours_old,
                description_format=self._description_format,
                fetch_description=self._fetch_description,
                verbose=0,
            )
        except Exception as error:  # a scraper bug must not end the run
            return [], f"{type(error).__name__}: {error}"[:500]
        if frame is None:
            return [], "the scraper returned nothing"
        errors: Mapping[str, Any] = (getattr(frame, "attrs", None) or {}).get("errors") or {}
        reason = "; ".join(str(message) for message in errors.values()) or None
        records: list[dict[str, Any]] = frame.to_dict(orient="records") if len(frame) else []
        return [as_row(record) for record in records], reason


def as_row(record: Mapping[str, Any]) -> Row:
    """A DataFrame record as the text cells JobSpy's CSV would hold, so one path reads both."""
    return {name: _cell(record.get(name)) for name in JOBSPY_COLUMNS}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    text = str(value)
    return "" if text in {"nan", "NaT", "None", "<NA>"} else text
