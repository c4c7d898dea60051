"""The match score, its must-haves and the one-line reason, on hand-made jobs and candidates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aremu.domain.preferences import Money, Preferences
from aremu.domain.vocabulary.places import Place
from aremu.domain.vocabulary.roles import Role, role_for_title
from aremu.jobs.models import EnhancedFields, ExperienceRange, JobLocation, NormalisedSalary
from aremu.jobs.skills import skill_matcher
from aremu.matching import job_view, profile_from_preferences, score
from aremu.matching.explain import reason_for
from aremu.matching.titles import ADJACENT_GROUPS, SAME_GROUPS, SPECIALISM_SKILLS

LAGOS = JobLocation(city="Lagos", state="Lagos", country="NG")
SALES_EXEC = Role("Sales Executive", "sales")


def a_job(**changes: object) -> EnhancedFields:
    fields: dict[str, object] = {
        "normalised_title": "Sales Executive",
        "required_skills": ["Sales", "B2B sales", "Negotiation"],
        "location": LAGOS,
        "experience": ExperienceRange(min_years=3, max_years=5),
        "salary": NormalisedSalary(currency="NGN", monthly_min=300_000, monthly_max=400_000),
    }
    fields.update(changes)
    return EnhancedFields.model_validate(fields)


def a_candidate(**changes: object) -> Preferences:
    fields: dict[str, object] = {
        "roles": [SALES_EXEC],
        "locations": [Place("Lagos", "Lagos")],
        "years_experience": 4,
        "min_pay": Money(amount=Decimal(250_000)),
        "skills": ["sales", "negotiation"],
    }
    fields.update(changes)
    return Preferences.model_validate(fields)


def scored(job: EnhancedFields, candidate: Preferences):  # type: ignore[no-untyped-def]
    return score(profile_from_preferences("c1", candidate), job_view(job, "j1"))


def test_the_same_title_in_the_same_city_at_the_right_pay_scores_high_and_passes() -> None:
    result = scored(a_job(), a_candidate())

    assert (result.title, result.location, result.salary, result.experience) == (35, 20, 10, 10)
    assert result.passes()
    assert result.total == round(
        result.title + result.skills + result.location + result.salary + result.experience, 1
    )


def test_a_job_with_no_location_scores_location_neutral() -> None:
    result = scored(a_job(location=JobLocation()), a_candidate())

    assert result.location == 10
    assert result.passes()


def test_a_job_with_no_salary_scores_salary_neutral() -> None:
    result = scored(a_job(salary=None), a_candidate())

    assert result.salary == 5
    assert result.passes()


def test_a_candidate_with_no_skills_gets_a_neutral_skills_part_not_zero() -> None:
    result = scored(a_job(), a_candidate(skills=[]))

    assert result.skills == 10
    assert result.passes()


def test_a_skill_typed_loosely_counts_as_the_vocabulary_skill() -> None:
    job = a_job(required_skills=["Microsoft Excel"])

    result = scored(job, a_candidate(skills=["ms excel"]))

    assert result.skills == 25


def test_an_unrelated_title_is_blocked_whatever_the_rest_scores() -> None:
    result = scored(a_job(normalised_title="Nurse", required_skills=[]), a_candidate())

    assert result.blocked == "title"
    assert not result.passes()


def test_a_job_in_another_city_is_blocked_unless_the_candidate_would_relocate() -> None:
    abuja = JobLocation(city="Abuja", state="FCT", country="NG")

    stays = scored(a_job(location=abuja), a_candidate())
    moves = scored(a_job(location=abuja), a_candidate(willing_to_relocate=True))

    assert stays.blocked == "location"
    assert moves.location == 8
    assert moves.passes()


def test_a_remote_job_suits_a_candidate_open_to_remote_anywhere() -> None:
    remote = JobLocation(country="NG", remote=True)

    result = scored(a_job(location=remote), a_candidate(locations=[], open_to_remote=True))

    assert result.location == 20


def test_anywhere_in_nigeria_takes_a_job_in_any_state() -> None:
    kano = JobLocation(city="Kano", state="Kano", country="NG")

    result = scored(a_job(location=kano), a_candidate(locations=[], anywhere_in_nigeria=True))

    assert result.location == 18


def test_an_area_of_lagos_counts_as_lagos() -> None:
    lekki = JobLocation(city="Lekki", state="Lagos", country="NG")

    result = scored(a_job(location=lekki), a_candidate(locations=[Place("Ikeja", "Lagos")]))

    assert result.location == 20


def test_pay_far_below_the_minimum_blocks_the_alert() -> None:
    low = NormalisedSalary(currency="NGN", monthly_min=100_000, monthly_max=150_000)

    result = scored(a_job(salary=low), a_candidate())

    assert result.blocked == "pay"


def test_pay_just_under_the_minimum_blocks_the_alert() -> None:
    under = NormalisedSalary(currency="NGN", monthly_min=200_000, monthly_max=240_000)

    result = scored(a_job(salary=under), a_candidate())

    assert result.blocked == "pay"
    assert 0 < result.salary < 10


def test_pay_whose_top_reaches_the_minimum_passes() -> None:
    reaches = NormalisedSalary(currency="NGN", monthly_min=150_000, monthly_max=250_000)

    assert scored(a_job(salary=reaches), a_candidate()).passes()


def test_dollar_pay_is_compared_in_naira() -> None:
    dollars = NormalisedSalary(currency="USD", monthly_min=1_000, monthly_max=1_500)

    result = scored(a_job(salary=dollars), a_candidate(min_pay=Money(amount=Decimal(1_000_000))))

    assert result.salary == 10


def test_too_junior_for_the_range_scales_experience_down() -> None:
    result = scored(a_job(), a_candidate(years_experience=2))

    assert round(result.experience, 2) == 6.67


@pytest.mark.parametrize(("years", "passes"), [(1, True), (0.5, False), (7, True), (7.5, False)])
def test_years_within_two_of_the_stated_range_pass(years: float, passes: bool) -> None:
    result = scored(a_job(), a_candidate(years_experience=years))

    assert result.passes() is passes


@pytest.mark.parametrize(("level", "years", "passes"), [
    ("senior", 3, True), ("senior", 2, False), ("manager", 5, True), ("manager", 4, False),
])  # fmt: skip
def test_with_no_years_stated_the_level_word_says_what_the_job_asks(
    level: str, years: float, passes: bool
) -> None:
    job = a_job(level=level, experience=ExperienceRange())

    assert scored(job, a_candidate(years_experience=years)).passes() is passes


def test_stated_years_decide_over_the_level_word() -> None:
    supervisor = a_job(level="lead", experience=ExperienceRange(min_years=3, max_years=5))

    assert scored(supervisor, a_candidate(years_experience=3)).passes()


def test_a_head_of_department_is_blocked_for_staff_under_six_years() -> None:
    head = a_job(level="director", experience=ExperienceRange(min_years=5, max_years=7))

    assert scored(head, a_candidate(years_experience=4)).blocked == "level"
    assert scored(head, a_candidate(years_experience=6)).passes()


def test_an_entry_level_job_is_blocked_from_two_years() -> None:
    entry = a_job(level="entry", experience=ExperienceRange())

    assert scored(entry, a_candidate(years_experience=2)).blocked == "level"
    assert scored(entry, a_candidate(years_experience=1)).passes()


def test_an_internship_is_blocked_for_someone_with_years_of_experience() -> None:
    result = scored(a_job(level="intern", experience=ExperienceRange()), a_candidate())

    assert result.blocked == "level"


def test_another_name_for_the_same_occupation_scores_less_than_the_same_title() -> None:
    result = scored(a_job(normalised_title="Sales Representative"), a_candidate())

    assert result.title == 31
    assert result.passes()


def auditor(**changes: object) -> Preferences:
    fields: dict[str, object] = {
        "roles": [Role("Auditor", "finance")],
        "skills": ["Auditing", "Financial reporting"],
        "min_pay": None,
    }
    return a_candidate(**{**fields, **changes})


def test_an_adjacent_title_is_blocked_even_with_the_skills() -> None:
    accountant = a_job(normalised_title="Accountant", required_skills=["Auditing", "Accounting"])

    result = scored(accountant, auditor(skills=["Auditing", "Accounting", "Financial reporting"]))

    assert result.blocked == "title"


def test_a_specialism_counts_for_a_candidate_who_lists_its_skill() -> None:
    tax = a_job(normalised_title="Tax Consultant", required_skills=["Taxation"])

    lists_it = scored(tax, auditor(skills=["Auditing", "Taxation"]))
    does_not = scored(tax, auditor())

    assert lists_it.title == 28
    assert lists_it.passes()
    assert does_not.blocked == "title"


def test_each_job_a_joined_title_names_counts_exactly() -> None:
    joined = a_job(
        normalised_title="Digital Marketer",
        title_variants=["Digital Marketer & Content Creator (Remote)"],
        required_skills=["Content creation"],
    )

    result = scored(joined, a_candidate(roles=[Role("Content Creator", "media")], skills=[]))

    assert result.title == 35


def test_the_reason_names_title_place_years_and_pay() -> None:
    job = job_view(a_job(), "j1")

    assert reason_for(job) == "Sales Executive · Lagos · 3–5 yrs · ₦300k–400k/month"


def test_the_reason_leaves_out_what_the_job_does_not_say() -> None:
    job = job_view(a_job(location=JobLocation(), experience=ExperienceRange(), salary=None))

    assert reason_for(job) == "Sales Executive"


def test_a_volunteer_post_is_never_alerted() -> None:
    result = scored(a_job(employment_type="volunteer", salary=None), a_candidate())

    assert result.blocked == "pay"


def test_a_freelance_post_without_pay_is_blocked_for_a_candidate_with_a_minimum() -> None:
    job = a_job(title_variants=["Freelance Sales Executive"], salary=None)

    with_minimum = scored(job, a_candidate())
    negotiable = scored(job, a_candidate(min_pay=None, pay_negotiable=True))

    assert with_minimum.blocked == "pay"
    assert negotiable.passes()


def backend_candidate(**changes: object) -> Preferences:
    fields: dict[str, object] = {
        "roles": [Role("Backend Developer", "software")],
        "skills": ["Python", "SQL"],
        "min_pay": None,
    }
    return a_candidate(**{**fields, **changes})


def test_a_job_named_for_a_language_the_candidate_lacks_is_blocked() -> None:
    java = a_job(normalised_title="Java Developer", required_skills=["Java", "SQL"])

    lacks = scored(java, backend_candidate())
    knows = scored(java, backend_candidate(skills=["Java", "SQL"]))

    assert lacks.blocked == "title"
    assert knows.title == 31
    assert knows.passes()


def manager_candidate(**changes: object) -> Preferences:
    fields: dict[str, object] = {
        "roles": [Role("HR Manager", "hr")],
        "years_experience": 8,
        "min_pay": None,
        "skills": ["Recruitment"],
    }
    return a_candidate(**{**fields, **changes})


def test_a_manager_is_not_alerted_to_an_officers_job_of_the_same_occupation() -> None:
    officer = a_job(
        normalised_title="HR Officer",
        required_skills=["Recruitment"],
        experience=ExperienceRange(),
    )

    result = scored(officer, manager_candidate())

    assert result.blocked == "level"


def test_a_manager_is_not_alerted_to_a_senior_officers_job() -> None:
    senior_officer = a_job(
        normalised_title="HR Officer",
        required_skills=["Recruitment"],
        experience=ExperienceRange(min_years=7),
        level="senior",
    )

    assert scored(senior_officer, manager_candidate()).blocked == "level"


def test_a_manager_is_alerted_to_an_officers_title_the_posting_says_leads() -> None:
    lead = a_job(
        normalised_title="HR Officer",
        required_skills=["Recruitment"],
        experience=ExperienceRange(min_years=7),
        level="lead",
    )

    assert scored(lead, manager_candidate()).passes()


def test_a_junior_job_is_blocked_for_someone_asking_to_be_a_manager() -> None:
    junior = a_job(normalised_title="Sales Manager", level="junior", experience=ExperienceRange())

    result = scored(junior, a_candidate(roles=[Role("Sales Manager", "sales")]))

    assert result.blocked == "level"


def test_an_assistant_managers_post_is_a_staff_post_for_a_manager() -> None:
    # "Asst Sales Manager" reads as Sales Manager, at the senior level its title states
    assistant = a_job(
        normalised_title="Sales Manager",
        title_variants=["Asst Sales Manager"],
        level="senior",
        experience=ExperienceRange(min_years=5),
    )
    sales_manager = a_candidate(roles=[Role("Sales Manager", "sales")], years_experience=9)

    assert scored(assistant, sales_manager).blocked == "level"


def test_a_manager_still_gets_a_managers_post_of_their_title() -> None:
    manager = a_job(
        normalised_title="Sales Manager", level="manager", experience=ExperienceRange(min_years=5)
    )

    assert scored(manager, a_candidate(roles=[Role("Sales Manager", "sales")])).passes()


@pytest.mark.parametrize(
    ("wanted", "job_title"),
    [("Backend Developer", "Full Stack Developer"), ("Administrative Officer", "Data Entry Clerk")],
)
def test_adjacent_work_under_a_near_title_is_not_alerted(wanted: str, job_title: str) -> None:
    job = a_job(normalised_title=job_title, required_skills=[])

    result = scored(job, a_candidate(roles=[Role(wanted, "any")], skills=[]))

    assert result.title == 10
    assert result.blocked == "title"


def test_a_second_reading_of_a_title_in_another_field_counts_only_exactly() -> None:
    mixed = a_job(
        normalised_title="Finance Officer",
        title_variants=["Finance / Account Executive", "Account Executive"],
        required_skills=[],
    )

    close = scored(mixed, a_candidate())
    exact = scored(mixed, a_candidate(roles=[Role("Account Executive", "sales")]))

    assert close.blocked == "title"
    assert exact.title == 35


@pytest.mark.parametrize(
    ("wanted", "job_title"),
    [
        ("Administrative Assistant", "Receptionist"),
        ("Digital Marketer", "Marketing Executive"),
        ("Social Media Manager", "E-commerce Executive"),
        ("Electrician", "Technician"),
    ],
)
def test_titles_that_share_only_a_field_do_not_pass_without_skills(
    wanted: str, job_title: str
) -> None:
    job = a_job(normalised_title=job_title, required_skills=[])

    result = scored(job, a_candidate(roles=[Role(wanted, "any")], skills=[]))

    assert result.title in (0, 10, 12)
    assert not result.passes()


def test_every_title_the_groups_name_is_in_the_vocabulary() -> None:
    named = {
        title for groups in (SAME_GROUPS, ADJACENT_GROUPS) for group in groups for title in group
    }

    assert {title for title in named if role_for_title(title) is None} == set()
    assert {title for title in SPECIALISM_SKILLS if role_for_title(title) is None} == set()


def test_every_specialism_skill_is_a_vocabulary_skill() -> None:
    skills = set(SPECIALISM_SKILLS.values())

    assert {skill for skill in skills if skill_matcher().skill_for(skill) != skill} == set()


def test_a_hybrid_job_abroad_flagged_remote_is_not_remote_work() -> None:
    abroad = JobLocation(country="CA", remote=True)
    job = a_job(location=abroad, work_arrangement="hybrid")

    result = scored(job, a_candidate(open_to_remote=True))

    assert result.blocked == "location"


def test_a_title_of_the_accountants_occupation_is_adjacent_to_tax_and_treasury() -> None:
    # A finance manager keeps the books as an accountant does: a tax post is adjacent
    # work, not merely work of the same family, however many skills they share.
    finance_manager = Role("Finance Manager", "finance")
    job = a_job(
        normalised_title="Tax Consultant",
        required_skills=["Financial reporting", "Budgeting", "Taxation"],
        salary=None,
    )
    candidate = a_candidate(
        roles=[finance_manager], skills=["Financial reporting", "Budgeting"], min_pay=None
    )

    assert scored(job, candidate).blocked == "title"
    # Taxation listed makes it a specialism the candidate names: the title stands.
    tax_minded = a_candidate(roles=[finance_manager], skills=["Taxation"], min_pay=None)
    assert scored(job, tax_minded).blocked != "title"


def test_a_fully_remote_job_is_not_for_a_candidate_who_did_not_say_remote() -> None:
    remote_in_lagos = JobLocation(city="Lagos", state="Lagos", country="NG", remote=True)
    job = a_job(location=remote_in_lagos, work_arrangement="remote")

    assert scored(job, a_candidate()).blocked == "location"
    assert scored(job, a_candidate(open_to_remote=True)).location == 20


def test_a_remote_only_candidate_is_alerted_to_fully_remote_work_only() -> None:
    # Their city is where they live, not where they will work: an onsite or hybrid post
    # there, or one that names only the country, is not for them (the standard's rule 2).
    remote_only = a_candidate(arrangement="remote", open_to_remote=True)
    country_only = JobLocation(country="NG")

    assert scored(a_job(), remote_only).blocked == "location"
    assert scored(a_job(work_arrangement="hybrid"), remote_only).blocked == "location"
    assert scored(a_job(location=country_only), remote_only).blocked == "location"
    remote = JobLocation(city="Lagos", state="Lagos", country="NG", remote=True)
    assert scored(a_job(location=remote, work_arrangement="remote"), remote_only).location == 20
    # A posting that names no place does not say it is remote.
    nowhere = a_job(location=JobLocation())
    assert scored(nowhere, remote_only).blocked == "location"
    assert scored(nowhere, a_candidate()).location == 10
    # Open to remote as well as onsite: the city still counts.
    assert scored(a_job(), a_candidate(open_to_remote=True)).location == 20


TEACHER = Role("Teacher", "education")


@pytest.mark.parametrize(
    ("posting_title", "blocked"),
    [
        ("Further Maths Teacher", False),
        ("Cambridge IGCSE Mathematics Teacher", False),
        ("Primary and Secondary Teachers", False),
        ("Islamic Religious Studies Teacher", True),
        ("Account/ Economics Teacher", True),
        ("ICT TEACHER", True),
    ],
)
def test_a_teacher_who_names_a_subject_is_alerted_to_that_subject_or_to_none(
    posting_title: str, blocked: bool
) -> None:
    job = a_job(
        normalised_title="Teacher",
        title_variants=[posting_title],
        required_skills=["Teaching"],
        salary=None,
        experience=ExperienceRange(),
    )
    maths = a_candidate(roles=[TEACHER], skills=["Mathematics", "Lesson planning"], min_pay=None)

    assert (scored(job, maths).blocked == "title") is blocked
    # A teacher who names no subject teaches any.
    any_subject = a_candidate(roles=[TEACHER], skills=["Lesson planning"], min_pay=None)
    assert scored(job, any_subject).blocked == ""


def test_a_subject_named_in_a_skill_is_no_bar_outside_teaching() -> None:
    # An accountant who lists Economics is not read as a teacher of it, and an accounts
    # post is not a subject's.
    accountant = Role("Accountant", "finance")
    job = a_job(normalised_title="Accountant", required_skills=["Bookkeeping"], salary=None)
    candidate = a_candidate(roles=[accountant], skills=["Economics"], min_pay=None)

    assert profile_from_preferences("c1", candidate).subjects == ()
    assert scored(job, candidate).blocked == ""


def test_a_teacher_fluent_in_a_language_is_not_read_as_teaching_it() -> None:
    job = a_job(
        normalised_title="Teacher",
        title_variants=["Mathematics Teacher"],
        required_skills=["Teaching"],
        salary=None,
        experience=ExperienceRange(),
    )
    candidate = a_candidate(roles=[TEACHER], skills=["Fluent in French"], min_pay=None)

    assert scored(job, candidate).blocked == ""


def test_freelance_work_that_states_no_rate_is_not_for_a_candidate_with_a_minimum() -> None:
    job = a_job(employment_type="freelance", salary=None)

    assert scored(job, a_candidate()).blocked == "pay"
    assert scored(job, a_candidate(min_pay=None)).blocked == ""
