"""Block Kit messages for recruiters: what they show, what they hide, what their buttons carry."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aremu.channels.slack import blocks
from aremu.channels.slack.blocks import ActionId, Factor, HandbackTarget
from aremu.services.operator_desk import ConversationLine
from tests.support.slack import STAGES, card

ADA = "c5f2a9e0b7d14c3e8a6f9b21"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
PHONE_FORMATS = ["+2348031234567", "2348031234567", "0803 123 4567", "+234 (803) 123-4567"]
FACTORS = [
    Factor("inactive_for_stage", "no reply for 5 days; candidates at this stage reply in 2"),
    Factor("asked_for_person", "asked to speak to a person"),
]


def everything(value: Any) -> str:
    if isinstance(value, blocks.SlackMessage):
        value = {"text": value.text, "blocks": value.blocks}
    return json.dumps(value, ensure_ascii=False)


def leaves(value: Any) -> list[str]:
    """Every string in a message, each on its own."""
    if isinstance(value, blocks.SlackMessage):
        return [value.text, *leaves(value.blocks)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in leaves(item)]
    if isinstance(value, list):
        return [text for item in value for text in leaves(item)]
    return [value] if isinstance(value, str) else []


def all_buttons(message_blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        element
        for block in message_blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]


def digits_of(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def every_builder(text: str) -> list[Any]:
    """Every message built from outside text, with `text` wherever such text can go."""
    risky = replace(card(ADA, text), preferences_summary=text)
    line = ConversationLine("in", text, NOW, None)
    return [
        blocks.at_risk_alert(risky, 0.8, [Factor("frustrated", text)], NOW, "take_over"),
        blocks.thread_opener(risky, [line], "U1"),
        blocks.mirrored_message(text, NOW, text),
        blocks.candidate_cards(text, [risky], STAGES),
        blocks.handback_summary("U1", text),
        blocks.handback_modal(HandbackTarget(ADA, "C1", "1.2"), text),
    ]


def mrkdwn(value: Any) -> list[str]:
    """The texts Slack parses for mentions and links (plain_text it shows as written)."""
    if isinstance(value, blocks.SlackMessage):
        return [value.text, *mrkdwn(value.blocks)]
    if isinstance(value, dict):
        own = [value["text"]] if value.get("type") == "mrkdwn" else []
        return own + [text for item in value.values() for text in mrkdwn(item)]
    if isinstance(value, list):
        return [text for item in value for text in mrkdwn(item)]
    return []


def test_alert_buttons_take_over_nudge_and_dismiss_carry_the_candidate_id() -> None:
    alert = blocks.at_risk_alert(card(ADA), 0.72, FACTORS, NOW, "take_over")

    buttons = all_buttons(alert.blocks)

    assert [button["action_id"] for button in buttons] == [
        ActionId.TAKE_OVER,
        ActionId.NUDGE,
        ActionId.DISMISS,
    ]
    assert {button["value"] for button in buttons} == {ADA}


def test_alert_shows_who_stage_preferences_last_activity_and_each_factor_reason() -> None:
    alert = blocks.at_risk_alert(card(ADA, "Ada Obi"), 0.72, FACTORS, NOW, "take_over")

    shown = everything(alert.blocks)

    for expected in (
        "Ada Obi",
        "Active",
        "Sales Executive · Lagos · ₦300k+/month",
        f"<!date^{int(NOW.timestamp())}^",
        "Inactive for stage",
        "no reply for 5 days",
        "asked to speak to a person",
        "0.72",
        "Take over",
    ):
        assert expected in shown


def test_alert_falls_back_to_the_cards_last_activity() -> None:
    candidate = card(ADA)

    alert = blocks.at_risk_alert(candidate, 0.7, FACTORS, None, "nudge")

    assert candidate.last_activity is not None
    assert f"<!date^{int(candidate.last_activity.timestamp())}^" in everything(alert.blocks)


WORDS = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Zs")), max_size=20)


@given(phone=st.sampled_from(PHONE_FORMATS), before=WORDS)
def test_no_block_ever_shows_a_phone_number(phone: str, before: str) -> None:
    text = f"{before} call me on {phone} please"

    # Notices and refusals are in Aremu's words, but they hide numbers all the same.
    for message in [*every_builder(text), blocks.notice(text), blocks.refusal(text)]:
        for shown in leaves(message):
            assert digits_of(phone)[-7:] not in digits_of(shown)


def test_amounts_and_dates_are_not_taken_for_phone_numbers() -> None:
    text = "₦300,000 a month from 2026-12-01"

    assert blocks.hide_phone_numbers(text) == text


def test_candidate_text_cannot_mention_or_link_in_slack() -> None:
    sneaky = "<!channel> see <https://evil.test|here> & more"

    for message in every_builder(sneaky):
        for shown in mrkdwn(message):
            assert "<!channel>" not in shown
            assert "<https://evil.test" not in shown


def test_long_text_is_clipped_to_block_kit_limits() -> None:
    huge = "word " * 2000

    for message in every_builder(huge):
        message_blocks = message.blocks if isinstance(message, blocks.SlackMessage) else []
        for block in message_blocks or message["blocks"]:
            if block["type"] == "section" and "text" in block:
                assert len(block["text"]["text"]) <= blocks.MAX_SECTION_TEXT
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= blocks.MAX_HEADER_TEXT
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    assert len(element["text"]["text"]) <= blocks.MAX_BUTTON_TEXT


def test_settled_alert_loses_its_buttons_and_shows_the_status() -> None:
    alert = blocks.at_risk_alert(card(ADA), 0.72, FACTORS, NOW, "take_over")

    settled = blocks.settle_alert(alert.blocks, "Taken over by <@U1>")

    assert all_buttons(settled) == []
    assert settled[-1]["block_id"] == blocks.STATUS_BLOCK_ID
    assert "Taken over by <@U1>" in everything(settled[-1])


def test_settling_twice_keeps_one_status() -> None:
    alert = blocks.at_risk_alert(card(ADA), 0.72, FACTORS, NOW, "take_over")
    nudged = blocks.settle_alert(alert.blocks, "Nudged by <@U1>", keep_actions=True)

    settled = blocks.settle_alert(nudged, "Dismissed by <@U2>")

    statuses = [block for block in settled if block.get("block_id") == blocks.STATUS_BLOCK_ID]
    assert len(statuses) == 1
    assert "Dismissed" in everything(statuses)


def test_nudged_alert_keeps_its_buttons() -> None:
    alert = blocks.at_risk_alert(card(ADA), 0.72, FACTORS, NOW, "take_over")

    nudged = blocks.settle_alert(alert.blocks, "Nudged by <@U1>", keep_actions=True)

    assert len(all_buttons(nudged)) == 3


def test_thread_opener_shows_the_recent_conversation_oldest_first_and_hand_back() -> None:
    lines = [
        ConversationLine("in", "first from candidate", NOW, None),
        ConversationLine("out", "bot answer", NOW, None),
        ConversationLine("out", "recruiter answer", NOW, "U9"),
    ]

    opener = blocks.thread_opener(card(ADA), lines, "U1")

    shown = everything(opener.blocks)
    assert shown.index("first from candidate") < shown.index("bot answer")
    assert "<@U9>" in shown
    [button] = all_buttons(opener.blocks)
    assert (button["action_id"], button["value"]) == (ActionId.HAND_BACK, ADA)


def test_template_offer_button_carries_the_candidate_id() -> None:
    offer = blocks.template_offer(ADA)

    [button] = all_buttons(offer.blocks)
    assert (button["action_id"], button["value"]) == (ActionId.SEND_TEMPLATE, ADA)


def test_card_offers_every_journey_stage_and_selects_the_current_one() -> None:
    shown = blocks.candidate_card(card(ADA, journey_stage="applied"), STAGES)

    [select] = [e for b in shown if b["type"] == "actions" for e in b["elements"] if "options" in e]
    assert [option["value"] for option in select["options"]] == list(STAGES)
    assert select["initial_option"]["value"] == "applied"
    assert select["action_id"] == ActionId.SET_STAGE


def test_card_stage_select_carries_the_candidate_id_in_its_block() -> None:
    shown = blocks.candidate_card(card(ADA), STAGES)

    [actions] = [block for block in shown if block["type"] == "actions"]
    assert actions["block_id"] == blocks.STAGE_BLOCK_PREFIX + ADA


def test_card_of_a_held_candidate_names_the_holder_and_offers_no_take_over() -> None:
    held = replace(card(ADA), held_by="U7")

    shown = blocks.candidate_card(held, STAGES)

    assert "<@U7>" in everything(shown)
    assert all_buttons(shown) == []


def test_card_without_a_journey_stage_preselects_nothing() -> None:
    shown = blocks.candidate_card(card(ADA, journey_stage=None), STAGES)

    assert "initial_option" not in everything(shown)


def test_find_without_matches_says_so() -> None:
    answer = blocks.candidate_cards("zed", [], STAGES)

    assert "No candidate matches" in answer.text


def test_find_shows_at_most_five_cards_and_counts_the_rest() -> None:
    cards = [card(f"c{index:024d}", f"Ada {index}") for index in range(8)]

    answer = blocks.candidate_cards("ada", cards, STAGES)

    selects = [b for b in answer.blocks if b.get("block_id", "").startswith("aremu_stage:")]
    assert len(selects) == blocks.MAX_CARDS
    assert "3 more match" in everything(answer.blocks)


def test_funnel_lists_every_stage_in_order_with_its_count() -> None:
    counts = {"initial_contact": 40, "preferences": 25, "matching": 10, "hired": 2}

    shown = everything(blocks.funnel(counts).blocks)

    positions = [shown.index(blocks.stage_label(stage)) for stage in counts]
    assert positions == sorted(positions)
    assert "77 candidates" in shown


def test_handback_modal_asks_for_a_one_line_summary_and_carries_its_target() -> None:
    target = HandbackTarget(ADA, "C1", "1795000000.000100")

    modal = blocks.handback_modal(target)

    assert modal["callback_id"] == blocks.HANDBACK_CALLBACK_ID
    assert HandbackTarget.from_metadata(modal["private_metadata"]) == target
    [field] = [block for block in modal["blocks"] if block["type"] == "input"]
    assert field["block_id"] == blocks.SUMMARY_BLOCK_ID
    assert field["element"]["action_id"] == blocks.SUMMARY_ACTION_ID


def test_modal_title_fits_slacks_24_characters() -> None:
    modal = blocks.handback_modal(HandbackTarget(ADA, None, None))

    assert len(modal["title"]["text"]) <= blocks.MAX_VIEW_TITLE


def test_recruiter_text_reaches_whatsapp_unescaped_with_links_spelled_out() -> None:
    from aremu.services.slack_app import plain_text

    text = "pay &gt; 200k &amp; transport: <https://x.example/apply|apply here> <https://y.example>"

    assert plain_text(text) == (
        "pay > 200k & transport: apply here (https://x.example/apply) https://y.example"
    )
