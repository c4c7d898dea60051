"""Risk of losing a candidate: a 0–1 score from named factors, and the rules of an episode.

The score combines the factors present as independent chances ("noisy OR"):
`1 - Π(1 - weight × strength)`. Each factor alone puts the score at its weight times its
strength, adding a factor never lowers it, and it stays within [0, 1] whatever is present.
Weights are chosen so that what needs a person now (asked for one, frustration) alerts on
its own, while a drifting candidate alerts only when two signs meet (quiet for long and the
free window about to close, or quiet and rejecting every job).

| factor            | weight | strength                                    | recommends        |
|-------------------|--------|---------------------------------------------|-------------------|
| asked_for_person  | 0.9    | 1 (asked, not yet handled by a recruiter)   | take_over         |
| frustration       | 0.8    | 0.8 one recent message, 1 two or more       | take_over         |
| inactivity        | 0.5    | 0.5 / 0.75 / 1 past 1× / 2× / 4× the norm   | nudge             |
| not_interested    | 0.5    | 0.75 two in a row, 1 three or more          | check_preferences |
| failed_deliveries | 0.5    | 0.5 one in the lookback, 1 two or more      | check_contact     |
| window_closing    | 0.45   | 1 (under 4 h left, preferences unconfirmed) | nudge             |

An episode is raised when the score reaches the alert threshold, no episode is open and
the last raise is older than the cool-down; it closes only when the score falls below the
lower clear threshold (hysteresis), or when the candidate leaves (opts out, is erased) or a
recruiter takes the conversation over. Plain rules over plain values: `now` is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from aremu.domain.conversation.commands import Intent, normalise, read_intent
from aremu.domain.conversation.state import Stage


class Factor(StrEnum):
    ASKED_FOR_PERSON = "asked_for_person"
    FRUSTRATION = "frustration"
    INACTIVITY = "inactivity"
    NOT_INTERESTED = "not_interested"
    FAILED_DELIVERIES = "failed_deliveries"
    WINDOW_CLOSING = "window_closing"


class RecommendedAction(StrEnum):
    TAKE_OVER = "take_over"
    NUDGE = "nudge"
    CHECK_PREFERENCES = "check_preferences"
    CHECK_CONTACT = "check_contact"  # messages do not reach them: a number or block problem


@dataclass(frozen=True)
class FactorRule:
    weight: float
    action: RecommendedAction


# In the order that breaks ties between equally strong factors: a person before a nudge.
FACTOR_RULES: Mapping[Factor, FactorRule] = MappingProxyType(
    {
        Factor.ASKED_FOR_PERSON: FactorRule(0.9, RecommendedAction.TAKE_OVER),
        Factor.FRUSTRATION: FactorRule(0.8, RecommendedAction.TAKE_OVER),
        Factor.INACTIVITY: FactorRule(0.5, RecommendedAction.NUDGE),
        Factor.NOT_INTERESTED: FactorRule(0.5, RecommendedAction.CHECK_PREFERENCES),
        Factor.FAILED_DELIVERIES: FactorRule(0.5, RecommendedAction.CHECK_CONTACT),
        Factor.WINDOW_CLOSING: FactorRule(0.45, RecommendedAction.NUDGE),
    }
)

H = timedelta(hours=1)
DAY = timedelta(days=1)

# How long a candidate in each conversation stage usually goes between messages. Onboarding
# is a live chat (hours); a candidate receiving alerts writes every few days. None: silence
# is expected (a paused candidate asked for it). Stages absent here are never scored.
INACTIVITY_NORMS: Mapping[str, timedelta | None] = MappingProxyType(
    {
        Stage.NEW: 4 * H,
        Stage.CONSENTED: 2 * H,
        Stage.COLLECTING: 2 * H,
        Stage.ACTIVE: 3 * DAY,
        Stage.PAUSED: None,
    }
)
# Quiet for this many times the norm gives this strength.
INACTIVITY_LEVELS: tuple[tuple[int, float], ...] = ((1, 0.5), (2, 0.75), (4, 1.0))
# Stages whose preferences are not confirmed yet: losing the free window loses the chat.
UNCONFIRMED_STAGES = frozenset({Stage.NEW, Stage.CONSENTED, Stage.COLLECTING})

# A small lexicon, not a model: it misses sarcasm and other languages, and flags a word the
# candidate only quotes. Phrases are matched on `normalise`d text (lower case, no
# apostrophes or punctuation), in English and in Nigerian English and Pidgin.
FRUSTRATION = re.compile(
    r"\b(?:"
    r"useless|rubbish|nonsense|scam|mumu|annoying|annoyed|fed up|frustrat\w*"
    r"|disappoint\w*|waste of (?:my )?time|wasting (?:my|our) time|stop wasting"
    r"|im tired|i am tired|am tired|tired of (?:this|you|waiting)|i don tire|i don taya|taya"
    r"|(?:not|isnt|is not) working|(?:doesnt|does not|dont|do not) work|no dey work"
    r"|e no work|this thing no|wetin be this|wetin dey happen|una no serious|you no serious"
    r"|no serious at all|e don do|abeg leave me|leave me alone"
    r"|(?:nobody|no one|no body) (?:is )?(?:answering|replying|responding)"
    r"|still no job|nothing (?:is )?happening|what kind of (?:nonsense|thing|rubbish)"
    r")\b"
)


@dataclass(frozen=True)
class RecentMessage:
    """A message of the conversation as the rules see it (text is never logged)."""

    direction: Literal["in", "out"]
    at: datetime
    text: str | None = None
    button_id: str | None = None
    status: str | None = None  # outbound delivery status: sent, delivered, read, failed


@dataclass(frozen=True)
class CandidateSignals:
    """Everything an assessment reads about one candidate."""

    candidate_id: str
    stage: str
    last_activity: datetime | None
    needs_person_at: datetime | None = None
    taken_over: bool = False
    messages: tuple[RecentMessage, ...] = ()  # oldest first
    # Alerts WhatsApp refused when sent (failed statuses of sent ones are in `messages`).
    failed_sends: tuple[datetime, ...] = ()
    # The last time a recruiter was seen holding the conversation: person requests made
    # before it have been answered.
    handled_at: datetime | None = None


@dataclass(frozen=True)
class FactorHit:
    """A factor present in an assessment, with how strongly and why, in words."""

    factor: Factor
    strength: float
    reason: str

    @property
    def weight(self) -> float:
        return FACTOR_RULES[self.factor].weight

    @property
    def contribution(self) -> float:
        return self.weight * self.strength


@dataclass(frozen=True)
class RiskPolicy:
    alert_threshold: float = 0.6
    clear_threshold: float = 0.35
    cooldown: timedelta = 24 * H
    norms: Mapping[str, timedelta | None] = field(default_factory=lambda: INACTIVITY_NORMS)
    window: timedelta = 24 * H
    window_warning: timedelta = 4 * H  # "about to close": this little of the window left
    frustration_within: timedelta = 72 * H
    frustration_messages: int = 5  # only the candidate's last few messages set their mood
    lookback: timedelta = 7 * DAY  # messages, failures and person requests older are ignored
    # A scheduled run looks back to the previous one; the first looks back this far, and a
    # run after an outage at most `max_catch_up` (an outage must not flood the recruiters).
    first_run_lookback: timedelta = H
    max_catch_up: timedelta = 6 * H

    def __post_init__(self) -> None:
        if not 0 < self.clear_threshold < self.alert_threshold <= 1:
            raise ValueError("risk thresholds must satisfy 0 < clear < alert <= 1")

    def scored(self, stage: str) -> bool:
        return stage in self.norms

    def thresholds(self, stage: str) -> tuple[timedelta, ...]:
        """Quiet durations at which the time-driven part of a candidate's score can change.

        Between two of these nothing about the candidate changes with time alone, so a
        scheduled run only needs the candidates who crossed one since the previous run.
        """
        if not self.scored(stage):
            return ()
        points = {self.frustration_within, self.lookback}
        norm = self.norms[stage]
        if norm is not None:
            points.update(norm * multiple for multiple, _ in INACTIVITY_LEVELS)
        if stage in UNCONFIRMED_STAGES:
            points.update({self.window - self.window_warning, self.window})
        return tuple(sorted(points))


@dataclass(frozen=True)
class Assessment:
    candidate_id: str
    stage: str
    score: float
    factors: tuple[FactorHit, ...]  # strongest first
    recommended_action: RecommendedAction | None
    last_activity: datetime | None
    at: datetime


class Block(StrEnum):
    """Why a candidate may not be alerted about at all."""

    OPTED_OUT = "opted_out"
    ERASED = "erased"
    NOT_SCORED = "not_scored"
    TAKEN_OVER = "taken_over"


def blocked(signals: CandidateSignals, policy: RiskPolicy) -> Block | None:
    if signals.stage == Stage.OPTED_OUT:
        return Block.OPTED_OUT
    if signals.stage == Stage.ERASED:
        return Block.ERASED
    if not policy.scored(signals.stage):
        return Block.NOT_SCORED
    if signals.taken_over:
        return Block.TAKEN_OVER
    return None


def assess(signals: CandidateSignals, now: datetime, policy: RiskPolicy) -> Assessment:
    hits = [
        hit
        for hit in (
            _asked_for_person(signals, now, policy),
            _frustration(signals, now, policy),
            _inactivity(signals, now, policy),
            _not_interested(signals, now, policy),
            _failed_deliveries(signals, now, policy),
            _window_closing(signals, now, policy),
        )
        if hit is not None
    ]
    order = list(FACTOR_RULES)
    hits.sort(key=lambda hit: (-hit.contribution, order.index(hit.factor)))
    calm = 1.0
    for hit in hits:
        calm *= 1.0 - hit.contribution
    return Assessment(
        candidate_id=signals.candidate_id,
        stage=signals.stage,
        score=round(min(1.0, max(0.0, 1.0 - calm)), 2),
        factors=tuple(hits),
        recommended_action=FACTOR_RULES[hits[0].factor].action if hits else None,
        last_activity=signals.last_activity,
        at=now,
    )


def quiet_for(signals: CandidateSignals, now: datetime) -> timedelta | None:
    if signals.last_activity is None:
        return None
    return max(timedelta(0), now - signals.last_activity)


def _inactivity(signals: CandidateSignals, now: datetime, policy: RiskPolicy) -> FactorHit | None:
    norm = policy.norms.get(signals.stage)
    quiet = quiet_for(signals, now)
    if norm is None or quiet is None:
        return None
    # Strictly longer: every time-driven factor turns at "quiet > threshold", the moment
    # `due_spans` looks for.
    strength = max((s for multiple, s in INACTIVITY_LEVELS if quiet > norm * multiple), default=0)
    if not strength:
        return None
    reason = (
        f"quiet for {human(quiet)}; in the {signals.stage} stage candidates usually "
        f"write within {human(norm)}"
    )
    return FactorHit(Factor.INACTIVITY, strength, reason)


def _window_closing(
    signals: CandidateSignals, now: datetime, policy: RiskPolicy
) -> FactorHit | None:
    quiet = quiet_for(signals, now)
    if signals.stage not in UNCONFIRMED_STAGES or quiet is None:
        return None
    if not policy.window - policy.window_warning < quiet <= policy.window:
        return None
    left = policy.window - quiet
    reason = f"the free WhatsApp window closes in {human(left)} with preferences unconfirmed"
    return FactorHit(Factor.WINDOW_CLOSING, 1.0, reason)


def _inbound(signals: CandidateSignals, since: datetime) -> list[RecentMessage]:
    return [m for m in signals.messages if m.direction == "in" and m.at >= since]


def _frustration(signals: CandidateSignals, now: datetime, policy: RiskPolicy) -> FactorHit | None:
    recent = _inbound(signals, now - policy.frustration_within)[-policy.frustration_messages :]
    count = sum(1 for m in recent if m.text and FRUSTRATION.search(normalise(m.text[:500])))
    if not count:
        return None
    reason = f"sounded frustrated in {_count(count, 'recent message')}"
    return FactorHit(Factor.FRUSTRATION, 0.8 if count == 1 else 1.0, reason)


def _not_interested(
    signals: CandidateSignals, now: datetime, policy: RiskPolicy
) -> FactorHit | None:
    streak = 0
    for message in reversed(_inbound(signals, now - policy.lookback)):
        if read_intent(message.text, message.button_id) is not Intent.NOT_INTERESTED:
            break
        streak += 1
    if streak < 2:
        return None
    reason = f'answered "not interested" to the last {streak} job alerts in a row'
    return FactorHit(Factor.NOT_INTERESTED, 0.75 if streak == 2 else 1.0, reason)


def _failed_deliveries(
    signals: CandidateSignals, now: datetime, policy: RiskPolicy
) -> FactorHit | None:
    since = now - policy.lookback
    failed = sum(
        1
        for m in signals.messages
        if m.direction == "out" and m.status == "failed" and m.at >= since
    ) + sum(1 for at in signals.failed_sends if at >= since)
    if not failed:
        return None
    reason = f"{_count(failed, 'message')} to them failed to deliver in {human(policy.lookback)}"
    return FactorHit(Factor.FAILED_DELIVERIES, 0.5 if failed == 1 else 1.0, reason)


def person_requested_at(
    signals: CandidateSignals, now: datetime, policy: RiskPolicy
) -> datetime | None:
    """When the candidate last asked for a person, within the lookback."""
    since = now - policy.lookback
    asked = [
        m.at
        for m in _inbound(signals, since)
        if read_intent(m.text, m.button_id) is Intent.TALK_TO_PERSON
    ]
    if signals.needs_person_at is not None and signals.needs_person_at >= since:
        asked.append(signals.needs_person_at)
    return max(asked, default=None)


def _asked_for_person(
    signals: CandidateSignals, now: datetime, policy: RiskPolicy
) -> FactorHit | None:
    asked = person_requested_at(signals, now, policy)
    if asked is None or (signals.handled_at is not None and asked <= signals.handled_at):
        return None
    return FactorHit(
        Factor.ASKED_FOR_PERSON, 1.0, f"asked to talk to a person {human(now - asked)} ago"
    )


@dataclass(frozen=True)
class Episode:
    """A candidate's episode state as last stored (the defaults: never assessed)."""

    open: bool = False
    score: float = 0.0
    raised_at: datetime | None = None
    handled_at: datetime | None = None
    # Set while an alert waits out the cool-down: the run looks at the candidate again then.
    recheck_at: datetime | None = None


class EpisodeChange(StrEnum):
    RAISE = "raise"  # a new episode: CandidateAtRisk goes out
    CLOSE = "close"
    SUPPRESS = "suppress"  # at risk again inside the cool-down: look again when it ends
    NONE = "none"


@dataclass(frozen=True)
class EpisodeDecision:
    change: EpisodeChange
    episode: Episode  # the state to store
    reason: str
    store_assessment: bool = False
    previous: Episode = field(default_factory=Episode)

    @property
    def changes_state(self) -> bool:
        return self.episode != self.previous


def decide(
    assessment: Assessment,
    episode: Episode,
    block: Block | None,
    now: datetime,
    policy: RiskPolicy,
    person_asked_at: datetime | None = None,
) -> EpisodeDecision:
    """What this assessment does to the candidate's episode, and whether it is stored.

    An assessment is stored only when the candidate's score or episode changed, so a run
    writes nothing for candidates whose risk did not move. `person_asked_at` (see
    `person_requested_at`) lets a takeover mark the request it answers.
    """
    if block is not None:
        return _blocked(episode, block, now, person_asked_at)
    score = assessment.score
    moved = replace(episode, score=score)
    if episode.open:
        if score < policy.clear_threshold:
            closed = replace(moved, open=False)
            return _decision(EpisodeChange.CLOSE, closed, "score below clear threshold", episode)
        return _decision(EpisodeChange.NONE, moved, "episode still open", episode)
    if score >= policy.alert_threshold:
        if episode.raised_at is not None and now < episode.raised_at + policy.cooldown:
            cooling = replace(moved, recheck_at=episode.raised_at + policy.cooldown)
            return _decision(EpisodeChange.SUPPRESS, cooling, "inside the cool-down", episode)
        raised = replace(moved, open=True, raised_at=now, recheck_at=None)
        return _decision(EpisodeChange.RAISE, raised, "score reached alert threshold", episode)
    calm = replace(moved, recheck_at=None)
    return _decision(EpisodeChange.NONE, calm, "below alert threshold", episode)


def _decision(
    change: EpisodeChange, episode: Episode, reason: str, previous: Episode
) -> EpisodeDecision:
    store = episode != previous and (episode.score > 0 or change is EpisodeChange.CLOSE)
    return EpisodeDecision(change, episode, reason, store, previous)


def _blocked(
    episode: Episode, block: Block, now: datetime, person_asked_at: datetime | None
) -> EpisodeDecision:
    after = replace(episode, open=False, recheck_at=None)
    unanswered = person_asked_at is not None and (
        episode.handled_at is None or episode.handled_at < person_asked_at
    )
    if block is Block.TAKEN_OVER and (episode.open or unanswered):
        # A recruiter holds the conversation: whatever the candidate asked so far is answered.
        after = replace(after, handled_at=now)
    change = EpisodeChange.CLOSE if episode.open else EpisodeChange.NONE
    return EpisodeDecision(change, after, block.value, store_assessment=False, previous=episode)


def due_spans(
    stage: str, since: datetime, now: datetime, policy: RiskPolicy
) -> list[tuple[datetime, datetime]]:
    """Last-activity spans [start, end) of the candidates in `stage` who crossed one of the
    stage's thresholds between `since` and `now`, merged and oldest first."""
    if now <= since:
        return []
    spans = sorted((since - t, now - t) for t in policy.thresholds(stage))
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def at_risk_detail(assessment: Assessment) -> dict[str, object]:
    """The CandidateAtRisk event's detail (DESIGN.md shape)."""
    return {
        "candidateId": assessment.candidate_id,
        "riskScore": assessment.score,
        "riskFactors": [
            {
                "name": hit.factor.value,
                "weight": hit.weight,
                "strength": hit.strength,
                "reason": hit.reason,
            }
            for hit in assessment.factors
        ],
        "lastActivity": _iso(assessment.last_activity) if assessment.last_activity else None,
        "recommendedAction": (
            assessment.recommended_action.value if assessment.recommended_action else None
        ),
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def human(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
