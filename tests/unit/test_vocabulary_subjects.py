"""School subjects named in posting titles and teachers' skills."""

from __future__ import annotations

import pytest

from aremu.domain.vocabulary.roles import role_for_title
from aremu.domain.vocabulary.subjects import TEACHING_TITLES, subjects_named, subjects_taught


@pytest.mark.parametrize(
    ("texts", "subjects"),
    [
        (["Further Maths Teacher"], {"Mathematics"}),
        (["Account/ Economics Teacher"], {"Accounting", "Economics"}),
        (["Coding and Robotics Teacher"], {"Computing"}),
        (["CRS Teacher"], {"Christian Religious Studies"}),
        (["Islamic Religious Studies Teacher"], {"Islamic Religious Studies"}),
        (["Islamic Studies Teacher"], {"Islamic Religious Studies"}),
        (["Literature/Government Teacher"], {"Literature", "Government"}),
        (["Primary and Secondary Teachers"], set()),
        # A school's kind or owner is not its subject.
        (["Teacher (Islamic school)"], set()),
        (["Government Secondary School Teacher"], set()),
        (["Home Economics Teacher"], {"Home Economics"}),
    ],
)
def test_the_subjects_a_posting_title_names(texts: list[str], subjects: set[str]) -> None:
    assert subjects_named(texts) == subjects


@pytest.mark.parametrize(
    ("skills", "subjects"),
    [
        (["Mathematics", "WAEC preparation"], {"Mathematics"}),
        (["Further Mathematics"], {"Mathematics"}),
        (["Physics teaching", "Chemistry tutor"], {"Physics", "Chemistry"}),
        (["Mathematics/Physics"], {"Mathematics", "Physics"}),
        (["Food and Nutrition"], {"Home Economics"}),
        (["English language", "Literature in English"], {"English", "Literature"}),
        # A language spoken or an office skill is not a subject taught.
        (["Fluent in French", "Excellent written and spoken English"], set()),
        (["Computer literacy", "Lesson planning", "Classroom management"], set()),
    ],
)
def test_the_subjects_a_teachers_skills_name(skills: list[str], subjects: set[str]) -> None:
    assert subjects_taught(skills) == subjects


@pytest.mark.parametrize("title", sorted(TEACHING_TITLES))
def test_every_teaching_title_is_in_the_roles_vocabulary(title: str) -> None:
    role = role_for_title(title)

    assert role is not None
    assert role.title == title
