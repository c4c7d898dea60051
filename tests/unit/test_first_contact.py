"""The first-contact reply rule."""

from __future__ import annotations

import pytest

from aremu.domain.first_contact import ReplyKind, decide_reply, welcome_text


@pytest.mark.parametrize("message_type", ["text", "interactive", "button", "image", "unsupported"])
def test_first_message_of_any_addressed_type_gets_the_welcome(message_type: str) -> None:
    assert decide_reply(already_welcomed=False, message_type=message_type) is ReplyKind.WELCOME


@pytest.mark.parametrize("message_type", ["reaction", "system"])
def test_reactions_and_system_notices_get_no_reply(message_type: str) -> None:
    assert decide_reply(already_welcomed=False, message_type=message_type) is ReplyKind.NONE


@pytest.mark.parametrize("message_type", ["image", "audio", "location", "sticker", "hologram"])
def test_unreadable_messages_after_the_welcome_get_a_word_on_what_is_understood(
    message_type: str,
) -> None:
    assert decide_reply(already_welcomed=True, message_type=message_type) is ReplyKind.UNSUPPORTED


def test_text_after_the_welcome_waits_for_the_conversation_engine() -> None:
    assert decide_reply(already_welcomed=True, message_type="text") is ReplyKind.NONE


def test_welcome_says_it_is_automated_and_how_to_stop() -> None:
    text = welcome_text("Ada Obi")

    assert text.startswith("Hi Ada!")
    assert "automated assistant" in text
    assert "STOP" in text


@pytest.mark.parametrize("name", [None, "", "   "])
def test_welcome_without_a_usable_name_still_greets(name: str | None) -> None:
    assert welcome_text(name).startswith("Hi! ")
