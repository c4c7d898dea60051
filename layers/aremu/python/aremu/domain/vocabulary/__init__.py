"""Shared words for places and job titles: canonical names and the aliases people type."""

from aremu.domain.vocabulary.places import Place, find_places, resolve_place
from aremu.domain.vocabulary.roles import (
    Role,
    find_roles,
    normalise_title,
    related_titles,
    seniority_of,
)

__all__ = [
    "Place",
    "Role",
    "find_places",
    "find_roles",
    "normalise_title",
    "related_titles",
    "resolve_place",
    "seniority_of",
]
