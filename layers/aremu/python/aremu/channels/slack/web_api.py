"""The Slack Web API adapter: the few methods Aremu calls, with Slack's errors made ours.

Built on `requests` rather than slack_sdk's `WebClient`: the WebClient speaks urllib,
which neither the tests (`responses`, at the HTTP boundary) nor anything else in Aremu
uses, while the Graph API sender already runs on `requests`. Slack answers most errors
with HTTP 200 and `ok: false`; those are permanent. 429 (with Retry-After) and a request
that never reached Slack (refused connection, connect timeout) are retried a few times.

A call that reached Slack but got no answer (read timeout, dropped connection, 5xx) may
have taken effect. Only a call that is safe to repeat (an update, a read) is retried
then: Slack's posting methods take no idempotency key, so repeating chat.postMessage
could post twice. Those raise `SlackCallFailed` with `unconfirmed` set, and the caller
decides (the takeover gives the conversation back; the notifier lets its event retry).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from aremu.config import Settings
from aremu.credentials import ChannelSecrets
from aremu.observability import logger

JsonDict = dict[str, Any]

DEFAULT_TIMEOUT_SECONDS = 10.0
MAX_RETRY_AFTER_SECONDS = 10.0
# Calls whose repeat changes nothing: retried even when an attempt may have taken effect.
REPEATABLE_METHODS = frozenset({"chat.update", "usergroups.users.list"})


class SlackCallFailed(Exception):
    """A Web API call Slack refused (`error` is Slack's code) or that could not reach it.

    `unconfirmed`: the request may have reached Slack and taken effect all the same.
    """

    def __init__(self, method: str, error: str, *, unconfirmed: bool = False) -> None:
        super().__init__(f"{method}: {error}")
        self.method = method
        self.error = error
        self.unconfirmed = unconfirmed


class SlackWebApi:
    """Posts to `{base_url}{method}` with the bot token; one instance per container."""

    def __init__(
        self,
        base_url: str,
        bot_token: str,
        *,
        session: requests.Session | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._headers = {"Authorization": f"Bearer {bot_token}"}
        self._session = session or requests.Session()
        self._timeout = timeout_seconds
        self._max_attempts = max(1, max_attempts)
        self._sleep = sleep

    @classmethod
    def from_settings(
        cls, settings: Settings, secrets: ChannelSecrets, session: requests.Session | None = None
    ) -> SlackWebApi:
        return cls(
            settings.slack_api_base_url,
            secrets.slack_bot_token.get_secret_value(),
            session=session,
        )

    def post_message(
        self,
        channel: str,
        text: str,
        blocks: list[JsonDict] | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """Post a message (a thread reply with `thread_ts`); returns its `ts`."""
        args: JsonDict = {"channel": channel, "text": text, "unfurl_links": False}
        if blocks is not None:
            args["blocks"] = blocks
        if thread_ts is not None:
            args["thread_ts"] = thread_ts
        answer = self._call("chat.postMessage", json_args=args)
        ts = answer.get("ts")
        if not isinstance(ts, str):
            raise SlackCallFailed("chat.postMessage", "no_ts_in_answer")
        return ts

    def update_message(
        self, channel: str, ts: str, text: str, blocks: list[JsonDict] | None = None
    ) -> None:
        args: JsonDict = {"channel": channel, "ts": ts, "text": text}
        if blocks is not None:
            args["blocks"] = blocks
        self._call("chat.update", json_args=args)

    def post_ephemeral(
        self,
        channel: str,
        user: str,
        text: str,
        blocks: list[JsonDict] | None = None,
        thread_ts: str | None = None,
    ) -> None:
        args: JsonDict = {"channel": channel, "user": user, "text": text}
        if blocks is not None:
            args["blocks"] = blocks
        if thread_ts is not None:
            args["thread_ts"] = thread_ts
        self._call("chat.postEphemeral", json_args=args)

    def open_view(self, trigger_id: str, view: JsonDict) -> None:
        self._call("views.open", json_args={"trigger_id": trigger_id, "view": view})

    def user_group_members(self, user_group: str) -> frozenset[str]:
        # A read method: Slack takes its arguments as a form, not as JSON.
        answer = self._call("usergroups.users.list", form_args={"usergroup": user_group})
        users = answer.get("users")
        if not isinstance(users, list):
            return frozenset()
        return frozenset(user for user in users if isinstance(user, str))

    def _call(
        self,
        method: str,
        *,
        json_args: JsonDict | None = None,
        form_args: Mapping[str, str] | None = None,
    ) -> JsonDict:
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = self._session.post(
                    self._base_url + method,
                    json=json_args,
                    data=form_args,
                    headers=self._headers,
                    timeout=self._timeout,
                )
            except (requests.Timeout, requests.ConnectionError) as failure:
                sent, retry_after = not _never_sent(failure), 0.5 * attempt
                timed_out = isinstance(failure, requests.ReadTimeout)
                error = "read_timeout" if timed_out else "connection_error"
            else:
                if response.status_code == 429:
                    # Slack refused the call without acting on it.
                    sent, retry_after, error = False, _retry_after(response), "ratelimited"
                elif response.status_code >= 500:
                    sent, retry_after = True, 0.5 * attempt
                    error = f"http_{response.status_code}"
                else:
                    return _answer(method, response)
            logger.warning(
                "slack call failed", extra={"method": method, "error": error, "attempt": attempt}
            )
            unconfirmed = sent and method not in REPEATABLE_METHODS
            if unconfirmed or attempt == self._max_attempts:
                raise SlackCallFailed(method, error, unconfirmed=unconfirmed)
            self._sleep(retry_after)
        raise AssertionError("unreachable: the loop returns or raises")


def _never_sent(failure: requests.RequestException) -> bool:
    """The request cannot have reached Slack: the connection was never made."""
    if isinstance(failure, requests.ConnectTimeout):
        return True
    # requests wraps urllib3's MaxRetryError, whose reason says what went wrong.
    reason = getattr(failure.args[0], "reason", None) if failure.args else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _retry_after(response: requests.Response) -> float:
    try:
        seconds = float(response.headers.get("Retry-After", "1"))
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _answer(method: str, response: requests.Response) -> JsonDict:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise SlackCallFailed(method, f"http_{response.status_code}")
    if not payload.get("ok"):
        error = str(payload.get("error") or f"http_{response.status_code}")
        logger.warning("slack call refused", extra={"method": method, "error": error})
        raise SlackCallFailed(method, error)
    return payload
