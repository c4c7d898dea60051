"""The project's own exceptions for Graph API send failures, and the mapping onto them."""

from __future__ import annotations

from typing import Any

WINDOW_CLOSED = 131047
THROUGHPUT_LIMIT = 130429
PAIR_RATE_LIMIT = 131056
RETRYABLE_CODES = frozenset({THROUGHPUT_LIMIT, PAIR_RATE_LIMIT})


class WhatsAppSendError(Exception):
    """A send that Meta refused or that never reached Meta.

    The message deliberately leaves out Meta's free-text details, which can echo
    what was sent; they stay on `details` for whoever needs them.
    """

    def __init__(
        self,
        title: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        details: str | None = None,
        subcode: int | None = None,
        fbtrace_id: str | None = None,
    ) -> None:
        super().__init__(f"{title} (code={code}, http_status={http_status})")
        self.title = title
        self.code = code
        self.http_status = http_status
        self.details = details
        self.subcode = subcode
        self.fbtrace_id = fbtrace_id
        # Set by the sender to the number of requests it made before giving up.
        self.attempts = 1


class RetryableSendError(WhatsAppSendError):
    """Throttling, a server error or a transport failure: the same send may succeed later."""


class WindowClosedError(WhatsAppSendError):
    """Free-form message outside the 24-hour customer-service window; only templates may go."""


class PermanentSendError(WhatsAppSendError):
    """Anything else: sending the same request again would fail the same way."""


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def classify_error(http_status: int | None, error_json: Any) -> WhatsAppSendError:
    """Map a Graph error response (`{"error": {...}}`, or anything else) to our exceptions."""
    error = error_json.get("error") if isinstance(error_json, dict) else None
    error = error if isinstance(error, dict) else {}
    error_data = error.get("error_data")
    code = _as_int(error.get("code"))
    fields: dict[str, Any] = {
        "code": code,
        "http_status": http_status,
        "details": _as_str(error_data.get("details")) if isinstance(error_data, dict) else None,
        "subcode": _as_int(error.get("error_subcode")),
        "fbtrace_id": _as_str(error.get("fbtrace_id")),
    }
    title = _as_str(error.get("message")) or f"HTTP {http_status}"
    if code == WINDOW_CLOSED:
        return WindowClosedError(title, **fields)
    if code in RETRYABLE_CODES:
        return RetryableSendError(title, **fields)
    if http_status is not None and (http_status >= 500 or http_status == 429):
        return RetryableSendError(title, **fields)
    return PermanentSendError(title, **fields)
