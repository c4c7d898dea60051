"""GraphApiSender against a faked Graph API at the HTTP boundary (real requests code runs)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from pydantic import SecretStr

from aremu.channels.whatsapp.errors import (
    PermanentSendError,
    RetryableSendError,
    WindowClosedError,
)
from aremu.channels.whatsapp.outbound import Text
from aremu.channels.whatsapp.sender import GraphApiSender
from aremu.config import Settings
from aremu.credentials import ChannelSecrets
from aremu.observability import logger

BASE_URL = "https://graph.example.test"
URL = f"{BASE_URL}/v25.0/1234567890/messages"
TOKEN = "EAAG-secret-token-value"
RECIPIENT = "2348012345678"
MESSAGE_TEXT = "Your private job alert"
OK = {"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT1"}]}


def _graph_error(code: int) -> dict[str, Any]:
    return {
        "error": {
            "message": f"(#{code}) failure",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": "details"},
            "fbtrace_id": "Az8or",
        }
    }


class Sleeps:
    """Records requested sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def graph() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the Powertools logger writes, formatted as it would be on Lambda."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    target = logging.getLogger(logger.name)
    target.addHandler(handler)
    yield stream
    target.removeHandler(handler)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def sender(sleeps: Sleeps) -> GraphApiSender:
    return GraphApiSender(
        base_url=BASE_URL,
        api_version="v25.0",
        phone_number_id="1234567890",
        access_token=TOKEN,
        max_attempts=4,
        sleep=sleeps,
        jitter=lambda: 1.0,
    )


def _sent_body(graph: responses.RequestsMock, index: int = 0) -> Any:
    body = graph.calls[index].request.body
    assert body is not None
    return json.loads(body)


def test_success_returns_the_message_id(
    graph: responses.RequestsMock, sender: GraphApiSender
) -> None:
    graph.post(URL, json=OK)

    result = sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert (result.message_id, result.attempts) == ("wamid.OUT1", 1)


def test_request_goes_to_versioned_url_with_bearer_token(
    graph: responses.RequestsMock, sender: GraphApiSender
) -> None:
    graph.post(URL, json=OK)

    sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    request = graph.calls[0].request
    assert request.url == URL
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"


def test_sent_body_is_the_message_body_with_quoted_reply(
    graph: responses.RequestsMock, sender: GraphApiSender
) -> None:
    graph.post(URL, json=OK)

    sender.send(RECIPIENT, Text(body=MESSAGE_TEXT), reply_to="wamid.IN")

    assert _sent_body(graph) == Text(body=MESSAGE_TEXT).to_body(RECIPIENT, reply_to="wamid.IN")


def test_window_closed_raises_at_once_without_retry(
    graph: responses.RequestsMock, sender: GraphApiSender, sleeps: Sleeps
) -> None:
    graph.post(URL, status=400, json=_graph_error(131047))

    with pytest.raises(WindowClosedError) as caught:
        sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert (caught.value.code, caught.value.http_status) == (131047, 400)
    assert len(graph.calls) == 1
    assert sleeps.calls == []


def test_throughput_limit_is_retried_once_then_succeeds(
    graph: responses.RequestsMock, sender: GraphApiSender, sleeps: Sleeps
) -> None:
    graph.post(URL, status=400, json=_graph_error(130429))
    graph.post(URL, json=OK)

    result = sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert (result.message_id, result.attempts) == ("wamid.OUT1", 2)
    assert len(graph.calls) == 2
    assert sleeps.calls == [0.5]


def test_server_errors_exhaust_attempts_then_raise_retryable(
    graph: responses.RequestsMock, sender: GraphApiSender, sleeps: Sleeps
) -> None:
    graph.post(URL, status=503, body="Service Unavailable")

    with pytest.raises(RetryableSendError) as caught:
        sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert len(graph.calls) == 4
    assert caught.value.attempts == 4
    assert sleeps.calls == [0.5, 1.0, 2.0]


def test_undeliverable_raises_permanent_without_retry(
    graph: responses.RequestsMock, sender: GraphApiSender, sleeps: Sleeps
) -> None:
    graph.post(URL, status=400, json=_graph_error(131026))

    with pytest.raises(PermanentSendError) as caught:
        sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert caught.value.code == 131026
    assert len(graph.calls) == 1
    assert sleeps.calls == []


def test_timeout_is_retried(
    graph: responses.RequestsMock, sender: GraphApiSender, sleeps: Sleeps
) -> None:
    graph.post(URL, body=requests.ReadTimeout("read timed out"))
    graph.post(URL, json=OK)

    result = sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert result.attempts == 2
    assert len(sleeps.calls) == 1


def test_connection_errors_exhaust_attempts_then_raise_retryable(
    graph: responses.RequestsMock, sender: GraphApiSender
) -> None:
    graph.post(URL, body=requests.ConnectionError("refused"))

    with pytest.raises(RetryableSendError):
        sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert len(graph.calls) == 4


def test_success_without_message_id_is_permanent(
    graph: responses.RequestsMock, sender: GraphApiSender
) -> None:
    graph.post(URL, json={"messaging_product": "whatsapp", "messages": []})

    with pytest.raises(PermanentSendError):
        sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert len(graph.calls) == 1


def test_mark_read_posts_read_status_with_typing_indicator(
    graph: responses.RequestsMock, sender: GraphApiSender
) -> None:
    graph.post(URL, json={"success": True})

    sender.mark_read("wamid.IN", typing_indicator=True)

    assert _sent_body(graph) == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.IN",
        "typing_indicator": {"type": "text"},
    }


def test_failures_are_logged_with_code_and_attempt(
    graph: responses.RequestsMock, sender: GraphApiSender, log_output: io.StringIO
) -> None:
    graph.post(URL, status=400, json=_graph_error(130429))
    graph.post(URL, status=400, json=_graph_error(131026))

    with pytest.raises(PermanentSendError):
        sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    failures = [line for line in lines if line["message"] == "whatsapp send failed"]
    assert [(f["error_code"], f["attempt"]) for f in failures] == [(130429, 1), (131026, 2)]


def test_logs_never_hold_token_recipient_or_text(
    graph: responses.RequestsMock,
    sender: GraphApiSender,
    log_output: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    graph.post(URL, body=requests.ConnectionError(f"refused {URL}"))
    graph.post(URL, status=400, json=_graph_error(130429))
    graph.post(URL, json=OK)
    caplog.set_level(logging.DEBUG)

    sender.send(RECIPIENT, Text(body=MESSAGE_TEXT))

    output = log_output.getvalue() + caplog.text
    assert output
    for secret in (TOKEN, RECIPIENT, MESSAGE_TEXT):
        assert secret not in output


def test_from_settings_uses_configured_url_version_and_token(
    graph: responses.RequestsMock,
) -> None:
    settings = Settings(graph_api_base_url=BASE_URL, graph_api_version="v26.0")
    secrets = ChannelSecrets(
        whatsapp_app_secret=SecretStr("a"),
        whatsapp_verify_token=SecretStr("v"),
        whatsapp_access_token=SecretStr(TOKEN),
        whatsapp_phone_number_id="555",
        slack_signing_secret=SecretStr("s"),
        slack_bot_token=SecretStr("x"),
    )
    graph.post(f"{BASE_URL}/v26.0/555/messages", json=OK)

    GraphApiSender.from_settings(settings, secrets).send(RECIPIENT, Text(body=MESSAGE_TEXT))

    assert graph.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
