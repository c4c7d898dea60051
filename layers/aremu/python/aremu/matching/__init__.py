"""Matching enhanced jobs to candidates: compact profiles, an inverted index, the score."""

from aremu.matching.index import ProfileIndex
from aremu.matching.job_view import DEFAULT_FX_TO_NGN, JobView, job_view, job_view_from_stored
from aremu.matching.matcher import Match, Matcher, brute_force_match
from aremu.matching.profile import CandidateProfile, profile_from_preferences
from aremu.matching.scoring import DEFAULT_THRESHOLD, MatchScore, score, scorer_for

__all__ = [
    "DEFAULT_FX_TO_NGN",
    "DEFAULT_THRESHOLD",
    "CandidateProfile",
    "JobView",
    "Match",
    "MatchScore",
    "Matcher",
    "ProfileIndex",
    "brute_force_match",
    "job_view",
    "job_view_from_stored",
    "profile_from_preferences",
    "score",
    "scorer_for",
]
