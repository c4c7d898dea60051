"""Shared set-up for benchmarks: fake AWS credentials and quiet Powertools output."""

from __future__ import annotations

import os

from aremu.observability import logger

BENCH_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
}


def quiet_aws_environment() -> None:
    os.environ.update(BENCH_ENVIRONMENT)
    logger.setLevel("WARNING")
