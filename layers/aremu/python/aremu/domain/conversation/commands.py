"""Reading what a candidate asks for: commands by word, button or list, forgiving of form.

Stop requests are honoured in any clear wording, not only the keyword; a longer message
that merely contains "stop" (a job title, a sentence about work) is not one.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from aremu.domain.window import KEEP_ALERTS_BUTTON_ID


class Intent(StrEnum):
    HELP = "help"
    JOBS = "jobs"
    SHOW_PREFERENCES = "show_preferences"
    EDIT = "edit"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    START = "start"
    DELETE = "delete"
    TALK_TO_PERSON = "talk_to_person"
    YES = "yes"
    NO = "no"
    CONSENT_YES = "consent_yes"
    CONSENT_NO = "consent_no"
    CONFIRM = "confirm"
    ERASE_YES = "erase_yes"
    ERASE_NO = "erase_no"
    NOT_INTERESTED = "not_interested"  # a job alert's button
    MORE_LIKE_THIS = "more_like_this"
    APPLIED = "applied"  # "I applied": a job alert's button, or said in words
    KEEP_ALERTS = "keep_alerts"  # the window reminder's button


# Button and list-row ids Aremu sends; a reply carries them back whatever its title says.
BUTTON_INTENTS: dict[str, Intent] = {
    "consent_yes": Intent.CONSENT_YES,
    "consent_no": Intent.CONSENT_NO,
    "prefs_confirm": Intent.CONFIRM,
    "prefs_edit": Intent.EDIT,
    "erase_yes": Intent.ERASE_YES,
    "erase_no": Intent.ERASE_NO,
    "menu_jobs": Intent.JOBS,
    "menu_preferences": Intent.SHOW_PREFERENCES,
    "menu_edit": Intent.EDIT,
    "menu_pause": Intent.PAUSE,
    "menu_resume": Intent.RESUME,
    "menu_person": Intent.TALK_TO_PERSON,
    "menu_delete": Intent.DELETE,
    "menu_stop": Intent.STOP,
    "menu_help": Intent.HELP,
    "job_no": Intent.NOT_INTERESTED,
    "job_more": Intent.MORE_LIKE_THIS,
    "job_applied": Intent.APPLIED,
    # The re-engagement template's quick reply.
    "reengage_jobs": Intent.JOBS,
    KEEP_ALERTS_BUTTON_ID: Intent.KEEP_ALERTS,
}

_EXACT: dict[Intent, frozenset[str]] = {
    Intent.HELP: frozenset(
        {
            "help",
            "menu",
            "options",
            "commands",
            "what can you do",
            "how does this work",
            "how do i use this",
            "info",
            "?",
        }
    ),
    Intent.JOBS: frozenset(
        {
            "jobs",
            "job",
            "more",
            "more jobs",
            "show jobs",
            "show me jobs",
            "any jobs",
            "new jobs",
            "find jobs",
            "job alerts",
            "matches",
            "see jobs",
        }
    ),
    Intent.SHOW_PREFERENCES: frozenset(
        {
            "my preferences",
            "preferences",
            "my profile",
            "profile",
            "settings",
            "my settings",
            "show preferences",
            "show my preferences",
            "what do you have",
        }
    ),
    Intent.EDIT: frozenset(
        {
            "edit",
            "edit preferences",
            "edit my preferences",
            "change preferences",
            "change my preferences",
            "update preferences",
            "update my preferences",
            "edit profile",
            "change",
            "update",
        }
    ),
    Intent.PAUSE: frozenset(
        {
            "pause",
            "pause alerts",
            "pause job alerts",
            "snooze",
            "take a break",
            "hold alerts",
            "pause for now",
            "stop alerts for now",
            "pause messages",
        }
    ),
    Intent.RESUME: frozenset(
        {
            "resume",
            "resume alerts",
            "unpause",
            "continue",
            "resume job alerts",
            "turn alerts back on",
            "alerts on",
        }
    ),
    Intent.START: frozenset(
        {
            "start",
            "start again",
            "subscribe",
            "opt in",
            "optin",
            "unstop",
            "restart",
            "start alerts",
        }
    ),
    Intent.APPLIED: frozenset(
        {
            "i applied",
            "applied",
            "i have applied",
            "ive applied",
            "i already applied",
            "i just applied",
            "i don apply",
        }
    ),
    Intent.YES: frozenset(
        {
            "yes",
            "y",
            "yeah",
            "yea",
            "yep",
            "yup",
            "ok",
            "okay",
            "sure",
            "confirm",
            "correct",
            "yes please",
            "thats right",
            "that is right",
            "right",
            "go ahead",
            "👍",
            "ok o",
            "oya",
        }
    ),
    Intent.NO: frozenset(
        {
            "no",
            "n",
            "nope",
            "nah",
            "not now",
            "no thanks",
            "no thank you",
            "cancel",
            "keep",
            "keep it",
            "wrong",
            "👎",
        }
    ),
}

_STOP_WORDS = re.compile(
    r"^(?:please |pls |abeg )?"
    r"(?:stop|unsubscribe|opt ?out|end|quit|stop it|stop now|stop all)"
    r"(?: please| pls| now)?$"
)
_STOP_PHRASES = re.compile(
    r"\b(?:"
    r"stop (?:messag\w*|text\w*|send\w*|contact\w*|spamm\w*"
    r"|all messages|the messages|alerts|job alerts|this)"
    r"|(?:do ?n.?t|do not|never) (?:message|text|contact|send|whatsapp|disturb)\w*"
    r"|leave me alone|remove me from|unsubscribe me|opt me out|no more (?:messages|alerts|texts)"
    r"|i want to (?:stop|unsubscribe|opt out)|take me off"
    r")\b"
)
_DELETE = re.compile(
    r"\b(?:delete|erase|remove|wipe|clear)\b.{0,20}"
    r"\b(?:my )?(?:data|account|details|information|info|profile|everything)\b"
    r"|\bforget (?:about )?me\b"
)
_PERSON = re.compile(
    r"\b(?:talk|speak|chat|connect) (?:to|with) (?:a |an |the |some )?"
    r"(?:person|human|someone|somebody|recruiter|agent|real person|staff|admin)\b"
    r"|^(?:human|agent|recruiter|real person|a person|person)(?: please)?$"
)


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation (emoji kept), single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    if not folded.strip():
        folded = text  # emoji-only or non-Latin: keep the original symbols
    cleaned = re.sub(r"[^\w\s?👍👎]", " ", folded.lower().replace("'", "").replace("’", ""))
    return re.sub(r"\s+", " ", cleaned).strip()


def read_intent(text: str | None, button_id: str | None) -> Intent | None:
    # Job alert buttons carry their job: "job_no:<job id>".
    button = button_id.split(":", 1)[0] if button_id else None
    if button and button in BUTTON_INTENTS:
        return BUTTON_INTENTS[button]
    if not text:
        return None
    words = normalise(text[:300])
    if _STOP_WORDS.match(words) or _STOP_PHRASES.search(words):
        return Intent.STOP
    if _DELETE.search(words):
        return Intent.DELETE
    if _PERSON.search(words):
        return Intent.TALK_TO_PERSON
    for intent, phrases in _EXACT.items():
        if words in phrases:
            return intent
    return None
