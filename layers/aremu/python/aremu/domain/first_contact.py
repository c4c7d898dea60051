"""What to answer an inbound message before the full conversation engine takes over."""

from __future__ import annotations

from enum import StrEnum

# Types whose words Aremu reads; anything else (media, stickers, locations…) it cannot use yet.
UNDERSTOOD_TYPES = frozenset({"text", "interactive", "button"})
# Reactions and system notices are not addressed to Aremu: answering them would be noise.
SILENT_TYPES = frozenset({"reaction", "system", "order", "referral"})


class ReplyKind(StrEnum):
    WELCOME = "welcome"
    UNSUPPORTED = "unsupported"
    NONE = "none"


def decide_reply(already_welcomed: bool, message_type: str) -> ReplyKind:
    if message_type in SILENT_TYPES:
        return ReplyKind.NONE
    if not already_welcomed:
        return ReplyKind.WELCOME
    if message_type not in UNDERSTOOD_TYPES:
        return ReplyKind.UNSUPPORTED
    return ReplyKind.NONE


def welcome_text(profile_name: str | None) -> str:
    greeting = f"Hi {profile_name.split()[0]}!" if profile_name and profile_name.strip() else "Hi!"
    return (
        f"{greeting} I'm Aremu, an automated assistant. I find jobs that fit you and send "
        "them here on WhatsApp. Tell me the work you want and where, for example: "
        '"sales rep in Lagos, 3 years, 300k a month". Reply STOP at any time to stop messages.'
    )


UNSUPPORTED_TEXT = (
    "Sorry, I can only read text messages and button replies for now. "
    "Please type your answer and I'll take it from there."
)
