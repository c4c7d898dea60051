"""cdk-nag and cfn-lint find nothing to fix in the synthesized stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk.assertions import Annotations, Match
from cfnlint.api import ManualArgs, lint_file

from tests.infra.synthesized import Synthesized


@pytest.fixture(params=["synthesized", "fake_synthesized"])
def each_stack(request: pytest.FixtureRequest) -> Synthesized:
    """The real wiring's stack, then the fake wiring's (every trigger and access kind)."""
    stack: Synthesized = request.getfixturevalue(request.param)
    return stack


def test_policy_validation_reports_no_violations(each_stack: Synthesized) -> None:
    report = json.loads((each_stack.outdir / "validation-report.json").read_text())

    violations = [
        (plugin["pluginName"], violation["ruleName"], construct["constructPath"])
        for plugin in report["pluginReports"]
        for violation in plugin.get("violations", [])
        for construct in violation["violatingConstructs"]
    ]

    assert violations == []


def test_stack_has_no_error_annotations(each_stack: Synthesized) -> None:
    annotations = Annotations.from_stack(each_stack.stack)

    errors = annotations.find_error("*", Match.string_like_regexp(".*"))

    assert errors == []


def test_cfn_lint_finds_no_errors(each_stack: Synthesized, tmp_path: Path) -> None:
    template_file = tmp_path / "template.json"
    template_file.write_text(json.dumps(each_stack.template.to_json()))

    matches = lint_file(template_file, ManualArgs(regions=["eu-west-1", "us-east-1"]))

    errors = [f"{m.rule.id} {m.message} at {m.path}" for m in matches if m.rule.id.startswith("E")]
    assert errors == []
