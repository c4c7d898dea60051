"""The Graph API adapter: sends outbound messages and read receipts, with retries."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import requests
from pydantic import BaseModel, ConfigDict

from aremu.channels.whatsapp.errors import (
    PermanentSendError,
    RetryableSendError,
    WhatsAppSendError,
    classify_error,
)
from aremu.channels.whatsapp.outbound import JsonDict, MarkRead, OutboundMessage
from aremu.config import Settings
from aremu.credentials import ChannelSecrets
from aremu.observability import logger


class SendResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    message_id: str
    attempts: int


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _message_id(payload: Any) -> str | None:
    messages = payload.get("messages") if isinstance(payload, dict) else None
    if not isinstance(messages, list) or not messages or not isinstance(messages[0], dict):
        return None
    message_id = messages[0].get("id")
    return message_id if isinstance(message_id, str) and message_id else None


class GraphApiSender:
    """Posts to `{base_url}/{api_version}/{phone_number_id}/messages`.

    Retries only retryable failures, with exponential backoff and full jitter; the
    recipient, the token and the message text never reach the logs.
    """

    def __init__(
        self,
        base_url: str,
        api_version: str,
        phone_number_id: str,
        access_token: str,
        *,
        timeout_seconds: float = 10,
        max_attempts: int = 4,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base_seconds: float = 0.5,
        backoff_max_seconds: float = 8.0,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/{api_version}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._timeout = timeout_seconds
        self._max_attempts = max(1, max_attempts)
        self._session = session or requests.Session()
        self._sleep = sleep
        self._backoff_base = backoff_base_seconds
        self._backoff_max = backoff_max_seconds
        self._jitter = jitter

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        secrets: ChannelSecrets,
        session: requests.Session | None = None,
    ) -> GraphApiSender:
        return cls(
            base_url=settings.graph_api_base_url,
            api_version=settings.graph_api_version,
            phone_number_id=secrets.whatsapp_phone_number_id,
            access_token=secrets.whatsapp_access_token.get_secret_value(),
            timeout_seconds=settings.graph_timeout_seconds,
            max_attempts=settings.graph_max_attempts,
            backoff_base_seconds=settings.graph_backoff_base_seconds,
            session=session,
        )

    def send(
        self, recipient: str, message: OutboundMessage, reply_to: str | None = None
    ) -> SendResult:
        """Send one message; raises a `WhatsAppSendError` subclass when it cannot."""
        payload, attempts = self._post(message.to_body(recipient, reply_to=reply_to))
        message_id = _message_id(payload)
        if message_id is None:
            error = PermanentSendError("response without a message id", http_status=200)
            error.attempts = attempts
            logger.warning("whatsapp send failed", extra=_log_fields(error, attempts))
            raise error
        logger.info("whatsapp message sent", extra={"message_id": message_id, "attempt": attempts})
        return SendResult(message_id=message_id, attempts=attempts)

    def mark_read(self, message_id: str, typing_indicator: bool = False) -> None:
        self._post(MarkRead(message_id=message_id, typing_indicator=typing_indicator).to_body())

    def _post(self, body: JsonDict) -> tuple[Any, int]:
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = self._session.post(
                    self._url, json=body, headers=self._headers, timeout=self._timeout
                )
            except requests.Timeout as exc:
                error: WhatsAppSendError = RetryableSendError("timeout")
                error.__cause__ = exc
            except requests.ConnectionError as exc:
                error = RetryableSendError("connection error")
                error.__cause__ = exc
            else:
                if response.ok:
                    return _json_or_none(response), attempt
                error = classify_error(response.status_code, _json_or_none(response))
            error.attempts = attempt
            logger.warning("whatsapp send failed", extra=_log_fields(error, attempt))
            if not isinstance(error, RetryableSendError) or attempt == self._max_attempts:
                raise error
            self._sleep(self._backoff(attempt))
        raise AssertionError("unreachable: the loop returns or raises")

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self._backoff_max, self._backoff_base * 2.0 ** (attempt - 1))
        return self._jitter() * ceiling


def _log_fields(error: WhatsAppSendError, attempt: int) -> dict[str, Any]:
    # Only codes and counters: Meta's details can echo what was sent.
    return {
        "error_code": error.code,
        "error_subcode": error.subcode,
        "http_status": error.http_status,
        "error_class": type(error).__name__,
        "fbtrace_id": error.fbtrace_id,
        "attempt": attempt,
    }
