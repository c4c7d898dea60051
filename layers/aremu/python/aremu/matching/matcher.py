"""Matching a job to the cached candidates: prefilter with the index, score, keep >= threshold."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import NamedTuple

from aremu.matching.index import ProfileIndex
from aremu.matching.job_view import JobView
from aremu.matching.profile import CandidateId, CandidateProfile
from aremu.matching.scoring import DEFAULT_THRESHOLD, MatchScore, scorer_for


class Match(NamedTuple):
    candidate_id: CandidateId
    job_id: str
    score: float
    reason: str
    parts: MatchScore


class Matcher:
    def __init__(self, index: ProfileIndex, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.index = index
        self.threshold = threshold

    def match(self, job: JobView) -> list[Match]:
        """Candidates whose score passes, best first (ties by candidate id)."""
        threshold = self.threshold
        job_id = job.job_id
        matches = []
        score = scorer_for(job)
        for profile in self.index.profiles_for(job):
            result = score(profile)
            if not result.blocked and result.total >= threshold:
                matches.append(
                    _new(Match, (profile.candidate_id, job_id, result.total, result.reason, result))
                )
        return _ranked(matches)

    def match_many(self, jobs: Iterable[JobView]) -> dict[str, list[Match]]:
        """Each job's matches, by job id, in the order the jobs came."""
        return {job.job_id: self.match(job) for job in jobs}


def brute_force_match(
    profiles: Iterable[CandidateProfile], job: JobView, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """The same formula over every active profile, no index: the baseline and the oracle."""
    matches = []
    score = scorer_for(job)
    for profile in profiles:
        if not profile.active:
            continue
        result = score(profile)
        if result.passes(threshold):
            matches.append(
                _new(Match, (profile.candidate_id, job.job_id, result.total, result.reason, result))
            )
    return _ranked(matches)


def _ranked(matches: list[Match]) -> list[Match]:
    """Best score first, ties by candidate id (two stable sorts beat one on tuple keys)."""
    matches.sort(key=_BY_CANDIDATE)
    matches.sort(key=_BY_SCORE, reverse=True)
    return matches


_BY_CANDIDATE = attrgetter("candidate_id")
# A NamedTuple's own constructor is a Python function; this skips it for the hot loop.
_new = tuple.__new__
_BY_SCORE = attrgetter("score")
