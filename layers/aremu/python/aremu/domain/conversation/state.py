"""What the engine knows about a candidate, and what one turn decides."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aremu.channels.whatsapp.outbound import OutboundMessage
from aremu.domain.preferences import Preferences


class Stage(StrEnum):
    NEW = "new"  # has written, has not opted in to job alerts
    CONSENTED = "consented"  # opted in, no preferences given yet
    COLLECTING = "collecting"  # giving preferences, not yet confirmed
    ACTIVE = "active"  # preferences confirmed: receives job alerts
    PAUSED = "paused"  # alerts paused; still talks to Aremu
    OPTED_OUT = "opted_out"  # asked to stop: silence until "start"
    ERASED = "erased"  # every item removed; only ever a transition's target


class Awaiting(StrEnum):
    """What Aremu asked last, so that a short answer ("3", "yes") can be read in context."""

    NOTHING = "nothing"
    CONSENT = "consent"
    ROLES = "roles"
    LOCATIONS = "locations"
    EXPERIENCE = "experience"
    PAY = "pay"
    ARRANGEMENT = "arrangement"
    CONFIRMATION = "confirmation"
    EDIT = "edit"
    ERASE_CONFIRMATION = "erase_confirmation"


@dataclass(frozen=True)
class Candidate:
    candidate_id: str
    stage: Stage
    preferences: Preferences
    awaiting: Awaiting = Awaiting.NOTHING
    profile_name: str | None = None
    needs_person: bool = False


@dataclass(frozen=True)
class Incoming:
    """An inbound message as the engine sees it: words and, for buttons, the reply id."""

    message_id: str
    message_type: str
    text: str | None = None
    button_id: str | None = None
    # The title of the job a job alert's button was about, looked up by the caller.
    job_title: str | None = None


@dataclass(frozen=True)
class Transition:
    previous: Stage
    new: Stage
    trigger: str


@dataclass(frozen=True)
class Decision:
    """Everything one turn does; the caller carries it out."""

    reply: OutboundMessage | None
    stage: Stage
    preferences: Preferences
    awaiting: Awaiting
    transitions: tuple[Transition, ...] = ()
    erase: bool = False
    needs_person: bool = False
    intent: str = "none"
    # Carried out by the caller: titles to stop sending, and whether to show top matches.
    mute_title: str | None = None
    show_matches: bool = False
