"""Outbound message bodies for the Graph API `/messages` endpoint.

The models shape content to fit Meta's limits (truncate, drop extras, de-duplicate) instead
of rejecting it: the conversation engine should never fail a reply over a long job title.
Lengths are counted in Unicode code points.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

ELLIPSIS = "…"

TEXT_BODY_MAX = 4096
INTERACTIVE_BODY_MAX = 1024
FOOTER_MAX = 60
HEADER_TEXT_MAX = 60
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_BUTTON_MAX = 20
LIST_ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200
SECTION_TITLE_MAX = 24

BLANK_TITLE = "Option"

JsonDict = dict[str, Any]


def fit(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def _fit_optional(text: str | None, limit: int) -> str | None:
    # An empty footer or header is invalid at Meta, so it is left out instead.
    return fit(text, limit) if text else None


def _unique_title(title: str, taken: set[str], limit: int) -> str:
    candidate, n = title, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" {n}"
        candidate = fit(title, limit - len(suffix)) + suffix
    return candidate


def _title(text: str, limit: int) -> str:
    # Meta rejects a blank title; a generic one keeps the message sendable.
    return fit(text.strip() or BLANK_TITLE, limit)


def _envelope(recipient: str, reply_to: str | None) -> JsonDict:
    body: JsonDict = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient,
    }
    if reply_to:
        body["context"] = {"message_id": reply_to}
    return body


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Outbound(_Model):
    def content(self) -> JsonDict:
        raise NotImplementedError

    def to_body(self, recipient: str, reply_to: str | None = None) -> JsonDict:
        """The JSON Meta expects; `reply_to` quotes an earlier message."""
        return {**_envelope(recipient, reply_to), **self.content()}


class Text(_Outbound):
    kind: Literal["text"] = "text"
    body: str
    preview_url: bool = False

    @field_validator("body")
    @classmethod
    def _fit_body(cls, value: str) -> str:
        return fit(value, TEXT_BODY_MAX)

    def content(self) -> JsonDict:
        return {"type": "text", "text": {"body": self.body, "preview_url": self.preview_url}}


class ReplyButton(_Model):
    id: str
    title: str

    @field_validator("id")
    @classmethod
    def _fit_id(cls, value: str) -> str:
        # Ids are machine-read, so they are cut without an ellipsis.
        return value[:BUTTON_ID_MAX]

    @field_validator("title")
    @classmethod
    def _fit_title(cls, value: str) -> str:
        return _title(value, BUTTON_TITLE_MAX)


def _interactive(
    kind: str, body: str, action: JsonDict, header: str | None, footer: str | None
) -> JsonDict:
    interactive: JsonDict = {"type": kind}
    if header:
        interactive["header"] = {"type": "text", "text": header}
    interactive["body"] = {"text": body}
    if footer:
        interactive["footer"] = {"text": footer}
    interactive["action"] = action
    return {"type": "interactive", "interactive": interactive}


class _InteractiveBase(_Outbound):
    body: str
    header: str | None = None
    footer: str | None = None

    @field_validator("body")
    @classmethod
    def _fit_body(cls, value: str) -> str:
        return fit(value, INTERACTIVE_BODY_MAX)

    @field_validator("header")
    @classmethod
    def _fit_header(cls, value: str | None) -> str | None:
        return _fit_optional(value, HEADER_TEXT_MAX)

    @field_validator("footer")
    @classmethod
    def _fit_footer(cls, value: str | None) -> str | None:
        return _fit_optional(value, FOOTER_MAX)


class Buttons(_InteractiveBase):
    """Up to three reply buttons; a button repeating an earlier id is dropped."""

    kind: Literal["buttons"] = "buttons"
    buttons: list[ReplyButton]

    @field_validator("buttons")
    @classmethod
    def _shape_buttons(cls, value: list[ReplyButton]) -> list[ReplyButton]:
        seen_ids: set[str] = set()
        kept: list[ReplyButton] = []
        for button in value:
            if button.id not in seen_ids and len(kept) < BUTTONS_MAX:
                seen_ids.add(button.id)
                kept.append(button)
        titles: set[str] = set()
        shaped: list[ReplyButton] = []
        for button in kept:
            title = _unique_title(button.title, titles, BUTTON_TITLE_MAX)
            titles.add(title.casefold())
            shaped.append(button.model_copy(update={"title": title}))
        return shaped

    def content(self) -> JsonDict:
        buttons = [{"type": "reply", "reply": {"id": b.id, "title": b.title}} for b in self.buttons]
        return _interactive("button", self.body, {"buttons": buttons}, self.header, self.footer)


class ListRow(_Model):
    id: str
    title: str
    description: str | None = None

    @field_validator("id")
    @classmethod
    def _fit_id(cls, value: str) -> str:
        return value[:ROW_ID_MAX]

    @field_validator("title")
    @classmethod
    def _fit_title(cls, value: str) -> str:
        return _title(value, ROW_TITLE_MAX)

    @field_validator("description")
    @classmethod
    def _fit_description(cls, value: str | None) -> str | None:
        return _fit_optional(value, ROW_DESCRIPTION_MAX)

    def to_json(self) -> JsonDict:
        row: JsonDict = {"id": self.id, "title": self.title}
        if self.description:
            row["description"] = self.description
        return row


class ListSection(_Model):
    title: str | None = None
    rows: list[ListRow]

    @field_validator("title")
    @classmethod
    def _fit_title(cls, value: str | None) -> str | None:
        return _fit_optional(value, SECTION_TITLE_MAX)

    def to_json(self) -> JsonDict:
        section: JsonDict = {"rows": [row.to_json() for row in self.rows]}
        if self.title:
            section["title"] = self.title
        return section


class ListMessage(_InteractiveBase):
    """A list picker: at most ten rows in all; rows past the tenth are dropped."""

    kind: Literal["list"] = "list"
    button: str
    sections: list[ListSection]

    @field_validator("button")
    @classmethod
    def _fit_button(cls, value: str) -> str:
        return fit(value, LIST_BUTTON_MAX)

    @field_validator("sections")
    @classmethod
    def _shape_sections(cls, value: list[ListSection]) -> list[ListSection]:
        seen_ids: set[str] = set()
        kept: list[ListSection] = []
        for section in value:
            # Meta rejects a list whose row ids repeat, so repeats are dropped.
            rows = []
            for row in section.rows:
                if row.id not in seen_ids and len(seen_ids) < LIST_ROWS_MAX:
                    seen_ids.add(row.id)
                    rows.append(row)
            if rows:
                kept.append(section.model_copy(update={"rows": rows}))
        if len(kept) < 2:
            return kept
        # Meta requires a title on every section once there is more than one.
        return [
            s if s.title else s.model_copy(update={"title": f"Section {n}"})
            for n, s in enumerate(kept, start=1)
        ]

    @classmethod
    def of_rows(
        cls,
        body: str,
        button: str,
        rows: list[ListRow],
        header: str | None = None,
        footer: str | None = None,
    ) -> ListMessage:
        """A list with one untitled section, the common case."""
        return cls(
            body=body,
            button=button,
            sections=[ListSection(rows=rows)],
            header=header,
            footer=footer,
        )

    def content(self) -> JsonDict:
        action = {"button": self.button, "sections": [s.to_json() for s in self.sections]}
        return _interactive("list", self.body, action, self.header, self.footer)


class TextParameter(_Model):
    type: Literal["text"] = "text"
    text: str
    # Set for templates created with named parameters ({{first_name}}), else positional.
    parameter_name: str | None = None


class PayloadParameter(_Model):
    """The payload a quick-reply template button returns in the webhook."""

    type: Literal["payload"] = "payload"
    payload: str


TemplateParameter = Annotated[TextParameter | PayloadParameter, Field(discriminator="type")]


class TemplateComponent(_Model):
    type: Literal["header", "body", "button"]
    parameters: list[TemplateParameter] = Field(default_factory=list)
    sub_type: Literal["quick_reply", "url"] | None = None
    index: int | None = None

    def to_json(self) -> JsonDict:
        return self.model_dump(exclude_none=True)


class Template(_Outbound):
    kind: Literal["template"] = "template"
    name: str
    language: str = "en"
    components: list[TemplateComponent] = Field(default_factory=list)

    @classmethod
    def with_body(cls, name: str, *texts: str, language: str = "en") -> Template:
        """A template whose only parameters are positional body texts."""
        parameters: list[TemplateParameter] = [TextParameter(text=text) for text in texts]
        components = [TemplateComponent(type="body", parameters=parameters)] if texts else []
        return cls(name=name, language=language, components=components)

    def content(self) -> JsonDict:
        template: JsonDict = {"name": self.name, "language": {"code": self.language}}
        if self.components:
            template["components"] = [c.to_json() for c in self.components]
        return {"type": "template", "template": template}


class MarkRead(_Model):
    """Marks an inbound message read and, optionally, shows the typing indicator."""

    message_id: str
    typing_indicator: bool = False

    def to_body(self) -> JsonDict:
        body: JsonDict = {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": self.message_id,
        }
        if self.typing_indicator:
            body["typing_indicator"] = {"type": "text"}
        return body


OutboundMessage = Annotated[Text | Buttons | ListMessage | Template, Field(discriminator="kind")]

# Reads an outbound message back from JSON, e.g. from the paced delivery queue.
outbound_adapter: TypeAdapter[OutboundMessage] = TypeAdapter(OutboundMessage)
