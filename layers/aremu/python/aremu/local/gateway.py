"""The local API Gateway: HTTP requests in, HTTP API payload v2.0 events to the handlers, out again.

Matching and both translations follow the HTTP API's documented behaviour, so a handler
sees the same event here as behind API Gateway.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aremu import clock
from aremu.local.http import HttpRequest, HttpResponse, json_response
from aremu.local.log import logger
from aremu.local.runtime import LocalFunction
from aremu.wiring import HttpRoute

LOCAL_API_ID = "local"


@dataclass(frozen=True)
class _Route:
    route: HttpRoute
    pattern: re.Pattern[str]
    function: LocalFunction

    @property
    def key(self) -> str:
        return f"{self.route.method} {self.route.path}"


def _route_pattern(path: str) -> re.Pattern[str]:
    """`/a/{id}` matches one segment, `/a/{rest+}` the rest of the path, as on API Gateway."""
    parts = []
    for segment in path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{segment[1:-2]}>.+)")
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
        else:
            parts.append(re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "$")


class HttpApiGateway:
    def __init__(self, functions: Iterable[LocalFunction], *, domain_name: str) -> None:
        self._domain_name = domain_name
        self._routes = [
            _Route(route, _route_pattern(route.path), function)
            for function in functions
            for route in function.spec.routes()
        ]

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """The function's answer, or None when no route matches (the caller answers 404)."""
        for route in self._routes:
            match = route.pattern.match(request.path)
            if match and route.route.method == request.method:
                event = self.build_event(request, route.key, match.groupdict())
                return self._invoke(route.function, event)
        return None

    def build_event(
        self,
        request: HttpRequest,
        route_key: str,
        path_parameters: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        now = clock.now()
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for name, value in request.headers:
            key = name.lower()
            if key == "cookie":
                cookies.extend(part.strip() for part in value.split(";") if part.strip())
                continue
            # Repeated headers are joined with commas, as the HTTP API does.
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        headers.setdefault("x-forwarded-for", request.source_ip)
        headers.setdefault("x-forwarded-proto", "http")
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": request.path,
            "rawQueryString": request.query,
            "headers": headers,
            "requestContext": {
                "accountId": "anonymous",
                "apiId": LOCAL_API_ID,
                "domainName": self._domain_name,
                "domainPrefix": self._domain_name.split(".", 1)[0],
                "http": {
                    "method": request.method,
                    "path": request.path,
                    "protocol": request.protocol,
                    "sourceIp": request.source_ip,
                    "userAgent": headers.get("user-agent", ""),
                },
                "requestId": uuid.uuid4().hex,
                "routeKey": route_key,
                "stage": "$default",
                "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "timeEpoch": int(now.timestamp() * 1000),
            },
            "isBase64Encoded": False,
        }
        if cookies:
            event["cookies"] = cookies
        query = _query_parameters(request.query)
        if query:
            event["queryStringParameters"] = query
        if path_parameters:
            event["pathParameters"] = dict(path_parameters)
        if request.body:
            try:
                event["body"] = request.body.decode("utf-8")
            except UnicodeDecodeError:
                event["body"] = base64.b64encode(request.body).decode("ascii")
                event["isBase64Encoded"] = True
        return event

    def _invoke(self, function: LocalFunction, event: dict[str, Any]) -> HttpResponse:
        try:
            result = function.invoke(event)
        except Exception:
            # API Gateway hides the failure from the caller; the log keeps it.
            logger.exception("handler raised", extra={"function": function.name})
            return json_response(500, {"message": "Internal Server Error"})
        try:
            return to_http_response(result)
        except (TypeError, ValueError):
            logger.exception("malformed handler response", extra={"function": function.name})
            return json_response(500, {"message": "Internal Server Error"})


def _query_parameters(raw: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        params[key] = f"{params[key]},{value}" if key in params else value
    return params


def to_http_response(result: Any) -> HttpResponse:
    """Map a handler's return value to HTTP the way payload format 2.0 does."""
    if not (isinstance(result, Mapping) and "statusCode" in result):
        # Without a statusCode the HTTP API treats the whole result as a JSON 200.
        text = result if isinstance(result, str) else json.dumps(result)
        return HttpResponse(200, text.encode("utf-8"), (("Content-Type", "application/json"),))
    raw_body = result.get("body") or ""
    if not isinstance(raw_body, str):
        raise TypeError("body must be a string")
    body = base64.b64decode(raw_body) if result.get("isBase64Encoded") else raw_body.encode()
    headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
    headers.extend(("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or ())
    return HttpResponse(int(result["statusCode"]), body, tuple(headers))
