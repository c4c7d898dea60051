"""The profile index: incremental refresh, and a prefilter that never drops a match."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aremu.domain.preferences import Arrangement, Preferences
from aremu.domain.vocabulary.places import Place
from aremu.domain.vocabulary.roles import Role
from aremu.jobs.models import EnhancedFields, ExperienceRange, JobLocation, NormalisedSalary
from aremu.matching import (
    CandidateProfile,
    Matcher,
    ProfileIndex,
    brute_force_match,
    job_view,
    profile_from_preferences,
)
from aremu.matching.synthetic import synthetic_profiles

ROLES = [
    Role("Sales Executive", "sales"), Role("Sales Representative", "sales"),
    Role("Merchandiser", "sales"), Role("Accountant", "finance"), Role("Auditor", "finance"),
    Role("Nurse", "health"), Role("Doctor", "health"), Role("Python Developer", "software"),
    Role("Hydrologist", "research"), Role("Tax Consultant", "finance"),
    Role("Digital Marketer", "marketing"), Role("Social Media Manager", "marketing"),
    Role("Sales Manager", "sales"),
]  # fmt: skip
PLACES = [
    Place("Lagos", "Lagos"), Place("Lekki", "Lagos"), Place("Abuja", "FCT"), Place(None, "Ogun"),
    Place("Ibadan", "Oyo"), Place(None, None, "NG"), Place("London", None, "GB"),
]  # fmt: skip
JOB_PLACES = [
    JobLocation(), JobLocation(city="Lagos", state="Lagos", country="NG"),
    JobLocation(city="Ikeja", state="Lagos", country="NG"),
    JobLocation(city="Abeokuta", state="Ogun", country="NG"), JobLocation(country="NG"),
    JobLocation(country="NG", remote=True), JobLocation(city="London", country="GB"),
    JobLocation(remote=True),
]  # fmt: skip
SKILLS = [
    "Sales", "Negotiation", "Accounting", "Auditing", "Nursing", "Python", "SQL", "Taxation",
    "Social media management",
]  # fmt: skip

candidates = st.builds(
    Preferences,
    roles=st.lists(st.sampled_from(ROLES), max_size=2, unique=True),
    locations=st.lists(st.sampled_from(PLACES), max_size=2, unique=True),
    anywhere_in_nigeria=st.booleans(),
    open_to_remote=st.booleans(),
    willing_to_relocate=st.booleans(),
    years_experience=st.none() | st.sampled_from([0.0, 1.0, 3.0, 6.0, 12.0]),
    arrangement=st.none() | st.sampled_from(list(Arrangement)),
    skills=st.lists(st.sampled_from(SKILLS), max_size=4, unique=True),
)
jobs = st.builds(
    EnhancedFields,
    normalised_title=st.sampled_from([role.title for role in ROLES] + ["Hydrologist", "Model"]),
    title_variants=st.lists(
        st.sampled_from(
            ["Admin/HR Officer", "Senior Auditor", "Digital Marketer & Tax Consultant"]
        ),
        max_size=1,
    ),
    required_skills=st.lists(st.sampled_from(SKILLS), max_size=4, unique=True),
    level=st.none() | st.sampled_from(["intern", "entry", "junior", "mid", "senior", "manager"]),
    experience=st.sampled_from([ExperienceRange(), ExperienceRange(min_years=2, max_years=5)]),
    location=st.sampled_from(JOB_PLACES),
    salary=st.none()
    | st.sampled_from([NormalisedSalary(currency="NGN", monthly_min=150_000, monthly_max=300_000)]),
)


@settings(max_examples=200, deadline=None)
@given(population=st.lists(candidates, min_size=1, max_size=12), fields=jobs)
def test_the_prefilter_holds_every_candidate_brute_force_matches(
    population: list[Preferences], fields: EnhancedFields
) -> None:
    profiles = [profile_from_preferences(f"c{n}", p) for n, p in enumerate(population)]
    job = job_view(fields, "j1")

    expected = {match.candidate_id for match in brute_force_match(profiles, job, threshold=0)}

    assert expected <= ProfileIndex(profiles).candidates_for(job)


def test_the_matcher_finds_exactly_what_brute_force_finds() -> None:
    profiles = synthetic_profiles(3_000, seed=5)
    index = ProfileIndex(profiles)
    job = job_view(EnhancedFields(normalised_title="Accountant", location=JOB_PLACES[1]), "j1")

    found = Matcher(index).match(job)

    assert found == brute_force_match(profiles, job)
    assert found and all(match.reason.startswith("Accountant · Lagos") for match in found)


def test_a_candidate_who_lists_a_specialisms_skill_is_found_for_its_job() -> None:
    auditor = Preferences(
        roles=[Role("Auditor", "finance")], locations=[PLACES[0]], skills=["Taxation"]
    )
    index = ProfileIndex([profile_from_preferences("c1", auditor)])
    tax = job_view(EnhancedFields(normalised_title="Tax Consultant", location=JOB_PLACES[1]))

    assert index.candidates_for(tax) == {"c1"}
    assert [match.candidate_id for match in Matcher(index).match(tax)] == ["c1"]


def test_matches_come_best_first() -> None:
    job = job_view(EnhancedFields(normalised_title="Accountant", location=JOB_PLACES[1]), "j1")

    found = Matcher(ProfileIndex(synthetic_profiles(3_000, seed=5))).match(job)

    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def accountant(
    cid: str, updated_at: float, city: str = "Lagos", *, paused: bool = False
) -> CandidateProfile:
    preferences = Preferences(roles=[Role("Accountant", "finance")], locations=[Place(city, city)])
    return profile_from_preferences(cid, preferences, updated_at, paused=paused)


LAGOS_ACCOUNTANT = EnhancedFields(normalised_title="Accountant", location=JOB_PLACES[1])


def test_an_upsert_refiles_a_candidate_who_moved() -> None:
    index = ProfileIndex([accountant("c1", 1.0, "Lagos")])

    index.upsert(accountant("c1", 2.0, "Kano"))

    assert index.candidates_for(job_view(LAGOS_ACCOUNTANT)) == set()
    assert len(index) == 1


def test_an_older_update_does_not_replace_a_newer_one() -> None:
    index = ProfileIndex([accountant("c1", 2.0, "Lagos")])

    applied = index.upsert(accountant("c1", 1.0, "Kano"))

    assert not applied
    assert index.candidates_for(job_view(LAGOS_ACCOUNTANT)) == {"c1"}


def test_a_paused_candidate_is_cached_but_never_matched() -> None:
    index = ProfileIndex([accountant("c1", 1.0, paused=True)])

    assert "c1" in index
    assert Matcher(index).match(job_view(LAGOS_ACCOUNTANT)) == []


def test_a_removed_candidate_is_forgotten_and_its_slot_reused() -> None:
    index = ProfileIndex([accountant("c1", 1.0), accountant("c2", 1.0)])

    index.remove("c1")
    index.upsert(accountant("c3", 1.0))

    assert index.candidates_for(job_view(LAGOS_ACCOUNTANT)) == {"c2", "c3"}
    assert index.get("c1") is None


def test_the_watermark_is_the_latest_update_seen() -> None:
    index = ProfileIndex([accountant("c1", 5.0), accountant("c2", 3.0)])

    assert index.watermark == 5.0


def test_synthetic_candidates_are_the_same_for_the_same_seed() -> None:
    first = [(p.candidate_id, p.titles, p.metros) for p in synthetic_profiles(50, seed=9)]
    again = [(p.candidate_id, p.titles, p.metros) for p in synthetic_profiles(50, seed=9)]

    assert first == again
