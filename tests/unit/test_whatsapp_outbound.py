"""Outbound message bodies: exact shapes, and content shaped to fit Meta's limits."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aremu.channels.whatsapp.errors import (
    PermanentSendError,
    RetryableSendError,
    WindowClosedError,
    classify_error,
)
from aremu.channels.whatsapp.outbound import (
    Buttons,
    ListMessage,
    ListRow,
    ListSection,
    MarkRead,
    PayloadParameter,
    ReplyButton,
    Template,
    TemplateComponent,
    Text,
    outbound_adapter,
)

TO = "2348000000000"
ENVELOPE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO}


def _buttons(body: dict[str, Any]) -> list[dict[str, str]]:
    return [b["reply"] for b in body["interactive"]["action"]["buttons"]]


def _rows(body: dict[str, Any]) -> list[dict[str, str]]:
    sections = body["interactive"]["action"]["sections"]
    return [row for section in sections for row in section["rows"]]


# --- exact shapes -------------------------------------------------------------------------


def test_text_body_has_meta_shape() -> None:
    body = Text(body="Hello").to_body(TO)

    assert body == {
        **ENVELOPE,
        "type": "text",
        "text": {"body": "Hello", "preview_url": False},
    }


def test_reply_to_adds_quoted_context() -> None:
    body = Text(body="Yes").to_body(TO, reply_to="wamid.IN")

    assert body["context"] == {"message_id": "wamid.IN"}


def test_buttons_body_has_meta_shape() -> None:
    message = Buttons(
        body="Interested?",
        header="New job",
        footer="Reply any time",
        buttons=[ReplyButton(id="yes", title="Yes"), ReplyButton(id="no", title="No")],
    )

    body = message.to_body(TO)

    assert body == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "header": {"type": "text", "text": "New job"},
            "body": {"text": "Interested?"},
            "footer": {"text": "Reply any time"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                    {"type": "reply", "reply": {"id": "no", "title": "No"}},
                ]
            },
        },
    }


def test_buttons_without_header_or_footer_leave_them_out() -> None:
    message = Buttons(body="Go?", buttons=[ReplyButton(id="go", title="Go")], footer="")

    interactive = message.to_body(TO)["interactive"]

    assert "header" not in interactive
    assert "footer" not in interactive


def test_list_body_has_meta_shape() -> None:
    message = ListMessage(
        body="Pick a field",
        button="Fields",
        sections=[
            ListSection(
                title="Tech",
                rows=[ListRow(id="f:eng", title="Engineering", description="Software")],
            ),
            ListSection(title="Other", rows=[ListRow(id="f:ops", title="Operations")]),
        ],
    )

    body = message.to_body(TO)

    assert body == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "Pick a field"},
            "action": {
                "button": "Fields",
                "sections": [
                    {
                        "title": "Tech",
                        "rows": [
                            {"id": "f:eng", "title": "Engineering", "description": "Software"}
                        ],
                    },
                    {"title": "Other", "rows": [{"id": "f:ops", "title": "Operations"}]},
                ],
            },
        },
    }


def test_list_of_rows_makes_one_untitled_section() -> None:
    message = ListMessage.of_rows("Pick", "Jobs", [ListRow(id="j1", title="Driver")])

    sections = message.to_body(TO)["interactive"]["action"]["sections"]

    assert sections == [{"rows": [{"id": "j1", "title": "Driver"}]}]


def test_template_body_has_meta_shape() -> None:
    message = Template(
        name="job_alert",
        language="en_GB",
        components=[
            TemplateComponent(type="body", parameters=[]),
            TemplateComponent(
                type="button",
                sub_type="quick_reply",
                index=0,
                parameters=[PayloadParameter(payload="more")],
            ),
        ],
    )

    body = message.to_body(TO)

    assert body == {
        **ENVELOPE,
        "type": "template",
        "template": {
            "name": "job_alert",
            "language": {"code": "en_GB"},
            "components": [
                {"type": "body", "parameters": []},
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": 0,
                    "parameters": [{"type": "payload", "payload": "more"}],
                },
            ],
        },
    }


def test_template_with_body_makes_positional_text_parameters() -> None:
    body = Template.with_body("welcome_back", "Ada", "3").to_body(TO)

    assert body["template"] == {
        "name": "welcome_back",
        "language": {"code": "en"},
        "components": [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": "Ada"}, {"type": "text", "text": "3"}],
            }
        ],
    }


def test_template_without_parameters_has_no_components() -> None:
    body = Template(name="hello_world", language="en_US").to_body(TO)

    assert body["template"] == {"name": "hello_world", "language": {"code": "en_US"}}


def test_mark_read_with_typing_indicator_has_meta_shape() -> None:
    body = MarkRead(message_id="wamid.IN", typing_indicator=True).to_body()

    assert body == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.IN",
        "typing_indicator": {"type": "text"},
    }


def test_mark_read_without_typing_indicator_leaves_it_out() -> None:
    body = MarkRead(message_id="wamid.IN").to_body()

    assert "typing_indicator" not in body


def test_outbound_message_round_trips_through_json() -> None:
    message = Buttons(body="Go?", buttons=[ReplyButton(id="go", title="Go")])

    restored = outbound_adapter.validate_json(outbound_adapter.dump_json(message))

    assert restored == message


# --- shaping ------------------------------------------------------------------------------


def test_long_text_is_cut_to_4096_with_an_ellipsis() -> None:
    body = Text(body="a" * 5000).body

    assert len(body) == 4096
    assert body.endswith("…")


def test_text_at_the_limit_is_unchanged() -> None:
    assert Text(body="a" * 4096).body == "a" * 4096


def test_extra_buttons_are_dropped() -> None:
    message = Buttons(body="b", buttons=[ReplyButton(id=str(i), title=str(i)) for i in range(5)])

    assert [b.id for b in message.buttons] == ["0", "1", "2"]


def test_button_titles_that_collide_after_cutting_are_made_unique() -> None:
    title = "Software engineer (remote)"
    message = Buttons(
        body="b", buttons=[ReplyButton(id="a", title=title), ReplyButton(id="b", title=title)]
    )

    titles = [b.title for b in message.buttons]

    assert titles == ["Software engineer (…", "Software engineer… 2"]
    assert all(len(t) <= 20 for t in titles)


def test_button_repeating_an_earlier_id_is_dropped() -> None:
    message = Buttons(
        body="b", buttons=[ReplyButton(id="x", title="One"), ReplyButton(id="x", title="Two")]
    )

    assert [b.title for b in message.buttons] == ["One"]


def test_blank_button_titles_get_a_generic_unique_title() -> None:
    message = Buttons(
        body="b", buttons=[ReplyButton(id="a", title=" "), ReplyButton(id="b", title="")]
    )

    assert [b.title for b in message.buttons] == ["Option", "Option 2"]


def test_long_button_id_is_cut_without_an_ellipsis() -> None:
    assert ReplyButton(id="i" * 300, title="t").id == "i" * 256


def test_list_keeps_only_ten_rows_across_sections() -> None:
    sections = [
        ListSection(title=f"S{s}", rows=[ListRow(id=f"{s}-{r}", title="r") for r in range(6)])
        for s in range(3)
    ]

    message = ListMessage(body="b", button="Pick", sections=sections)

    assert sum(len(s.rows) for s in message.sections) == 10
    assert [s.title for s in message.sections] == ["S0", "S1"]


def test_several_sections_all_get_titles() -> None:
    message = ListMessage(
        body="b",
        button="Pick",
        sections=[
            ListSection(rows=[ListRow(id="1", title="a")]),
            ListSection(title="Named", rows=[ListRow(id="2", title="b")]),
        ],
    )

    assert [s.title for s in message.sections] == ["Section 1", "Named"]


def test_list_row_fields_are_cut_to_their_limits() -> None:
    row = ListRow(id="r" * 250, title="t" * 30, description="d" * 100)

    assert (len(row.id), len(row.title), len(row.description or "")) == (200, 24, 72)


# --- errors -------------------------------------------------------------------------------


def _graph_error(code: int) -> dict[str, Any]:
    return {
        "error": {
            "message": f"(#{code}) failure",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": "more"},
            "error_subcode": 2494010,
            "fbtrace_id": "Az8or",
        }
    }


def test_131047_is_window_closed() -> None:
    error = classify_error(400, _graph_error(131047))

    assert isinstance(error, WindowClosedError)
    assert (error.code, error.details, error.fbtrace_id) == (131047, "more", "Az8or")


def test_throughput_and_pair_rate_limits_are_retryable() -> None:
    assert isinstance(classify_error(400, _graph_error(130429)), RetryableSendError)
    assert isinstance(classify_error(400, _graph_error(131056)), RetryableSendError)


def test_server_error_without_json_is_retryable() -> None:
    error = classify_error(502, "<html>Bad gateway</html>")

    assert isinstance(error, RetryableSendError)
    assert (error.code, error.title) == (None, "HTTP 502")


def test_other_codes_are_permanent() -> None:
    for code in (131026, 131009, 132000, 131048):
        assert isinstance(classify_error(400, _graph_error(code)), PermanentSendError)


# --- properties ---------------------------------------------------------------------------

texts = st.text(max_size=5000)
short = st.text(max_size=400)
optional = st.none() | short


def _assert_interactive_within_limits(interactive: dict[str, Any]) -> None:
    assert len(interactive["body"]["text"]) <= 1024
    assert len(interactive.get("header", {}).get("text", "")) <= 60
    assert len(interactive.get("footer", {}).get("text", "")) <= 60


@given(texts)
def test_any_text_fits(body: str) -> None:
    assert len(Text(body=body).to_body(TO)["text"]["body"]) <= 4096


@given(
    texts,
    optional,
    optional,
    st.lists(st.tuples(short, short), max_size=8),
)
def test_any_buttons_fit(
    body: str, header: str | None, footer: str | None, pairs: list[tuple[str, str]]
) -> None:
    buttons = [ReplyButton(id=i, title=t) for i, t in pairs]

    result = Buttons(body=body, header=header, footer=footer, buttons=buttons).to_body(TO)

    _assert_interactive_within_limits(result["interactive"])
    replies = _buttons(result)
    titles = [r["title"].casefold() for r in replies]
    assert len(replies) <= 3
    assert len(set(titles)) == len(titles)
    assert all(0 < len(r["title"]) <= 20 and len(r["id"]) <= 256 for r in replies)


rows = st.builds(ListRow, id=short, title=short, description=optional)
sections = st.builds(ListSection, title=optional, rows=st.lists(rows, max_size=8))


@given(texts, short, optional, optional, st.lists(sections, max_size=5))
def test_any_list_fits(
    body: str, button: str, header: str | None, footer: str | None, parts: list[ListSection]
) -> None:
    message = ListMessage(body=body, button=button, header=header, footer=footer, sections=parts)

    result = message.to_body(TO)

    interactive = result["interactive"]
    _assert_interactive_within_limits(interactive)
    assert len(interactive["action"]["button"]) <= 20
    sections_out = interactive["action"]["sections"]
    assert all(len(s.get("title", "")) <= 24 for s in sections_out)
    assert len(sections_out) < 2 or all(s.get("title") for s in sections_out)
    all_rows = _rows(result)
    assert len(all_rows) <= 10
    assert len({r["id"] for r in all_rows}) == len(all_rows)
    for row in all_rows:
        assert len(row["id"]) <= 200
        assert 0 < len(row["title"]) <= 24
        assert len(row.get("description", "")) <= 72


@given(texts)
def test_shaping_is_idempotent(body: str) -> None:
    once = Text(body=body)

    assert Text(body=once.body) == once
