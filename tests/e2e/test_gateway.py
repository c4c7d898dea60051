"""HTTP requests in, API Gateway HTTP API payload v2.0 events out, and back again."""

from __future__ import annotations

import base64
import json
from typing import Any

from aremu.local.gateway import HttpApiGateway, to_http_response
from aremu.local.http import HttpRequest

from .fakes import ECHO, bind, echo_handler


def gateway() -> HttpApiGateway:
    return HttpApiGateway([bind(ECHO, echo_handler)], domain_name="127.0.0.1:8000")


def post(body: bytes = b"{}", **overrides: Any) -> HttpRequest:
    fields: dict[str, Any] = {
        "method": "POST",
        "path": "/echo",
        "query": "a=1&a=2&b=",
        "headers": [("Content-Type", "application/json"), ("X-Thing", "one"), ("x-thing", "two")],
        "body": body,
        "source_ip": "10.0.0.9",
    }
    fields.update(overrides)
    return HttpRequest(**fields)


def event_for(request: HttpRequest) -> dict[str, Any]:
    response = gateway().handle(request)
    assert response is not None
    event: dict[str, Any] = json.loads(response.body)
    return event


def test_event_has_the_payload_v2_shape() -> None:
    event = event_for(post(b'{"hello": "world"}'))

    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /echo"
    assert event["rawPath"] == "/echo"
    assert event["rawQueryString"] == "a=1&a=2&b="
    assert event["body"] == '{"hello": "world"}'
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["stage"] == "$default"
    assert context["routeKey"] == "POST /echo"
    assert context["http"]["method"] == "POST"
    assert context["http"]["sourceIp"] == "10.0.0.9"
    assert isinstance(context["timeEpoch"], int)


def test_headers_are_lower_cased_and_repeats_joined_with_commas() -> None:
    event = event_for(post())

    assert event["headers"]["content-type"] == "application/json"
    assert event["headers"]["x-thing"] == "one,two"


def test_repeated_query_parameters_are_joined_with_commas() -> None:
    event = event_for(post())

    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}


def test_cookies_move_out_of_the_headers() -> None:
    event = event_for(post(headers=[("Cookie", "a=1; b=2")]))

    assert event["cookies"] == ["a=1", "b=2"]
    assert "cookie" not in event["headers"]


def test_a_body_that_is_not_utf8_arrives_base64_encoded() -> None:
    raw = b"\xff\xfe\x00binary"

    event = event_for(post(raw))

    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == raw


def test_path_parameters_are_extracted_from_the_route() -> None:
    event = event_for(HttpRequest(method="GET", path="/echo/42"))

    assert event["routeKey"] == "GET /echo/{item_id}"
    assert event["pathParameters"] == {"item_id": "42"}


def test_unknown_path_or_method_is_not_routed() -> None:
    assert gateway().handle(HttpRequest(method="GET", path="/nowhere")) is None
    assert gateway().handle(HttpRequest(method="DELETE", path="/echo")) is None


def test_handler_response_maps_to_status_headers_and_body() -> None:
    response = gateway().handle(post())

    assert response is not None
    assert response.status == 201
    assert ("X-Function", "Echo") in response.headers


def test_base64_response_bodies_are_decoded() -> None:
    response = to_http_response(
        {"statusCode": 200, "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True}
    )

    assert response.body == b"\x00\x01"


def test_a_result_without_status_code_is_a_json_200() -> None:
    response = to_http_response({"ok": True})

    assert response.status == 200
    assert json.loads(response.body) == {"ok": True}


def test_a_handler_that_raises_gives_a_500_like_api_gateway() -> None:
    def broken(event: dict[str, Any], context: Any) -> Any:
        raise RuntimeError("boom")

    response = HttpApiGateway([bind(ECHO, broken)], domain_name="x").handle(post())

    assert response is not None
    assert response.status == 500
    assert json.loads(response.body) == {"message": "Internal Server Error"}


def test_the_context_carries_the_function_settings() -> None:
    seen: dict[str, Any] = {}

    def handler(event: dict[str, Any], context: Any) -> Any:
        seen.update(
            name=context.function_name,
            memory=context.memory_limit_in_mb,
            arn=context.invoked_function_arn,
            remaining=context.get_remaining_time_in_millis(),
        )
        return {"statusCode": 204}

    HttpApiGateway([bind(ECHO, handler)], domain_name="x").handle(post())

    assert seen["name"] == "Echo"
    assert seen["memory"] == 256
    assert seen["arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:Echo"
    assert 0 < seen["remaining"] <= ECHO.timeout_seconds * 1000
