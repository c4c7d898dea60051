"""Plain HTTP request and response values, so routing can be tested without sockets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: str = ""
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def query_params(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: Sequence[tuple[str, str]] = field(default_factory=tuple)


def json_response(status: int, payload: Any) -> HttpResponse:
    return HttpResponse(
        status=status,
        body=json.dumps(payload).encode("utf-8"),
        headers=(("Content-Type", "application/json"),),
    )


def json_error(status: int, message: str) -> HttpResponse:
    return json_response(status, {"error": message})
