"""Meta's webhook subscription handshake (`GET ?hub.mode=subscribe&hub.verify_token=…`)."""

from __future__ import annotations

import hmac


def challenge_response(params: dict[str, str], verify_token: str) -> str | None:
    """The challenge to echo back, or None when the request is not a valid handshake."""
    token = params.get("hub.verify_token", "")
    if params.get("hub.mode") != "subscribe" or "hub.challenge" not in params:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return params["hub.challenge"]
