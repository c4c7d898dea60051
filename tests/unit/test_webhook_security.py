"""Signature checks and the subscription handshake."""

from __future__ import annotations

import pytest

from aremu.channels.whatsapp.signature import (
    InvalidSignature,
    MissingSignature,
    sign,
    verify_signature,
)
from aremu.channels.whatsapp.verification import challenge_response

SECRET = "app-secret"
BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def test_signature_of_the_raw_body_verifies() -> None:
    verify_signature(SECRET, BODY, sign(SECRET, BODY))


def test_signature_header_in_upper_case_hex_verifies() -> None:
    verify_signature(SECRET, BODY, sign(SECRET, BODY).upper().replace("SHA256=", "sha256="))


@pytest.mark.parametrize("header", [None, ""])
def test_absent_signature_is_missing(header: str | None) -> None:
    with pytest.raises(MissingSignature):
        verify_signature(SECRET, BODY, header)


@pytest.mark.parametrize(
    "header",
    [
        sign("another-secret", BODY),
        sign(SECRET, BODY + b" "),
        sign(SECRET, BODY).removeprefix("sha256="),
        "sha1=" + sign(SECRET, BODY).removeprefix("sha256="),
        "sha256=zz",
    ],
)
def test_wrong_signatures_are_invalid(header: str) -> None:
    with pytest.raises(InvalidSignature):
        verify_signature(SECRET, BODY, header)


def test_handshake_with_the_right_token_returns_the_challenge() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "t0k", "hub.challenge": "1158201444"}

    assert challenge_response(params, "t0k") == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "t0k", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "t0k"},
        {},
    ],
)
def test_handshake_refuses_anything_else(params: dict[str, str]) -> None:
    assert challenge_response(params, "t0k") is None
