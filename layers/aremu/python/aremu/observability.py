"""Powertools logger and metrics, one of each per container, shared by all modules.

The tracer lives in `aremu.tracing`, so a path can leave the X-Ray SDK out (see there).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

from aremu.names import METRICS_NAMESPACE, SERVICE_NAME

logger = Logger(service=SERVICE_NAME)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE_NAME)
