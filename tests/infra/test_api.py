"""The HTTP API: a route per `HttpRoute` in the wiring, throttled and access-logged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aremu.wiring import FUNCTIONS, HttpRoute
from tests.infra.synthesized import Synthesized

ROUTES = [(spec, route) for spec in FUNCTIONS for route in spec.routes()]


def route_named(synthesized: Synthesized, route_key: str) -> dict[str, Any]:
    matches = [
        resource["Properties"]
        for resource in synthesized.of_type("AWS::ApiGatewayV2::Route").values()
        if resource["Properties"]["RouteKey"] == route_key
    ]
    assert len(matches) == 1, f"expected one route {route_key!r}, found {len(matches)}"
    route: dict[str, Any] = matches[0]
    return route


def default_stage(synthesized: Synthesized) -> dict[str, Any]:
    return synthesized.properties(synthesized.stack.api.stage)


def test_the_wiring_has_http_routes() -> None:
    assert ("GET", "/whatsapp/webhook") in [(r.method, r.path) for _, r in ROUTES]


@pytest.mark.parametrize(
    ("function_name", "route"),
    [(spec.name, route) for spec, route in ROUTES],
    ids=[f"{route.method} {route.path}" for _, route in ROUTES],
)
def test_each_http_route_reaches_its_function(
    synthesized: Synthesized, function_name: str, route: HttpRoute
) -> None:
    function_id = synthesized.logical_id(synthesized.stack.functions.by_name[function_name])

    target = route_named(synthesized, f"{route.method} {route.path}")["Target"]
    integration_id = target["Fn::Join"][1][1]["Ref"]
    integration = synthesized.resources[integration_id]["Properties"]

    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"] == {"Fn::GetAtt": [function_id, "Arn"]}


def test_default_stage_deploys_automatically(synthesized: Synthesized) -> None:
    stage = default_stage(synthesized)

    assert stage["StageName"] == "$default"
    assert stage["AutoDeploy"] is True


def test_default_stage_is_throttled(synthesized: Synthesized) -> None:
    settings = default_stage(synthesized)["DefaultRouteSettings"]

    assert settings["ThrottlingBurstLimit"] == 200
    assert settings["ThrottlingRateLimit"] == 100


def test_access_logs_go_to_a_log_group_as_json(synthesized: Synthesized) -> None:
    access_logs = default_stage(synthesized)["AccessLogSettings"]
    log_group_id = access_logs["DestinationArn"]["Fn::GetAtt"][0]

    fields = json.loads(access_logs["Format"])

    assert synthesized.resources[log_group_id]["Type"] == "AWS::Logs::LogGroup"
    assert {"requestId", "routeKey", "status"} <= set(fields)


def test_access_logs_are_kept_three_months(synthesized: Synthesized) -> None:
    log_group_id = default_stage(synthesized)["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][
        0
    ]

    props = synthesized.resources[log_group_id]["Properties"]

    assert props["RetentionInDays"] == 90


def test_access_logs_leave_out_the_query_string(synthesized: Synthesized) -> None:
    log_format = default_stage(synthesized)["AccessLogSettings"]["Format"]

    assert "$context.path" not in log_format
    assert "querystring" not in log_format.lower()


def test_api_url_is_an_output(synthesized: Synthesized) -> None:
    api_id = synthesized.logical_id(synthesized.stack.api.http_api)

    output = synthesized.outputs[synthesized.logical_id(synthesized.stack.api.url_output)]

    parts = output["Value"]["Fn::Join"][1]
    assert parts[:3] == ["https://", {"Ref": api_id}, ".execute-api."]
