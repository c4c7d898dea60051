"""Per-container dependencies: built on first use, reused across invocations, replaceable in tests.

Nothing here runs at import time, so importing a handler never reads the environment or
opens a client; `reset()` drops everything (tests and the local stack use it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from pynamodb.connection import Connection

from aremu import clock
from aremu.config import get_settings
from aremu.credentials import ChannelSecrets, get_channel_secrets
from aremu.storage.candidates import CandidateStore
from aremu.storage.inbound import InboundStore
from aremu.storage.messages import MessageStore
from aremu.storage.models import bind_models

if TYPE_CHECKING:
    # The webhook API path never sends, so its cold start does not pay for these imports.
    from aremu.channels.eventbridge import EventBusPublisher
    from aremu.channels.whatsapp.sender import GraphApiSender
    from aremu.domain.extraction import PreferenceExtractor
    from aremu.jobs.enhance import JobEnhancer
    from aremu.jobs.search_plan import SearchSettings
    from aremu.services.conversation_turn import InboundTurn
    from aremu.storage.jobs import JobStore


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


class IdempotentTurn:
    """A conversation turn that runs once per WhatsApp message id, across stream retries."""

    def __init__(self, run: Callable[[InboundTurn], dict[str, Any]], config: Any) -> None:
        self._run = run
        self._config = config

    def register_lambda_context(self, context: Any) -> None:
        # Lets an in-progress record expire with the invocation that wrote it.
        self._config.register_lambda_context(context)

    def __call__(self, message: InboundTurn) -> dict[str, Any]:
        return self._run(message)


@cache
def conversation_turn() -> IdempotentTurn:
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    from aremu.services.conversation_turn import ConversationTurn

    settings = get_settings()
    turn = ConversationTurn(
        candidate_store(), message_store(), whatsapp_sender(), preference_extractor()
    )

    config = IdempotencyConfig(
        event_key_jmespath="message_id",
        expires_after_seconds=settings.idempotency_ttl_seconds,
    )

    @idempotent_function(
        data_keyword_argument="message",
        config=config,
        persistence_store=DynamoDBPersistenceLayer(
            table_name=settings.idempotency_table_name, boto3_client=idempotency_client()
        ),
    )
    def run(message: InboundTurn) -> dict[str, Any]:
        result = turn.handle(message, clock.now())
        return {
            "intent": result.intent,
            "stage": result.stage,
            "reply_message_id": result.reply_message_id,
        }

    def run_once(message: InboundTurn) -> dict[str, Any]:
        outcome: dict[str, Any] = run(message=message)
        return outcome

    return IdempotentTurn(run_once, config)


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
        job_store,
        job_enhancer,
        preference_extractor,
        conversation_turn,
    ):
        factory.cache_clear()
