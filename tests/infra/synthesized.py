"""The synthesized stack and lookups into its template, shared by the infra tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import CfnElement
from aws_cdk.assertions import Template
from constructs import IConstruct

from aremu.wiring import (
    FUNCTIONS,
    QUEUES,
    STATE_MACHINES,
    FunctionSpec,
    QueueSpec,
    StateMachineSpec,
)
from infra.cdk.app import build_app
from infra.cdk.runtime import REPO_ROOT
from infra.cdk.stack import AremuStack


@dataclass(frozen=True)
class Synthesized:
    stack: AremuStack
    template: Template
    resources: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]
    outdir: Path

    def logical_id(self, construct: IConstruct) -> str:
        """The template key of a resource, or of an L2 construct's underlying resource."""
        element = construct if isinstance(construct, CfnElement) else construct.node.default_child
        assert isinstance(element, CfnElement)
        logical_id: str = self.stack.resolve(self.stack.get_logical_id(element))
        return logical_id

    def properties(self, construct: IConstruct) -> dict[str, Any]:
        props: dict[str, Any] = self.resources[self.logical_id(construct)].get("Properties", {})
        return props

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == resource_type}


def synthesize(
    outdir: Path,
    *,
    specs: Sequence[FunctionSpec] = FUNCTIONS,
    queues: Sequence[QueueSpec] = QUEUES,
    machines: Sequence[StateMachineSpec] = STATE_MACHINES,
    context: Mapping[str, str] | None = None,
) -> Synthesized:
    # Cached by its stamp: a no-op unless pyproject.toml's dependencies changed.
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "build_deps_layer.py")],
        check=True,
        cwd=REPO_ROOT,
    )
    app, stack = build_app(
        outdir=str(outdir), specs=specs, queues=queues, machines=machines, context=context
    )
    # Raises if cdk-nag (a policy-validation plugin in 3.x) finds an unacknowledged error.
    assembly = app.synth()
    template = assembly.get_stack_by_name(stack.stack_name).template
    return Synthesized(
        stack=stack,
        template=Template.from_json(template),
        resources=template["Resources"],
        outputs=template.get("Outputs", {}),
        outdir=outdir,
    )
