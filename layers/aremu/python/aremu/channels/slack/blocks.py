"""Block Kit messages for recruiters: the at-risk alert, the takeover thread, candidate cards,
the funnel and the ephemeral answers.

Every piece of outside text goes through `safe_text`: Slack's mrkdwn escapes, and anything
that looks like a phone number is hidden (a candidate may type one, a factor may quote
them), so no phone number reaches Slack. Buttons carry the candidate id as their value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aremu.services.operator_desk import CandidateCard, ConversationLine

JsonDict = dict[str, Any]

# Block Kit's documented limits.
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_VIEW_TITLE = 24
MAX_SUMMARY_LENGTH = 300
MAX_CARDS = 5  # a find answer stays readable and far below 50 blocks

HIDDEN_NUMBER = "[number hidden]"
# Nine digits or more, optionally led by "+" and split by spaces, dots, dashes or brackets:
# every phone number format, but not amounts such as ₦300,000 or dates.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){8,}(?!\w)")


class ActionId(StrEnum):
    TAKE_OVER = "aremu_take_over"
    NUDGE = "aremu_nudge"
    DISMISS = "aremu_dismiss"
    HAND_BACK = "aremu_hand_back"
    SEND_TEMPLATE = "aremu_send_template"
    SET_STAGE = "aremu_set_stage"


HANDBACK_CALLBACK_ID = "aremu_handback"
SUMMARY_BLOCK_ID = "aremu_summary"
SUMMARY_ACTION_ID = "summary"
STATUS_BLOCK_ID = "aremu_status"
# A select has no value of its own, so the candidate id rides in its block id.
STAGE_BLOCK_PREFIX = "aremu_stage:"


@dataclass(frozen=True)
class SlackMessage:
    """Blocks and the plain text Slack shows in notifications and screen readers."""

    text: str
    blocks: list[JsonDict]


@dataclass(frozen=True)
class Factor:
    name: str
    reason: str


@dataclass(frozen=True)
class HandbackTarget:
    """What the handback modal carries from the button to its submission."""

    candidate_id: str
    channel: str | None
    thread_ts: str | None

    def to_metadata(self) -> str:
        return json.dumps(
            {"candidate_id": self.candidate_id, "channel": self.channel, "ts": self.thread_ts}
        )

    @classmethod
    def from_metadata(cls, metadata: str) -> HandbackTarget:
        data = json.loads(metadata)
        return cls(str(data["candidate_id"]), data.get("channel"), data.get("ts"))


def hide_phone_numbers(text: str) -> str:
    return _PHONE.sub(HIDDEN_NUMBER, text)


def safe_text(text: str, limit: int = MAX_SECTION_TEXT) -> str:
    """Outside text made safe for mrkdwn: escaped, clipped, phone numbers hidden."""
    escaped = hide_phone_numbers(text).replace("&", "&amp;").replace("<", "&lt;")
    return _clip(escaped.replace(">", "&gt;"), limit)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str, limit: int) -> JsonDict:
    return {"type": "plain_text", "text": _clip(hide_phone_numbers(text), limit), "emoji": True}


def _mrkdwn(text: str) -> JsonDict:
    return {"type": "mrkdwn", "text": _clip(text, MAX_SECTION_TEXT)}


def _section(text: str) -> JsonDict:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str, block_id: str | None = None) -> JsonDict:
    block: JsonDict = {"type": "context", "elements": [_mrkdwn(text)]}
    if block_id:
        block["block_id"] = block_id
    return block


def _button(text: str, action_id: ActionId, value: str, style: str | None = None) -> JsonDict:
    button: JsonDict = {
        "type": "button",
        "text": _plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id.value,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    # Slack shows the date in each reader's own time zone; the fallback is UTC.
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def stage_label(stage: str) -> str:
    return stage.replace("_", " ").capitalize()


def _stage_line(card: CandidateCard) -> str:
    journey = (
        f" · journey: {safe_text(stage_label(card.journey_stage))}" if card.journey_stage else ""
    )
    return f"{safe_text(stage_label(card.stage))}{journey}"


def _name(card: CandidateCard) -> str:
    return safe_text(card.display_name, MAX_HEADER_TEXT)


def at_risk_alert(
    card: CandidateCard,
    score: float,
    factors: Sequence[Factor],
    last_activity: datetime | None,
    recommended_action: str | None,
) -> SlackMessage:
    why = "\n".join(
        f"• *{safe_text(stage_label(factor.name), 200)}*"
        + (f" — {safe_text(factor.reason, 400)}" if factor.reason else "")
        for factor in factors
    )
    blocks: list[JsonDict] = [
        {"type": "header", "text": _plain(f"At risk: {card.display_name}", MAX_HEADER_TEXT)},
        {
            "type": "section",
            "fields": [
                _mrkdwn(f"*Stage*\n{_stage_line(card)}"),
                _mrkdwn(f"*Last active*\n{_when(last_activity or card.last_activity)}"),
                _mrkdwn(f"*Risk*\n{score:.2f}"),
                _mrkdwn(f"*Looking for*\n{safe_text(card.preferences_summary or '—', 1900)}"),
            ],
        },
        _section(f"*Why*\n{why or '—'}"),
    ]
    if recommended_action:
        blocks.append(_context(f"Recommended: {safe_text(stage_label(recommended_action), 500)}"))
    blocks.append(
        {
            "type": "actions",
            "elements": [
                _button("Take over", ActionId.TAKE_OVER, card.candidate_id, "primary"),
                _button("Nudge", ActionId.NUDGE, card.candidate_id),
                _button("Dismiss", ActionId.DISMISS, card.candidate_id, "danger"),
            ],
        }
    )
    return SlackMessage(f"At-risk candidate: {_name(card)}", blocks)


def settle_alert(
    blocks: Iterable[JsonDict], status: str, *, keep_actions: bool = False
) -> list[JsonDict]:
    """The alert's blocks with `status` in place of any earlier status (and of its buttons)."""
    kept = [
        block
        for block in blocks
        if block.get("block_id") != STATUS_BLOCK_ID
        and (keep_actions or block.get("type") != "actions")
    ]
    return [*kept, _context(status, STATUS_BLOCK_ID)]


def _line(line: ConversationLine, name: str) -> JsonDict:
    if line.direction == "in":
        who = f"*{name}*"
    elif line.operator_id:
        who = f"*<@{line.operator_id}>* (via Aremu)"
    else:
        who = "*Aremu*"
    return _section(f"{who} · {_when(line.at)}\n{safe_text(line.text, MAX_SECTION_TEXT - 200)}")


def thread_opener(
    card: CandidateCard, lines: Sequence[ConversationLine], operator_id: str
) -> SlackMessage:
    """The thread's first message: who holds it, the recent conversation, Hand back."""
    name = _name(card)
    blocks: list[JsonDict] = [
        {
            "type": "header",
            "text": _plain(f"Conversation with {card.display_name}", MAX_HEADER_TEXT),
        },
        _context(
            f"<@{operator_id}> took over · {_stage_line(card)} · "
            f"{safe_text(card.preferences_summary or 'no preferences yet', 500)}"
        ),
        {"type": "divider"},
    ]
    blocks += [_line(line, name) for line in lines] or [_section("_No messages yet._")]
    blocks += [
        _context("Replies in this thread go to the candidate on WhatsApp."),
        {
            "type": "actions",
            "elements": [_button("Hand back to Aremu", ActionId.HAND_BACK, card.candidate_id)],
        },
    ]
    return SlackMessage(f"{name}: conversation taken over by <@{operator_id}>", blocks)


def mirrored_message(text: str, at: datetime, display_name: str = "Candidate") -> SlackMessage:
    body = safe_text(text, MAX_SECTION_TEXT - 200) or "_(no text)_"
    name = safe_text(display_name, MAX_HEADER_TEXT)
    return SlackMessage(f"{name}: {body}", [_section(f"*{name}* · {_when(at)}\n{body}")])


def template_offer(candidate_id: str) -> SlackMessage:
    text = (
        "The candidate's 24-hour WhatsApp window is closed, so that reply was not sent. "
        "WhatsApp only accepts an approved template now."
    )
    blocks = [
        _section(f":hourglass: {text}"),
        {
            "type": "actions",
            "elements": [
                _button("Send follow-up template", ActionId.SEND_TEMPLATE, candidate_id, "primary")
            ],
        },
    ]
    return SlackMessage(text, blocks)


def candidate_card(card: CandidateCard, stages: Sequence[str]) -> list[JsonDict]:
    options = [
        {"text": _plain(stage_label(stage), MAX_OPTION_TEXT), "value": stage} for stage in stages
    ]
    select: JsonDict = {
        "type": "static_select",
        "action_id": ActionId.SET_STAGE.value,
        "placeholder": _plain("Set journey stage", MAX_OPTION_TEXT),
        "options": options,
    }
    if card.journey_stage in stages:
        select["initial_option"] = options[stages.index(card.journey_stage)]
    elements: list[JsonDict] = [select]
    if card.held_by is None:
        elements.append(_button("Take over", ActionId.TAKE_OVER, card.candidate_id, "primary"))
    held = f"held by <@{card.held_by}>" if card.held_by else "with Aremu"
    return [
        _section(f"*{_name(card)}* · {held}"),
        {
            "type": "section",
            "fields": [
                _mrkdwn(f"*Stage*\n{_stage_line(card)}"),
                _mrkdwn(f"*Last active*\n{_when(card.last_activity)}"),
                _mrkdwn(f"*Looking for*\n{safe_text(card.preferences_summary or '—', 1900)}"),
                _mrkdwn(f"*Id*\n`{safe_text(card.candidate_id, 100)}`"),
            ],
        },
        {
            "type": "actions",
            "block_id": STAGE_BLOCK_PREFIX + card.candidate_id,
            "elements": elements,
        },
    ]


def candidate_cards(
    query: str, cards: Sequence[CandidateCard], stages: Sequence[str]
) -> SlackMessage:
    if not cards:
        return notice(f"No candidate matches “{safe_text(query, 200)}”.")
    blocks: list[JsonDict] = []
    for card in cards[:MAX_CARDS]:
        if blocks:
            blocks.append({"type": "divider"})
        blocks += candidate_card(card, stages)
    if len(cards) > MAX_CARDS:
        blocks.append(_context(f"{len(cards) - MAX_CARDS} more match: narrow the search."))
    count = "1 candidate" if len(cards) == 1 else f"{len(cards)} candidates"
    return SlackMessage(f"{count} found", blocks)


def funnel(counts: Mapping[str, int]) -> SlackMessage:
    total = sum(counts.values())
    widest = max(counts.values(), default=0)
    width = max((len(stage_label(stage)) for stage in counts), default=0)
    lines = []
    for stage, count in counts.items():
        bar = "█" * (round(20 * count / widest) if widest else 0)
        lines.append(f"`{stage_label(stage):<{width}} {count:>6}` {bar}")
    blocks = [
        {"type": "header", "text": _plain("Candidate funnel now", MAX_HEADER_TEXT)},
        _section("\n".join(lines) or "_No stages configured._"),
        _context(f"{total} candidates in the journey"),
    ]
    return SlackMessage(f"Candidate funnel: {total} candidates", blocks)


def handback_modal(target: HandbackTarget, display_name: str | None = None) -> JsonDict:
    who = f" for {safe_text(display_name, 200)}" if display_name else ""
    return {
        "type": "modal",
        "callback_id": HANDBACK_CALLBACK_ID,
        "private_metadata": target.to_metadata(),
        "title": _plain("Hand back to Aremu", MAX_VIEW_TITLE),
        "submit": _plain("Hand back", MAX_VIEW_TITLE),
        "close": _plain("Cancel", MAX_VIEW_TITLE),
        "blocks": [
            _section(f"Aremu resumes the conversation{who}. What should it know?"),
            {
                "type": "input",
                "block_id": SUMMARY_BLOCK_ID,
                "label": _plain("One-line summary", MAX_OPTION_TEXT),
                "element": {
                    "type": "plain_text_input",
                    "action_id": SUMMARY_ACTION_ID,
                    "max_length": MAX_SUMMARY_LENGTH,
                    "placeholder": _plain("e.g. Interview booked for Tuesday", MAX_OPTION_TEXT),
                },
            },
        ],
    }


def handback_summary(operator_id: str, summary: str) -> SlackMessage:
    text = f":robot_face: <@{operator_id}> handed the conversation back to Aremu."
    blocks = [_section(f"{text}\n>{safe_text(summary, 1000) or '_(no summary)_'}")]
    return SlackMessage(text, blocks)


def notice(mrkdwn: str) -> SlackMessage:
    """An answer in Aremu's own words; outside text in it must have gone through safe_text."""
    text = hide_phone_numbers(mrkdwn)
    return SlackMessage(text, [_section(text)])


def refusal(mrkdwn: str) -> SlackMessage:
    text = hide_phone_numbers(mrkdwn)
    return SlackMessage(text, [_section(f":no_entry: {text}")])
