"""cdk-nag and cfn-lint find nothing to fix in the synthesized stack."""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk.assertions import Annotations, Match
from cfnlint.api import ManualArgs, lint_file

from tests.infra.synthesized import Synthesized


def test_policy_validation_reports_no_violations(synthesized: Synthesized) -> None:
    report = json.loads((synthesized.outdir / "validation-report.json").read_text())

    violations = [
        (plugin["pluginName"], violation["ruleName"], construct["constructPath"])
        for plugin in report["pluginReports"]
        for violation in plugin.get("violations", [])
        for construct in violation["violatingConstructs"]
    ]

    assert violations == []


def test_stack_has_no_error_annotations(synthesized: Synthesized) -> None:
    annotations = Annotations.from_stack(synthesized.stack)

    errors = annotations.find_error("*", Match.string_like_regexp(".*"))

    assert errors == []


def test_cfn_lint_finds_no_errors(synthesized: Synthesized, tmp_path: Path) -> None:
    template_file = tmp_path / "template.json"
    template_file.write_text(json.dumps(synthesized.template.to_json()))

    matches = lint_file(template_file, ManualArgs(regions=["eu-west-1", "us-east-1"]))

    errors = [f"{m.rule.id} {m.message} at {m.path}" for m in matches if m.rule.id.startswith("E")]
    assert errors == []
