"""The operator desk's plain rules: phone numbers, cards, when the bot speaks during a hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aremu.domain.conversation.commands import Intent, read_intent
from aremu.domain.conversation.state import Awaiting
from aremu.domain.preferences import Money, Preferences
from aremu.domain.vocabulary.places import resolve_place
from aremu.domain.vocabulary.roles import find_roles
from aremu.services.operator_desk import (
    bot_answers_while_held,
    compact_pay,
    display_name,
    line_text,
    normalise_phone,
    preferences_summary,
)
from aremu.storage.interventions import (
    HoldEnd,
    claim_sort_key,
    handback_detail,
    hold_outcome,
    takeover_detail,
)
from aremu.storage.models import CandidateItem, MessageItem

SINCE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def held(state: str = "active", last_inbound: datetime | None = None) -> CandidateItem:
    return CandidateItem(
        "CAND#c1",
        "PROFILE",
        candidate_id="c1",
        state=state,
        created_at=SINCE,
        last_inbound_at=last_inbound,
        operator_id="U0ANN",
        operator_since=SINCE,
    )


@pytest.mark.parametrize(
    "typed",
    ["+234 803 123 4567", "0803 123 4567", "0803-123-4567", "803 123 4567", "(0803) 1234567",
     "2348031234567", "00234 803 123 4567"],
)  # fmt: skip
def test_usual_ways_of_typing_a_nigerian_number_give_its_whatsapp_id(typed: str) -> None:
    assert normalise_phone(typed) == "2348031234567"


def test_foreign_number_with_its_country_code_is_kept() -> None:
    assert normalise_phone("+44 7700 900123") == "447700900123"


@pytest.mark.parametrize("typed", ["Ada Obi", "ada", "12345", "", "0803 abc 4567"])
def test_names_and_short_numbers_are_not_phone_numbers(typed: str) -> None:
    assert normalise_phone(typed) is None


@given(
    st.lists(st.sampled_from([" ", "-", "."]), min_size=10, max_size=10),
    st.sampled_from(["0", "+234", "234"]),
)
def test_separators_never_change_the_number(separators: list[str], prefix: str) -> None:
    digits = "8031234567"
    typed = prefix + "".join(d + s for d, s in zip(digits, separators, strict=True))

    assert normalise_phone(typed) == "2348031234567"


def test_display_name_falls_back_to_the_id_never_a_number() -> None:
    assert display_name(None, "c8f3a91b2") == "Candidate c8f3a9"
    assert display_name("  ", "c8f3a91b2") == "Candidate c8f3a9"
    assert display_name("Ada Obi", "c8f3a91b2") == "Ada Obi"


def test_preferences_fit_on_one_line() -> None:
    preferences = Preferences(
        roles=find_roles("sales executive"),
        locations=[resolve_place("Lagos")],
        min_pay=Money(amount=Decimal(300000)),
    )

    assert preferences_summary(preferences) == "Sales Executive · Lagos · ₦300k+/month"


def test_no_preferences_say_so() -> None:
    assert preferences_summary(Preferences()) == "no preferences yet"


@pytest.mark.parametrize(
    ("amount", "currency", "period", "shown"),
    [
        (Decimal(1_500_000), "NGN", "month", "₦1.5m+/month"),
        (Decimal(250_000), "NGN", "month", "₦250k+/month"),
        (Decimal(2_000), "USD", "month", "$2k+/month"),
        (Decimal(900), "NGN", "day", "₦900+/day"),
    ],
)
def test_pay_is_compact(amount: Decimal, currency: str, period: str, shown: str) -> None:
    money = Money.model_validate({"amount": amount, "currency": currency, "period": period})

    assert compact_pay(money) == shown


@pytest.mark.parametrize(
    ("text", "button"),
    [("stop", None), ("please stop messaging me", None), ("delete my data", None),
     (None, "erase_yes"), (None, "erase_no")],
)  # fmt: skip
def test_stop_and_erasure_still_reach_the_bot_during_a_hold(
    text: str | None, button: str | None
) -> None:
    assert bot_answers_while_held(read_intent(text, button), Awaiting.NOTHING)


@pytest.mark.parametrize("text", ["jobs", "help", "hello", "talk to a person", "I applied"])
def test_everything_else_waits_for_the_recruiter(text: str) -> None:
    assert not bot_answers_while_held(read_intent(text, None), Awaiting.NOTHING)


def test_yes_confirms_an_erasure_the_bot_asked_about() -> None:
    assert bot_answers_while_held(Intent.YES, Awaiting.ERASE_CONFIRMATION)
    assert not bot_answers_while_held(Intent.YES, Awaiting.NOTHING)


def test_hold_outcome_knows_whether_the_candidate_replied_and_stayed() -> None:
    replied = held(last_inbound=SINCE + timedelta(minutes=3))
    silent = held(last_inbound=SINCE - timedelta(days=2))

    assert hold_outcome(replied, HoldEnd.RECRUITER) == (True, True)
    assert hold_outcome(silent, HoldEnd.RECRUITER) == (False, True)
    assert hold_outcome(replied, HoldEnd.CANDIDATE_OPTED_OUT) == (True, False)


def test_takeover_event_has_the_design_shape() -> None:
    detail = takeover_detail("c1", "U0ANN", SINCE, "quiet for 3 days")

    assert detail == {
        "candidateId": "c1",
        "operatorId": "U0ANN",
        "timestamp": "2026-11-23T09:00:00Z",
        "reason": "quiet for 3 days",
    }


def test_handback_event_names_the_thread_only_when_there_is_one() -> None:
    candidate = held()
    bare = handback_detail(candidate, SINCE, "sorted", HoldEnd.RECRUITER)
    candidate.operator_channel, candidate.operator_thread_ts = "C1", "1.2"
    threaded = handback_detail(candidate, SINCE, "sorted", HoldEnd.RECRUITER)

    assert set(bare) == {"candidateId", "operatorId", "timestamp", "summary", "endedBy"}
    assert (threaded["channel"], threaded["threadTs"]) == ("C1", "1.2")


def test_long_dedup_keys_are_hashed_to_a_fixed_size() -> None:
    assert claim_sort_key("Ev0123") == "SEND#Ev0123"
    assert len(claim_sort_key("x" * 5000)) == len("SEND#") + 64


def test_messages_without_words_read_as_what_they_were() -> None:
    def message(message_type: str, content: dict[str, object] | None) -> MessageItem:
        return MessageItem(message_type=message_type, content=content, text=None)

    assert line_text(message("template", {"name": "aremu_check_in"})) == "[template aremu_check_in]"
    assert line_text(message("interactive", {"job_id": "j1"})) == "[job alert]"
    assert line_text(message("image", None)) == "[image]"
