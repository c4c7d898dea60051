"""The sandbox routes: recording WhatsApp and Slack calls, the clock and the drain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from aremu import clock
from aremu.local.http import HttpRequest, HttpResponse
from aremu.local.sandbox import SlackSandbox, WhatsAppSandbox
from aremu.local.sandbox_api import SandboxApi

TOKEN = "graph-token"
PHONE_ID = "100000000000001"
GRAPH_PATH = f"/sandbox/graph/v25.0/{PHONE_ID}/messages"


class Calls:
    def __init__(self) -> None:
        self.drains = 0
        self.due: list[datetime] = []

    def drain(self) -> dict[str, Any]:
        self.drains += 1
        return {"settled": True}

    def run_due(self, now: datetime) -> dict[str, Any]:
        self.due.append(now)
        return {"streams": {"settled": True}}


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def api(calls: Calls) -> SandboxApi:
    return SandboxApi(
        whatsapp=WhatsAppSandbox(access_token=TOKEN, phone_number_id=PHONE_ID),
        slack=SlackSandbox(bot_token="xoxb-1"),
        drain=calls.drain,
        streams=lambda: {"consumers": {}},
        run_due=calls.run_due,
    )


@pytest.fixture(autouse=True)
def restore_clock() -> Iterator[None]:
    yield
    clock.reset()


def call(
    api: SandboxApi,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: tuple[tuple[str, str], ...] = (),
    raw: bytes | None = None,
    query: str = "",
) -> tuple[int, Any]:
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    request = HttpRequest(method=method, path=path, query=query, headers=headers, body=data)
    response = api.handle(request)
    assert isinstance(response, HttpResponse)
    return response.status, json.loads(response.body)


def send(api: SandboxApi, body: Any, token: str = TOKEN) -> tuple[int, Any]:
    return call(api, "POST", GRAPH_PATH, body, headers=(("Authorization", f"Bearer {token}"),))


def text(to: str, body: str = "hello") -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": body}}


def test_a_sent_message_is_answered_like_meta(api: SandboxApi) -> None:
    status, answer = send(api, text("2348000000001"))

    assert status == 200
    assert answer["contacts"] == [{"input": "2348000000001", "wa_id": "2348000000001"}]
    assert answer["messages"][0]["id"].startswith("wamid.LOCAL")


def test_every_message_gets_its_own_id(api: SandboxApi) -> None:
    first = send(api, text("2348000000001"))[1]["messages"][0]["id"]
    second = send(api, text("2348000000001"))[1]["messages"][0]["id"]

    assert first != second


def test_mark_read_is_answered_with_success(api: SandboxApi) -> None:
    body = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X"}

    assert send(api, body) == (200, {"success": True})


def test_sent_bodies_are_listed_in_send_order(api: SandboxApi) -> None:
    send(api, text("2348000000001", "one"))
    send(api, {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X"})
    send(api, text("2348000000002", "two"))

    status, listed = call(api, "GET", "/sandbox/whatsapp/messages")

    assert status == 200
    assert [body.get("to") for body in listed] == ["2348000000001", None, "2348000000002"]
    assert listed[0] == text("2348000000001", "one")


def test_the_list_can_be_narrowed_to_one_recipient(api: SandboxApi) -> None:
    send(api, text("2348000000001"))
    send(api, text("2348000000002"))

    _, listed = call(api, "GET", "/sandbox/whatsapp/messages", query="to=2348000000002")

    assert [body["to"] for body in listed] == ["2348000000002"]


def test_a_wrong_token_is_refused_and_not_recorded(api: SandboxApi) -> None:
    status, answer = send(api, text("2348000000001"), token="wrong")

    assert status == 401
    assert answer["error"]["code"] == 190
    assert call(api, "GET", "/sandbox/whatsapp/messages")[1] == []


@pytest.mark.parametrize(
    "body",
    [
        {"to": "2348000000001", "type": "text", "text": {"body": "no product"}},
        {"messaging_product": "whatsapp", "type": "text", "text": {"body": "no recipient"}},
        {"messaging_product": "whatsapp", "to": "2348000000001", "type": "text", "text": {}},
        text("2348000000001", "x" * 4097),
        {
            "messaging_product": "whatsapp",
            "to": "2348000000001",
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "pick"},
                "action": {
                    "buttons": [
                        {
                            "type": "reply",
                            "reply": {"id": "a", "title": "A title over twenty chars"},
                        }
                    ]
                },
            },
        },
        ["not", "an", "object"],
    ],
)
def test_bodies_meta_would_reject_get_a_400(api: SandboxApi, body: Any) -> None:
    status, answer = send(api, body)

    assert status == 400
    assert "error" in answer


def test_a_body_that_is_not_json_gets_a_400(api: SandboxApi) -> None:
    status, answer = call(
        api, "POST", GRAPH_PATH, raw=b"{nope", headers=(("Authorization", f"Bearer {TOKEN}"),)
    )

    assert status == 400
    assert "error" in answer


def test_slack_json_calls_are_recorded_with_method_and_args(api: SandboxApi) -> None:
    headers = (("Authorization", "Bearer xoxb-1"), ("Content-Type", "application/json"))

    status, answer = call(
        api,
        "POST",
        "/sandbox/slack/api/chat.postMessage",
        {"channel": "C1", "text": "hi"},
        headers=headers,
    )

    assert status == 200
    assert answer["ok"] is True
    assert answer["channel"] == "C1"
    assert call(api, "GET", "/sandbox/slack/messages")[1] == [
        {"method": "chat.postMessage", "args": {"channel": "C1", "text": "hi"}, "ts": answer["ts"]}
    ]


def test_slack_form_calls_decode_their_json_fields(api: SandboxApi) -> None:
    form = urlencode({"token": "xoxb-1", "channel": "C1", "blocks": '[{"type": "divider"}]'})

    call(
        api,
        "POST",
        "/sandbox/slack/api/chat.postMessage",
        raw=form.encode(),
        headers=(("Content-Type", "application/x-www-form-urlencoded"),),
    )

    args = call(api, "GET", "/sandbox/slack/messages")[1][0]["args"]
    assert args == {"channel": "C1", "blocks": [{"type": "divider"}]}


def test_slack_timestamps_are_unique(api: SandboxApi) -> None:
    headers = (("Authorization", "Bearer xoxb-1"), ("Content-Type", "application/json"))
    path = "/sandbox/slack/api/chat.postMessage"

    first = call(api, "POST", path, {"channel": "C1"}, headers=headers)[1]["ts"]
    second = call(api, "POST", path, {"channel": "C1"}, headers=headers)[1]["ts"]

    assert first != second


def test_slack_calls_with_a_wrong_token_fail_like_slack(api: SandboxApi) -> None:
    headers = (("Authorization", "Bearer xoxb-other"), ("Content-Type", "application/json"))

    status, answer = call(api, "POST", "/sandbox/slack/api/chat.postMessage", {}, headers=headers)

    assert (status, answer) == (200, {"ok": False, "error": "invalid_auth"})
    assert call(api, "GET", "/sandbox/slack/messages")[1] == []


def test_advancing_the_clock_moves_time_and_runs_due_work(api: SandboxApi, calls: Calls) -> None:
    before = clock.now()

    status, answer = call(api, "POST", "/sandbox/clock", {"advance_seconds": 3600})

    assert status == 200
    now = datetime.fromisoformat(answer["now"])
    assert (now - before).total_seconds() >= 3600
    assert calls.due == [now]
    assert answer["ran"] == {"streams": {"settled": True}}


@pytest.mark.parametrize("body", [{}, {"advance_seconds": -1}, {"advance_seconds": "60"}, [1]])
def test_bad_clock_input_gets_a_400(api: SandboxApi, calls: Calls, body: Any) -> None:
    status, answer = call(api, "POST", "/sandbox/clock", body)

    assert status == 400
    assert "error" in answer
    assert calls.due == []


def test_drain_answers_the_pump_summary(api: SandboxApi, calls: Calls) -> None:
    assert call(api, "POST", "/sandbox/drain") == (200, {"settled": True})
    assert calls.drains == 1


def test_unknown_sandbox_paths_are_404_and_wrong_methods_405(api: SandboxApi) -> None:
    assert call(api, "GET", "/sandbox/nothing")[0] == 404
    assert call(api, "DELETE", "/sandbox/drain")[0] == 405


def test_paths_outside_the_sandbox_are_left_to_the_gateway(api: SandboxApi) -> None:
    assert api.handle(HttpRequest(method="POST", path="/whatsapp/webhook")) is None
