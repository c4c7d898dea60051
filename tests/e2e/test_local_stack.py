"""The assembled stack in this process, over real HTTP, with throwaway functions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import requests

from aremu import clock
from aremu.credentials import LOCAL_DEFAULTS
from aremu.local.handlers import LambdaHandler
from aremu.local.stack import HandlerLoadError, LocalStack
from aremu.wiring import FunctionSpec

from .fakes import ECHO, Recorder, echo_handler, note_spec

NOTES = note_spec()


class Running:
    def __init__(self, stack: LocalStack, environ: dict[str, str], notes: Recorder) -> None:
        self.stack = stack
        self.environ = environ
        self.notes = notes
        self.url = stack.base_url
        self.http = requests.Session()

    def put_note(self, pk: str) -> None:
        import boto3

        boto3.client(
            "dynamodb",
            endpoint_url=self.stack.aws_endpoint_url,
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).put_item(
            TableName="aremu",
            Item={"pk": {"S": pk}, "sk": {"S": "A"}, "kind": {"S": "note"}},
        )


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    notes = Recorder()
    handlers: dict[str, LambdaHandler] = {"Echo": echo_handler, "Notes": notes}
    environ = {"WHATSAPP_APP_SECRET": "set-by-user", "AWS_PROFILE": "real-account"}
    stack = LocalStack(
        port=0,
        functions=(ECHO, NOTES),
        load=lambda spec: handlers[spec.name],
        environ=environ,
    )
    stack.start()
    yield Running(stack, environ, notes)
    stack.stop()
    clock.reset()


def test_a_routed_request_reaches_its_handler_as_an_api_gateway_event(running: Running) -> None:
    response = running.http.post(f"{running.url}/echo?x=1", json={"a": 1})

    assert response.status_code == 201
    assert response.headers["X-Function"] == "Echo"
    event = response.json()
    assert event["routeKey"] == "POST /echo"
    assert event["queryStringParameters"] == {"x": "1"}
    assert event["body"] == '{"a": 1}'


def test_an_unknown_route_is_a_json_404(running: Running) -> None:
    response = running.http.get(f"{running.url}/nowhere")

    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


def test_the_environment_points_everything_at_the_local_stack(running: Running) -> None:
    env = running.environ

    assert env["AWS_ENDPOINT_URL"] == running.stack.aws_endpoint_url
    assert env["AREMU_GRAPH_API_BASE_URL"] == f"{running.url}/sandbox/graph"
    assert env["AWS_ACCOUNT_ID_ENDPOINT_MODE"] == "disabled"
    assert env["AWS_ACCESS_KEY_ID"] == "testing"
    assert "AWS_PROFILE" not in env


def test_secrets_the_user_set_are_kept_and_the_rest_default(running: Running) -> None:
    assert running.environ["WHATSAPP_APP_SECRET"] == "set-by-user"
    assert running.environ["WHATSAPP_VERIFY_TOKEN"] == LOCAL_DEFAULTS["WHATSAPP_VERIFY_TOKEN"]
    assert "OPENAI_API_KEY" not in running.environ


def test_the_graph_sandbox_records_what_is_sent_through_the_server(running: Running) -> None:
    body = {"messaging_product": "whatsapp", "to": "2348000000009", "text": {"body": "hi"}}
    token = LOCAL_DEFAULTS["WHATSAPP_ACCESS_TOKEN"]

    sent = running.http.post(
        f"{running.url}/sandbox/graph/v25.0/{LOCAL_DEFAULTS['WHATSAPP_PHONE_NUMBER_ID']}/messages",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )

    assert sent.status_code == 200
    listed = running.http.get(f"{running.url}/sandbox/whatsapp/messages?to=2348000000009")
    assert listed.json() == [body]


def test_bad_sandbox_input_is_a_400_and_the_server_keeps_serving(running: Running) -> None:
    bad = running.http.post(f"{running.url}/sandbox/clock", data=b"\xff{")

    assert bad.status_code == 400
    assert running.http.get(f"{running.url}/sandbox/clock").status_code == 200


def test_drain_delivers_stream_records_to_the_consumer(running: Running) -> None:
    running.put_note("DRAINED")

    summary = running.http.post(f"{running.url}/sandbox/drain").json()

    assert summary["settled"] is True
    assert "DRAINED" in running.notes.delivered_keys()


def test_advancing_the_clock_runs_due_work_then_drains_what_it_wrote(running: Running) -> None:
    ran_at: list[datetime] = []

    def due(now: datetime) -> dict[str, Any]:
        ran_at.append(now)
        running.put_note("SCHEDULED")
        return {"fired": 1}

    running.stack.add_due_work("schedules", due)

    answer = running.http.post(f"{running.url}/sandbox/clock", json={"advance_seconds": 90}).json()

    assert answer["ran"]["schedules"] == {"fired": 1}
    assert datetime.fromisoformat(answer["now"]) == ran_at[0]
    assert "SCHEDULED" in running.notes.delivered_keys()


def test_a_handler_that_cannot_be_loaded_stops_the_start_with_its_name() -> None:
    def broken(spec: FunctionSpec) -> LambdaHandler:
        raise ModuleNotFoundError("no module named nothing")

    stack = LocalStack(port=0, functions=(ECHO,), load=broken, environ={})
    try:
        with pytest.raises(HandlerLoadError, match="Echo"):
            stack.start()
    finally:
        stack.stop()
