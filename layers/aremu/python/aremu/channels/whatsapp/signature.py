"""Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "x-hub-signature-256"
_PREFIX = "sha256="


class MissingSignature(Exception):
    """The request carries no signature header."""


class InvalidSignature(Exception):
    """The signature does not match the body."""


def sign(app_secret: str, body: bytes) -> str:
    return _PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(app_secret: str, body: bytes, header_value: str | None) -> None:
    """Check the raw body's signature in constant time; raises when it is absent or wrong."""
    if not header_value:
        raise MissingSignature()
    expected = sign(app_secret, body)
    if not hmac.compare_digest(expected.encode(), header_value.strip().lower().encode()):
        raise InvalidSignature()
