"""The conversation engine: one inbound message in, one decision out, no I/O.

Order of precedence in a turn: an opted-out candidate hears nothing but the answer to
START; a stop request wins over everything else; erasure, a person and the menu work in
every stage; then onboarding (consent, then preferences until confirmed) or, for active
candidates, commands and preference edits in plain words. Every turn sends at most one
message, so a turn costs at most one Graph API call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from aremu.channels.whatsapp.outbound import OutboundMessage
from aremu.domain.conversation import replies
from aremu.domain.conversation.commands import Intent, read_intent
from aremu.domain.conversation.state import (
    Awaiting,
    Candidate,
    Decision,
    Incoming,
    Stage,
    Transition,
)
from aremu.domain.extraction import PreferenceExtractor
from aremu.domain.preferences import Arrangement, Preferences, PreferenceUpdate, apply_update
from aremu.domain.vocabulary.roles import role_for_title
from aremu.domain.window import KEEP_ALERTS_ACK

UNDERSTOOD_TYPES = frozenset({"text", "interactive", "button"})
# Not addressed to Aremu (a reaction, a number change notice): answering would be noise.
SILENT_TYPES = frozenset({"reaction", "system", "order", "referral"})
ONBOARDING = frozenset({Stage.NEW, Stage.CONSENTED, Stage.COLLECTING})
MAX_TEXT_FOR_EXTRACTION = 2000

_AWAITING_FOR_FIELD: dict[str, Awaiting] = {
    "roles": Awaiting.ROLES,
    "locations": Awaiting.LOCATIONS,
    "years_experience": Awaiting.EXPERIENCE,
    "min_pay": Awaiting.PAY,
    "arrangement": Awaiting.ARRANGEMENT,
}
# Conversation stages in which "I applied" is not news for the journey (no alert was seen).
_NOT_IN_JOURNEY = frozenset({Stage.NEW, Stage.OPTED_OUT, Stage.ERASED})
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d)?)\s*\+?\s*$")
_NO_PREFERENCE = re.compile(
    r"^\s*(?:any|anything|either|all|any one|any is fine|no preference|doesn.?t matter)\W*$",
    re.IGNORECASE,
)


class _Turn:
    """Builds a Decision from the candidate's state as it was at the start of the turn."""

    def __init__(self, candidate: Candidate, intent: Intent | None) -> None:
        self.candidate = candidate
        self.intent = intent
        self.stage = candidate.stage
        self.preferences = candidate.preferences
        self.awaiting = candidate.awaiting
        self.needs_person = candidate.needs_person
        self.transitions: list[Transition] = []
        self.erase = False

    def move_to(self, stage: Stage, trigger: str) -> _Turn:
        if stage is not self.stage:
            self.transitions.append(Transition(self.stage, stage, trigger))
            self.stage = stage
        return self

    def decide(
        self,
        reply: OutboundMessage | None,
        awaiting: Awaiting | None = None,
        *,
        mute_title: str | None = None,
        show_matches: bool = False,
    ) -> Decision:
        return Decision(
            reply=reply,
            stage=self.stage,
            preferences=self.preferences,
            awaiting=self.awaiting if awaiting is None else awaiting,
            transitions=tuple(self.transitions),
            erase=self.erase,
            needs_person=self.needs_person,
            intent=self.intent.value if self.intent else "none",
            mute_title=mute_title,
            show_matches=show_matches,
        )


def respond(candidate: Candidate, incoming: Incoming, extractor: PreferenceExtractor) -> Decision:
    intent = read_intent(incoming.text, incoming.button_id)
    turn = _Turn(candidate, intent)
    if candidate.stage is Stage.OPTED_OUT:
        return _while_opted_out(turn)
    if incoming.message_type in SILENT_TYPES:
        return turn.decide(None)
    if intent is Intent.STOP:
        return turn.move_to(Stage.OPTED_OUT, "stop_request").decide(
            replies.STOPPED, Awaiting.NOTHING
        )
    if intent is Intent.ERASE_YES or (
        candidate.awaiting is Awaiting.ERASE_CONFIRMATION and intent is Intent.YES
    ):
        turn.erase = True
        return turn.move_to(Stage.ERASED, "erasure_request").decide(
            replies.ERASED, Awaiting.NOTHING
        )
    if intent is Intent.DELETE:
        return turn.decide(replies.erase_confirmation(), Awaiting.ERASE_CONFIRMATION)
    if candidate.awaiting is Awaiting.ERASE_CONFIRMATION and intent in (Intent.ERASE_NO, Intent.NO):
        return turn.decide(replies.ERASE_KEPT, Awaiting.NOTHING)
    if intent is Intent.TALK_TO_PERSON:
        turn.needs_person = True
        return turn.decide(replies.PERSON_FLAGGED)
    if candidate.stage is Stage.NEW:
        return _before_consent(turn, incoming, extractor)
    if incoming.message_type not in UNDERSTOOD_TYPES:
        return turn.decide(replies.UNSUPPORTED_MEDIA)
    if intent in (Intent.NOT_INTERESTED, Intent.MORE_LIKE_THIS):
        return _job_feedback(turn, incoming.job_title)
    if intent in (Intent.APPLIED, Intent.KEEP_ALERTS):
        return turn.decide(_acknowledgement(intent, incoming))
    command = _command(turn)
    if command is not None:
        return command
    return _preferences_in_words(turn, incoming, extractor)


def _acknowledgement(intent: Intent, incoming: Incoming) -> OutboundMessage:
    if intent is Intent.APPLIED:
        return replies.applied(incoming.job_title)
    # "Keep alerts on": the tap itself re-opened the window; the answer only says so.
    return KEEP_ALERTS_ACK


@dataclass(frozen=True)
class JourneyMove:
    """A journey stage a turn asks for; the caller moves it (services/journey.py)."""

    stage: str
    trigger: str


APPLIED_MOVE = JourneyMove(stage="applied", trigger="candidate:applied")


def journey_move(decision: Decision) -> JourneyMove | None:
    """The journey move a decision asks for: "I applied" moves the candidate to applied."""
    if decision.intent == Intent.APPLIED.value and decision.stage not in _NOT_IN_JOURNEY:
        return APPLIED_MOVE
    return None


def _while_opted_out(turn: _Turn) -> Decision:
    if turn.intent not in (Intent.START, Intent.CONSENT_YES):
        return turn.decide(None)
    if turn.preferences.missing_fields():
        turn.move_to(Stage.CONSENTED, "start_request")
        return _ask_next(turn, replies.welcome_back(missing=True).body)
    turn.move_to(Stage.ACTIVE, "start_request")
    return turn.decide(replies.welcome_back(missing=False), Awaiting.NOTHING)


def _before_consent(turn: _Turn, incoming: Incoming, extractor: PreferenceExtractor) -> Decision:
    intent = turn.intent
    awaiting_consent = turn.candidate.awaiting is Awaiting.CONSENT
    if intent is Intent.CONSENT_YES or (awaiting_consent and intent in (Intent.YES, Intent.START)):
        turn.move_to(Stage.CONSENTED, "opted_in")
        return _ask_next(turn, "Great!")
    if intent is Intent.CONSENT_NO or (awaiting_consent and intent is Intent.NO):
        return _decline(turn)
    # Whatever else they said, keep any preferences in it: they won't have to repeat them.
    if incoming.message_type in UNDERSTOOD_TYPES and intent is None:
        turn.preferences = apply_update(turn.preferences, _extract(extractor, incoming.text))
    reply = (
        replies.consent_reminder()
        if awaiting_consent
        else replies.welcome(turn.candidate.profile_name)
    )
    return turn.decide(reply, Awaiting.CONSENT)


def _command(turn: _Turn) -> Decision | None:
    handler = _COMMANDS.get(turn.intent) if turn.intent else None
    if handler is not None:
        return handler(turn)
    return _contextual_yes_no(turn) if turn.intent in (Intent.YES, Intent.NO) else None


def _help(turn: _Turn) -> Decision:
    return turn.decide(replies.menu(paused=turn.stage is Stage.PAUSED))


def _jobs(turn: _Turn) -> Decision:
    if turn.stage in ONBOARDING:
        return _ask_next(turn, "I'll find jobs as soon as I know what you want.")
    # The caller looks up the best recent matches; this is the answer when there are none.
    return turn.decide(replies.NO_MATCHES_YET, show_matches=True)


def _job_feedback(turn: _Turn, job_title: str | None) -> Decision:
    if not job_title:
        return turn.decide(replies.NOT_UNDERSTOOD)
    if turn.intent is Intent.NOT_INTERESTED:
        return turn.decide(replies.fewer_like(job_title), mute_title=job_title)
    role = role_for_title(job_title)
    if role is not None and role not in turn.preferences.roles:
        turn.preferences = turn.preferences.model_copy(
            update={"roles": [*turn.preferences.roles, role]}
        )
    return turn.decide(replies.more_like(job_title))


def _show_preferences(turn: _Turn) -> Decision:
    if turn.preferences == Preferences():
        return _ask_next(turn, "I don't know your preferences yet.")
    return turn.decide(replies.preferences_card(turn.preferences.summary_lines()))


def _edit(turn: _Turn) -> Decision:
    return turn.decide(replies.EDIT_PROMPT, Awaiting.EDIT)


def _pause(turn: _Turn) -> Decision:
    if turn.stage is Stage.ACTIVE:
        return turn.move_to(Stage.PAUSED, "pause_request").decide(replies.PAUSED)
    if turn.stage is Stage.PAUSED:
        return turn.decide(replies.PAUSED)
    return _ask_next(turn, "Job alerts start once your preferences are confirmed.")


def _resume(turn: _Turn) -> Decision:
    if turn.stage is Stage.PAUSED:
        return turn.move_to(Stage.ACTIVE, "resume_request").decide(replies.RESUMED)
    if turn.stage is Stage.ACTIVE:
        return turn.decide(replies.ALREADY_ACTIVE)
    return _ask_next(turn)


def _decline(turn: _Turn) -> Decision:
    return turn.move_to(Stage.OPTED_OUT, "declined_consent").decide(
        replies.DECLINED, Awaiting.NOTHING
    )


def _contextual_yes_no(turn: _Turn) -> Decision:
    if turn.candidate.awaiting is Awaiting.CONFIRMATION:
        return _confirm(turn) if turn.intent is Intent.YES else _edit(turn)
    if turn.stage in ONBOARDING:
        return _ask_next(turn)
    return turn.decide(replies.NOT_UNDERSTOOD)


def _unexpected_answer(turn: _Turn) -> Decision:
    return _ask_next(turn) if turn.stage in ONBOARDING else turn.decide(replies.NOT_UNDERSTOOD)


def _confirm(turn: _Turn) -> Decision:
    if turn.preferences.missing_fields():
        return _ask_next(turn, "Almost there.")
    if turn.stage in (Stage.ACTIVE, Stage.PAUSED):
        return turn.decide(replies.preferences_card(turn.preferences.summary_lines()))
    turn.move_to(Stage.ACTIVE, "preferences_confirmed")
    return turn.decide(replies.CONFIRMED, Awaiting.NOTHING)


_COMMANDS: dict[Intent, Callable[[_Turn], Decision]] = {
    Intent.HELP: _help,
    Intent.JOBS: _jobs,
    Intent.SHOW_PREFERENCES: _show_preferences,
    Intent.EDIT: _edit,
    Intent.CONFIRM: _confirm,
    Intent.PAUSE: _pause,
    Intent.RESUME: _resume,
    Intent.START: _resume,
    Intent.CONSENT_YES: _resume,
    Intent.CONSENT_NO: _decline,
    Intent.ERASE_NO: _unexpected_answer,
}


def _preferences_in_words(
    turn: _Turn, incoming: Incoming, extractor: PreferenceExtractor
) -> Decision:
    update = _extract(extractor, incoming.text, turn.candidate.awaiting)
    if update.is_empty():
        if turn.stage in ONBOARDING:
            return _ask_next(turn, "Sorry, I didn't catch that.")
        return turn.decide(replies.NOT_UNDERSTOOD)
    turn.preferences = apply_update(turn.preferences, update)
    if turn.stage in ONBOARDING:
        turn.move_to(Stage.COLLECTING, "preferences_given")
        return _ask_next(turn, "Got it.")
    return turn.decide(replies.preferences_card(turn.preferences.summary_lines()), Awaiting.NOTHING)


def _ask_next(turn: _Turn, preface: str = "") -> Decision:
    """Ask for the first missing preference, or show the summary card when none is missing."""
    missing = turn.preferences.missing_fields()
    if not missing:
        return turn.decide(
            replies.summary_card(
                turn.preferences.summary_lines(), preface or "Here is what I have:"
            ),
            Awaiting.CONFIRMATION,
        )
    awaiting = _AWAITING_FOR_FIELD[missing[0]]
    return turn.decide(replies.question(awaiting, preface), awaiting)


def _extract(
    extractor: PreferenceExtractor, text: str | None, awaiting: Awaiting = Awaiting.NOTHING
) -> PreferenceUpdate:
    if not text:
        return PreferenceUpdate()
    text = text[:MAX_TEXT_FOR_EXTRACTION]
    update = extractor.extract(text)
    if not update.is_empty():
        return update
    # Short answers are ambiguous alone, but not as the answer to the question just asked.
    bare = _BARE_NUMBER.match(text)
    if awaiting is Awaiting.EXPERIENCE and bare:
        return update.model_copy(update={"years_experience": float(bare.group(1))})
    if awaiting is Awaiting.ARRANGEMENT and _NO_PREFERENCE.match(text):
        return update.model_copy(update={"arrangement": Arrangement.ANY})
    return update
