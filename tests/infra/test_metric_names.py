"""Every `aremu.names.Metric` the dashboard draws is emitted somewhere in the code."""

from __future__ import annotations

import re
from functools import cache

import pytest

from aremu.names import Metric
from infra.cdk.runtime import AREMU_LAYER_DIR, REPO_ROOT

SOURCE_ROOTS = (AREMU_LAYER_DIR / "python" / "aremu", REPO_ROOT / "functions")
# names.py defines the members; a reference there would not be an emission.
DEFINITION = AREMU_LAYER_DIR / "python" / "aremu" / "names.py"
REFERENCE = re.compile(r"\bMetric\.([A-Z][A-Z0-9_]*)\b")


@cache
def referenced_members() -> frozenset[str]:
    return frozenset(
        {
            match
            for root in SOURCE_ROOTS
            for path in root.rglob("*.py")
            if path != DEFINITION and "tests" not in path.relative_to(REPO_ROOT).parts
            for match in REFERENCE.findall(path.read_text())
        }
    )


@pytest.mark.parametrize("member", list(Metric), ids=lambda member: member.name)
def test_metric_member_is_emitted_by_the_code(member: Metric) -> None:
    assert member.name in referenced_members()


def test_code_refers_only_to_metric_members_that_exist() -> None:
    assert referenced_members() <= set(Metric.__members__)
