"""Typed models of the WhatsApp Cloud API webhook payload, and the parser that builds them.

Parsed with our own models rather than a WhatsApp SDK because the SDKs drop payloads that
lack fields of Meta's newest shape (PLATFORM_NOTES): every field Meta may omit is optional
here, unknown fields are ignored, and an unknown message type still parses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError


class MalformedPayload(ValueError):
    """The body is not a WhatsApp webhook payload (bad JSON or the wrong shape)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Profile(_Model):
    name: str | None = None


class Contact(_Model):
    wa_id: str | None = None
    # Business-scoped user id (2026): a user with a username may arrive without a phone.
    user_id: str | None = None
    username: str | None = None
    parent_user_id: str | None = None
    profile: Profile | None = None

    @property
    def display_name(self) -> str | None:
        return self.profile.name if self.profile else None


class Metadata(_Model):
    display_phone_number: str | None = None
    phone_number_id: str | None = None


class ErrorDetail(_Model):
    code: int | None = None
    title: str | None = None
    message: str | None = None
    error_data: dict[str, Any] | None = None


class Context(_Model):
    from_: str | None = Field(default=None, alias="from")
    id: str | None = None
    forwarded: bool | None = None


class _MessageBase(_Model):
    id: str
    from_: str | None = Field(default=None, alias="from")
    # Present instead of / beside `from` for business-scoped users.
    from_user_id: str | None = None
    timestamp: datetime
    context: Context | None = None
    errors: list[ErrorDetail] = Field(default_factory=list)

    def text_content(self) -> str | None:
        """What the candidate said, in words, when the message has any."""
        return None

    def button_id(self) -> str | None:
        """The id of the button or list row tapped, for button and interactive replies."""
        return None


class TextBody(_Model):
    body: str = ""


class TextMessage(_MessageBase):
    type: Literal["text"]
    text: TextBody

    def text_content(self) -> str | None:
        return self.text.body


class ButtonReply(_Model):
    id: str
    title: str = ""


class ListReply(_Model):
    id: str
    title: str = ""
    description: str | None = None


class Interactive(_Model):
    type: str
    button_reply: ButtonReply | None = None
    list_reply: ListReply | None = None

    @property
    def reply_id(self) -> str | None:
        reply = self.button_reply or self.list_reply
        return reply.id if reply else None

    @property
    def reply_title(self) -> str | None:
        reply = self.button_reply or self.list_reply
        return reply.title if reply else None


class InteractiveMessage(_MessageBase):
    type: Literal["interactive"]
    interactive: Interactive

    def text_content(self) -> str | None:
        return self.interactive.reply_title

    def button_id(self) -> str | None:
        return self.interactive.reply_id


class TemplateButton(_Model):
    payload: str | None = None
    text: str | None = None


class TemplateButtonMessage(_MessageBase):
    type: Literal["button"]
    button: TemplateButton

    def text_content(self) -> str | None:
        return self.button.text

    def button_id(self) -> str | None:
        return self.button.payload


class Media(_Model):
    id: str | None = None
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None


MediaType = Literal["image", "video", "audio", "voice", "document", "sticker"]


class MediaMessage(_MessageBase):
    type: MediaType
    image: Media | None = None
    video: Media | None = None
    audio: Media | None = None
    voice: Media | None = None
    document: Media | None = None
    sticker: Media | None = None

    @property
    def media(self) -> Media | None:
        media: Media | None = getattr(self, self.type)
        return media

    def text_content(self) -> str | None:
        return self.media.caption if self.media else None


class Location(_Model):
    latitude: float | None = None
    longitude: float | None = None
    name: str | None = None
    address: str | None = None


class LocationMessage(_MessageBase):
    type: Literal["location"]
    location: Location


class Reaction(_Model):
    message_id: str | None = None
    emoji: str | None = None


class ReactionMessage(_MessageBase):
    type: Literal["reaction"]
    reaction: Reaction


class OtherMessage(_MessageBase):
    """Contacts, order, system, referral, unsupported, and any type Meta adds later."""

    # Keep whatever Meta sent, so a type we learn to read later is not lost now.
    model_config = ConfigDict(extra="allow")

    type: str


def _message_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    if kind in {"text", "interactive", "button", "location", "reaction"}:
        return str(kind)
    if kind in {"image", "video", "audio", "voice", "document", "sticker"}:
        return "media"
    return "other"


InboundMessage = Annotated[
    Annotated[TextMessage, Tag("text")]
    | Annotated[InteractiveMessage, Tag("interactive")]
    | Annotated[TemplateButtonMessage, Tag("button")]
    | Annotated[MediaMessage, Tag("media")]
    | Annotated[LocationMessage, Tag("location")]
    | Annotated[ReactionMessage, Tag("reaction")]
    | Annotated[OtherMessage, Tag("other")],
    Discriminator(_message_tag),
]

KNOWN_MESSAGE_TYPES = frozenset(
    {
        "text",
        "interactive",
        "button",
        "image",
        "video",
        "audio",
        "voice",
        "document",
        "sticker",
        "location",
        "contacts",
        "reaction",
        "order",
        "system",
        "referral",
        "unsupported",
    }
)


class Status(_Model):
    id: str
    status: str
    timestamp: datetime
    recipient_id: str | None = None
    recipient_user_id: str | None = None
    errors: list[ErrorDetail] = Field(default_factory=list)


class ChangeValue(_Model):
    messaging_product: str | None = None
    metadata: Metadata | None = None
    contacts: list[Contact] = Field(default_factory=list)
    messages: list[InboundMessage] = Field(default_factory=list)
    statuses: list[Status] = Field(default_factory=list)
    errors: list[ErrorDetail] = Field(default_factory=list)

    def contact_for(self, message: _MessageBase) -> Contact | None:
        """The contact that sent `message`: matched by phone or user id, else the only one."""
        for contact in self.contacts:
            if message.from_ and contact.wa_id == message.from_:
                return contact
            if message.from_user_id and contact.user_id == message.from_user_id:
                return contact
        return self.contacts[0] if len(self.contacts) == 1 else None


class Change(_Model):
    field: str = "messages"
    value: ChangeValue = Field(default_factory=ChangeValue)


class Entry(_Model):
    id: str | None = None
    changes: list[Change] = Field(default_factory=list)


class WebhookPayload(_Model):
    object: str
    entry: list[Entry] = Field(default_factory=list)

    def messages(self) -> Iterator[tuple[InboundMessage, Contact | None]]:
        for change in self._message_changes():
            for message in change.value.messages:
                yield message, change.value.contact_for(message)

    def statuses(self) -> Iterator[Status]:
        for change in self._message_changes():
            yield from change.value.statuses

    def _message_changes(self) -> Iterator[Change]:
        for entry in self.entry:
            for change in entry.changes:
                if change.field == "messages":
                    yield change


def parse_webhook(body: bytes | str) -> WebhookPayload:
    """Parse a webhook body; raises MalformedPayload and nothing else on bad input."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise MalformedPayload("body is not valid JSON") from error
    if not isinstance(data, dict):
        raise MalformedPayload("body is not a JSON object")
    try:
        return WebhookPayload.model_validate(data)
    except (ValidationError, RecursionError) as error:
        raise MalformedPayload("body is not a WhatsApp webhook payload") from error
