"""WhatsApp webhook on API Gateway: the subscription handshake and signed inbound payloads."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from aremu import clock, runtime
from aremu.channels.whatsapp.inbound import MalformedPayload, parse_webhook
from aremu.channels.whatsapp.signature import (
    SIGNATURE_HEADER,
    InvalidSignature,
    MissingSignature,
    verify_signature,
)
from aremu.channels.whatsapp.verification import challenge_response
from aremu.config import get_settings
from aremu.names import Metric
from aremu.observability import logger, metrics
from aremu.services.inbound_webhook import accept_webhook, record_outcome_metrics

app = APIGatewayHttpResolver()


class PayloadTooLarge(Exception):
    pass


@app.get("/whatsapp/webhook")
def verify_subscription() -> Response[str]:
    params = app.current_event.query_string_parameters or {}
    token = runtime.channel_secrets().whatsapp_verify_token.get_secret_value()
    challenge = challenge_response(params, token)
    if challenge is None:
        return _plain(403, "forbidden")
    return _plain(200, challenge)


@app.post("/whatsapp/webhook")
def receive_webhook() -> dict[str, Any]:
    body = app.current_event.decoded_body or ""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > get_settings().max_webhook_body_bytes:
        raise PayloadTooLarge()
    secret = runtime.channel_secrets().whatsapp_app_secret.get_secret_value()
    verify_signature(secret, raw, app.current_event.headers.get(SIGNATURE_HEADER))
    outcome = accept_webhook(
        parse_webhook(raw), runtime.inbound_store(), runtime.message_store(), clock.now()
    )
    record_outcome_metrics(outcome)
    return {"status": "received"}


@app.exception_handler(MissingSignature)
def missing_signature(_: MissingSignature) -> Response[str]:
    return _rejected(401, "missing signature")


@app.exception_handler(InvalidSignature)
def invalid_signature(_: InvalidSignature) -> Response[str]:
    return _rejected(403, "invalid signature")


@app.exception_handler(MalformedPayload)
def malformed_payload(_: MalformedPayload) -> Response[str]:
    return _rejected(400, "malformed payload")


@app.exception_handler(PayloadTooLarge)
def payload_too_large(_: PayloadTooLarge) -> Response[str]:
    return _rejected(413, "payload too large")


def _rejected(status: int, reason: str) -> Response[str]:
    logger.warning("webhook rejected", extra={"status": status, "reason": reason})
    metrics.add_metric(name=Metric.WEBHOOK_REJECTED, unit=MetricUnit.Count, value=1)
    return _plain(status, reason)


def _plain(status: int, body: str) -> Response[str]:
    return Response(status_code=status, content_type=content_types.TEXT_PLAIN, body=body)


# No Powertools tracer here, unlike the other entry points: see aremu.tracing for why.
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
