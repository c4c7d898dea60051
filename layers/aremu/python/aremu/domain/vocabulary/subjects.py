"""School subjects, with the names postings and teachers give them.

Schools hire a teacher for a subject ("Further Maths Teacher", "Account/ Economics
Teacher"), so a mathematics teacher is not the candidate for an Islamic studies post (the
labelling standard's rule 1, Teaching). A title or skill that names no subject ("Primary
and Secondary Teachers", "Lesson planning") names none here.

A posting's title names its subject among other words; a teacher's skill is read as a
subject only when it is one ("Further Mathematics", "Physics teaching"), so "Fluent in
French" or "Excellent written English" does not make a French or English teacher.
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
    ("Economics", r"(?<!home )economics"),
    ("Commerce", r"commerce"),
    ("Accounting", r"account(?:s|ing)?|financial accounting|book[- ]?keeping"),
    # "Government" names the subject only beside a teaching word or another subject, not in
    # "Government Secondary School Teacher".
    (
        "Government",
        r"government(?=\s*(?:$|[/&,()-]|and\b|teacher|tutor|lecturer|studies))|"
        r"civic(?:s| education)?",
    ),
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
    # "Islamic" alone names a school ("Teacher (Islamic school)"), not the subject.
    (
        "Islamic Religious Studies",
        r"irs|i\.r\.s|islamic religious(?: studies| knowledge)?|islamic (?:studies|knowledge)",
    ),
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


# Words a teacher adds to a subject ("Physics teaching"), and what joins two subjects.
_TEACHING_WORDS = re.compile(r"\b(?:teaching|teacher|tutoring|tutor|lessons?)\b", re.IGNORECASE)
_JOINED = re.compile(r"\s*(?:/|&|,|\band\b)\s*", re.IGNORECASE)


def subjects_named(titles: Iterable[str]) -> frozenset[str]:
    """The school subjects any of these posting titles names."""
    return frozenset().union(*(_subjects_in(title, whole=False) for title in titles))


def subjects_taught(skills: Iterable[str]) -> frozenset[str]:
    """The school subjects among a teacher's skills: the skills that are a subject, or a
    few joined ("Mathematics/Physics"), with or without a teaching word."""
    found: frozenset[str] = frozenset()
    for skill in skills:
        subject = _TEACHING_WORDS.sub(" ", skill).strip()
        # A subject's own name may hold a joining word ("Food and Nutrition").
        found |= _subjects_in(subject, whole=True) or frozenset().union(
            *(_subjects_in(part.strip(), whole=True) for part in _JOINED.split(subject))
        )
    return found


@lru_cache(maxsize=8192)
def _subjects_in(text: str, *, whole: bool) -> frozenset[str]:
    """The subjects the text names somewhere in it, or, when whole, the one it is."""
    return frozenset(
        subject
        for subject, pattern in _patterns()
        if (pattern.fullmatch(text) if whole else pattern.search(text))
    )
