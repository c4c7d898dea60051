"""The `/sandbox/...` routes: the recording fakes, the local clock and the drain."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from aremu import clock
from aremu.jobs.csv_source import NotAJobSpyCsv
from aremu.local.http import HttpRequest, HttpResponse, json_error, json_response
from aremu.local.sandbox import SandboxRejection, SlackSandbox, WhatsAppSandbox

PREFIX = "/sandbox/"

# Slack form posts carry these as JSON text; decoding them makes form and JSON calls alike.
_SLACK_JSON_FIELDS = ("blocks", "attachments", "metadata")

_Handler = Callable[[HttpRequest, dict[str, str]], HttpResponse]


class BadRequest(Exception):
    pass


class SandboxApi:
    def __init__(
        self,
        *,
        whatsapp: WhatsAppSandbox,
        slack: SlackSandbox,
        drain: Callable[[], dict[str, Any]],
        streams: Callable[[], dict[str, Any]],
        run_due: Callable[[datetime], dict[str, Any]],
        ingest: Callable[[str], dict[str, Any]] | None = None,
        jobs: Callable[[], dict[str, Any]] | None = None,
        schedules: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self._whatsapp = whatsapp
        self._slack = slack
        self._drain = drain
        self._streams = streams
        self._run_due = run_due
        self._ingest = ingest
        self._jobs = jobs
        self._schedules = schedules
        self._routes: list[tuple[str, re.Pattern[str], _Handler]] = [
            ("POST", re.compile(r"^/sandbox/graph/(?P<version>[^/]+)/(?P<phone>[^/]+)/messages$"),
             self._graph_send),
            ("GET", re.compile(r"^/sandbox/whatsapp/messages$"), self._whatsapp_messages),
            ("GET", re.compile(r"^/sandbox/whatsapp/sent$"), self._whatsapp_exchanges),
            ("POST", re.compile(r"^/sandbox/slack/api/(?P<method>[\w.]+)$"), self._slack_call),
            ("GET", re.compile(r"^/sandbox/slack/messages$"), self._slack_messages),
            ("GET", re.compile(r"^/sandbox/clock$"), self._clock_now),
            ("POST", re.compile(r"^/sandbox/clock$"), self._clock_advance),
            ("POST", re.compile(r"^/sandbox/drain$"), self._drain_streams),
            ("GET", re.compile(r"^/sandbox/streams$"), self._stream_status),
            ("POST", re.compile(r"^/sandbox/ingest$"), self._ingest_csv),
            ("GET", re.compile(r"^/sandbox/jobs$"), self._job_counts),
            ("GET", re.compile(r"^/sandbox/schedules$"), self._schedule_status),
        ]  # fmt: skip

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """The sandbox's answer, or None when the path is not a sandbox route."""
        if not request.path.startswith(PREFIX):
            return None
        path_matched = False
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if not match:
                continue
            path_matched = True
            if method == request.method:
                try:
                    return handler(request, match.groupdict())
                except BadRequest as error:
                    return json_error(400, str(error))
        if path_matched:
            return json_error(405, f"{request.method} is not allowed on {request.path}")
        return json_error(404, f"no sandbox route {request.path}")

    def _graph_send(self, request: HttpRequest, params: dict[str, str]) -> HttpResponse:
        body = _json_body(request)
        try:
            answer = self._whatsapp.send(params["phone"], request.header("Authorization"), body)
        except SandboxRejection as rejection:
            return json_response(rejection.status, rejection.payload)
        return json_response(200, answer)

    def _whatsapp_messages(self, request: HttpRequest, _: dict[str, str]) -> HttpResponse:
        to = request.query_params().get("to")
        messages = [body for body in self._whatsapp.messages() if _sent_to(body, to)]
        return json_response(200, messages)

    def _whatsapp_exchanges(self, request: HttpRequest, _: dict[str, str]) -> HttpResponse:
        to = request.query_params().get("to")
        exchanges = [e for e in self._whatsapp.exchanges() if _sent_to(e["request"], to)]
        return json_response(200, exchanges)

    def _slack_call(self, request: HttpRequest, params: dict[str, str]) -> HttpResponse:
        args = _slack_args(request)
        return json_response(
            200, self._slack.call(params["method"], request.header("Authorization"), args)
        )

    def _slack_messages(self, _: HttpRequest, __: dict[str, str]) -> HttpResponse:
        return json_response(200, self._slack.messages())

    def _clock_now(self, _: HttpRequest, __: dict[str, str]) -> HttpResponse:
        return json_response(200, {"now": clock.now().isoformat()})

    def _clock_advance(self, request: HttpRequest, _: dict[str, str]) -> HttpResponse:
        body = _json_body(request)
        seconds = body.get("advance_seconds") if isinstance(body, dict) else None
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds < 0
        ):
            raise BadRequest("advance_seconds must be a number of seconds, zero or more")
        now = clock.advance(seconds)
        return json_response(
            200,
            {"now": now.isoformat(), "advanced_seconds": seconds, "ran": self._run_due(now)},
        )

    def _drain_streams(self, _: HttpRequest, __: dict[str, str]) -> HttpResponse:
        return json_response(200, self._drain())

    def _stream_status(self, _: HttpRequest, __: dict[str, str]) -> HttpResponse:
        return json_response(200, self._streams())

    def _ingest_csv(self, request: HttpRequest, _: dict[str, str]) -> HttpResponse:
        if self._ingest is None:
            return json_error(404, "this stack does not load jobs")
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadRequest(
                "the body must be UTF-8 text: a CSV of python-jobspy postings"
            ) from error
        try:
            return json_response(200, self._ingest(text))
        except NotAJobSpyCsv as error:
            raise BadRequest(str(error)) from error

    def _job_counts(self, _: HttpRequest, __: dict[str, str]) -> HttpResponse:
        if self._jobs is None:
            return json_error(404, "this stack does not store jobs")
        return json_response(200, self._jobs())

    def _schedule_status(self, _: HttpRequest, __: dict[str, str]) -> HttpResponse:
        return json_response(200, self._schedules() if self._schedules else {})


def _sent_to(body: dict[str, Any], to: str | None) -> bool:
    return to is None or to in (body.get("to"), body.get("recipient"))


def _json_body(request: HttpRequest) -> Any:
    try:
        return request.json()
    except ValueError as error:
        raise BadRequest("the body must be JSON") from error


def _slack_args(request: HttpRequest) -> dict[str, Any]:
    content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    args: dict[str, Any] = dict(parse_qsl(request.query, keep_blank_values=True))
    if content_type == "application/json":
        body = _json_body(request)
        if not isinstance(body, dict):
            raise BadRequest("a JSON body must be an object")
        args.update(body)
        return args
    if content_type in ("", "application/x-www-form-urlencoded"):
        try:
            form = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError as error:
            raise BadRequest("the form body must be UTF-8") from error
        args.update(form)
        for name in _SLACK_JSON_FIELDS:
            if isinstance(args.get(name), str):
                try:
                    args[name] = json.loads(args[name])
                except ValueError as error:
                    raise BadRequest(f"{name} must be JSON") from error
        return args
    raise BadRequest(f"unsupported content type {content_type}")
