"""The window reminder's "Keep alerts on" button: the conversation says the alerts stay on."""

from __future__ import annotations

from aremu.domain.conversation.engine import respond
from aremu.domain.conversation.state import Candidate, Incoming, Stage
from aremu.domain.extraction.offline import OfflinePreferenceExtractor
from aremu.domain.preferences import Preferences
from aremu.domain.window import KEEP_ALERTS_ACK, KEEP_ALERTS_BUTTON_ID, four_hours_left


def test_the_reminder_button_is_answered_with_the_acknowledgement() -> None:
    button = four_hours_left().to_body("234")["interactive"]["action"]["buttons"][0]
    incoming = Incoming(
        "wamid.1", "interactive", text="Keep alerts on", button_id=button["reply"]["id"]
    )

    decision = respond(
        Candidate("c1", Stage.ACTIVE, Preferences()), incoming, OfflinePreferenceExtractor()
    )

    assert button["reply"]["id"] == KEEP_ALERTS_BUTTON_ID
    assert decision.reply == KEEP_ALERTS_ACK
    assert decision.stage is Stage.ACTIVE
