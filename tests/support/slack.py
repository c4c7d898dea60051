"""Slack requests signed as Slack signs them, a fake Web API, and fakes of the desk and journey.

Slack signs `v0:<timestamp>:<raw body>` with HMAC-SHA256 and the app's signing secret and
sends `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`. Interactivity and
slash commands arrive as forms (`payload=<json>` for interactivity), events as JSON.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import responses

from aremu.credentials import LOCAL_DEFAULTS
from aremu.local import slack_client
from aremu.services.journey import StageOutcome
from aremu.services.operator_desk import (
    CandidateCard,
    ConversationLine,
    DismissOutcome,
    HandbackOutcome,
    Hold,
    NudgeOutcome,
    RelayOutcome,
    TakeoverOutcome,
    TakeoverResult,
    ThreadClaim,
    ThreadClaimOutcome,
)
from tests.support.lambda_events import http_api_event

SIGNING_SECRET = LOCAL_DEFAULTS["SLACK_SIGNING_SECRET"]
BOT_TOKEN = LOCAL_DEFAULTS["SLACK_BOT_TOKEN"]
SLACK_API = "https://slack.test/api/"
TEAM_ID = "T0AREMU"
BOT_USER = "UAREMUBOT"
RECRUITERS_CHANNEL = "CRECRUIT"
RECRUITERS_GROUP = "SRECRUIT"
FORM = slack_client.FORM


# -- signing and the API Gateway event ------------------------------------------------------


def signed_event(
    body: bytes,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    retry_num: int | None = None,
) -> dict[str, Any]:
    """`POST /slack/events` as API Gateway's HTTP API hands it to the function."""
    ts = int(time.time()) if timestamp is None else timestamp
    headers = slack_client.signed_headers(secret, body, content_type, ts)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    # The HTTP API base64-encodes form bodies; JSON comes as text.
    return http_api_event(
        "POST", "/slack/events", body, headers=headers, base64_body=content_type == FORM
    )


# -- payloads: the local client's builders, in this test workspace -------------------------

_ids = itertools.count(1)
signature = slack_client.signature
form = slack_client.interactivity_form


def _next(prefix: str) -> str:
    return f"{prefix}{next(_ids):06d}"


def block_action(action_id: str, value: str, **options: Any) -> dict[str, Any]:
    options.setdefault("user", "URECRUITER1")
    options.setdefault("channel", RECRUITERS_CHANNEL)
    return slack_client.block_action(
        action_id, value, team_id=TEAM_ID, bot_user=BOT_USER, **options
    )


def slash_command(text: str, **options: Any) -> bytes:
    options.setdefault("user", "URECRUITER1")
    options.setdefault("channel", RECRUITERS_CHANNEL)
    return slack_client.slash_command(text, team_id=TEAM_ID, **options)


def message_event(text: str, **options: Any) -> bytes:
    options.setdefault("user", "URECRUITER1")
    options.setdefault("channel", RECRUITERS_CHANNEL)
    return slack_client.message_event(text, team_id=TEAM_ID, bot_user=BOT_USER, **options)


def view_submission(
    summary: str, private_metadata: str, *, user: str = "URECRUITER1"
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "aremu"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "AAREMU",
        "token": "legacy-verification-token",
        "trigger_id": _next("trigger."),
        "view": {
            "id": _next("V"),
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": "aremu_handback",
            "private_metadata": private_metadata,
            "state": {
                "values": {
                    "aremu_summary": {"summary": {"type": "plain_text_input", "value": summary}}
                }
            },
        },
    }


# -- the Slack Web API at the HTTP boundary -------------------------------------------------


@dataclass
class FakeSlackApi:
    """Answers like the Slack Web API and records every call as {"method", "args"}."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    # An answer per method: a payload, or an exception the call raises (a timeout, say).
    answers: dict[str, dict[str, Any] | Exception] = field(default_factory=dict)
    # Run once, inside the first call of a method, before it is answered: what happens
    # elsewhere while Slack is working on that call.
    meanwhile: dict[str, Callable[[], object]] = field(default_factory=dict)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        method = request.url.rsplit("/", 1)[-1]
        body = request.body or b""
        text = body.decode() if isinstance(body, bytes) else body
        content_type = request.headers.get("Content-Type", "")
        args = json.loads(text) if "json" in content_type else dict(parse_qsl(text))
        with self._lock:
            self.calls.append({"method": method, "args": args})
            ts = f"1795000100.{next(self._ts):06d}"
            meanwhile = self.meanwhile.pop(method, None)
        if meanwhile is not None:
            meanwhile()
        answer = self.answers.get(method, {"ok": True, "ts": ts, "channel": args.get("channel")})
        if isinstance(answer, Exception):
            raise answer
        return 200, {}, json.dumps(answer)

    def install(self, mock: responses.RequestsMock) -> None:
        mock.add_callback(
            responses.POST, re.compile(re.escape(SLACK_API) + r"[\w.]+"), callback=self.answer
        )

    def to(self, method: str) -> list[dict[str, Any]]:
        return [call["args"] for call in self.calls if call["method"] == method]

    def ephemerals(self) -> list[dict[str, Any]]:
        return self.to("chat.postEphemeral")

    def posts(self) -> list[dict[str, Any]]:
        return self.to("chat.postMessage")


# -- fakes of the desk and the journey ------------------------------------------------------

STAGES = (
    "initial_contact",
    "preferences",
    "matching",
    "applied",
    "interviewing",
    "hired",
    "not_hired",
)


def card(
    candidate_id: str = "c0123456789abcdef01234567",
    name: str = "Ada Obi",
    *,
    stage: str = "active",
    journey_stage: str | None = "matching",
) -> CandidateCard:
    return CandidateCard(
        candidate_id=candidate_id,
        display_name=name,
        stage=stage,
        journey_stage=journey_stage,
        preferences_summary="Sales Executive · Lagos · ₦300k+/month",
        last_activity=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        held_by=None,
    )


@dataclass
class FakeDesk:
    """The operator desk's contract in memory; `calls` records what Slack asked of it."""

    cards: dict[str, CandidateCard] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)
    lines: dict[str, list[ConversationLine]] = field(default_factory=dict)
    relay_outcome: RelayOutcome = RelayOutcome.SENT
    nudge_outcome: NudgeOutcome = NudgeOutcome.SENT_TEXT
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    seen_keys: set[str] = field(default_factory=set)
    thread_claims: set[tuple[str, datetime]] = field(default_factory=set)
    posted_threads: dict[tuple[str, datetime], tuple[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, candidate: CandidateCard, lines: list[ConversationLine] | None = None) -> None:
        self.cards[candidate.candidate_id] = candidate
        self.lines[candidate.candidate_id] = lines or []

    def called(self, name: str) -> list[tuple[Any, ...]]:
        return [call for call in self.calls if call[0] == name]

    def take_over(
        self, candidate_id: str, operator_id: str, reason: str, now: datetime
    ) -> TakeoverResult:
        with self._lock:
            self.calls.append(("take_over", candidate_id, operator_id, reason))
            if candidate_id not in self.cards:
                return TakeoverResult(TakeoverOutcome.NOT_AVAILABLE, None)
            hold = self.holds.get(candidate_id)
            if hold is not None:
                mine = hold.operator_id == operator_id
                outcome = TakeoverOutcome.ALREADY_YOURS if mine else TakeoverOutcome.HELD_BY_OTHER
                return TakeoverResult(outcome, hold)
            hold = Hold(candidate_id, operator_id, now, reason, None, None)
            self.holds[candidate_id] = hold
            return TakeoverResult(TakeoverOutcome.TAKEN, hold)

    def claim_thread(self, hold: Hold, now: datetime) -> ThreadClaim:
        with self._lock:
            self.calls.append(("claim_thread", hold.candidate_id))
            claim = (hold.candidate_id, hold.since)
            if claim in self.posted_threads:
                channel, thread_ts = self.posted_threads[claim]
                return ThreadClaim(ThreadClaimOutcome.POSTED, channel, thread_ts)
            if claim in self.thread_claims:
                return ThreadClaim(ThreadClaimOutcome.BUSY)
            self.thread_claims.add(claim)
            return ThreadClaim(ThreadClaimOutcome.CLAIMED)

    def thread_posted(self, hold: Hold, channel: str, thread_ts: str, now: datetime) -> None:
        self.calls.append(("thread_posted", hold.candidate_id, channel, thread_ts))
        self.posted_threads[(hold.candidate_id, hold.since)] = (channel, thread_ts)

    def thread_not_opened(self, hold: Hold, now: datetime) -> bool:
        self.calls.append(("thread_not_opened", hold.candidate_id))
        current = self.holds.get(hold.candidate_id)
        if current is None or current.since != hold.since:
            return False
        del self.holds[hold.candidate_id]
        return True

    def attach_thread(
        self, candidate_id: str, operator_id: str, channel: str, thread_ts: str
    ) -> None:
        self.calls.append(("attach_thread", candidate_id, operator_id, channel, thread_ts))
        hold = self.holds.get(candidate_id)
        if hold is not None and hold.operator_id == operator_id:
            self.holds[candidate_id] = replace(hold, channel=channel, thread_ts=thread_ts)

    def hold_of(self, candidate_id: str) -> Hold | None:
        return self.holds.get(candidate_id)

    def hold_for_thread(self, channel: str, thread_ts: str) -> Hold | None:
        for hold in self.holds.values():
            if (hold.channel, hold.thread_ts) == (channel, thread_ts):
                return hold
        return None

    def relay_reply(
        self, candidate_id: str, operator_id: str, text: str, dedup_key: str, now: datetime
    ) -> RelayOutcome:
        self.calls.append(("relay_reply", candidate_id, operator_id, text, dedup_key))
        return self._send(candidate_id, operator_id, dedup_key, self.relay_outcome)

    def send_follow_up_template(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> RelayOutcome:
        self.calls.append(("send_follow_up_template", candidate_id, operator_id, dedup_key))
        return self._send(candidate_id, operator_id, dedup_key, RelayOutcome.SENT)

    def _send(
        self, candidate_id: str, operator_id: str, dedup_key: str, outcome: RelayOutcome
    ) -> RelayOutcome:
        hold = self.holds.get(candidate_id)
        if hold is None or hold.operator_id != operator_id:
            return RelayOutcome.NOT_HELD
        if not self._first_time(dedup_key):
            return RelayOutcome.DUPLICATE
        return outcome

    def hand_back(
        self, candidate_id: str, operator_id: str, summary: str, now: datetime
    ) -> HandbackOutcome:
        self.calls.append(("hand_back", candidate_id, operator_id, summary))
        hold = self.holds.get(candidate_id)
        if hold is None or hold.operator_id != operator_id:
            return HandbackOutcome.NOT_HELD
        del self.holds[candidate_id]
        return HandbackOutcome.HANDED_BACK

    def nudge(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> NudgeOutcome:
        self.calls.append(("nudge", candidate_id, operator_id, dedup_key))
        if candidate_id not in self.cards:
            return NudgeOutcome.NOT_AVAILABLE
        if not self._first_time(dedup_key):
            return NudgeOutcome.DUPLICATE
        return self.nudge_outcome

    def dismiss(
        self, candidate_id: str, operator_id: str, dedup_key: str, now: datetime
    ) -> DismissOutcome:
        self.calls.append(("dismiss", candidate_id, operator_id, dedup_key))
        if candidate_id not in self.cards:
            return DismissOutcome.NOT_AVAILABLE
        if not self._first_time(dedup_key):
            return DismissOutcome.DUPLICATE
        return DismissOutcome.DISMISSED

    def _first_time(self, dedup_key: str) -> bool:
        """The desk's claim: True once per key."""
        with self._lock:
            if dedup_key in self.seen_keys:
                return False
            self.seen_keys.add(dedup_key)
            return True

    def recent_conversation(self, candidate_id: str, limit: int = 10) -> list[ConversationLine]:
        return self.lines.get(candidate_id, [])[-limit:]

    def card(self, candidate_id: str) -> CandidateCard | None:
        found = self.cards.get(candidate_id)
        if found is None:
            return None
        hold = self.holds.get(candidate_id)
        return replace(found, held_by=hold.operator_id if hold else None)

    def find(self, query: str) -> list[CandidateCard]:
        self.calls.append(("find", query))
        wanted = query.casefold()
        return [
            self.card(found.candidate_id) or found
            for found in self.cards.values()
            if wanted in found.display_name.casefold()
        ]


@dataclass
class FakeJourney:
    stages: tuple[str, ...] = STAGES
    current: dict[str, str] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    moves: list[tuple[str, str, str]] = field(default_factory=list)

    def set_stage(self, candidate_id: str, stage: str, trigger: str, now: datetime) -> StageOutcome:
        if stage not in self.stages:
            return StageOutcome.UNKNOWN_STAGE
        if candidate_id not in self.known:
            return StageOutcome.NOT_AVAILABLE
        if self.current.get(candidate_id) == stage:
            return StageOutcome.UNCHANGED
        self.current[candidate_id] = stage
        self.moves.append((candidate_id, stage, trigger))
        return StageOutcome.MOVED

    def stage_of(self, candidate_id: str) -> str | None:
        return self.current.get(candidate_id)

    def funnel(self) -> dict[str, int]:
        counts = dict.fromkeys(self.stages, 0)
        for stage in self.current.values():
            counts[stage] += 1
        return counts


@dataclass
class FakeLambdaClient:
    """Records bolt's asynchronous self-invocations for lazy listeners."""

    invocations: list[dict[str, Any]] = field(default_factory=list)

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.invocations.append(kwargs)
        return {"StatusCode": 202}
