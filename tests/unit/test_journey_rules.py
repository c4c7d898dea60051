"""The journey's rules: configured stages, which moves are allowed, what the conversation means."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aremu.config import Settings
from aremu.domain.conversation.state import Stage
from aremu.domain.journey import (
    CONVERSATION_TO_JOURNEY,
    ERASED,
    OPTED_OUT,
    Actor,
    FollowKind,
    JourneyConfigError,
    JourneyPlan,
    Ruling,
    actor_of,
    follow_conversation,
)

PLAN = JourneyPlan.from_settings(Settings())
RECRUITER = "recruiter:U123"
CANDIDATE = "candidate:applied"


# The configured stages


def test_default_settings_give_the_recruitment_stages_in_order() -> None:
    assert PLAN.stages == (
        "initial_contact",
        "preferences",
        "matching",
        "applied",
        "interviewing",
        "hired",
        "not_hired",
    )
    assert PLAN.final_stages == {"hired", "not_hired"}
    assert PLAN.drop_off_stages == {"not_hired"}


def test_stages_are_read_forgiving_of_spaces_and_empty_entries() -> None:
    plan = JourneyPlan.parse(" new , screened,, offer ,", "offer", drop_off_stages="")

    assert plan.stages == ("new", "screened", "offer")


@pytest.mark.parametrize(
    ("stages", "finals", "drop_offs"),
    [
        ("", "", ""),
        ("a,b,a", "", ""),
        ("a,b", "c", ""),
        ("a,b", "b", "a"),
        ("a,b", "a,b", ""),
        ("a,won,b", "won", ""),
    ],
    ids=["empty", "duplicate", "unknown-final", "drop-off-not-final", "only-finals", "final-first"],
)
def test_a_configuration_that_makes_no_journey_is_refused(
    stages: str, finals: str, drop_offs: str
) -> None:
    with pytest.raises(JourneyConfigError):
        JourneyPlan.parse(stages, finals, drop_offs)


# Who asks for a move


@pytest.mark.parametrize(
    ("trigger", "actor"),
    [
        ("recruiter:U123", Actor.RECRUITER),
        ("candidate:applied", Actor.CANDIDATE),
        ("conversation:active", Actor.CONVERSATION),
        ("backfill", Actor.SYSTEM),
        ("stranger:x", Actor.SYSTEM),
    ],
)
def test_the_trigger_names_who_asked_for_the_move(trigger: str, actor: Actor) -> None:
    assert actor_of(trigger) is actor


# Moves


def test_entering_the_journey_is_allowed_at_any_stage() -> None:
    verdict = PLAN.decide(None, "interviewing", RECRUITER)

    assert verdict.ruling is Ruling.MOVE
    assert verdict.move is not None
    assert verdict.move.previous is None
    assert verdict.move.completes is None


def test_a_forward_move_completes_the_stage_it_leaves() -> None:
    verdict = PLAN.decide("matching", "applied", CANDIDATE)

    assert verdict.ruling is Ruling.MOVE
    assert verdict.move is not None
    assert verdict.move.completes == "matching"
    assert not verdict.move.backward


def test_a_forward_move_may_skip_stages() -> None:
    assert PLAN.decide("preferences", "applied", CANDIDATE).ruling is Ruling.MOVE


def test_a_move_to_the_stage_the_candidate_is_in_changes_nothing() -> None:
    verdict = PLAN.decide("applied", "applied", CANDIDATE)

    assert verdict.ruling is Ruling.SAME
    assert verdict.move is None


def test_an_unknown_stage_is_refused() -> None:
    assert PLAN.decide("matching", "offer_signed", RECRUITER).ruling is Ruling.UNKNOWN_STAGE


def test_the_candidate_cannot_move_back() -> None:
    assert PLAN.decide("interviewing", "applied", CANDIDATE).ruling is Ruling.BACKWARD_REFUSED


def test_a_recruiter_can_move_a_candidate_back() -> None:
    verdict = PLAN.decide("interviewing", "matching", RECRUITER)

    assert verdict.ruling is Ruling.MOVE
    assert verdict.move is not None
    assert verdict.move.backward


@pytest.mark.parametrize("stage", ["initial_contact", "preferences", "matching", "interviewing"])
def test_an_outcome_can_be_reached_from_any_stage(stage: str) -> None:
    assert PLAN.decide(stage, "not_hired", "system:timeout").ruling is Ruling.MOVE


def test_only_a_recruiter_changes_an_outcome() -> None:
    assert PLAN.decide("hired", "not_hired", CANDIDATE).ruling is Ruling.OUTCOME_REFUSED
    assert PLAN.decide("hired", "not_hired", RECRUITER).ruling is Ruling.MOVE


def test_a_move_to_not_hired_is_a_drop_off_and_one_to_hired_is_not() -> None:
    to_not_hired = PLAN.decide("interviewing", "not_hired", RECRUITER).move
    to_hired = PLAN.decide("interviewing", "hired", RECRUITER).move

    assert to_not_hired is not None and to_not_hired.drop_off
    assert to_hired is not None and not to_hired.drop_off


def test_a_candidate_in_a_stage_no_longer_configured_can_move_anywhere() -> None:
    assert PLAN.decide("screening", "preferences", CANDIDATE).ruling is Ruling.MOVE


def test_the_event_names_journey_stages_apart_from_conversation_stages() -> None:
    entry = PLAN.decide(None, "initial_contact", "conversation:new").move
    forward = PLAN.decide("matching", "applied", CANDIDATE).move

    assert entry is not None and entry.event_states() == ("journey:none", "journey:initial_contact")
    assert forward is not None and forward.event_states() == ("journey:matching", "journey:applied")


@given(
    st.sampled_from(PLAN.stages),
    st.lists(
        st.tuples(st.sampled_from(PLAN.stages), st.sampled_from([CANDIDATE, "conversation:x"]))
    ),
)
def test_without_a_recruiter_a_candidate_only_ever_moves_forward(
    start: str, asks: list[tuple[str, str]]
) -> None:
    stage = start
    for target, trigger in asks:
        verdict = PLAN.decide(stage, target, trigger)
        if verdict.move is not None:
            assert PLAN.position(verdict.move.new) > PLAN.position(stage)
            assert stage not in PLAN.final_stages
            stage = verdict.move.new


@given(st.one_of(st.none(), st.sampled_from(PLAN.stages)), st.sampled_from(PLAN.stages))
def test_a_recruiter_can_set_any_stage(current: str | None, target: str) -> None:
    verdict = PLAN.decide(current, target, RECRUITER)

    assert verdict.ruling is (Ruling.SAME if current == target else Ruling.MOVE)


# What the conversation means for the journey


@pytest.mark.parametrize(
    ("previous", "new", "stage"),
    [
        (None, "new", "initial_contact"),
        ("new", "new", "initial_contact"),
        ("new", "consented", "initial_contact"),
        ("consented", "collecting", "preferences"),
        ("collecting", "active", "matching"),
        ("new", "collecting", "preferences"),
        ("opted_out", "consented", "initial_contact"),
    ],
)
def test_conversation_progress_moves_the_journey_forward(
    previous: str | None, new: str, stage: str
) -> None:
    follow = follow_conversation(PLAN, previous, new)

    assert follow.kind is FollowKind.MOVE
    assert follow.stage == stage
    assert follow.trigger == f"conversation:{new}"


@pytest.mark.parametrize(
    ("previous", "new"),
    [("active", "active"), ("active", "paused"), ("collecting", "collecting")],
)
def test_a_turn_that_changes_nothing_the_journey_tracks_costs_nothing(
    previous: str, new: str
) -> None:
    assert follow_conversation(PLAN, previous, new).kind is FollowKind.NOTHING


def test_resuming_alerts_asks_for_matching_which_only_moves_a_candidate_not_past_it() -> None:
    follow = follow_conversation(PLAN, "paused", "active")

    assert follow.stage == "matching"
    assert (
        PLAN.decide("applied", "matching", follow.trigger or "").ruling is Ruling.BACKWARD_REFUSED
    )


def test_opting_out_is_a_drop_off_once() -> None:
    assert follow_conversation(PLAN, "active", "opted_out").kind is FollowKind.DROP_OFF
    assert follow_conversation(PLAN, "opted_out", "opted_out").kind is FollowKind.NOTHING


def test_erasure_takes_the_candidate_out_of_the_journey() -> None:
    assert follow_conversation(PLAN, "active", "erased").kind is FollowKind.FORGET


def test_a_journey_without_the_conversation_stages_is_not_moved_by_the_conversation() -> None:
    plan = JourneyPlan.parse("sourced,screened,offer", "offer", drop_off_stages="")

    assert follow_conversation(plan, "collecting", "active").kind is FollowKind.NOTHING


def test_the_conversation_stages_the_journey_follows_are_the_engines_own() -> None:
    assert set(CONVERSATION_TO_JOURNEY) | {OPTED_OUT, ERASED} <= {stage.value for stage in Stage}
