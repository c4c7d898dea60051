"""Matching and delivery end to end in moto: enhanced jobs in, paced alerts out, never twice."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import time_machine
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from aremu import runtime
from aremu.channels.outbox import SendRequest
from aremu.channels.whatsapp.signature import sign
from aremu.config import get_settings
from aremu.domain.preferences import Preferences
from aremu.domain.vocabulary.places import resolve_place
from aremu.domain.vocabulary.roles import find_roles
from aremu.jobs.csv_source import sample_jobs_csv
from aremu.local.handlers import load_handler
from aremu.services.job_pipeline import enhance_new_jobs, load_csv
from aremu.storage.deliveries import DeliveryStatus
from aremu.storage.jobs import job_from_stream_image
from aremu.storage.models import CandidateItem
from aremu.wiring import (
    ALERT_SENDER,
    CONVERSATION,
    JOB_ENHANCE,
    MATCHER,
    NEW_INBOUND_MESSAGES,
    NEWLY_ENHANCED_JOBS,
    REENGAGEMENT,
    WEBHOOK_API,
)
from tests.integration.conftest import FakeGraphApi
from tests.support import whatsapp as wa
from tests.support.lambda_events import FakeLambdaContext, http_api_event
from tests.support.streams import TableStreamReader

matcher = load_handler(MATCHER)
send = load_handler(ALERT_SENDER)
webhook = load_handler(WEBHOOK_API)
consumer = load_handler(CONVERSATION)
reengage = load_handler(REENGAGEMENT)
# 10:00 in Lagos: outside quiet hours.
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)


@pytest.fixture
def world(graph: FakeGraphApi, monkeypatch: pytest.MonkeyPatch) -> TableStreamReader:
    monkeypatch.setenv("AREMU_GRAPH_BACKOFF_BASE_SECONDS", "0")
    runtime.reset()
    return TableStreamReader()


def candidate(
    candidate_id: str,
    wants: str,
    place: str,
    *,
    stage: str = "active",
    last_inbound: datetime | None = None,
    phone: str = "2348055555555",
) -> None:
    preferences = Preferences(
        roles=find_roles(wants), locations=[resolve_place(place)], years_experience=3
    )
    last = last_inbound or MORNING - timedelta(hours=1)
    CandidateItem(
        f"CAND#{candidate_id}",
        "PROFILE",
        candidate_id=candidate_id,
        wa_id=phone,
        state=stage,
        created_at=last,
        last_inbound_at=last,
        preferences=preferences.model_dump(mode="json"),
        gsi1pk=f"STAGE#{stage}",
        gsi1sk=f"{last.isoformat()}#{candidate_id}",
    ).save()


def jobs_enhanced(stream: TableStreamReader) -> dict[str, Any]:
    """Load the demo sample, enhance it offline, and return the matcher's stream event."""
    return enhanced_at(stream, MORNING)


def enhanced_at(stream: TableStreamReader, now: datetime) -> dict[str, Any]:
    load_csv(sample_jobs_csv(), runtime.job_store(), now)
    records = stream.event(*JOB_ENHANCE.streams()[0].filter_patterns)["Records"]
    jobs = [job_from_stream_image(r["dynamodb"]["NewImage"]) for r in records]
    enhance_new_jobs(jobs, runtime.job_enhancer(), runtime.job_store(), now)
    return stream.event(NEWLY_ENHANCED_JOBS)


def outbox_event() -> dict[str, Any]:
    """Drain the outbox queue into one SQS event, as Lambda would deliver it."""
    sqs = boto3.client("sqs")
    url = get_settings().queue_url_outbox
    records = []
    while True:
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        messages = received.get("Messages", [])
        if not messages:
            break
        for message in messages:
            records.append(
                {
                    "messageId": message["MessageId"],
                    "receiptHandle": message["ReceiptHandle"],
                    "body": message["Body"],
                    "attributes": {"ApproximateReceiveCount": "1"},
                    "messageAttributes": {},
                    "md5OfBody": message["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:aremu-outbox",
                    "awsRegion": "eu-west-1",
                }
            )
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return {"Records": records}


def send_outbox() -> None:
    """Run the sender on what the outbox holds; Lambda never invokes it with nothing."""
    event = outbox_event()
    if event["Records"]:
        assert send(event, FakeLambdaContext()) == {"batchItemFailures": []}


def alerts(graph: FakeGraphApi) -> list[dict[str, Any]]:
    return [b for b in graph.replies() if b.get("type") == "interactive"]


def deliveries(candidate_id: str) -> list[Any]:
    return runtime.delivery_store().for_candidate(candidate_id)


@time_machine.travel(MORNING, tick=False)
def test_matching_job_reaches_the_candidate_once_with_its_reason(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    candidate("c1", "sales rep", "Lagos")
    event = jobs_enhanced(world)

    matcher(event, FakeLambdaContext())
    send_outbox()
    matcher(event, FakeLambdaContext())  # a stream retry of the same batch
    send_outbox()

    sent = alerts(graph)
    assert sent
    assert len({b["interactive"]["action"]["buttons"][0]["reply"]["id"] for b in sent}) == len(sent)
    body = sent[0]["interactive"]["body"]["text"]
    assert "Match:" in body
    assert "Apply:" in body
    assert [b["reply"]["title"] for b in sent[0]["interactive"]["action"]["buttons"]] == [
        "Not interested",
        "More like this",
        "I applied",
    ]
    statuses = {d.status for d in deliveries("c1")}
    assert statuses <= {"sent", "waiting"}


@time_machine.travel(MORNING, tick=False)
def test_daily_cap_holds_the_rest_back(
    graph: FakeGraphApi, world: TableStreamReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cap of zero: every match is past today's cap, so none may go out.
    monkeypatch.setenv("AREMU_ALERTS_DAILY_CAP", "0")
    runtime.reset()
    candidate("c1", "sales rep", "Lagos")
    event = jobs_enhanced(world)

    matcher(event, FakeLambdaContext())
    send_outbox()

    assert graph.delivered == []
    assert deliveries("c1")
    assert {(d.status, d.waiting_for) for d in deliveries("c1")} == {("waiting", "daily_cap")}


@time_machine.travel(MORNING, tick=False)
def test_closed_window_makes_matches_wait_and_the_return_brings_a_digest(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    candidate("c1", "sales rep", "Lagos", last_inbound=MORNING - timedelta(days=2))
    matcher(jobs_enhanced(world), FakeLambdaContext())
    send_outbox()
    assert alerts(graph) == []
    assert {d.waiting_for for d in deliveries("c1")} == {"window_closed"}

    item = CandidateItem.get("CAND#c1", "PROFILE")
    item.update(
        actions=[
            CandidateItem.previous_inbound_at.set(MORNING - timedelta(days=2)),
            CandidateItem.last_inbound_at.set(MORNING),
        ]
    )
    runtime.outbox().enqueue([SendRequest(kind="digest", candidate_id="c1")])
    send_outbox()

    (digest,) = graph.replies()
    assert digest["type"] == "text"
    assert "While you were away" in digest["text"]["body"]
    assert all(d.status == DeliveryStatus.SENT for d in deliveries("c1"))


@time_machine.travel(NIGHT, tick=False)
def test_quiet_hours_hold_alerts(graph: FakeGraphApi, world: TableStreamReader) -> None:
    candidate("c1", "sales rep", "Lagos", last_inbound=NIGHT - timedelta(hours=1))

    matcher(enhanced_at(world, NIGHT), FakeLambdaContext())
    send_outbox()

    assert alerts(graph) == []
    assert {d.waiting_for for d in deliveries("c1")} == {"quiet_hours"}


@time_machine.travel(MORNING, tick=False)
def test_opt_out_between_match_and_send_sends_nothing(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    candidate("c1", "sales rep", "Lagos")
    matcher(jobs_enhanced(world), FakeLambdaContext())
    CandidateItem.get("CAND#c1", "PROFILE").update(actions=[CandidateItem.state.set("opted_out")])

    send_outbox()

    assert graph.bodies == []
    assert {d.status for d in deliveries("c1")} <= {"skipped", "waiting"}


@time_machine.travel(MORNING, tick=False)
def test_window_closed_at_send_time_turns_the_alert_into_a_waiting_match(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    candidate("c1", "sales rep", "Lagos")
    matcher(jobs_enhanced(world), FakeLambdaContext())
    graph.fail_with = [(400, {"error": {"message": "Re-engagement", "code": 131047}})] * 50

    send_outbox()

    assert {d.waiting_for for d in deliveries("c1")} >= {"window_closed"}
    assert not any(d.status == "sent" for d in deliveries("c1"))


@time_machine.travel(MORNING, tick=False)
def test_throughput_errors_return_the_request_to_the_queue_and_never_double_send(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    candidate("c1", "sales rep", "Lagos")
    matcher(jobs_enhanced(world), FakeLambdaContext())
    event = outbox_event()
    first_id = json.loads(event["Records"][0]["body"])["job_id"]
    storm = (400, {"error": {"message": "throughput", "code": 130429}})
    graph.fail_with = [storm] * get_settings().graph_max_attempts
    single = {"Records": event["Records"][:1]}

    with pytest.raises(BatchProcessingError):
        send(single, FakeLambdaContext())
    send(single, FakeLambdaContext())
    send(single, FakeLambdaContext())

    assert runtime.delivery_store().get("c1", first_id).status == "sent"
    assert len(graph.delivered) == 1


@time_machine.travel(MORNING, tick=False)
def test_paused_and_unmatched_candidates_get_nothing(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    candidate("c1", "sales rep", "Lagos", stage="paused")
    candidate("c2", "pharmacist", "Kano", phone="2348066666666")

    matcher(jobs_enhanced(world), FakeLambdaContext())
    send_outbox()

    assert graph.bodies == []
    assert deliveries("c1") == []


class Chat:
    """A candidate writing through the real webhook; the consumer runs on what is stored."""

    def __init__(self, stream: TableStreamReader, phone: str = "2348077777777") -> None:
        self.stream = stream
        self.phone = phone
        self.count = 0

    def say(self, text: str) -> None:
        self._send(wa.text_message(self.phone, self._next(), text))

    def tap(self, button_id: str) -> None:
        self._send(wa.button_reply(self.phone, self._next(), button_id, "x"))

    def _next(self) -> str:
        self.count += 1
        return f"wamid.{self.phone}.{self.count}"

    def _send(self, message: dict[str, Any]) -> None:
        body = wa.dumps(wa.envelope([message], [wa.contact(self.phone)]))
        headers = {"X-Hub-Signature-256": sign("local-app-secret", body)}
        webhook(
            http_api_event("POST", "/whatsapp/webhook", body, headers=headers), FakeLambdaContext()
        )
        event = self.stream.event(NEW_INBOUND_MESSAGES)
        if event["Records"]:
            consumer(event, FakeLambdaContext())


def onboard(chat: Chat) -> None:
    chat.say("hi")
    chat.tap("consent_yes")
    chat.say("I'm a sales rep in Lagos, 3 years, want 200k a month, hybrid is fine")
    chat.tap("prefs_confirm")


@time_machine.travel(MORNING, tick=False)
def test_confirming_preferences_backfills_recent_jobs(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    enhanced_at(world, MORNING)
    chat = Chat(world)

    onboard(chat)
    send_outbox()

    assert len(alerts(graph)) >= 2  # the summary card, then backfilled alerts
    assert any("Match:" in b["interactive"]["body"]["text"] for b in alerts(graph))


@time_machine.travel(MORNING, tick=False)
def test_jobs_command_lists_the_best_recent_matches(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    enhanced_at(world, MORNING)
    chat = Chat(world)
    onboard(chat)

    chat.say("jobs")

    reply = graph.delivered[-1]
    assert reply["type"] == "text"
    assert reply["text"]["body"].startswith("Your best matches right now:")
    assert "Apply:" in reply["text"]["body"]


@time_machine.travel(MORNING, tick=False)
def test_not_interested_mutes_that_title(graph: FakeGraphApi, world: TableStreamReader) -> None:
    enhanced_at(world, MORNING)
    chat = Chat(world)
    onboard(chat)
    send_outbox()
    alert = next(b for b in alerts(graph) if "Match:" in b["interactive"]["body"]["text"])
    no_button = alert["interactive"]["action"]["buttons"][0]["reply"]["id"]

    chat.tap(no_button)

    assert "no more" in graph.delivered[-1]["text"]["body"]
    (profile,) = [c for c in CandidateItem.scan() if c.kind == "candidate"]
    assert profile.muted_titles


@time_machine.travel(MORNING, tick=False)
def test_lapsed_candidate_with_waiting_matches_gets_one_template_a_week(
    graph: FakeGraphApi, world: TableStreamReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AREMU_REENGAGEMENT_MIN_WAITING", "1")
    runtime.reset()
    candidate("c1", "sales rep", "Lagos", last_inbound=MORNING - timedelta(days=3))
    candidate("c2", "sales rep", "Lagos", last_inbound=MORNING - timedelta(hours=2), phone="234806")
    matcher(jobs_enhanced(world), FakeLambdaContext())
    send_outbox()
    sent_before = len(graph.delivered)

    first = reengage({}, FakeLambdaContext())
    second = reengage({}, FakeLambdaContext())

    templates = [b for b in graph.delivered[sent_before:] if b["type"] == "template"]
    assert [t["to"] for t in templates] == ["2348055555555"]
    assert templates[0]["template"]["name"] == get_settings().reengagement_template_name
    assert (first["sent"], second["sent"]) == (1, 0)
    assert first["estimated_cost_usd"] == pytest.approx(get_settings().price_marketing_template_usd)


@time_machine.travel(MORNING, tick=False)
def test_two_concurrent_batches_for_the_same_jobs_send_each_alert_once(
    graph: FakeGraphApi, world: TableStreamReader
) -> None:
    candidate("c1", "sales rep", "Lagos")
    event = jobs_enhanced(world)
    runtime.profile_cache().refresh(MORNING)  # warm, so both threads share one container

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda _: matcher(event, FakeLambdaContext()), range(2)))
    outbox = outbox_event()  # both batches' requests, duplicates included
    send(outbox, FakeLambdaContext())

    sent_jobs = [b["interactive"]["action"]["buttons"][0]["reply"]["id"] for b in graph.delivered]
    assert sent_jobs
    assert len(sent_jobs) == len(set(sent_jobs))
