"""The `aremu` command line."""

from __future__ import annotations

import pytest

from aremu.cli import build_parser


def test_local_defaults_to_port_8000_on_the_loopback() -> None:
    args = build_parser().parse_args(["local"])

    assert (args.command, args.port, args.host) == ("local", 8000, "127.0.0.1")


def test_local_takes_a_port_and_host() -> None:
    args = build_parser().parse_args(["local", "--port", "0", "--host", "192.0.2.10"])

    assert (args.port, args.host) == (0, "192.0.2.10")


def test_a_command_is_required() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([])
