"""Parsing Meta's webhook payloads into typed models."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aremu.channels.whatsapp.inbound import (
    InteractiveMessage,
    MalformedPayload,
    MediaMessage,
    OtherMessage,
    ReactionMessage,
    TemplateButtonMessage,
    TextMessage,
    WebhookPayload,
    parse_webhook,
)
from tests.support import whatsapp as wa

PHONE = "2348011111111"


def one_message(message: dict[str, Any]) -> Any:
    payload = parse_webhook(wa.dumps(wa.envelope([message], [wa.contact(PHONE)])))
    ((parsed, _contact),) = list(payload.messages())
    return parsed


def base(kind: str, **content: Any) -> dict[str, Any]:
    return {
        "from": PHONE,
        "id": f"wamid.{kind}",
        "timestamp": "1795000000",
        "type": kind,
        **content,
    }


def test_text_message_carries_its_body_and_time() -> None:
    message = one_message(wa.text_message(PHONE, "wamid.1", "sales rep in Lagos"))

    assert isinstance(message, TextMessage)
    assert message.text_content() == "sales rep in Lagos"
    assert message.timestamp.timestamp() == 1795000000


@pytest.mark.parametrize(
    ("reply_type", "reply"),
    [
        ("button_reply", {"id": "opt_in", "title": "Yes please"}),
        ("list_reply", {"id": "row_2", "title": "Yes please", "description": "alerts"}),
    ],
)
def test_interactive_replies_expose_id_and_title(reply_type: str, reply: dict[str, str]) -> None:
    message = one_message(base("interactive", interactive={"type": reply_type, reply_type: reply}))

    assert isinstance(message, InteractiveMessage)
    assert (message.interactive.reply_id, message.text_content()) == (reply["id"], "Yes please")


def test_template_quick_reply_button_reads_as_its_text() -> None:
    message = one_message(base("button", button={"payload": "STOP", "text": "Stop alerts"}))

    assert isinstance(message, TemplateButtonMessage)
    assert message.text_content() == "Stop alerts"


@pytest.mark.parametrize("kind", ["image", "video", "audio", "voice", "document", "sticker"])
def test_media_messages_parse_with_their_caption(kind: str) -> None:
    message = one_message(
        base(kind, **{kind: {"id": "m1", "mime_type": "x/y", "caption": "my CV"}})
    )

    assert isinstance(message, MediaMessage)
    assert message.media is not None
    assert message.media.id == "m1"


def test_reaction_names_the_message_it_reacts_to() -> None:
    message = one_message(base("reaction", reaction={"message_id": "wamid.OUT", "emoji": "👍"}))

    assert isinstance(message, ReactionMessage)
    assert message.reaction.message_id == "wamid.OUT"


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("location", {"location": {"latitude": 6.45, "longitude": 3.39, "name": "Ikeja"}}),
        ("contacts", {"contacts": [{"name": {"formatted_name": "Bola"}}]}),
        ("order", {"order": {"catalog_id": "1", "product_items": []}}),
        ("system", {"system": {"body": "changed number", "type": "user_changed_number"}}),
        ("referral", {"referral": {"source_url": "https://x", "source_type": "ad"}}),
        ("unsupported", {"errors": [{"code": 131051, "title": "Message type unknown"}]}),
        ("a_type_meta_adds_in_2027", {"a_type_meta_adds_in_2027": {"x": 1}}),
    ],
)
def test_every_other_type_parses_without_losing_the_payload(
    kind: str, content: dict[str, Any]
) -> None:
    message = one_message(base(kind, **content))

    assert message.type == kind
    assert message.text_content() is None
    if isinstance(message, OtherMessage) and kind != "unsupported":
        assert message.model_dump(by_alias=True)[kind] == content[kind]


def test_reply_context_is_kept() -> None:
    message = one_message(
        {**wa.text_message(PHONE, "wamid.2", "yes"), "context": {"from": "155", "id": "wamid.OUT"}}
    )

    assert message.context.id == "wamid.OUT"


def test_contact_is_matched_to_its_message_among_several() -> None:
    payload = parse_webhook(
        wa.dumps(
            wa.envelope(
                [wa.text_message("2348022222222", "wamid.b", "hi")],
                [wa.contact(PHONE, "Ada"), wa.contact("2348022222222", "Bola")],
            )
        )
    )

    ((_, contact),) = list(payload.messages())
    assert contact is not None
    assert contact.display_name == "Bola"


def test_business_scoped_contact_without_phone_parses() -> None:
    message = wa.text_message(None, "wamid.3", "hi")
    message["from_user_id"] = "NG.1"

    payload = parse_webhook(
        wa.dumps(wa.envelope([message], [wa.contact(None, user_id="NG.1", name="C")]))
    )

    ((parsed, contact),) = list(payload.messages())
    assert (parsed.from_, parsed.from_user_id, contact.user_id) == (None, "NG.1", "NG.1")


def test_statuses_parse_with_their_errors() -> None:
    payload = parse_webhook(
        wa.dumps(wa.envelope(statuses=[wa.status("wamid.OUT", "failed", PHONE)]))
    )

    (status,) = list(payload.statuses())
    assert (status.status, status.errors[0].code) == ("failed", 131026)


def test_changes_other_than_messages_are_ignored() -> None:
    payload = wa.envelope([wa.text_message(PHONE, "wamid.4", "hi")])
    payload["entry"][0]["changes"][0]["field"] = "account_update"

    assert list(parse_webhook(wa.dumps(payload)).messages()) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"text"',
        b'{"entry": []}',
        b'{"object": "x", "entry": "no"}',
        b"\xff\xfe",
    ],
)
def test_bad_bodies_raise_malformed_payload(body: bytes) -> None:
    with pytest.raises(MalformedPayload):
        parse_webhook(body)


def test_deeply_nested_json_is_malformed_not_a_crash() -> None:
    with pytest.raises(MalformedPayload):
        parse_webhook(b"[" * 100_000 + b"]" * 100_000)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)
webhook_like = st.fixed_dictionaries(
    {"object": st.just("whatsapp_business_account")},
    optional={
        "entry": st.lists(st.fixed_dictionaries({}, optional={"changes": json_values}), max_size=3)
    },
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, webhook_like))
def test_parser_returns_a_model_or_its_own_error_for_any_json(value: Any) -> None:
    try:
        result = parse_webhook(json.dumps(value))
    except MalformedPayload:
        return
    assert isinstance(result, WebhookPayload)
    list(result.messages())
    list(result.statuses())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_parser_never_crashes_on_arbitrary_bytes(body: bytes) -> None:
    with contextlib.suppress(MalformedPayload):
        assert isinstance(parse_webhook(body), WebhookPayload)
