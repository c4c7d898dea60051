"""School subjects named in posting titles and teachers' skills."""

from __future__ import annotations

import pytest

from aremu.domain.vocabulary.subjects import subjects_named


@pytest.mark.parametrize(
    ("texts", "subjects"),
    [
        (["Further Maths Teacher"], {"Mathematics"}),
        (["Account/ Economics Teacher"], {"Accounting", "Economics"}),
        (["Coding and Robotics Teacher"], {"Computing"}),
        (["CRS Teacher"], {"Christian Religious Studies"}),
        (["Islamic Religious Studies Teacher"], {"Islamic Religious Studies"}),
        (["Mathematics", "WAEC preparation"], {"Mathematics"}),
        (["Primary and Secondary Teachers"], set()),
        # Office skills are not subjects.
        (["Computer literacy", "Lesson planning", "Classroom management"], set()),
    ],
)
def test_the_subjects_a_title_or_skill_names(texts: list[str], subjects: set[str]) -> None:
    assert subjects_named(texts) == subjects
