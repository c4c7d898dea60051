"""The shared vocabulary of places and job titles."""

from __future__ import annotations

import pytest

from aremu.domain.vocabulary import (
    Place,
    Role,
    find_places,
    find_roles,
    normalise_title,
    related_titles,
    resolve_place,
    seniority_of,
)
from aremu.domain.vocabulary.places import (
    NIGERIA,
    STATE_CODES,
    STATES,
    metro_of,
    place_within,
)
from aremu.domain.vocabulary.roles import ROLES, SENIORITY_LEVELS, all_roles, role_for_title

LAGOS = Place("Lagos", "Lagos")
ABUJA = Place("Abuja", "FCT")
PORT_HARCOURT = Place("Port Harcourt", "Rivers")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Lagos", LAGOS),
        ("lasgidi", LAGOS),
        ("Ikeja", Place("Ikeja", "Lagos")),
        ("Lekki phase 1", Place("Lekki", "Lagos")),
        ("VI", Place("Victoria Island", "Lagos")),
        ("victoria island", Place("Victoria Island", "Lagos")),
        ("Abuja", ABUJA),
        ("FCT", ABUJA),
        ("Wuse 2", Place("Wuse", "FCT")),
        ("PH", PORT_HARCOURT),
        ("Port-Harcourt", PORT_HARCOURT),
        ("Benin City", Place("Benin City", "Edo")),
        ("Ogun State", Place(None, "Ogun")),
        ("Rivers", Place(None, "Rivers")),
        ("Akwa Ibom", Place(None, "Akwa Ibom")),
        ("London", Place("London", None, "GB")),
        ("Nairobi", Place("Nairobi", None, "KE")),
        ("Accra", Place("Accra", None, "GH")),
        ("Johannesburg", Place("Johannesburg", None, "ZA")),
        ("Dubai", Place("Dubai", None, "AE")),
        ("Nigeria", NIGERIA),
    ],
)
def test_a_place_name_or_alias_finds_its_canonical_place(text: str, place: Place) -> None:
    assert find_places(text) == [place]


@pytest.mark.parametrize("state", [state for state in STATES if state != "FCT"])
def test_every_state_is_known_by_its_name_with_state(state: str) -> None:
    assert find_places(f"{state} State") == [Place(None, state)]


def test_there_are_36_states_and_the_fct() -> None:
    assert len(STATES) == 37
    assert set(STATE_CODES.values()) == set(STATES)


def test_places_come_in_order_of_mention_without_duplicates() -> None:
    found = find_places("Lagos or Abuja, maybe PH, Lagos again")

    assert found == [LAGOS, ABUJA, PORT_HARCOURT]


def test_an_area_followed_by_its_city_is_one_place() -> None:
    assert find_places("Lekki, Lagos and Port Harcourt, Rivers State") == [
        Place("Lekki", "Lagos"),
        PORT_HARCOURT,
    ]


@pytest.mark.parametrize("text", ["I studied at the University of Lagos", "Niger Delta region"])
def test_names_that_contain_a_place_are_not_places(text: str) -> None:
    assert find_places(text) == []


@pytest.mark.parametrize("text", ["philosophy", "Lagosian", "photography"])
def test_places_match_whole_words_only(text: str) -> None:
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("location", "place"),
    [
        ("Lagos, LA, NG", LAGOS),
        ("Lekki, LA, NG", Place("Lekki", "Lagos")),
        ("Abuja, FC, NG", ABUJA),
        ("LA, NG", Place(None, "Lagos")),
        ("OG, NG", Place(None, "Ogun")),
        ("ZA, NG", Place(None, "Zamfara")),
        ("Damasak, BO, NG", Place("Damasak", "Borno")),
        ("NG", NIGERIA),
        ("Lekki, Lagos", Place("Lekki", "Lagos")),
        ("Lagos State", Place(None, "Lagos")),
        ("Nigeria", NIGERIA),
        ("nationwide", NIGERIA),
        ("London, UK", Place("London", None, "GB")),
    ],
)
def test_a_location_string_resolves_to_one_place(location: str, place: Place) -> None:
    assert resolve_place(location) == place


@pytest.mark.parametrize("location", ["Remote", "", "somewhere nice"])
def test_a_location_string_naming_no_place_resolves_to_none(location: str) -> None:
    assert resolve_place(location) is None


def test_an_area_belongs_to_its_metro_city() -> None:
    assert metro_of(Place("Ikeja", "Lagos")) == "Lagos"
    assert metro_of(Place("Trans Amadi", "Rivers")) == "Port Harcourt"


@pytest.mark.parametrize(
    ("inner", "outer"),
    [
        (Place("Ikeja", "Lagos"), LAGOS),
        (Place("Ikeja", "Lagos"), Place(None, "Lagos")),
        (Place(None, "Lagos"), LAGOS),
        (Place("Wuse", "FCT"), ABUJA),
        (PORT_HARCOURT, NIGERIA),
    ],
)
def test_a_wider_place_covers_the_places_inside_it(inner: Place, outer: Place) -> None:
    assert place_within(inner, outer)


@pytest.mark.parametrize(
    ("inner", "outer"),
    [(LAGOS, Place("Ikeja", "Lagos")), (ABUJA, LAGOS), (Place("London", None, "GB"), NIGERIA)],
)
def test_a_place_does_not_cover_wider_or_other_places(inner: Place, outer: Place) -> None:
    assert not place_within(inner, outer)


def test_a_place_has_a_short_label_for_summaries() -> None:
    assert Place("Ikeja", "Lagos").label() == "Ikeja, Lagos"
    assert ABUJA.label() == "Abuja"
    assert Place(None, "Rivers").label() == "Rivers State"
    assert Place("London", None, "GB").label() == "London (United Kingdom)"


def test_the_vocabulary_has_at_least_120_canonical_titles_in_families() -> None:
    titles = {title for title, _, _ in ROLES}

    assert len(titles) == len(ROLES) >= 120
    assert all(family for _, family, _ in ROLES)


def test_every_alias_leads_back_to_its_own_role() -> None:
    for title, family, aliases in ROLES:
        for alias in (title, *aliases):
            assert find_roles(alias) == [Role(title, family)], alias


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("sales rep", "Sales Representative"),
        ("sales reps", "Sales Representative"),
        ("front desk", "Receptionist"),
        ("python dev", "Python Developer"),
        ("customer care", "Customer Service Representative"),
        ("CSR", "Customer Service Representative"),
        ("accountant", "Accountant"),
        ("HR officer", "HR Officer"),
        ("BDM", "Business Development Manager"),
        ("dev", "Software Developer"),
        ("data analyst", "Data Analyst"),
        ("dispatch rider", "Dispatch Rider"),
        ("gateman", "Security Guard"),
        ("UI/UX designer", "UI/UX Designer"),
        ("Learning & Development", "Learning and Development Officer"),
    ],
)
def test_the_variants_people_type_find_the_canonical_title(text: str, title: str) -> None:
    assert [role.title for role in find_roles(text)] == [title]


def test_the_longest_phrase_wins() -> None:
    roles = find_roles("customer service manager")

    assert [role.title for role in roles] == ["Customer Service Manager"]


@pytest.mark.parametrize("text", ["salesforce", "itinerary", "I want it", "$20/hr"])
def test_titles_match_whole_words_and_short_forms_only_as_written(text: str) -> None:
    assert find_roles(text) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("recepionist", "Receptionist"),
        ("acountant", "Accountant"),
        ("customer sevice", "Customer Service Representative"),
    ],
)
def test_a_typo_in_a_long_word_is_forgiven(text: str, title: str) -> None:
    assert [role.title for role in find_roles(text)] == [title]


@pytest.mark.parametrize("text", ["looking", "banking", "printing", "I developed apps"])
def test_real_words_near_a_title_are_not_taken_for_typos(text: str) -> None:
    assert find_roles(text) == []


@pytest.mark.parametrize(
    ("posting", "title"),
    [
        ("Sales Executive - Lagos (Urgent)", "Sales Executive"),
        ("Senior Python Developer", "Python Developer"),
        ("Urgent Hiring - Accountant", "Accountant"),
        ("Graduate Trainee Recruitment for Graduate Trainee (Logistics)", "Logistics Officer"),
        ("HEAD OF ACCOUNTS", "Finance Manager"),
        ("Mixologist/Bar attendant", "Bartender"),
    ],
)
def test_a_posting_title_normalises_to_its_role(posting: str, title: str) -> None:
    role = normalise_title(posting)

    assert role is not None
    assert role.title == title


@pytest.mark.parametrize(
    ("posting", "title"),
    [
        ("Bid/Tender Officer", "Bid and Tender Officer"),
        ("Senior Tender Officer", "Bid and Tender Officer"),
        ("Business Developer & B2B Sales", "Business Development Executive"),
        ("Account Clerk", "Accounts Assistant"),
        ("Middle RPA Developer", "RPA Developer"),
        ("Senior Developer .Net", ".NET Developer"),
        ("Java Software Engineer", "Java Developer"),
        ("Mobile Application Developer", "Mobile Developer"),
        ("Tech Curriculum Developer", "Curriculum Developer"),
        ("CAD Designer", "Draughtsman"),
        ("Equity Sales Trader", "Stockbroker"),
        ("Senior Programmes Manager", "Project Manager"),
    ],
)
def test_a_posting_title_is_read_as_its_own_trade_not_a_looser_one(
    posting: str, title: str
) -> None:
    role = normalise_title(posting)

    assert role is not None
    assert role.title == title


def test_a_posting_title_without_a_known_role_normalises_to_none() -> None:
    assert normalise_title("Hydrologist") is None


@pytest.mark.parametrize(
    "posting", ["Submit CVs – New Recruitment", "Massive Recruitment", "Commercial Manager"]
)
def test_a_title_that_only_announces_or_is_ambiguous_names_no_role(posting: str) -> None:
    assert normalise_title(posting) is None


@pytest.mark.parametrize(
    ("posting", "level"),
    [
        ("Marketing Intern", "intern"),
        ("Graduate Trainee - Banking", "entry"),
        ("Junior Accountant", "junior"),
        ("Mid-level Backend Developer", "mid"),
        ("Senior Python Developer", "senior"),
        ("Team Lead, Customer Service", "lead"),
        ("Sales Manager", "manager"),
        ("Head of Sales", "director"),
        ("Finance Director", "director"),
        ("Accountant", None),
        ("Relationship Manager", None),
    ],
)
def test_seniority_is_read_from_the_title_apart_from_the_role(
    posting: str, level: str | None
) -> None:
    assert seniority_of(posting) == level
    assert level is None or level in SENIORITY_LEVELS


def test_related_titles_are_the_rest_of_the_family() -> None:
    analyst = Role("Data Analyst", "data")

    related = related_titles(analyst)

    assert "Data Scientist" in related
    assert "Data Analyst" not in related
    assert all(role_for_title(title).family == "data" for title in related)  # type: ignore[union-attr]


def test_a_canonical_title_is_found_whatever_its_case() -> None:
    assert role_for_title("data analyst") == Role("Data Analyst", "data")
    assert role_for_title("Astronaut") is None
    assert Role("Data Analyst", "data") in all_roles()


def test_a_title_ending_in_teacher_is_a_teachers_job_whatever_the_subject() -> None:
    assert normalise_title("ICT TEACHER") == role_for_title("Teacher")
    assert normalise_title("Head Teacher") == role_for_title("Head Teacher")


def test_an_instructor_of_a_trade_is_neither_the_trades_job_nor_a_teachers() -> None:
    assert normalise_title("Cyber Security Facilitator") is None
    assert normalise_title("Cybersecurity Instructor") is None


def test_an_instructor_a_role_is_named_by_keeps_that_role() -> None:
    assert normalise_title("Fitness Instructor") == role_for_title("Fitness Instructor")
    assert normalise_title("Training Instructor") == role_for_title(
        "Learning and Development Officer"
    )


def test_an_assistant_to_a_manager_is_a_senior_post_and_a_deputy_a_managers() -> None:
    assert seniority_of("Asst Sales Manager (Ethanol and/or CO2 Industry)") == "senior"
    assert seniority_of("Assistant Branch Manager") == "senior"
    assert seniority_of("Deputy Manager") == "manager"


def test_an_analyst_of_supply_chains_analyses_and_a_crane_operator_lifts() -> None:
    assert normalise_title("Supply Chain Analyst") == role_for_title("Business Analyst")
    assert normalise_title("Crane Operator") == role_for_title("Forklift Operator")


def test_people_and_culture_is_hr_and_an_operations_support_system_is_it() -> None:
    assert normalise_title("People & Culture Officer") == role_for_title("HR Officer")
    assert normalise_title("Head of People and Culture") == role_for_title("HR Manager")
    # A telecom's OSS/BSS is software to run, not operations work.
    assert normalise_title("SME, Business /Operations Support System") == role_for_title(
        "System Administrator"
    )
