"""Per-container dependencies: built on first use, reused across invocations, replaceable in tests.

Nothing here runs at import time, so importing a handler never reads the environment or
opens a client; `reset()` drops everything (tests and the local stack use it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pynamodb.connection import Connection

from aremu import clock
from aremu.config import get_settings
from aremu.credentials import ChannelSecrets, get_channel_secrets
from aremu.storage.candidates import CandidateStore
from aremu.storage.inbound import InboundStore
from aremu.storage.messages import MessageStore
from aremu.storage.models import bind_models

Request = TypeVar("Request")

if TYPE_CHECKING:
    # The webhook API path never sends, so its cold start does not pay for these imports.
    from aremu.channels.eventbridge import EventBusPublisher
    from aremu.channels.outbox import Outbox, SendRequest
    from aremu.channels.scheduler import WindowScheduler
    from aremu.channels.slack.web_api import SlackWebApi
    from aremu.channels.whatsapp.sender import GraphApiSender
    from aremu.domain.delivery.routing import DeliveryPolicy
    from aremu.domain.extraction import PreferenceExtractor
    from aremu.jobs.enhance import JobEnhancer
    from aremu.jobs.search_plan import SearchSettings
    from aremu.services.conversation_turn import InboundTurn
    from aremu.services.job_matches import JobMatches
    from aremu.services.journey import Journey
    from aremu.services.operator_desk import OperatorDesk
    from aremu.services.profile_cache import ProfileCache
    from aremu.services.risk_run import RiskRun
    from aremu.services.slack_app import SlackEvents
    from aremu.services.slack_notifier import BusEvent
    from aremu.services.window_timer import WindowTimerArming, WindowTimerSteps
    from aremu.storage.deliveries import DeliveryStore
    from aremu.storage.interventions import InterventionStore
    from aremu.storage.jobs import JobStore
    from aremu.storage.windows import DynamoWindowStore


def channel_secrets() -> ChannelSecrets:
    # Not cached here: Powertools caches the secret for `secrets_max_age_seconds`, so a
    # rotated secret is picked up without a cold start.
    return get_channel_secrets(get_settings())


@cache
def dynamodb_connection() -> Connection:
    settings = get_settings()
    bind_models(settings)
    return Connection(region=settings.region, host=settings.aws_endpoint_url)


def _retention() -> timedelta:
    return timedelta(days=get_settings().message_retention_days)


@cache
def inbound_store() -> InboundStore:
    return InboundStore(dynamodb_connection(), retention=_retention())


@cache
def message_store() -> MessageStore:
    dynamodb_connection()
    return MessageStore(retention=_retention())


@cache
def candidate_store() -> CandidateStore:
    return CandidateStore(dynamodb_connection())


@cache
def job_store() -> JobStore:
    from aremu.storage.jobs import JobStore

    return JobStore(dynamodb_connection())


@cache
def job_enhancer() -> JobEnhancer:
    from aremu.jobs.enhance import build_enhancer
    from aremu.jobs.openai_enhancer import OpenAIEnhancerConfig

    settings = get_settings()
    key = channel_secrets().openai_api_key
    config = OpenAIEnhancerConfig(
        model=settings.enhancer_model,
        max_concurrency=settings.enhancer_max_concurrency,
        budget_usd=settings.enhancer_budget_usd_per_run,
    )
    return build_enhancer(key.get_secret_value() if key else None, config)


def search_settings() -> SearchSettings:
    from aremu.jobs.search_plan import SearchSettings

    settings = get_settings()
    return SearchSettings.model_validate(
        {
            "sites": tuple(site.strip() for site in settings.search_sites.split(",") if site),
            "country": settings.search_country,
            "hours_old": settings.search_hours_old,
            "results_wanted": settings.search_results_wanted,
            "max_searches": settings.search_max_per_run,
        }
    )


@cache
def idempotency_client() -> Any:
    """The boto3 DynamoDB client behind Powertools idempotency (pynamodb has its own)."""
    import boto3

    return boto3.client("dynamodb", region_name=get_settings().region)


@cache
def preference_extractor() -> PreferenceExtractor:
    from aremu.domain.extraction.offline import OfflinePreferenceExtractor

    key = channel_secrets().openai_api_key
    if key is None or not key.get_secret_value():
        return OfflinePreferenceExtractor()
    # Only a configured key brings the openai package onto the path.
    from aremu.channels.openai_extractor import preference_extractor as build

    extractor: PreferenceExtractor = build(key.get_secret_value())
    return extractor


@cache
def event_bus() -> EventBusPublisher:
    import boto3

    from aremu.channels.eventbridge import EventBusPublisher

    settings = get_settings()
    client = boto3.client("events", region_name=settings.region)
    return EventBusPublisher(client, settings.event_bus_name)


@cache
def whatsapp_sender() -> GraphApiSender:
    from aremu.channels.whatsapp.sender import GraphApiSender

    return GraphApiSender.from_settings(get_settings(), channel_secrets())


class Idempotent(Generic[Request]):
    """Runs a use case once per request key (Powertools idempotency), across retries."""

    def __init__(self, name: str, key_path: str, run: Callable[[Request], dict[str, Any]]) -> None:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        settings = get_settings()
        self._config = IdempotencyConfig(
            event_key_jmespath=key_path, expires_after_seconds=settings.idempotency_ttl_seconds
        )
        persistence = DynamoDBPersistenceLayer(
            table_name=settings.idempotency_table_name, boto3_client=idempotency_client()
        )
        # The function's name is part of the key, so two use cases never share a record.
        run.__qualname__ = name
        self._run = idempotent_function(
            data_keyword_argument="request", config=self._config, persistence_store=persistence
        )(run)

    def register_lambda_context(self, context: Any) -> None:
        # Lets an in-progress record expire with the invocation that wrote it.
        self._config.register_lambda_context(context)

    def __call__(self, request: Request) -> dict[str, Any]:
        outcome: dict[str, Any] = self._run(request=request)
        return outcome


@cache
def job_matches() -> JobMatches:
    from aremu.services.job_matches import JobMatches
    from aremu.services.recent_matches import RecentMatches

    settings = get_settings()
    recent = RecentMatches(job_store(), settings.match_threshold, settings.recent_jobs_days)
    return JobMatches(job_store(), recent, delivery_store(), outbox())


@cache
def conversation_turn() -> Idempotent[InboundTurn]:
    from aremu.services.conversation_turn import ConversationTurn

    turn = ConversationTurn(
        candidate_store(),
        message_store(),
        whatsapp_sender(),
        preference_extractor(),
        job_matches(),
        get_settings().price_service_message_usd,
        holds=intervention_store(),
        journey=journey(),
    )

    def run(request: InboundTurn) -> dict[str, Any]:
        result = turn.handle(request, clock.now())
        return {
            "intent": result.intent,
            "stage": result.stage,
            "reply_message_id": result.reply_message_id,
        }

    return Idempotent("conversation_turn", "message_id", run)


def delivery_policy() -> DeliveryPolicy:
    from aremu.domain.delivery.routing import DeliveryPolicy

    settings = get_settings()
    return DeliveryPolicy(
        daily_cap=settings.alerts_daily_cap,
        quiet_start=time.fromisoformat(settings.quiet_hours_start),
        quiet_end=time.fromisoformat(settings.quiet_hours_end),
        timezone=settings.candidate_timezone,
    )


@cache
def delivery_store() -> DeliveryStore:
    from aremu.storage.deliveries import DeliveryStore

    return DeliveryStore(
        dynamodb_connection(), timedelta(days=get_settings().delivery_retention_days)
    )


@cache
def profile_cache() -> ProfileCache:
    from aremu.services.profile_cache import ProfileCache

    return ProfileCache(candidate_store())


@cache
def outbox() -> Outbox:
    import boto3

    from aremu.channels.outbox import Outbox

    settings = get_settings()
    return Outbox(boto3.client("sqs", region_name=settings.region), settings.queue_url_outbox)


@cache
def alert_sender() -> Idempotent[SendRequest]:
    import time as wall_clock

    from aremu.domain.delivery.pacing import TokenBucket
    from aremu.services.alert_sender import AlertSender
    from aremu.storage.deliveries import AlertAllowance
    from aremu.wiring import ALERT_SENDER

    settings = get_settings()
    # Each container paces itself at its share of the number's throughput.
    concurrency = ALERT_SENDER.queues()[0].max_concurrency
    pacer = TokenBucket(
        settings.sends_per_second / concurrency,
        clock=wall_clock.monotonic,
        sleep=wall_clock.sleep,
    )
    sender = AlertSender(
        candidate_store(),
        job_store(),
        delivery_store(),
        AlertAllowance(),
        message_store(),
        whatsapp_sender(),
        pacer,
        delivery_policy(),
        settings.price_service_message_usd,
    )

    def run(request: SendRequest) -> dict[str, Any]:
        return {"outcome": sender.handle(request, clock.now())}

    return Idempotent("alert_sender", "[kind, candidate_id, job_id]", run)


@cache
def window_scheduler() -> WindowScheduler:
    import boto3

    from aremu.channels.scheduler import WindowScheduler

    settings = get_settings()
    return WindowScheduler(
        boto3.client("scheduler", region_name=settings.region),
        group_name=settings.schedule_group_name,
        target_arn=settings.window_timer_state_machine_arn,
        role_arn=settings.scheduler_role_arn,
        dead_letter_arn=settings.scheduler_dead_letter_arn,
    )


@cache
def window_store() -> DynamoWindowStore:
    from aremu.storage.windows import DynamoWindowStore

    dynamodb_connection()
    return DynamoWindowStore()


@cache
def window_timer_arming() -> WindowTimerArming:
    from aremu.services.window_timer import WindowTimerArming

    return WindowTimerArming(window_store(), window_scheduler())


@cache
def window_timer_steps() -> WindowTimerSteps:
    from aremu.services.window_timer import WindowTimerSteps
    from aremu.storage.interventions import is_held
    from aremu.storage.outbox_events import OutboxEventLog

    return WindowTimerSteps(
        window_store(),
        candidate_store(),
        window_scheduler(),
        whatsapp_sender(),
        message_store(),
        service_message_price_usd=get_settings().price_service_message_usd,
        events=OutboxEventLog(),
        is_taken_over=is_held,
    )


@cache
def intervention_store() -> InterventionStore:
    from aremu.storage.interventions import InterventionStore

    return InterventionStore(dynamodb_connection())


@cache
def journey() -> Journey:
    from aremu.services.journey import build_journey

    return build_journey(get_settings(), dynamodb_connection())


@cache
def risk_run() -> RiskRun:
    from aremu.services.risk_run import build_risk_run

    return build_risk_run(get_settings(), dynamodb_connection(), journey())


@cache
def operator_desk() -> OperatorDesk:
    from aremu.services.operator_desk import build_operator_desk

    return build_operator_desk(
        get_settings(),
        candidate_store(),
        message_store(),
        whatsapp_sender(),
        intervention_store(),
        journey=journey(),
    )


@cache
def slack_web_api() -> SlackWebApi:
    from aremu.channels.slack.web_api import SlackWebApi

    return SlackWebApi.from_settings(get_settings(), channel_secrets())


@cache
def slack_events() -> SlackEvents:
    from aremu.services.slack_app import build_slack_events

    return build_slack_events(
        get_settings(), channel_secrets(), operator_desk(), journey(), web_api=slack_web_api()
    )


@cache
def slack_notify() -> Idempotent[BusEvent]:
    from aremu.services.slack_notifier import build_slack_notifier

    notifier = build_slack_notifier(get_settings(), slack_web_api(), operator_desk())

    def run(request: BusEvent) -> dict[str, Any]:
        return {"outcome": notifier.handle(request, clock.now())}

    return Idempotent("slack_notify", "id", run)


def reset() -> None:
    get_settings.cache_clear()
    for factory in (
        dynamodb_connection,
        inbound_store,
        message_store,
        candidate_store,
        whatsapp_sender,
        event_bus,
        idempotency_client,
        delivery_store,
        profile_cache,
        outbox,
        alert_sender,
        job_matches,
        window_scheduler,
        window_store,
        window_timer_arming,
        window_timer_steps,
        job_store,
        job_enhancer,
        preference_extractor,
        conversation_turn,
        intervention_store,
        journey,
        risk_run,
        operator_desk,
        slack_web_api,
        slack_events,
        slack_notify,
    ):
        # A test may have stood its own factory in for one of these: leave that one be.
        clear = getattr(factory, "cache_clear", None)
        if clear is not None:
            clear()
