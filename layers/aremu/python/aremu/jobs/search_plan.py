"""What to scrape this run: the distinct role × location pairs that candidates want.

A run makes at most `max_searches` searches (scraping is slow and sites rate-limit), so
the plan rotates: the cursor is the last pair searched, and the next run starts after it
in a stable order. Pairs added between runs slot into that order, so each pair is still
reached within ceil(pairs / max_searches) runs while the set is stable.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aremu.domain.vocabulary.places import resolve_place
from aremu.domain.vocabulary.roles import normalise_title

REMOTE = "remote"
_REMOTE_WORDS = re.compile(r"^(?:remote(?:ly)?|anywhere|online|work from home|wfh)$", re.I)

Site = Literal["indeed", "linkedin", "glassdoor", "zip_recruiter", "google", "bayt", "naukri"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SearchWant(_Frozen):
    """One thing a confirmed candidate wants, as they said it."""

    role: str
    location: str | None = None


class SearchSettings(_Frozen):
    sites: tuple[Site, ...] = ("indeed", "linkedin")
    country: str = "nigeria"  # python-jobspy's country_indeed
    hours_old: int | None = 72
    results_wanted: int = 30
    max_searches: int = Field(default=12, ge=1)


class Search(_Frozen):
    key: str
    search_term: str
    location: str
    is_remote: bool
    sites: tuple[Site, ...]
    country: str
    hours_old: int | None
    results_wanted: int


class SearchPlan(_Frozen):
    searches: list[Search]
    total_pairs: int
    next_cursor: str | None


def build_search_plan(
    wants: Iterable[SearchWant],
    settings: SearchSettings,
    cursor: str | None = None,
    role_term: Callable[[str], str | None] | None = None,
    place_term: Callable[[str], str | None] | None = None,
) -> SearchPlan:
    """This run's searches, starting after `cursor`, and the cursor for the next run."""
    to_role = role_term or canonical_role
    to_place = place_term or canonical_place
    pairs: dict[str, tuple[str, str]] = {}
    for want in wants:
        role = to_role(want.role)
        if not role:
            continue
        place = to_place(want.location or "") or settings.country.title()
        pairs.setdefault(f"{role.lower()}|{place.lower()}", (role, place))
    keys = sorted(pairs)
    if not keys:
        return SearchPlan(searches=[], total_pairs=0, next_cursor=cursor)
    start = bisect.bisect_right(keys, cursor) if cursor else 0
    count = min(settings.max_searches, len(keys))
    chosen = [keys[(start + offset) % len(keys)] for offset in range(count)]
    searches = [_search(key, *pairs[key], settings) for key in chosen]
    return SearchPlan(searches=searches, total_pairs=len(keys), next_cursor=chosen[-1])


def canonical_role(text: str) -> str | None:
    folded = " ".join(text.split())
    if not folded:
        return None
    role = normalise_title(folded)
    return role.title if role else folded.title()


def canonical_place(text: str) -> str | None:
    folded = " ".join(text.split())
    if not folded:
        return None
    if _REMOTE_WORDS.match(folded):
        return REMOTE.title()
    place = resolve_place(folded)
    if place is None:
        return folded.title()
    if place.city:
        return place.city
    # A state is searched by its name ("Rivers State"); a country by the run's country.
    return f"{place.state} State" if place.state else None


def _search(key: str, role: str, place: str, settings: SearchSettings) -> Search:
    remote = place.lower() == REMOTE
    # Indeed and LinkedIn take only one of hours_old / is_remote per search, so a remote
    # want is searched as words over the whole country and keeps the freshness filter.
    return Search(
        key=key,
        search_term=f"{role} remote" if remote else role,
        location=settings.country.title() if remote else place,
        is_remote=remote,
        sites=settings.sites,
        country=settings.country,
        hours_old=settings.hours_old,
        results_wanted=settings.results_wanted,
    )
