"""Synthesizes the CDK app once per session; every infra test reads that one template."""

from __future__ import annotations

import pytest

from tests.infra.synthesized import Synthesized, synthesize


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(tmp_path_factory.mktemp("cdk.out"))
