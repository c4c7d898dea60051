"""Typed settings, parsed once per container from the environment.

On AWS the CDK sets these variables; locally `aremu local` sets them. Secrets are not
settings: see `aremu.secrets`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AREMU_", extra="ignore", frozen=True)

    table_name: str = "aremu"
    idempotency_table_name: str = "aremu-idempotency"
    region: str = Field(default="eu-west-1", validation_alias="AWS_REGION")
    # Set only locally (moto server); on AWS the SDK finds its own endpoints.
    aws_endpoint_url: str | None = Field(default=None, validation_alias="AWS_ENDPOINT_URL")

    graph_api_base_url: str = "https://graph.facebook.com"
    graph_api_version: str = "v25.0"
    graph_timeout_seconds: float = 10.0
    graph_max_attempts: int = 4
    graph_backoff_base_seconds: float = 0.5

    # Name of the Secrets Manager secret holding the channel secrets as JSON. Empty means
    # "read them from the environment", which is how the local stack runs.
    secrets_name: str = ""
    secrets_max_age_seconds: int = 300

    max_webhook_body_bytes: int = 3 * 1024 * 1024
    message_retention_days: int = 365
    idempotency_ttl_seconds: int = 3 * 24 * 3600


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
