"""The client helpers build what Meta sends and sign it as Meta does."""

from __future__ import annotations

import hashlib
import hmac

from aremu.local.client import (
    WhatsAppUser,
    button_reply,
    encode,
    image_message,
    list_reply,
    messages_value,
    sign,
    status_update,
    statuses_value,
    text_message,
    text_webhook,
    webhook_payload,
)


def test_the_signature_is_the_hex_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"object":"whatsapp_business_account"}'

    expected = hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    assert sign("secret", body) == f"sha256={expected}"


def test_a_text_webhook_has_meta_s_envelope() -> None:
    user = WhatsAppUser(wa_id="2348011112222", name="Ada")

    payload = text_webhook(user, "hello", message_id="wamid.X")

    assert payload["object"] == "whatsapp_business_account"
    (change,) = payload["entry"][0]["changes"]
    assert change["field"] == "messages"
    value = change["value"]
    assert value["messaging_product"] == "whatsapp"
    assert value["contacts"] == [{"profile": {"name": "Ada"}, "wa_id": "2348011112222"}]
    (message,) = value["messages"]
    assert message["from"] == "2348011112222"
    assert message["id"] == "wamid.X"
    assert message["type"] == "text"
    assert message["text"] == {"body": "hello"}


def test_a_user_known_only_by_business_scoped_id_has_no_phone_anywhere() -> None:
    user = WhatsAppUser.with_business_scoped_id()

    value = text_webhook(user, "hi")["entry"][0]["changes"][0]["value"]

    assert "wa_id" not in value["contacts"][0]
    assert value["contacts"][0]["user_id"] == user.user_id
    assert "from" not in value["messages"][0]
    assert value["messages"][0]["from_user_id"] == user.user_id


def test_interactive_replies_quote_the_message_they_answer() -> None:
    user = WhatsAppUser.with_phone()

    button = button_reply(user, "yes", "Yes", reply_to="wamid.OUT")
    row = list_reply(user, "lagos", "Lagos", "Nigeria", reply_to="wamid.OUT")

    assert button["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "yes", "title": "Yes"},
    }
    assert row["interactive"]["list_reply"] == {
        "id": "lagos",
        "title": "Lagos",
        "description": "Nigeria",
    }
    assert button["context"]["id"] == row["context"]["id"] == "wamid.OUT"


def test_an_image_carries_its_media_id_and_caption() -> None:
    image = image_message(WhatsAppUser.with_phone(), caption="my cv", media_id="m1")

    assert image["type"] == "image"
    assert image["image"]["id"] == "m1"
    assert image["image"]["caption"] == "my cv"


def test_a_failed_status_carries_its_errors() -> None:
    user = WhatsAppUser(wa_id="2348011112222")
    error = {"code": 131047, "title": "Re-engagement message"}

    update = status_update("wamid.OUT", user, "failed", errors=[error], at=1700000000)

    assert update == {
        "id": "wamid.OUT",
        "status": "failed",
        "timestamp": "1700000000",
        "recipient_id": "2348011112222",
        "errors": [error],
    }


def test_several_values_become_several_entries() -> None:
    first, second = WhatsAppUser.with_phone(), WhatsAppUser.with_phone()

    payload = webhook_payload(
        messages_value([text_message(first, "a"), text_message(first, "b")], [first]),
        statuses_value([status_update("wamid.OUT", second, "read")]),
    )

    assert len(payload["entry"]) == 2
    assert len(payload["entry"][0]["changes"][0]["value"]["messages"]) == 2
    assert "statuses" in payload["entry"][1]["changes"][0]["value"]


def test_new_users_never_share_a_phone_number() -> None:
    numbers = {WhatsAppUser.with_phone().wa_id for _ in range(50)}

    assert len(numbers) == 50


def test_encoding_is_compact_json() -> None:
    assert encode({"a": [1, 2]}) == b'{"a":[1,2]}'
