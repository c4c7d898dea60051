"""The search plan: distinct role × place pairs from what candidates want, capped and rotated."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from aremu.jobs.search_plan import SearchSettings, SearchWant, build_search_plan

CAP = SearchSettings(max_searches=2)


def test_wants_that_name_the_same_pair_make_one_search() -> None:
    wants = [
        SearchWant(role="Accountant", location="Lagos"),
        SearchWant(role="accountant ", location="lagos"),
    ]

    plan = build_search_plan(wants, SearchSettings())

    assert len(plan.searches) == 1
    assert plan.total_pairs == 1


def test_a_run_makes_at_most_the_capped_number_of_searches() -> None:
    wants = [SearchWant(role=role, location="Abuja") for role in ("Driver", "Nurse", "Chef")]

    plan = build_search_plan(wants, CAP)

    assert len(plan.searches) == 2
    assert plan.total_pairs == 3


def test_the_next_run_starts_after_the_cursor_and_wraps_around() -> None:
    wants = [SearchWant(role=role, location="Abuja") for role in ("Driver", "Nurse", "Chef")]

    first = build_search_plan(wants, CAP)
    second = build_search_plan(wants, CAP, cursor=first.next_cursor)

    searched = [s.key for s in first.searches] + [s.key for s in second.searches]
    assert set(searched) == {s.key for s in build_search_plan(wants, SearchSettings()).searches}


def test_a_remote_want_is_searched_country_wide_with_the_word_remote() -> None:
    plan = build_search_plan([SearchWant(role="Data Analyst", location="remote")], SearchSettings())

    search = plan.searches[0]
    assert search.is_remote
    assert search.search_term.endswith("remote")
    assert search.location == "Nigeria"
    assert search.hours_old == 72


def test_a_want_without_a_place_searches_the_whole_country() -> None:
    plan = build_search_plan([SearchWant(role="Chef")], SearchSettings())

    assert plan.searches[0].location == "Nigeria"


def test_sites_country_and_volume_come_from_the_settings() -> None:
    custom = SearchSettings(sites=("indeed",), country="ghana", results_wanted=5, hours_old=24)

    search = build_search_plan([SearchWant(role="Chef", location="Accra")], custom).searches[0]

    assert (search.sites, search.country, search.results_wanted, search.hours_old) == (
        ("indeed",),
        "ghana",
        5,
        24,
    )


def test_no_wants_make_no_searches() -> None:
    plan = build_search_plan([], SearchSettings(), cursor="chef|lagos")

    assert plan.searches == []
    assert plan.next_cursor == "chef|lagos"


@settings(max_examples=40, deadline=None)
@given(
    roles=st.lists(st.sampled_from(["Driver", "Nurse", "Chef", "Cashier", "Welder"]), min_size=1),
    places=st.lists(st.sampled_from(["Lagos", "Abuja", "Ibadan", "Kano"]), min_size=1),
    cap=st.integers(min_value=1, max_value=6),
)
def test_every_pair_is_searched_within_pairs_over_cap_runs(
    roles: list[str], places: list[str], cap: int
) -> None:
    wants = [SearchWant(role=role, location=place) for role in roles for place in places]
    settings_ = SearchSettings(max_searches=cap)
    everything = {s.key for s in build_search_plan(wants, SearchSettings(max_searches=99)).searches}

    cursor, searched = None, set()
    for _ in range(math.ceil(len(everything) / cap)):
        plan = build_search_plan(wants, settings_, cursor=cursor)
        searched |= {s.key for s in plan.searches}
        cursor = plan.next_cursor

    assert searched == everything


def test_places_are_searched_by_their_vocabulary_names() -> None:
    wants = [
        SearchWant(role="Nurse", location="PH"),
        SearchWant(role="Nurse", location="rivers state"),
        SearchWant(role="Nurse", location="Nigeria"),
    ]

    locations = {s.location for s in build_search_plan(wants, SearchSettings()).searches}

    assert locations == {"Port Harcourt", "Rivers State", "Nigeria"}
