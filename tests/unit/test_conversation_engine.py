"""The conversation engine as transcripts: what the candidate says, what Aremu decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aremu.domain.conversation.engine import respond
from aremu.domain.conversation.state import Awaiting, Candidate, Decision, Incoming, Stage
from aremu.domain.extraction.offline import OfflinePreferenceExtractor
from aremu.domain.preferences import Preferences

EXTRACTOR = OfflinePreferenceExtractor()
FULL_PROFILE = "I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine"


def body_of(decision: Decision) -> str:
    assert decision.reply is not None
    body = decision.reply.to_body("234")
    if body["type"] == "text":
        return str(body["text"]["body"])
    return str(body["interactive"]["body"]["text"])


def buttons_of(decision: Decision) -> list[str]:
    assert decision.reply is not None
    body = decision.reply.to_body("234")
    action = body.get("interactive", {}).get("action", {})
    return [button["reply"]["id"] for button in action.get("buttons", [])]


@dataclass
class Chat:
    """A candidate's side of a conversation, carrying the engine's decisions forward."""

    candidate: Candidate = field(
        default_factory=lambda: Candidate("c1", Stage.NEW, Preferences(), profile_name="Ada Obi")
    )
    decisions: list[Decision] = field(default_factory=list)
    counter: int = 0

    def say(self, text: str, message_type: str = "text") -> Decision:
        return self._turn(Incoming(self._next_id(), message_type, text=text))

    def tap(self, button_id: str, title: str = "") -> Decision:
        return self._turn(Incoming(self._next_id(), "interactive", text=title, button_id=button_id))

    def _next_id(self) -> str:
        self.counter += 1
        return f"wamid.{self.counter}"

    def _turn(self, incoming: Incoming) -> Decision:
        decision = respond(self.candidate, incoming, EXTRACTOR)
        self.decisions.append(decision)
        self.candidate = Candidate(
            self.candidate.candidate_id,
            decision.stage,
            decision.preferences,
            decision.awaiting,
            self.candidate.profile_name,
            decision.needs_person,
        )
        return decision

    def onboard(self) -> None:
        self.say("hi")
        self.tap("consent_yes")
        self.say(FULL_PROFILE)
        self.tap("prefs_confirm")
        assert self.candidate.stage is Stage.ACTIVE


# Onboarding and consent


def test_first_message_says_aremu_is_automated_and_asks_for_consent() -> None:
    decision = Chat().say("hello")

    assert "automated assistant" in body_of(decision)
    assert body_of(decision).startswith("Hi Ada!")
    assert buttons_of(decision) == ["consent_yes", "consent_no"]
    assert (decision.stage, decision.awaiting) == (Stage.NEW, Awaiting.CONSENT)


def test_whole_profile_in_one_message_goes_straight_to_the_summary_card() -> None:
    chat = Chat()
    chat.say("hi")
    chat.tap("consent_yes")

    decision = chat.say(FULL_PROFILE)

    assert decision.awaiting is Awaiting.CONFIRMATION
    assert buttons_of(decision) == ["prefs_confirm", "prefs_edit"]
    for words in ("Sales Representative", "Lagos", "3 years", "300,000", "Hybrid"):
        assert words in body_of(decision)


def test_confirming_the_summary_activates_the_candidate() -> None:
    chat = Chat()

    chat.onboard()

    stages = [t.new for d in chat.decisions for t in d.transitions]
    assert stages == [Stage.CONSENTED, Stage.COLLECTING, Stage.ACTIVE]


def test_only_missing_fields_are_asked_for_one_at_a_time() -> None:
    chat = Chat()
    chat.say("hi")
    chat.tap("consent_yes")

    after_role = chat.say("I'm a python developer")
    after_place = chat.say("Abuja or remote")
    after_years = chat.say("4")
    after_pay = chat.say("$2k/month")
    after_arrangement = chat.say("any")

    assert [
        after_role.awaiting,
        after_place.awaiting,
        after_years.awaiting,
        after_pay.awaiting,
    ] == [
        Awaiting.LOCATIONS,
        Awaiting.EXPERIENCE,
        Awaiting.PAY,
        Awaiting.ARRANGEMENT,
    ]
    assert after_arrangement.awaiting is Awaiting.CONFIRMATION
    assert chat.candidate.preferences.years_experience == 4


def test_preferences_given_before_consent_are_kept() -> None:
    chat = Chat()
    chat.say(FULL_PROFILE)

    decision = chat.tap("consent_yes")

    assert decision.awaiting is Awaiting.CONFIRMATION


def test_yes_in_words_counts_as_consent() -> None:
    chat = Chat()
    chat.say("hi")

    assert chat.say("Yes please").stage is Stage.CONSENTED


def test_declining_consent_opts_out_with_one_message() -> None:
    chat = Chat()
    chat.say("hi")

    decision = chat.tap("consent_no")

    assert decision.stage is Stage.OPTED_OUT
    assert "START" in body_of(decision)


def test_no_job_talk_before_consent() -> None:
    chat = Chat()
    chat.say("hi")

    decision = chat.say("jobs")

    assert decision.stage is Stage.NEW
    assert buttons_of(decision) == ["consent_yes", "consent_no"]


def test_edit_button_on_the_summary_asks_what_to_change() -> None:
    chat = Chat()
    chat.say("hi")
    chat.tap("consent_yes")
    chat.say(FULL_PROFILE)

    decision = chat.tap("prefs_edit")
    changed = chat.say("change my location to Abuja")

    assert decision.awaiting is Awaiting.EDIT
    assert changed.awaiting is Awaiting.CONFIRMATION
    assert [p.city for p in changed.preferences.locations] == ["Abuja"]


# Commands


def test_preferences_can_be_changed_in_words_once_active() -> None:
    chat = Chat()
    chat.onboard()

    moved = chat.say("change my location to Abuja")
    added = chat.say("add data analyst")

    assert [p.city for p in moved.preferences.locations] == ["Abuja"]
    assert [r.title for r in added.preferences.roles] == ["Sales Representative", "Data Analyst"]
    assert added.stage is Stage.ACTIVE
    assert "Data Analyst" in body_of(added)


def test_pause_and_resume() -> None:
    chat = Chat()
    chat.onboard()

    paused = chat.say("Pause")
    resumed = chat.say("resume!")

    assert (paused.stage, resumed.stage) == (Stage.PAUSED, Stage.ACTIVE)
    assert "paused" in body_of(paused)


@pytest.mark.parametrize("words", ["help", "MENU", "Help!", "menu."])
def test_help_shows_the_menu(words: str) -> None:
    chat = Chat()
    chat.onboard()

    decision = chat.say(words)

    body = decision.reply.to_body("234") if decision.reply else {}
    assert body["interactive"]["type"] == "list"


def test_jobs_before_the_matcher_is_honest() -> None:
    chat = Chat()
    chat.onboard()

    assert "no matches" in body_of(chat.say("jobs")).lower()


def test_my_preferences_shows_the_card() -> None:
    chat = Chat()
    chat.onboard()

    decision = chat.say("my preferences")

    assert "Sales Representative" in body_of(decision)
    assert "prefs_edit" in buttons_of(decision)


def test_talk_to_a_person_flags_the_candidate() -> None:
    chat = Chat()
    chat.onboard()

    decision = chat.say("I want to talk to a person")

    assert decision.needs_person
    assert "recruiter" in body_of(decision)


def test_command_in_the_middle_of_onboarding_is_obeyed_then_onboarding_resumes() -> None:
    chat = Chat()
    chat.say("hi")
    chat.tap("consent_yes")
    chat.say("sales rep")

    menu = chat.say("menu")
    resumed = chat.say("Lagos")

    assert menu.reply is not None
    assert resumed.awaiting is Awaiting.EXPERIENCE


def test_button_from_an_old_message_does_no_harm() -> None:
    chat = Chat()
    chat.onboard()

    decision = chat.tap("consent_yes", "Yes, send jobs")

    assert decision.stage is Stage.ACTIVE
    assert decision.transitions == ()


def test_unsupported_media_gets_a_word_on_what_is_understood() -> None:
    chat = Chat()
    chat.onboard()

    decision = chat.say("", message_type="image")

    assert "only read text" in body_of(decision)


def test_reactions_get_no_reply() -> None:
    chat = Chat()
    chat.onboard()

    assert chat.say("", message_type="reaction").reply is None


# Stop, start and erasure


@pytest.mark.parametrize(
    "words", ["STOP", "stop!", "Unsubscribe", "please stop messaging me", "Don't message me again"]
)
def test_any_clear_stop_request_opts_out(words: str) -> None:
    chat = Chat()
    chat.onboard()

    decision = chat.say(words)

    assert decision.stage is Stage.OPTED_OUT
    assert "won't get any more messages" in body_of(decision)


def test_after_stop_only_start_gets_an_answer() -> None:
    chat = Chat()
    chat.onboard()
    chat.say("stop")

    silent = [chat.say(words) for words in ("hello?", "jobs", "help", "stop", "resume")]
    back = chat.say("START")

    assert [d.reply for d in silent] == [None] * 5
    assert back.stage is Stage.ACTIVE
    assert back.reply is not None


def test_delete_asks_then_erases_on_confirmation() -> None:
    chat = Chat()
    chat.onboard()

    asked = chat.say("delete my data")
    erased = chat.tap("erase_yes")

    assert buttons_of(asked) == ["erase_yes", "erase_no"]
    assert not asked.erase
    assert erased.erase
    assert erased.stage is Stage.ERASED
    assert "deleted" in body_of(erased)


def test_delete_can_be_called_off() -> None:
    chat = Chat()
    chat.onboard()
    chat.say("delete my data")

    kept = chat.tap("erase_no")

    assert not kept.erase
    assert kept.stage is Stage.ACTIVE


@pytest.mark.parametrize(
    "stage", [Stage.NEW, Stage.CONSENTED, Stage.COLLECTING, Stage.ACTIVE, Stage.PAUSED]
)
def test_stop_works_from_every_stage(stage: Stage) -> None:
    candidate = Candidate("c1", stage, Preferences())

    decision = respond(candidate, Incoming("m", "text", text="stop"), EXTRACTOR)

    assert decision.stage is Stage.OPTED_OUT


# Bad input


@pytest.mark.parametrize(
    "text", ["asdkjh qwe zzz", "🙂🙂🙂", "x" * 4000, "\x00\x01", "   ", "sales " * 800]
)
def test_odd_messages_get_a_helpful_answer_not_a_crash(text: str) -> None:
    chat = Chat()
    chat.onboard()

    decision = chat.say(text)

    assert decision.stage is Stage.ACTIVE


def test_gibberish_during_onboarding_repeats_the_question() -> None:
    chat = Chat()
    chat.say("hi")
    chat.tap("consent_yes")

    decision = chat.say("asdkjh qwe")

    assert decision.awaiting is Awaiting.ROLES
    assert "didn't catch" in body_of(decision)


# The property: after an opt-out, nothing but the one confirmation until "start".

ACTIONS = st.sampled_from(
    [
        ("say", "hi"),
        ("say", "stop"),
        ("say", "please stop messaging me"),
        ("say", "start"),
        ("say", "jobs"),
        ("say", "help"),
        ("say", "resume"),
        ("say", "pause"),
        ("say", FULL_PROFILE),
        ("say", "change my location to Abuja"),
        ("say", "delete my data"),
        ("tap", "consent_yes"),
        ("tap", "consent_no"),
        ("tap", "prefs_confirm"),
        ("tap", "erase_no"),
        ("tap", "menu_jobs"),
        ("say", "talk to a person"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ACTIONS, min_size=1, max_size=25))
def test_nothing_is_sent_after_an_opt_out_but_one_confirmation_until_start(
    actions: list[Any],
) -> None:
    chat = Chat()
    opted_out = False
    for kind, value in actions:
        decision = chat.tap(value) if kind == "tap" else chat.say(value)
        just_opted_out = any(t.new is Stage.OPTED_OUT for t in decision.transitions)
        restarted = any(t.previous is Stage.OPTED_OUT for t in decision.transitions)
        if opted_out and not restarted:
            assert decision.reply is None, (kind, value)
        if just_opted_out:
            assert decision.reply is not None
            opted_out = True
        if restarted:
            assert value in {"start", "consent_yes"}
            opted_out = False
