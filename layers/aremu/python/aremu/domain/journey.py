"""The recruitment journey: ordered stages, and which moves between them are allowed.

The stages come from settings (`journey_stages`, in order; `journey_final_stages`, the
outcomes at the end). Anyone may move a candidate forward, skipping stages, or to an
outcome from any stage; only a recruiter may move a candidate back or change an outcome,
because only a person knows that "interviewing" was a mistake or a hire fell through.
A move completes the stage it leaves: that stage's time ends when the next one begins.

The conversation feeds the journey's first stages (first contact, preferences, matching);
`follow_conversation` says what each conversation stage change means for the journey.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from aremu.config import Settings

# Outcomes that count as a candidate dropping out of the funnel (the dashboard's DropOff).
DEFAULT_DROP_OFF_STAGES = "not_hired"
# How a journey stage shows in CandidateStateChanged, so that consumers of the bus can tell
# it from the conversation's own stages (both publish that event with the DESIGN shape).
EVENT_STATE_PREFIX = "journey:"
NO_STAGE = "none"

# Conversation stages (aremu.domain.conversation.state.Stage values), as plain strings so
# that the Slack and risk functions do not load the conversation to read the journey.
NEW, CONSENTED, COLLECTING, ACTIVE = "new", "consented", "collecting", "active"
OPTED_OUT, ERASED = "opted_out", "erased"
# Where a conversation stage puts a candidate who has not got that far in the journey.
CONVERSATION_TO_JOURNEY: Mapping[str, str] = {
    NEW: "initial_contact",
    CONSENTED: "initial_contact",
    COLLECTING: "preferences",
    ACTIVE: "matching",
}


class JourneyConfigError(ValueError):
    """The configured stages do not make a journey."""


class Actor(StrEnum):
    RECRUITER = "recruiter"
    CANDIDATE = "candidate"
    CONVERSATION = "conversation"
    SYSTEM = "system"


def actor_of(trigger: str) -> Actor:
    """Who asked for a move, from its trigger ("recruiter:U123", "candidate:applied")."""
    try:
        return Actor(trigger.split(":", 1)[0])
    except ValueError:
        return Actor.SYSTEM


def trigger_for_conversation(stage: str) -> str:
    return f"{Actor.CONVERSATION.value}:{stage}"


class Ruling(StrEnum):
    MOVE = "move"
    SAME = "same"  # already there
    UNKNOWN_STAGE = "unknown_stage"
    BACKWARD_REFUSED = "backward_refused"  # only a recruiter moves a candidate back
    OUTCOME_REFUSED = "outcome_refused"  # only a recruiter changes a final outcome


@dataclass(frozen=True)
class Move:
    previous: str | None  # None: the candidate enters the journey
    new: str
    trigger: str
    backward: bool = False
    drop_off: bool = False

    @property
    def completes(self) -> str | None:
        """The stage whose time this move ends."""
        return self.previous

    def event_states(self) -> tuple[str, str]:
        """previousState and newState as CandidateStateChanged carries them."""
        return (
            EVENT_STATE_PREFIX + (self.previous or NO_STAGE),
            EVENT_STATE_PREFIX + self.new,
        )


@dataclass(frozen=True)
class Verdict:
    ruling: Ruling
    move: Move | None = None


@dataclass(frozen=True)
class JourneyPlan:
    stages: tuple[str, ...]
    final_stages: frozenset[str] = frozenset()
    drop_off_stages: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.stages or any(not stage for stage in self.stages):
            raise JourneyConfigError("journey stages must be non-empty names")
        if len(set(self.stages)) != len(self.stages):
            raise JourneyConfigError("journey stages must be unique")
        if not self.final_stages <= set(self.stages):
            raise JourneyConfigError("final stages must be journey stages")
        if not self.drop_off_stages <= self.final_stages:
            raise JourneyConfigError("drop-off stages must be final stages")
        open_stages = [s for s in self.stages if s not in self.final_stages]
        if not open_stages:
            raise JourneyConfigError("a journey needs a stage before its outcomes")
        first_final = min((self.position(s) for s in self.final_stages), default=len(self.stages))
        if self.position(open_stages[-1]) > first_final:
            raise JourneyConfigError("final stages must come after every other stage")

    @classmethod
    def parse(
        cls, stages: str, final_stages: str, drop_off_stages: str = DEFAULT_DROP_OFF_STAGES
    ) -> JourneyPlan:
        return cls(
            stages=_names(stages),
            final_stages=frozenset(_names(final_stages)),
            drop_off_stages=frozenset(_names(drop_off_stages)),
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, drop_off_stages: str = DEFAULT_DROP_OFF_STAGES
    ) -> JourneyPlan:
        return cls.parse(settings.journey_stages, settings.journey_final_stages, drop_off_stages)

    def knows(self, stage: str) -> bool:
        return stage in self.stages

    def position(self, stage: str) -> int:
        return self.stages.index(stage)

    def decide(self, current: str | None, target: str, trigger: str) -> Verdict:
        """Whether a candidate now in `current` (None: not yet in the journey) may move."""
        if not self.knows(target):
            return Verdict(Ruling.UNKNOWN_STAGE)
        if target == current:
            return Verdict(Ruling.SAME)
        # A stage dropped from the settings since: any move leaves it, as if entering anew.
        if current is None or not self.knows(current):
            return Verdict(Ruling.MOVE, self._move(current, target, trigger))
        backward = self.position(target) < self.position(current)
        if actor_of(trigger) is not Actor.RECRUITER:
            if current in self.final_stages:
                return Verdict(Ruling.OUTCOME_REFUSED)
            if backward:
                return Verdict(Ruling.BACKWARD_REFUSED)
        return Verdict(Ruling.MOVE, self._move(current, target, trigger, backward))

    def _move(self, current: str | None, target: str, trigger: str, backward: bool = False) -> Move:
        return Move(
            previous=current,
            new=target,
            trigger=trigger,
            backward=backward,
            drop_off=target in self.drop_off_stages,
        )


class FollowKind(StrEnum):
    NOTHING = "nothing"
    MOVE = "move"  # forward to `stage`, if the candidate is not past it already
    DROP_OFF = "drop_off"  # the candidate left (opted out) from wherever they are
    FORGET = "forget"  # the candidate is being erased: take them out of the funnel


@dataclass(frozen=True)
class Follow:
    kind: FollowKind
    stage: str | None = None
    trigger: str | None = None


def follow_conversation(plan: JourneyPlan, previous: str | None, new: str) -> Follow:
    """What a conversation stage change (`previous` → `new`) means for the journey.

    `new` equal to `previous` is a turn with no change: only "new" means something then
    (first contact); the rest cost nothing. Moves are asked for by the conversation, so
    `decide` lets them only go forward: a candidate who restarts after opting out keeps
    their place.
    """
    if new == ERASED:
        return Follow(FollowKind.FORGET)
    if new == OPTED_OUT:
        if previous == new:
            return Follow(FollowKind.NOTHING)
        return Follow(FollowKind.DROP_OFF)
    if previous == new and new != NEW:
        return Follow(FollowKind.NOTHING)
    target = CONVERSATION_TO_JOURNEY.get(new)
    if target is None or not plan.knows(target):
        return Follow(FollowKind.NOTHING)
    return Follow(FollowKind.MOVE, target, trigger_for_conversation(new))


def _names(listed: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in listed.split(",") if name.strip())
