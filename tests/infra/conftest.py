"""Synthesizes each CDK app once per session; the infra tests read those templates."""

from __future__ import annotations

import pytest

from tests.infra import fake_wiring
from tests.infra.synthesized import Synthesized, synthesize


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The stack built from the real wiring."""
    return synthesize(tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="session")
def fake_synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The stack built from `fake_wiring`, which uses the trigger kinds the real one may not."""
    return synthesize(
        tmp_path_factory.mktemp("cdk.out.fake"),
        specs=fake_wiring.SPECS,
        queues=fake_wiring.QUEUES,
        machines=fake_wiring.MACHINES,
        context=fake_wiring.DEPLOY_CONTEXT,
    )
