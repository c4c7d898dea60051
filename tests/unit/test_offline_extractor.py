"""The offline preference extractor: the phrasing job seekers use, edits, and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aremu.domain.extraction import PreferenceExtractor
from aremu.domain.extraction.offline import MAX_CHARACTERS, OfflinePreferenceExtractor, _extract
from aremu.domain.preferences import Arrangement, ListChange, Money, PreferenceUpdate
from aremu.domain.vocabulary import Place, Role
from bench.extractor_accuracy import TARGET, load_labelled, score

LAGOS = Place("Lagos", "Lagos")
ABUJA = Place("Abuja", "FCT")
IBADAN = Place("Ibadan", "Oyo")
SALES_REP = Role("Sales Representative", "sales")
DATA_ANALYST = Role("Data Analyst", "data")

extractor = OfflinePreferenceExtractor()


def test_it_is_a_preference_extractor() -> None:
    assert isinstance(extractor, PreferenceExtractor)


def test_a_whole_profile_is_understood_in_one_message() -> None:
    update = extractor.extract(
        "I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine"
    )

    assert update.roles == ListChange[Role](replace=[SALES_REP])
    assert update.locations == ListChange[Place](replace=[LAGOS])
    assert update.years_experience == 3
    assert update.min_pay == Money(amount=Decimal(300000), currency="NGN", period="month")
    assert update.arrangement is Arrangement.HYBRID


@pytest.mark.parametrize(
    ("text", "amount", "currency", "period"),
    [
        ("300k", 300000, "NGN", "month"),
        ("300,000", 300000, "NGN", "month"),
        ("₦300,000", 300000, "NGN", "month"),
        ("N300k", 300000, "NGN", "month"),
        ("NGN 300000", 300000, "NGN", "month"),
        ("$2k/month", 2000, "USD", "month"),
        ("2.5m per annum", 2500000, "NGN", "year"),
        ("150k monthly", 150000, "NGN", "month"),
        ("1.2 million yearly", 1200000, "NGN", "year"),
        ("between 200k and 300k", 200000, "NGN", "month"),
        ("200-300k", 200000, "NGN", "month"),
        ("fifty thousand naira", 50000, "NGN", "month"),
        ("£45,000 a year", 45000, "GBP", "year"),
        ("$40/hr", 40, "USD", "hour"),
        ("KES 250,000 a month", 250000, "KES", "month"),
        ("9m", 9000000, "NGN", "year"),
    ],
)
def test_pay_is_read_in_the_forms_people_write_it(
    text: str, amount: int, currency: str, period: str
) -> None:
    assert extractor.extract(text).min_pay == Money.model_validate(
        {"amount": amount, "currency": currency, "period": period}
    )


def test_current_pay_gives_way_to_wanted_pay() -> None:
    update = extractor.extract("I earn 150k currently but I want 250k")

    assert update.min_pay == Money(amount=Decimal(250000))


def test_a_corrected_amount_wins() -> None:
    assert extractor.extract("300k, sorry 350k").min_pay == Money(amount=Decimal(350000))


@pytest.mark.parametrize(
    "text", ["called to bar 2019", "call me on 08031234567", "3 years", "Wuse 2", "50%"]
)
def test_numbers_that_are_not_pay_are_not_pay(text: str) -> None:
    assert extractor.extract(text).min_pay is None


@pytest.mark.parametrize("text", ["negotiable", "Salary is negotiable", "any amount is fine"])
def test_negotiable_pay_without_an_amount_is_noted(text: str) -> None:
    update = extractor.extract(text)

    assert update.pay_negotiable is True
    assert update.min_pay is None


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("3 yrs", 3),
        ("three years", 3),
        ("5+ years", 5),
        ("over 5 years", 5),
        ("about 18 months", 1.5),
        ("1 and half years", 1.5),
        ("a decade in banking", 10),
        ("Experience: 8", 8),
        ("fresh graduate", 0),
        ("no experience", 0),
        ("graduate trainee", 0),
        ("I now have 4 years", 4),
        ("5 years total, 3 in sales", 5),
        ("3 years experience... sorry, 4 years", 4),
    ],
)
def test_years_of_experience_are_read_in_words_and_figures(text: str, years: float) -> None:
    assert extractor.extract(text).years_experience == years


def test_age_is_not_experience() -> None:
    assert extractor.extract("I'm 27 years old").years_experience is None


@pytest.mark.parametrize(
    ("text", "arrangement"),
    [
        ("remote", Arrangement.REMOTE),
        ("work from home", Arrangement.REMOTE),
        ("hybrid", Arrangement.HYBRID),
        ("on-site", Arrangement.ONSITE),
        ("onsite", Arrangement.ONSITE),
        ("in office is fine", Arrangement.ONSITE),
        ("any arrangement", Arrangement.ANY),
        ("remote or onsite, any is fine", Arrangement.ANY),
        ("hybrid not possible so onsite", Arrangement.ONSITE),
    ],
)
def test_the_work_arrangement_is_read(text: str, arrangement: Arrangement) -> None:
    assert extractor.extract(text).arrangement is arrangement


def test_an_arrangement_said_with_only_beats_a_contradicting_one() -> None:
    update = extractor.extract("Remote only please. On-site in Lagos also works")

    assert update.arrangement is Arrangement.REMOTE


def test_the_first_arrangement_wins_between_two_compatible_ones() -> None:
    assert extractor.extract("hybrid or remote").arrangement is Arrangement.HYBRID


def test_remote_beside_a_place_is_a_place_to_work_not_a_way_of_working() -> None:
    update = extractor.extract("Lagos or remote")

    assert update.open_to_remote is True
    assert update.arrangement is None
    assert update.locations == ListChange[Place](replace=[LAGOS])


def test_refusing_remote_work_is_noted() -> None:
    update = extractor.extract("No remote pls")

    assert update.open_to_remote is False
    assert update.arrangement is None


@pytest.mark.parametrize(
    ("text", "anywhere"),
    [("anywhere in Nigeria", True), ("nationwide", True), ("any where in lagos", None)],
)
def test_anywhere_in_nigeria_is_not_anywhere_in_one_city(text: str, anywhere: bool | None) -> None:
    assert extractor.extract(text).anywhere_in_nigeria is anywhere


@pytest.mark.parametrize(
    ("text", "willing"),
    [
        ("willing to relocate", True),
        ("open to relocation", True),
        ("I fit relocate", True),
        ("not willing to relocate", False),
        ("I can't relocate", False),
    ],
)
def test_relocation_is_read_with_its_negation(text: str, willing: bool) -> None:
    assert extractor.extract(text).willing_to_relocate is willing


@pytest.mark.parametrize(
    "text",
    ["skills: Excel, Python and SQL", "I know Excel, Python and SQL", "Excel, Python, SQL"],
)
def test_skills_are_read_from_a_list(text: str) -> None:
    assert extractor.extract(text).skills == ListChange[str](replace=["Excel", "Python", "SQL"])


def test_words_in_a_skills_list_are_not_roles() -> None:
    update = extractor.extract("Skills: customer service, communication")

    assert update.roles.is_empty()
    assert update.skills == ListChange[str](replace=["Customer service", "Communication"])


def test_change_my_location_replaces_the_locations() -> None:
    update = extractor.extract("change my location to Abuja")

    assert update.locations == ListChange[Place](replace=[ABUJA])


def test_add_a_role_adds_it() -> None:
    assert extractor.extract("add data analyst").roles == ListChange[Role](add=[DATA_ANALYST])


def test_remove_a_role_removes_it() -> None:
    assert extractor.extract("remove sales rep").roles == ListChange[Role](remove=[SALES_REP])


def test_change_one_place_to_another_swaps_them() -> None:
    update = extractor.extract("Change Lagos to Ibadan")

    assert update.locations == ListChange[Place](add=[IBADAN], remove=[LAGOS])


def test_a_place_with_too_is_added() -> None:
    assert extractor.extract("Ibadan too").locations == ListChange[Place](add=[IBADAN])


def test_a_negated_place_in_an_answer_is_left_out() -> None:
    update = extractor.extract("Lagos, not Abuja")

    assert update.locations == ListChange[Place](replace=[LAGOS])


def test_where_someone_lives_gives_way_to_where_they_want_to_work() -> None:
    update = extractor.extract("I live in Lagos but want to work in Abuja")

    assert update.locations == ListChange[Place](replace=[ABUJA])


def test_where_someone_lives_is_the_answer_when_it_is_the_only_place() -> None:
    update = extractor.extract("I'm based in Ikeja")

    assert update.locations == ListChange[Place](replace=[Place("Ikeja", "Lagos")])


def test_a_country_named_beside_its_cities_only_frames_them() -> None:
    update = extractor.extract("Looking for jobs in the UK, London or Manchester")

    assert update.locations == ListChange[Place](
        replace=[Place("London", None, "GB"), Place("Manchester", None, "GB")]
    )


def test_an_edited_skill_list_is_added_to() -> None:
    update = extractor.extract("add Excel to my skills")

    assert update.skills == ListChange[str](add=["Excel"])
    assert update.roles.is_empty()


@pytest.mark.parametrize(
    "text",
    ["", "   ", "asdfghjkl", "👍", "😂😂😂🔥🔥", "ok", "thanks!!", "\x00\x01\x1b\x7f", "?!?!"],
)
def test_messages_without_preferences_give_an_empty_update(text: str) -> None:
    assert extractor.extract(text) == PreferenceUpdate()


def test_a_very_long_message_is_read_up_to_the_whatsapp_limit() -> None:
    padding = "blah " * 1000
    update = extractor.extract("Lagos, 300k. " + padding + " Abuja")

    assert update.locations == ListChange[Place](replace=[LAGOS])
    assert update.min_pay == Money(amount=Decimal(300000))
    assert len(padding) > MAX_CHARACTERS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_any_text_gives_an_update_and_never_an_exception(text: str) -> None:
    assert isinstance(_extract(text), PreferenceUpdate)


_PREFERENCE_WORDS = (
    "I am a sales rep in Lagos Abuja PH Ikeja remote hybrid on-site 300k ₦ $ 2.5m per annum 3 "
    "years fresh graduate add remove change to not no only skills: Excel , . anywhere Nigeria "
    "relocate willing 😂 k m million and or between ( )"
)
_WORDS = st.sampled_from(_PREFERENCE_WORDS.split())


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40).map(" ".join))
def test_any_mix_of_preference_words_gives_an_update(text: str) -> None:
    assert isinstance(_extract(text), PreferenceUpdate)


def test_the_labelled_set_has_at_least_160_messages() -> None:
    assert len(load_labelled()) >= 160


def test_the_extractor_gets_at_least_90_percent_of_labelled_fields_right() -> None:
    result = score(extractor, load_labelled())

    assert result.accuracy >= TARGET
