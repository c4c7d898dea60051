"""Powertools logger, metrics and tracer, one of each per container, shared by all modules."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

from aremu.names import METRICS_NAMESPACE, SERVICE_NAME

logger = Logger(service=SERVICE_NAME)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE_NAME)
tracer = Tracer(service=SERVICE_NAME)
