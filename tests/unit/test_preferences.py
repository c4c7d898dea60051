"""Preferences, the updates one message makes to them, and how updates apply."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from aremu.domain.preferences import (
    Arrangement,
    ListChange,
    Money,
    PreferenceField,
    Preferences,
    PreferenceUpdate,
    apply_update,
)
from aremu.domain.vocabulary import Place, Role

SALES_REP = Role("Sales Representative", "sales")
SALES_MANAGER = Role("Sales Manager", "sales")
DATA_ANALYST = Role("Data Analyst", "data")
LAGOS = Place("Lagos", "Lagos")
IKEJA = Place("Ikeja", "Lagos")
ABUJA = Place("Abuja", "FCT")


def _complete() -> Preferences:
    return Preferences(
        roles=[SALES_REP],
        locations=[LAGOS],
        years_experience=3,
        min_pay=Money(amount=Decimal(300000)),
        arrangement=Arrangement.HYBRID,
    )


@pytest.mark.parametrize(
    ("money", "monthly"),
    [
        (Money(amount=Decimal(300000)), Decimal(300000)),
        (Money(amount=Decimal(2_400_000), period="year"), Decimal(200000)),
        (Money(amount=Decimal(1000), currency="USD", period="week"), Decimal("4333.33")),
        (Money(amount=Decimal(10), currency="USD", period="day"), Decimal("216.67")),
        (Money(amount=Decimal(15), currency="GBP", period="hour"), Decimal("2600.00")),
    ],
)
def test_pay_converts_to_a_monthly_figure_in_the_same_currency(
    money: Money, monthly: Decimal
) -> None:
    converted = money.monthly()

    assert converted.amount == monthly
    assert (converted.currency, converted.period) == (money.currency, "month")


def test_pay_reads_naturally_in_a_summary() -> None:
    assert Money(amount=Decimal(300000)).label() == "₦300,000 a month"
    assert Money(amount=Decimal(40), currency="USD", period="hour").label() == "$40 an hour"


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-5)])
def test_pay_must_be_positive(amount: Decimal) -> None:
    with pytest.raises(ValidationError):
        Money(amount=amount)


def test_new_preferences_miss_every_required_field_in_asking_order() -> None:
    assert Preferences().missing_fields() == [
        PreferenceField.ROLES,
        PreferenceField.LOCATIONS,
        PreferenceField.YEARS,
        PreferenceField.PAY,
        PreferenceField.ARRANGEMENT,
    ]


def test_complete_preferences_miss_nothing_even_without_skills() -> None:
    assert _complete().missing_fields() == []


@pytest.mark.parametrize(
    "answer",
    [{"anywhere_in_nigeria": True}, {"open_to_remote": True}, {"locations": [ABUJA]}],
)
def test_anywhere_or_remote_answers_the_location_question(answer: dict[str, object]) -> None:
    preferences = Preferences.model_validate(answer)

    assert PreferenceField.LOCATIONS not in preferences.missing_fields()


def test_negotiable_pay_answers_the_pay_question() -> None:
    assert PreferenceField.PAY not in Preferences(pay_negotiable=True).missing_fields()


def test_fresh_graduates_have_answered_the_experience_question() -> None:
    assert PreferenceField.YEARS not in Preferences(years_experience=0).missing_fields()


def test_the_summary_card_has_one_line_per_field() -> None:
    preferences = _complete().model_copy(
        update={"open_to_remote": True, "willing_to_relocate": True, "skills": ["Excel"]}
    )

    assert preferences.summary_lines() == [
        "*Roles:* Sales Representative",
        "*Locations:* Lagos, remote (willing to relocate)",
        "*Experience:* 3 years",
        "*Minimum pay:* ₦300,000 a month",
        "*Work arrangement:* Hybrid",
        "*Skills:* Excel",
    ]


def test_the_summary_card_says_what_is_not_set_yet() -> None:
    lines = Preferences(years_experience=0).summary_lines()

    assert lines[0] == "*Roles:* not set yet"
    assert lines[2] == "*Experience:* no work experience yet"
    assert lines[-1] == "*Skills:* none added"


def test_an_empty_update_changes_nothing() -> None:
    update = PreferenceUpdate()

    assert update.is_empty()
    assert apply_update(_complete(), update) == _complete()


def test_a_replacement_replaces_the_whole_list() -> None:
    update = PreferenceUpdate(locations=ListChange[Place](replace=[ABUJA]))

    assert apply_update(_complete(), update).locations == [ABUJA]


def test_an_addition_keeps_what_was_there_once() -> None:
    update = PreferenceUpdate(roles=ListChange[Role](add=[DATA_ANALYST, SALES_REP]))

    assert apply_update(_complete(), update).roles == [SALES_REP, DATA_ANALYST]


def test_removing_a_title_removes_that_title_only() -> None:
    preferences = _complete().model_copy(update={"roles": [SALES_REP, SALES_MANAGER]})
    update = PreferenceUpdate(roles=ListChange[Role](remove=[SALES_MANAGER]))

    assert apply_update(preferences, update).roles == [SALES_REP]


def test_removing_a_title_the_candidate_lacks_removes_its_family() -> None:
    preferences = _complete().model_copy(update={"roles": [SALES_MANAGER, DATA_ANALYST]})
    update = PreferenceUpdate(roles=ListChange[Role](remove=[SALES_REP]))

    assert apply_update(preferences, update).roles == [DATA_ANALYST]


def test_removing_a_city_removes_its_areas() -> None:
    preferences = _complete().model_copy(update={"locations": [IKEJA, LAGOS, ABUJA]})
    update = PreferenceUpdate(locations=ListChange[Place](remove=[LAGOS]))

    assert apply_update(preferences, update).locations == [ABUJA]


def test_removing_an_area_keeps_its_city() -> None:
    preferences = _complete().model_copy(update={"locations": [IKEJA, LAGOS]})
    update = PreferenceUpdate(locations=ListChange[Place](remove=[IKEJA]))

    assert apply_update(preferences, update).locations == [LAGOS]


def test_skills_are_added_and_removed_whatever_their_case() -> None:
    preferences = _complete().model_copy(update={"skills": ["Excel", "SQL"]})
    update = PreferenceUpdate(skills=ListChange[str](add=["excel", "Python"], remove=["sql"]))

    assert apply_update(preferences, update).skills == ["Excel", "Python"]


def test_stated_scalars_replace_the_old_values() -> None:
    update = PreferenceUpdate(
        years_experience=4,
        min_pay=Money(amount=Decimal(400000)),
        arrangement=Arrangement.ONSITE,
        willing_to_relocate=True,
    )

    updated = apply_update(_complete(), update)

    assert updated.years_experience == 4
    assert updated.min_pay == Money(amount=Decimal(400000))
    assert updated.arrangement is Arrangement.ONSITE
    assert updated.willing_to_relocate is True


def test_negotiable_pay_clears_the_old_minimum() -> None:
    updated = apply_update(_complete(), PreferenceUpdate(pay_negotiable=True))

    assert updated.min_pay is None
    assert updated.pay_negotiable is True


def test_a_new_minimum_ends_negotiable_pay() -> None:
    preferences = Preferences(pay_negotiable=True)

    updated = apply_update(preferences, PreferenceUpdate(min_pay=Money(amount=Decimal(9000))))

    assert updated.pay_negotiable is False


@pytest.mark.parametrize("arrangement", [Arrangement.REMOTE, Arrangement.ANY])
def test_an_arrangement_that_allows_remote_work_welcomes_remote_jobs(
    arrangement: Arrangement,
) -> None:
    updated = apply_update(Preferences(), PreferenceUpdate(arrangement=arrangement))

    assert updated.open_to_remote is True


def test_the_update_names_the_fields_it_changes() -> None:
    update = PreferenceUpdate(
        roles=ListChange[Role](add=[DATA_ANALYST]), years_experience=0, open_to_remote=False
    )

    assert update.changed_fields() == ["roles", "open_to_remote", "years_experience"]


def test_preferences_survive_a_round_trip_through_json() -> None:
    preferences = _complete().model_copy(update={"locations": [IKEJA, Place("London", None, "GB")]})

    assert Preferences.model_validate_json(preferences.model_dump_json()) == preferences
