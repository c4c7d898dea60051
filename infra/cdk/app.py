"""The CDK app: `cdk synth` (via cdk.json), scripts/synth.py and tests/infra all start here."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

if not __package__:
    # Run as a script (cdk.json): Python put infra/cdk first on sys.path, where our own
    # `constructs` folder would shadow the `constructs` library.
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parents[1]))

# Before the first aws_cdk import, which starts jsii's Node process: quiets Node 20's banner.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from aremu.wiring import (
    FUNCTIONS,
    QUEUES,
    STATE_MACHINES,
    FunctionSpec,
    QueueSpec,
    StateMachineSpec,
)
from infra.cdk.runtime import REPO_ROOT
from infra.cdk.stack import AremuStack

STACK_NAME = "Aremu"


def cdk_json_context() -> dict[str, Any]:
    """cdk.json's feature flags, so a synth without the cdk CLI builds the same template."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return context


def build_app(
    outdir: str | None = None,
    *,
    specs: Sequence[FunctionSpec] = FUNCTIONS,
    queues: Sequence[QueueSpec] = QUEUES,
    machines: Sequence[StateMachineSpec] = STATE_MACHINES,
    context: Mapping[str, str] | None = None,
) -> tuple[App, AremuStack]:
    """The app, with cdk-nag as a gate; tests pass their own wiring and deploy-time context
    (the CLI's `-c` takes precedence over both)."""
    app = App(outdir=outdir, context={**cdk_json_context(), **(context or {})})
    stack = AremuStack(
        app,
        STACK_NAME,
        specs=specs,
        queues=queues,
        machines=machines,
        description="Aremu: WhatsApp job-matching assistant",
        env=Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
            region=os.environ.get("CDK_DEFAULT_REGION"),
        ),
    )
    # cdk-nag 3.x is a policy-validation plugin: an unacknowledged error fails app.synth().
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))
    return app, stack


def main() -> None:
    app, _ = build_app()
    app.synth()


if __name__ == "__main__":
    main()
