"""Settings read from the environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from aremu.config import Settings


def test_defaults_apply_when_nothing_is_set() -> None:
    settings = Settings.from_environment({})

    assert (settings.table_name, settings.graph_api_version) == ("aremu", "v25.0")
    assert settings.max_webhook_body_bytes == 3 * 1024 * 1024


def test_prefixed_variables_are_parsed_into_their_types() -> None:
    settings = Settings.from_environment(
        {
            "AREMU_TABLE_NAME": "t",
            "AREMU_GRAPH_MAX_ATTEMPTS": "2",
            "AREMU_GRAPH_TIMEOUT_SECONDS": "1.5",
        }
    )

    assert (settings.table_name, settings.graph_max_attempts, settings.graph_timeout_seconds) == (
        "t",
        2,
        1.5,
    )


def test_region_and_endpoint_come_from_the_sdk_variables() -> None:
    settings = Settings.from_environment(
        {"AWS_DEFAULT_REGION": "af-south-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}
    )

    assert (settings.region, settings.aws_endpoint_url) == ("af-south-1", "http://127.0.0.1:5000")


def test_a_malformed_value_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="graph_max_attempts"):
        Settings.from_environment({"AREMU_GRAPH_MAX_ATTEMPTS": "many"})
