"""School subjects, with the names postings and teachers give them.

Schools hire a teacher for a subject ("Further Maths Teacher", "Account/ Economics
Teacher"), so a mathematics teacher is not the candidate for an Islamic studies post (the
labelling standard's rule 1, Teaching). A title or skill that names no subject ("Primary
and Secondary Teachers", "Lesson planning") names none here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# The titles whose holders teach a subject; other education titles (a head teacher, a
# curriculum developer) are not hired by subject.
TEACHING_TITLES = frozenset({"Teacher", "Tutor", "Lecturer"})

_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("Mathematics", r"math(?:s|ematics)?|further math(?:s|ematics)?|numeracy"),
    ("English", r"english(?: language)?"),
    ("Literature", r"literature(?:[- ]in[- ]english)?"),
    ("Physics", r"physics"),
    ("Chemistry", r"chemistry"),
    ("Biology", r"biology"),
    ("Basic Science", r"basic science|integrated science"),
    ("Agricultural Science", r"agric(?:ultur(?:e|al))?(?: science)?"),
    ("Economics", r"economics"),
    ("Commerce", r"commerce"),
    ("Accounting", r"account(?:s|ing)?|financial accounting|book[- ]?keeping"),
    ("Government", r"government|civic(?:s| education)?"),
    ("Geography", r"geography"),
    ("History", r"history"),
    # "Computer literacy" is a skill every office lists, not the subject.
    ("Computing", r"ict|computer (?:studies|science)|computing|coding|robotics|programming"),
    ("French", r"french"),
    ("Arabic", r"arabic"),
    ("Yoruba", r"yoruba"),
    ("Igbo", r"igbo"),
    ("Hausa", r"hausa"),
    ("Christian Religious Studies", r"crs|c\.r\.s|christian religious(?: studies| knowledge)?"),
    ("Islamic Religious Studies", r"irs|i\.r\.s|islamic(?: religious)?(?: studies| knowledge)?"),
    ("Music", r"music"),
    ("Fine Art", r"fine arts?|creative arts?|visual arts?"),
    ("Physical Education", r"physical (?:and health )?education|p\.?h\.?e\b|sports"),
    ("Home Economics", r"home economics|food and nutrition"),
    ("Technical Drawing", r"technical drawing"),
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (subject, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
        for subject, pattern in _SUBJECTS
    )


@lru_cache(maxsize=8192)
def _subjects_in(text: str) -> frozenset[str]:
    return frozenset(subject for subject, pattern in _patterns() if pattern.search(text))


def subjects_named(texts: Iterable[str]) -> frozenset[str]:
    """The school subjects any of these titles or skills names."""
    found: frozenset[str] = frozenset()
    for text in texts:
        found |= _subjects_in(text)
    return found
