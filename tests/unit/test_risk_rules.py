"""Risk scoring rules: every factor, the score's bounds, episodes (hysteresis, cool-down, once
per episode), what is stored, and which candidates a scheduled run must look at."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aremu.domain.risk import (
    FACTOR_RULES,
    Assessment,
    Block,
    CandidateSignals,
    Episode,
    EpisodeChange,
    Factor,
    RecentMessage,
    RecommendedAction,
    RiskPolicy,
    assess,
    at_risk_detail,
    blocked,
    decide,
    due_spans,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
DAY = timedelta(days=1)
POLICY = RiskPolicy()


def signals(
    stage: str = "active", quiet: timedelta = timedelta(0), **fields: object
) -> CandidateSignals:
    return replace(CandidateSignals("c1", stage, NOW - quiet), **fields)  # type: ignore[arg-type]


def said(*texts: str, ago: timedelta = H) -> tuple[RecentMessage, ...]:
    return tuple(RecentMessage("in", NOW - ago, text=text) for text in texts)


def tapped(*button_ids: str, ago: timedelta = H) -> tuple[RecentMessage, ...]:
    return tuple(RecentMessage("in", NOW - ago, button_id=button) for button in button_ids)


def factors(candidate: CandidateSignals) -> dict[Factor, float]:
    return {hit.factor: hit.strength for hit in assess(candidate, NOW, POLICY).factors}


def assessed(score: float, candidate_id: str = "c1") -> Assessment:
    return Assessment(candidate_id, "active", score, (), None, NOW - DAY, NOW)


# Factors


@pytest.mark.parametrize(
    ("stage", "quiet", "strength"),
    [
        ("collecting", 3 * H, 0.5),
        ("collecting", 5 * H, 0.75),
        ("collecting", 9 * H, 1.0),
        ("new", 5 * H, 0.5),
        ("active", 4 * DAY, 0.5),
        ("active", 7 * DAY, 0.75),
        ("active", 30 * DAY, 1.0),
    ],
)
def test_quiet_longer_than_the_stage_norm_is_inactivity(
    stage: str, quiet: timedelta, strength: float
) -> None:
    assert factors(signals(stage, quiet))[Factor.INACTIVITY] == strength


@pytest.mark.parametrize(("stage", "quiet"), [("collecting", 2 * H), ("active", 2 * DAY)])
def test_quiet_within_the_stage_norm_is_not_inactivity(stage: str, quiet: timedelta) -> None:
    assert Factor.INACTIVITY not in factors(signals(stage, quiet))


def test_a_paused_candidate_is_never_inactive() -> None:
    assert Factor.INACTIVITY not in factors(signals("paused", 60 * DAY))


def test_window_about_to_close_with_preferences_unconfirmed_is_a_factor() -> None:
    hits = assess(signals("collecting", 21 * H), NOW, POLICY).factors

    (closing,) = [hit for hit in hits if hit.factor is Factor.WINDOW_CLOSING]
    assert "3 h" in closing.reason


def test_window_about_to_close_is_no_factor_once_preferences_are_confirmed() -> None:
    assert Factor.WINDOW_CLOSING not in factors(signals("active", 21 * H))


def test_window_already_closed_is_no_longer_about_to_close() -> None:
    assert Factor.WINDOW_CLOSING not in factors(signals("collecting", 25 * H))


@pytest.mark.parametrize(
    "text",
    [
        "This thing no dey work",
        "useless!!",
        "Stop wasting my time",
        "I'm tired",
        "I don tire o",
        "wetin be this nonsense",
        "una no serious",
        "nobody is answering me",
        "This is not working",
        "I'm so frustrated with this",
    ],
)
def test_frustrated_words_are_frustration(text: str) -> None:
    assert Factor.FRUSTRATION in factors(signals(messages=said(text)))


@pytest.mark.parametrize(
    "text",
    ["hi", "I'm a sales rep in Lagos, 3 years", "thank you!", "are you there?", "jobs", "pause"],
)
def test_ordinary_words_are_not_frustration(text: str) -> None:
    assert Factor.FRUSTRATION not in factors(signals(messages=said(text)))


def test_two_frustrated_messages_weigh_more_than_one() -> None:
    once = factors(signals(messages=said("useless")))[Factor.FRUSTRATION]
    twice = factors(signals(messages=said("useless", "I'm tired")))[Factor.FRUSTRATION]

    assert twice > once


def test_frustration_older_than_three_days_is_forgotten() -> None:
    assert Factor.FRUSTRATION not in factors(signals(messages=said("useless", ago=4 * DAY)))


def test_frustration_counts_only_the_last_few_messages() -> None:
    calm = ("ok", "thanks", "jobs", "hi", "great")

    assert Factor.FRUSTRATION not in factors(signals(messages=said("useless", *calm)))


def test_two_not_interested_in_a_row_is_a_factor() -> None:
    hits = factors(signals(messages=tapped("job_no:j1", "job_no:j2")))

    assert hits[Factor.NOT_INTERESTED] == 0.75


def test_one_not_interested_is_not_a_factor() -> None:
    assert Factor.NOT_INTERESTED not in factors(
        signals(messages=tapped("job_more:j1", "job_no:j2"))
    )


def test_a_message_after_not_interested_breaks_the_streak() -> None:
    messages = (*tapped("job_no:j1", "job_no:j2"), *said("jobs"))

    assert Factor.NOT_INTERESTED not in factors(signals(messages=messages))


def test_failed_deliveries_in_the_lookback_are_a_factor() -> None:
    failed = RecentMessage("out", NOW - DAY, status="failed")
    delivered = RecentMessage("out", NOW - DAY, status="delivered")

    once = factors(signals(messages=(failed, delivered)))[Factor.FAILED_DELIVERIES]
    twice = factors(signals(messages=(failed,), failed_sends=(NOW - H,)))[Factor.FAILED_DELIVERIES]

    assert (once, twice) == (0.5, 1.0)


def test_failed_deliveries_older_than_the_lookback_are_forgotten() -> None:
    assert Factor.FAILED_DELIVERIES not in factors(signals(failed_sends=(NOW - 8 * DAY,)))


def test_asking_for_a_person_is_a_factor() -> None:
    assert Factor.ASKED_FOR_PERSON in factors(signals(needs_person_at=NOW - H))


def test_asking_for_a_person_in_words_is_a_factor() -> None:
    assert Factor.ASKED_FOR_PERSON in factors(signals(messages=said("I want to talk to a person")))


def test_a_person_request_a_recruiter_has_since_handled_is_not_a_factor() -> None:
    candidate = signals(needs_person_at=NOW - 2 * H, handled_at=NOW - H)

    assert Factor.ASKED_FOR_PERSON not in factors(candidate)


# The score


def test_asking_for_a_person_alone_reaches_the_alert_threshold() -> None:
    assessment = assess(signals(needs_person_at=NOW - H), NOW, POLICY)

    assert assessment.score >= POLICY.alert_threshold
    assert assessment.recommended_action is RecommendedAction.TAKE_OVER


def test_silence_alone_never_reaches_the_alert_threshold() -> None:
    assert assess(signals("active", 90 * DAY), NOW, POLICY).score < POLICY.alert_threshold


def test_a_quiet_onboarding_candidate_is_at_risk_before_the_window_closes() -> None:
    assessment = assess(signals("collecting", 21 * H), NOW, POLICY)

    assert assessment.score >= POLICY.alert_threshold
    assert assessment.recommended_action is RecommendedAction.NUDGE


def test_recommended_action_follows_the_strongest_factor() -> None:
    candidate = signals("active", 3 * DAY, failed_sends=(NOW - H, NOW - 2 * H))

    assessment = assess(candidate, NOW, POLICY)

    assert assessment.factors[0].factor is Factor.FAILED_DELIVERIES
    assert assessment.recommended_action is RecommendedAction.CHECK_CONTACT


def test_a_calm_candidate_scores_zero_with_no_action() -> None:
    assessment = assess(signals("active", H, messages=said("thanks")), NOW, POLICY)

    assert (assessment.score, assessment.factors, assessment.recommended_action) == (0, (), None)


TEXTS = st.sampled_from(["useless", "hi", "talk to a person", "I'm tired", "", "jobs"])
MESSAGES = st.builds(
    RecentMessage,
    direction=st.sampled_from(["in", "out"]),
    at=st.timedeltas(min_value=timedelta(0), max_value=10 * DAY).map(lambda ago: NOW - ago),
    text=st.one_of(st.none(), TEXTS),
    button_id=st.one_of(st.none(), st.sampled_from(["job_no:j", "menu_person", "job_more:j"])),
    status=st.one_of(st.none(), st.sampled_from(["failed", "read"])),
)
SIGNALS = st.builds(
    CandidateSignals,
    candidate_id=st.just("c1"),
    stage=st.sampled_from(["new", "consented", "collecting", "active", "paused"]),
    last_activity=st.one_of(
        st.none(), st.timedeltas(max_value=200 * DAY, min_value=-DAY).map(lambda q: NOW - q)
    ),
    needs_person_at=st.one_of(st.none(), st.just(NOW - H)),
    messages=st.lists(MESSAGES, max_size=12).map(lambda ms: tuple(sorted(ms, key=lambda m: m.at))),
    failed_sends=st.lists(st.just(NOW - DAY), max_size=3).map(tuple),
)


@given(SIGNALS)
def test_score_stays_between_zero_and_one(candidate: CandidateSignals) -> None:
    assessment = assess(candidate, NOW, POLICY)

    assert 0 <= assessment.score <= 1
    assert all(0 < hit.strength <= 1 for hit in assessment.factors)


@given(SIGNALS)
def test_asking_for_a_person_never_lowers_the_score(candidate: CandidateSignals) -> None:
    asked = replace(candidate, needs_person_at=NOW - H)

    assert assess(asked, NOW, POLICY).score >= assess(candidate, NOW, POLICY).score


def test_every_factor_has_a_weight_and_an_action() -> None:
    assert set(FACTOR_RULES) == set(Factor)
    assert all(0 < rule.weight <= 1 for rule in FACTOR_RULES.values())


# Episodes


def test_reaching_the_alert_threshold_raises_an_episode() -> None:
    decision = decide(assessed(0.7), Episode(), None, NOW, POLICY)

    assert decision.change is EpisodeChange.RAISE
    assert decision.episode == Episode(open=True, score=0.7, raised_at=NOW)
    assert decision.store_assessment


def test_an_open_episode_is_raised_only_once() -> None:
    episode = Episode(open=True, score=0.7, raised_at=NOW - 2 * DAY)

    decision = decide(assessed(0.9), episode, None, NOW, POLICY)

    assert decision.change is EpisodeChange.NONE
    assert decision.episode.open


def test_an_episode_stays_open_between_the_two_thresholds() -> None:
    episode = Episode(open=True, score=0.7, raised_at=NOW - H)

    decision = decide(assessed(0.4), episode, None, NOW, POLICY)

    assert decision.change is EpisodeChange.NONE
    assert decision.episode.open


def test_an_episode_closes_below_the_clear_threshold() -> None:
    episode = Episode(open=True, score=0.7, raised_at=NOW - H)

    decision = decide(assessed(0.2), episode, None, NOW, POLICY)

    assert decision.change is EpisodeChange.CLOSE
    assert not decision.episode.open


def test_at_risk_again_inside_the_cool_down_waits_for_it_to_end() -> None:
    episode = Episode(open=False, score=0.1, raised_at=NOW - 5 * H)

    decision = decide(assessed(0.8), episode, None, NOW, POLICY)

    assert decision.change is EpisodeChange.SUPPRESS
    assert decision.episode.recheck_at == NOW + 19 * H
    assert not decision.episode.open


def test_at_risk_again_after_the_cool_down_raises_a_new_episode() -> None:
    episode = Episode(open=False, score=0.8, raised_at=NOW - 25 * H, recheck_at=NOW - H)

    decision = decide(assessed(0.8), episode, None, NOW, POLICY)

    assert decision.change is EpisodeChange.RAISE
    assert decision.episode.recheck_at is None


def test_a_settled_candidate_stops_waiting_for_a_recheck() -> None:
    episode = Episode(open=False, score=0.8, raised_at=NOW - 5 * H, recheck_at=NOW + 19 * H)

    decision = decide(assessed(0.1), episode, None, NOW, POLICY)

    assert decision.episode.recheck_at is None


def test_one_run_of_scores_raises_once_per_episode_with_hysteresis() -> None:
    # Given scores over time: up, wobbling between the thresholds, down, then up again
    # inside the cool-down and once more after it
    timeline = [(0, 0.7), (1, 0.5), (2, 0.65), (3, 0.3), (4, 0.7), (30, 0.7)]
    episode, changes = Episode(), []
    # When each is decided in turn
    for hours, score in timeline:
        decision = decide(assessed(score), episode, None, NOW + hours * H, POLICY)
        episode = decision.episode
        changes.append(decision.change)
    # Then
    raise_, none, close, suppress = (
        EpisodeChange.RAISE,
        EpisodeChange.NONE,
        EpisodeChange.CLOSE,
        EpisodeChange.SUPPRESS,
    )
    assert changes == [raise_, none, none, close, suppress, raise_]


@pytest.mark.parametrize(
    ("stage", "taken_over", "block"),
    [
        ("opted_out", False, Block.OPTED_OUT),
        ("erased", False, Block.ERASED),
        ("active", True, Block.TAKEN_OVER),
        ("someday", False, Block.NOT_SCORED),
    ],
)
def test_candidates_out_of_reach_are_blocked(stage: str, taken_over: bool, block: Block) -> None:
    assert blocked(signals(stage, taken_over=taken_over), POLICY) is block


def test_a_blocked_candidate_is_never_raised_and_its_episode_closes() -> None:
    episode = Episode(open=True, score=0.9, raised_at=NOW - H)

    decision = decide(assessed(0.95), episode, Block.OPTED_OUT, NOW, POLICY)

    assert decision.change is EpisodeChange.CLOSE
    assert not decision.episode.open
    assert not decision.store_assessment


def test_a_takeover_marks_what_was_asked_so_far_as_handled() -> None:
    decision = decide(assessed(0.9), Episode(), Block.TAKEN_OVER, NOW, POLICY, NOW - H)

    assert decision.change is EpisodeChange.NONE
    assert decision.episode.handled_at == NOW


def test_a_takeover_with_nothing_new_asked_writes_nothing() -> None:
    episode = Episode(score=0.4, handled_at=NOW - H)

    decision = decide(assessed(0.9), episode, Block.TAKEN_OVER, NOW, POLICY, NOW - 2 * H)

    assert not decision.changes_state


def test_an_unchanged_score_stores_nothing() -> None:
    episode = Episode(score=0.3)

    decision = decide(assessed(0.3), episode, None, NOW, POLICY)

    assert not decision.changes_state
    assert not decision.store_assessment


def test_a_changed_score_above_zero_is_stored() -> None:
    decision = decide(assessed(0.4), Episode(score=0.3), None, NOW, POLICY)

    assert decision.store_assessment


def test_a_score_back_to_zero_is_remembered_but_not_stored() -> None:
    decision = decide(assessed(0.0), Episode(score=0.3), None, NOW, POLICY)

    assert decision.changes_state
    assert not decision.store_assessment


def test_clear_threshold_must_be_below_the_alert_threshold() -> None:
    with pytest.raises(ValueError, match="clear < alert"):
        RiskPolicy(alert_threshold=0.5, clear_threshold=0.5)


# Which candidates a scheduled run reads


def test_due_spans_are_the_activity_times_that_crossed_a_threshold_since_the_last_run() -> None:
    since = NOW - 15 * timedelta(minutes=1)

    spans = due_spans("active", since, NOW, POLICY)

    assert (NOW - 3 * DAY - 15 * timedelta(minutes=1), NOW - 3 * DAY) in spans
    assert all(end - start == NOW - since for start, end in spans)


def test_due_spans_merge_when_thresholds_are_closer_than_the_gap() -> None:
    spans = due_spans("collecting", NOW - 6 * H, NOW, POLICY)

    assert all(a_end < b_start for (_, a_end), (b_start, _) in pairwise(spans))
    assert (NOW - 14 * H, NOW - 2 * H) in spans  # 2 h, 4 h and 8 h, 6 h apart at most
    assert (NOW - 30 * H, NOW - 20 * H) in spans  # the window's 20 h and 24 h


def test_no_spans_when_no_time_has_passed() -> None:
    assert due_spans("active", NOW, NOW, POLICY) == []


def test_opted_out_candidates_are_never_due() -> None:
    assert due_spans("opted_out", NOW - H, NOW, POLICY) == []


@given(
    stage=st.sampled_from(["new", "consented", "collecting", "active", "paused"]),
    quiet=st.timedeltas(min_value=timedelta(0), max_value=12 * DAY),
    gap=st.timedeltas(min_value=timedelta(seconds=1), max_value=6 * H),
)
def test_every_candidate_whose_score_moved_with_time_is_due(
    stage: str, quiet: timedelta, gap: timedelta
) -> None:
    # Given a candidate whose silence is `quiet` now and was shorter at the last run
    since = NOW - gap
    candidate = CandidateSignals("c1", stage, NOW - quiet, messages=said("useless", ago=quiet))
    # When time alone changed their score between the two runs
    before, after = assess(candidate, since, POLICY), assess(candidate, NOW, POLICY)
    # Then their last activity lies in one of the due spans
    if before.score != after.score:
        spans = due_spans(stage, since, NOW, POLICY)
        assert any(start <= NOW - quiet < end for start, end in spans)


def test_the_at_risk_event_has_the_design_shape() -> None:
    assessment = assess(signals("collecting", 21 * H), NOW, POLICY)

    detail = at_risk_detail(assessment)

    assert set(detail) == {
        "candidateId",
        "riskScore",
        "riskFactors",
        "lastActivity",
        "recommendedAction",
    }
    assert detail["lastActivity"] == "2026-11-22T15:00:00Z"
    assert detail["recommendedAction"] == "nudge"
    assert [f["name"] for f in detail["riskFactors"]] == ["inactivity", "window_closing"]  # type: ignore[attr-defined]
