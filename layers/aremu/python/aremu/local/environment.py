"""The process environment of the local stack: moto for AWS, the sandbox for Meta and Slack.

It must be in place before any adapter builds a client or settings are first parsed,
since both read the environment once per container.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from aremu.credentials import LOCAL_DEFAULTS
from aremu.names import METRICS_NAMESPACE, SERVICE_NAME

LOCAL_AWS_KEY = "testing"

# Variables that would make boto3 look for a real account or another endpoint.
_REAL_AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


@dataclass(frozen=True)
class SecretSource:
    name: str
    from_user: bool
    default: str


def local_environment(*, aws_endpoint_url: str, base_url: str, region: str) -> dict[str, str]:
    """Variables the stack sets, overriding whatever the shell had."""
    return {
        "AWS_ENDPOINT_URL": aws_endpoint_url,
        "AWS_ACCESS_KEY_ID": LOCAL_AWS_KEY,
        "AWS_SECRET_ACCESS_KEY": LOCAL_AWS_KEY,
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        # moto's stream endpoints answer 404 to account-id based endpoint resolution.
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AREMU_GRAPH_API_BASE_URL": f"{base_url}/sandbox/graph",
        "AREMU_SLACK_API_BASE_URL": f"{base_url}/sandbox/slack/api/",
        # Secrets come from the environment locally, never from Secrets Manager.
        "AREMU_SECRETS_NAME": "",
    }


# The Slack workspace the sandbox plays: the channel recruiters act from, and the bot.
LOCAL_RECRUITERS_CHANNEL = "CLOCALRECRUIT"
LOCAL_SLACK_TEAM_ID = "TLOCAL"
LOCAL_SLACK_BOT_USER_ID = "UAREMUBOT"


def overridable_defaults() -> dict[str, str]:
    """Variables the stack sets only when the shell has not (log level, Slack ids)."""
    return {
        "AREMU_SLACK_RECRUITERS_CHANNEL": LOCAL_RECRUITERS_CHANNEL,
        "AREMU_SLACK_TEAM_ID": LOCAL_SLACK_TEAM_ID,
        "AREMU_SLACK_BOT_USER_ID": LOCAL_SLACK_BOT_USER_ID,
        "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def apply_environment(
    environ: MutableMapping[str, str], *, aws_endpoint_url: str, base_url: str, region: str
) -> None:
    for name in _REAL_AWS_VARIABLES:
        environ.pop(name, None)
    for name in [key for key in environ if key.startswith("AWS_ENDPOINT_URL_")]:
        environ.pop(name)
    environ.update(
        local_environment(aws_endpoint_url=aws_endpoint_url, base_url=base_url, region=region)
    )
    for name, value in overridable_defaults().items():
        environ.setdefault(name, value)
    for name, default in LOCAL_DEFAULTS.items():
        if default and not environ.get(name):
            environ[name] = default


def secret_sources(environ: Mapping[str, str]) -> list[SecretSource]:
    """Which channel secrets the user set and which fall back to the documented defaults."""
    return [
        SecretSource(name, bool(environ.get(name)), default)
        for name, default in LOCAL_DEFAULTS.items()
    ]


def describe_secrets(sources: list[SecretSource]) -> list[str]:
    """Lines for the console; a value the user set is never shown."""
    lines = []
    for source in sources:
        if source.from_user:
            lines.append(f"  {source.name}: set in the environment")
        elif source.default:
            lines.append(f"  {source.name}: local default ({source.default})")
        else:
            lines.append(f"  {source.name}: not set")
    return lines
