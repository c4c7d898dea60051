"""Recording stand-ins for the WhatsApp Graph API and the Slack Web API.

They check what Meta and Slack would reject (credentials, required fields, the documented
size limits), answer in their shapes, and keep every accepted call in send order.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from aremu import clock

# Documented Graph API limits a sender is most likely to trip over.
MAX_TEXT_BODY = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72


class SandboxRejection(Exception):
    """A call the real service would refuse; carries its HTTP status and answer."""

    def __init__(self, status: int, payload: dict[str, Any]) -> None:
        super().__init__(str(payload))
        self.status = status
        self.payload = payload


def _graph_error(status: int, code: int, message: str) -> SandboxRejection:
    return SandboxRejection(
        status,
        {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "fbtrace_id": uuid.uuid4().hex[:16],
            }
        },
    )


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


class WhatsAppSandbox:
    def __init__(self, *, access_token: str | None, phone_number_id: str | None) -> None:
        self._access_token = access_token
        self._phone_number_id = phone_number_id
        self._lock = threading.Lock()
        self._sent: list[dict[str, Any]] = []
        self._answers: list[dict[str, Any]] = []

    def send(self, phone_number_id: str, authorization: str | None, body: Any) -> dict[str, Any]:
        """Record one `/messages` call and answer as Meta does, or raise SandboxRejection."""
        token = _bearer(authorization)
        if token is None or (self._access_token is not None and token != self._access_token):
            raise _graph_error(401, 190, "Invalid OAuth access token.")
        if self._phone_number_id is not None and phone_number_id != self._phone_number_id:
            raise _graph_error(400, 100, f"Unsupported post request. Unknown id {phone_number_id}")
        if not isinstance(body, dict):
            raise _graph_error(400, 100, "The request body must be a JSON object.")
        if body.get("messaging_product") != "whatsapp":
            raise _graph_error(400, 100, "(#100) The parameter messaging_product is required.")
        if body.get("status") == "read":
            if not isinstance(body.get("message_id"), str):
                raise _graph_error(400, 100, "(#100) The parameter message_id is required.")
            return self._record(body, {"success": True})
        recipient = body.get("to") or body.get("recipient")
        if not isinstance(recipient, str):
            raise _graph_error(400, 100, "(#100) The parameter to is required.")
        problem = _content_problem(body)
        if problem:
            raise _graph_error(400, 131009, f"(#131009) Parameter value is not valid: {problem}")
        key = "wa_id" if body.get("to") else "user_id"
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": recipient, key: recipient}],
            "messages": [{"id": f"wamid.LOCAL{uuid.uuid4().hex.upper()}"}],
        }
        return self._record(body, answer)

    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._sent)

    def exchanges(self) -> list[dict[str, Any]]:
        """Each accepted body with the answer it got (the message ids live there)."""
        with self._lock:
            return [
                {"request": body, "response": answer}
                for body, answer in zip(self._sent, self._answers, strict=True)
            ]

    def _record(self, body: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._sent.append(body)
            self._answers.append(answer)
        return answer


def _content_problem(body: Mapping[str, Any]) -> str | None:
    kind = body.get("type", "text")
    if kind == "text":
        text = body.get("text")
        if not isinstance(text, Mapping) or not isinstance(text.get("body"), str):
            return "text.body is required"
        if not text["body"] or len(text["body"]) > MAX_TEXT_BODY:
            return f"text.body must be 1 to {MAX_TEXT_BODY} characters"
    elif kind == "interactive":
        return _interactive_problem(body.get("interactive"))
    elif kind not in body:
        return f"the {kind} object is required"
    return None


def _interactive_problem(interactive: Any) -> str | None:
    if not isinstance(interactive, Mapping):
        return "interactive is required"
    text = (interactive.get("body") or {}).get("text", "")
    if len(text) > MAX_INTERACTIVE_BODY:
        return f"interactive.body.text is over {MAX_INTERACTIVE_BODY} characters"
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        buttons = action.get("buttons") or []
        titles = [button.get("reply", {}).get("title", "") for button in buttons]
        if not 1 <= len(buttons) <= MAX_BUTTONS:
            return f"a button message needs 1 to {MAX_BUTTONS} buttons"
        if any(not 1 <= len(title) <= MAX_BUTTON_TITLE for title in titles):
            return f"button titles must be 1 to {MAX_BUTTON_TITLE} characters"
        if len(set(titles)) != len(titles):
            return "button titles must be unique"
    elif interactive.get("type") == "list":
        rows = [row for section in action.get("sections") or [] for row in section.get("rows", [])]
        if not 1 <= len(rows) <= MAX_LIST_ROWS:
            return f"a list message needs 1 to {MAX_LIST_ROWS} rows"
        if any(len(row.get("title", "")) > MAX_ROW_TITLE for row in rows):
            return f"list row titles must be at most {MAX_ROW_TITLE} characters"
        if any(len(row.get("description", "")) > MAX_ROW_DESCRIPTION for row in rows):
            return f"list row descriptions must be at most {MAX_ROW_DESCRIPTION} characters"
    return None


class SlackSandbox:
    def __init__(self, *, bot_token: str | None) -> None:
        self._bot_token = bot_token
        self._lock = threading.Lock()
        self._calls: list[dict[str, Any]] = []
        self._sequence = itertools.count(1)

    def call(self, method: str, authorization: str | None, args: dict[str, Any]) -> dict[str, Any]:
        """Record one Web API call and answer as Slack does (errors are 200s with ok=false)."""
        args = dict(args)
        token = _bearer(authorization) or args.pop("token", None)
        if not token:
            return {"ok": False, "error": "not_authed"}
        if self._bot_token is not None and token != self._bot_token:
            return {"ok": False, "error": "invalid_auth"}
        with self._lock:
            ts = f"{int(clock.now().timestamp())}.{next(self._sequence):06d}"
            # The ts answered, so a client can find a message's thread as Slack's would.
            self._calls.append({"method": method, "args": args, "ts": ts})
        answer: dict[str, Any] = {"ok": True, "ts": ts, "channel": args.get("channel")}
        if method.startswith("chat."):
            answer["message"] = {"text": args.get("text"), "ts": ts}
        if method == "auth.test":
            answer.update(user_id="ULOCALBOT", team_id="TLOCAL", bot_id="BLOCALBOT")
        return answer

    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._calls)
