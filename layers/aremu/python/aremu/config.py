"""Typed settings, parsed once per container from the environment.

On AWS the CDK sets these variables; locally `aremu local` sets them. Secrets are not
settings: see `aremu.credentials`. Each field `name` reads `AREMU_<NAME>`.

Plain pydantic rather than pydantic-settings: importing pydantic-settings costs about
150 ms of cold start on the webhook path (measured by bench/cold_import.py), for a
feature (reading prefixed variables) that takes a dozen lines here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

ENV_PREFIX = "AREMU_"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    table_name: str = "aremu"
    idempotency_table_name: str = "aremu-idempotency"
    event_bus_name: str = "aremu"
    region: str = "eu-west-1"
    # Set only locally (moto server); on AWS the SDK finds its own endpoints.
    aws_endpoint_url: str | None = None

    graph_api_base_url: str = "https://graph.facebook.com"
    graph_api_version: str = "v25.0"
    graph_timeout_seconds: float = 10.0
    graph_max_attempts: int = 4
    graph_backoff_base_seconds: float = 0.5

    # Name of the Secrets Manager secret holding the channel secrets as JSON. Empty means
    # "read them from the environment", which is how the local stack runs.
    secrets_name: str = ""
    secrets_max_age_seconds: int = 300

    # Jobs in: what each scheduled search asks python-jobspy for, and how jobs are enhanced.
    search_sites: str = "indeed,linkedin"
    search_country: str = "nigeria"
    search_hours_old: int = 72
    search_results_wanted: int = 30
    search_max_per_run: int = 12
    enhancer_model: str = "gpt-4o-mini"
    enhancer_max_concurrency: int = 16
    enhancer_budget_usd_per_run: float = 2.0

    # Matching and delivery.
    match_threshold: float = 39.0
    recent_jobs_days: int = 7  # jobs ingested this many days back feed "jobs" and backfill
    alerts_daily_cap: int = 10
    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "07:00"
    candidate_timezone: str = "Africa/Lagos"
    sends_per_second: float = 80.0  # WhatsApp's default throughput per business number
    queue_url_outbox: str = ""
    delivery_retention_days: int = 90
    reengagement_template_name: str = "aremu_jobs_waiting"
    reengagement_min_waiting: int = 3
    reengagement_period_days: int = 7
    reengagement_budget_usd_per_run: float = 5.0
    # Estimated price per message category in USD (Meta's table changes; keep it here).
    price_service_message_usd: float = 0.0
    price_marketing_template_usd: float = 0.0516
    price_utility_template_usd: float = 0.0067

    # Window timers: where one-time schedules go and what they start.
    schedule_group_name: str = "aremu"
    scheduler_role_arn: str = ""
    window_timer_state_machine_arn: str = ""
    scheduler_dead_letter_arn: str = ""  # where undeliverable one-time schedules go

    # Recruiters in Slack: who may act, where alerts go, which templates reach a closed window.
    slack_api_base_url: str = "https://slack.com/api/"
    slack_team_id: str = ""
    slack_bot_user_id: str = ""
    slack_recruiters_channel: str = ""  # channel id where at-risk alerts and threads go
    slack_recruiters_user_group: str = ""  # user group id whose members may act anywhere
    operator_template_name: str = "aremu_recruiter_follow_up"
    nudge_template_name: str = "aremu_check_in"
    nudge_text: str = (
        "Hi! Just checking in from Aremu. Are you still looking for work? "
        "Reply and we'll keep the best new jobs coming."
    )

    # Risk scoring: raise an alert above the first threshold, consider the episode over
    # only below the second (hysteresis), and never re-alert within the cool-down.
    risk_alert_threshold: float = 0.6
    risk_clear_threshold: float = 0.35
    risk_cooldown_hours: int = 24
    risk_assessment_retention_days: int = 30

    # The recruitment journey, in order; the last stages are outcomes (no stage after them).
    journey_stages: str = (
        "initial_contact,preferences,matching,applied,interviewing,hired,not_hired"
    )
    journey_final_stages: str = "hired,not_hired"

    max_webhook_body_bytes: int = 3 * 1024 * 1024
    message_retention_days: int = 365
    idempotency_ttl_seconds: int = 3 * 24 * 3600

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, str] = {
            name: env[ENV_PREFIX + name.upper()]
            for name in cls.model_fields
            if ENV_PREFIX + name.upper() in env
        }
        # The Lambda runtime and the AWS SDKs name these two without our prefix.
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
        if region:
            values["region"] = region
        if env.get("AWS_ENDPOINT_URL"):
            values["aws_endpoint_url"] = env["AWS_ENDPOINT_URL"]
        return cls.model_validate(values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environment()
