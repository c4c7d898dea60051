"""What `aremu local` puts in the environment and tells the user about secrets."""

from __future__ import annotations

from aremu.credentials import LOCAL_DEFAULTS
from aremu.local.environment import apply_environment, describe_secrets, secret_sources


def test_secrets_the_user_set_are_named_but_never_shown() -> None:
    sources = secret_sources({"WHATSAPP_APP_SECRET": "my-real-secret"})

    lines = describe_secrets(sources)

    assert "  WHATSAPP_APP_SECRET: set in the environment" in lines
    assert not any("my-real-secret" in line for line in lines)


def test_defaulted_secrets_show_their_documented_local_value() -> None:
    lines = describe_secrets(secret_sources({}))

    expected = LOCAL_DEFAULTS["WHATSAPP_VERIFY_TOKEN"]
    assert f"  WHATSAPP_VERIFY_TOKEN: local default ({expected})" in lines
    assert "  OPENAI_API_KEY: not set" in lines


def test_real_aws_settings_are_dropped_so_nothing_reaches_an_account() -> None:
    environ = {
        "AWS_PROFILE": "prod",
        "AWS_SESSION_TOKEN": "token",
        "AWS_ENDPOINT_URL_DYNAMODB": "https://dynamodb.eu-west-1.amazonaws.com",
    }

    apply_environment(
        environ, aws_endpoint_url="http://127.0.0.1:5", base_url="http://127.0.0.1:8", region="r"
    )

    assert not {"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_DYNAMODB"} & set(environ)
    assert environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5"
    assert environ["AWS_REGION"] == environ["AWS_DEFAULT_REGION"] == "r"


def test_powertools_settings_from_the_shell_are_kept() -> None:
    environ = {"POWERTOOLS_LOG_LEVEL": "DEBUG"}

    apply_environment(
        environ, aws_endpoint_url="http://127.0.0.1:5", base_url="http://127.0.0.1:8", region="r"
    )

    assert environ["POWERTOOLS_LOG_LEVEL"] == "DEBUG"
    assert environ["POWERTOOLS_TRACE_DISABLED"] == "true"
