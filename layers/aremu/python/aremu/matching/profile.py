"""A candidate's preferences reduced to what scoring reads, small enough to cache 100,000.

Slots, tuples and interned strings: one profile is a few hundred bytes, and the strings
it holds (titles, skills, cities) are shared with every other profile that names them.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

from aremu.domain.preferences import Arrangement, Preferences
from aremu.domain.vocabulary.places import metro_of
from aremu.domain.vocabulary.subjects import TEACHING_TITLES, subjects_taught
from aremu.jobs.skills import skill_matcher
from aremu.matching.job_view import DEFAULT_FX_TO_NGN, GENERIC_SKILLS, to_ngn
from aremu.matching.titles import (
    DEFINING_SKILLS,
    NO_LEVEL,
    adjacent_keys,
    family_of,
    level_from_years,
    same_keys,
    skill_key,
    stated_level,
    title_key,
)

CandidateId = str
NIGERIA = "NG"


class CandidateProfile:
    """One candidate as the matcher sees them. Build with `profile_from_preferences`."""

    __slots__ = (
        "active", "adjacent", "anywhere_ng", "candidate_id", "countries", "families", "keys",
        "metros", "min_pay_ngn", "no_location", "relocate", "remote_ok", "remote_only",
        "skill_keys", "skills", "specific", "stated_level", "states", "subjects", "titles",
        "updated_at", "whole_states", "years", "years_level",
    )  # fmt: skip

    def __init__(
        self,
        *,
        candidate_id: CandidateId,
        updated_at: float = 0.0,
        active: bool = True,
        titles: tuple[str, ...] = (),
        families: tuple[str, ...] = (),
        keys: tuple[str, ...] = (),
        adjacent: tuple[str, ...] = (),
        stated_level: int = NO_LEVEL,
        years: float | None = None,
        skills: tuple[str, ...] = (),
        metros: tuple[str, ...] = (),
        states: tuple[str, ...] = (),
        whole_states: tuple[str, ...] = (),
        countries: tuple[str, ...] = (),
        anywhere_ng: bool = False,
        remote_ok: bool = False,
        remote_only: bool = False,
        relocate: bool = False,
        min_pay_ngn: float | None = None,
        subjects: tuple[str, ...] = (),
    ) -> None:
        self.candidate_id = candidate_id
        self.updated_at = updated_at
        self.active = active
        self.titles = titles
        self.families = families
        self.keys = keys
        self.adjacent = adjacent
        self.stated_level = stated_level
        self.years = years
        self.years_level = level_from_years(years)
        self.skills = skills
        self.specific = tuple(skill for skill in skills if skill not in GENERIC_SKILLS)
        # The specialisms the candidate's skills open (see `titles.SPECIALISM_SKILLS`).
        self.skill_keys = tuple(skill_key(skill) for skill in skills if skill in DEFINING_SKILLS)
        self.metros = metros
        self.states = states
        self.whole_states = whole_states
        self.countries = countries
        self.anywhere_ng = anywhere_ng
        self.remote_ok = remote_ok or remote_only
        self.remote_only = remote_only
        self.relocate = relocate
        # Nothing said about place at all: location is unknown, so it scores neutral.
        self.no_location = not (metros or states or countries or anywhere_ng or self.remote_ok)
        self.min_pay_ngn = min_pay_ngn
        # The school subjects a teacher teaches, from their skills; none for anyone else.
        self.subjects = subjects

    def __repr__(self) -> str:
        return f"CandidateProfile({self.candidate_id!r}, titles={self.titles!r})"


def profile_from_preferences(
    candidate_id: CandidateId,
    preferences: Preferences,
    updated_at: datetime | float = 0.0,
    *,
    paused: bool = False,
    eligible: bool = True,
    fx: Mapping[str, float] = DEFAULT_FX_TO_NGN,
) -> CandidateProfile:
    """The profile of a candidate's stored preferences; a paused or ineligible one is inactive."""
    titles: list[str] = []
    families: list[str] = []
    keys: list[str] = []
    adjacent: list[str] = []
    level = NO_LEVEL
    for role in preferences.roles:
        family = family_of(role.title, role.family)
        titles.append(_intern(title_key(role.title)))
        if family is not None:
            families.append(_intern(family))
        keys.extend(_intern(key) for key in same_keys(role.title))
        adjacent.extend(_intern(key) for key in adjacent_keys(role.title))
        level = max(level, stated_level(role.title))
    metros: list[str] = []
    states: list[str] = []
    whole_states: list[str] = []
    countries: list[str] = []
    anywhere = preferences.anywhere_in_nigeria
    for place in preferences.locations:
        countries.append(_intern(place.country))
        if place.city is None and place.state is None:
            anywhere = anywhere or place.country == NIGERIA
            continue
        if place.city is not None:
            metros.append(_intern(metro_of(place) or place.city))
        if place.state is not None:
            states.append(_intern(place.state))
            # "Lagos" said of the whole state, or the state itself: any job in it is home.
            if place.city is None or place.city == place.state:
                whole_states.append(_intern(place.state))
    if anywhere:
        countries.append(NIGERIA)
    pay = preferences.min_pay
    min_pay = to_ngn(float(pay.monthly().amount), pay.currency, fx) if pay is not None else None
    remote_ok = preferences.open_to_remote or preferences.arrangement in (
        Arrangement.REMOTE,
        Arrangement.ANY,
    )
    return CandidateProfile(
        candidate_id=candidate_id,
        updated_at=updated_at.timestamp() if isinstance(updated_at, datetime) else updated_at,
        active=eligible and not paused,
        titles=_unique(titles),
        families=_unique(families),
        keys=_unique(keys),
        adjacent=_unique(adjacent),
        stated_level=level,
        years=preferences.years_experience,
        skills=_unique([_canonical_skill(skill) for skill in preferences.skills]),
        metros=_unique(metros),
        states=_unique(states),
        whole_states=_unique(whole_states),
        countries=_unique(countries),
        anywhere_ng=anywhere,
        remote_ok=remote_ok,
        remote_only=preferences.arrangement is Arrangement.REMOTE,
        relocate=preferences.willing_to_relocate,
        min_pay_ngn=min_pay,
        # Read from the skills: a stated "Maths Teacher" is kept as the role "Teacher".
        subjects=_unique(sorted(subjects_taught(preferences.skills)))
        if any(role.title in TEACHING_TITLES for role in preferences.roles)
        else (),
    )


@lru_cache(maxsize=4096)
def _canonical_skill(name: str) -> str:
    """The vocabulary's name for a skill ("ms excel" -> "Microsoft Excel"), else as typed."""
    return _intern(skill_matcher().skill_for(name) or " ".join(name.split()))


def _intern(text: str) -> str:
    return sys.intern(text)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
