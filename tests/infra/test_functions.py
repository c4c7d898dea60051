"""Every function in the wiring is built as the wiring says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from constructs import IConstruct

from aremu.wiring import FUNCTIONS, FunctionSpec
from infra.cdk.constructs.functions import unwired_triggers
from infra.cdk.runtime import PYTHON_VERSION
from tests.infra.synthesized import Synthesized

SPECS = pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)
ZIP_SPECS = pytest.mark.parametrize(
    "spec", [s for s in FUNCTIONS if s.packaging == "zip"], ids=lambda spec: spec.name
)
IMAGE_SPECS = pytest.mark.parametrize(
    "spec", [s for s in FUNCTIONS if s.packaging == "image"], ids=lambda spec: spec.name
)

REQUIRED_ENVIRONMENT = {
    "AREMU_TABLE_NAME",
    "AREMU_IDEMPOTENCY_TABLE_NAME",
    "AREMU_SECRETS_NAME",
    "AREMU_EVENT_BUS_NAME",
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_LOG_LEVEL",
}


def function_properties(synthesized: Synthesized, spec: FunctionSpec) -> dict[str, Any]:
    return synthesized.properties(synthesized.stack.functions.by_name[spec.name])


@ZIP_SPECS
def test_function_runs_the_wiring_handler(synthesized: Synthesized, spec: FunctionSpec) -> None:
    props = function_properties(synthesized, spec)

    assert props["Handler"] == spec.handler


@IMAGE_SPECS
def test_image_function_runs_the_wiring_handler_from_its_image(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    props = function_properties(synthesized, spec)

    assert props["PackageType"] == "Image"
    assert props["ImageConfig"]["Command"] == [spec.handler]
    assert (Path(__file__).parents[2] / spec.code_dir / "Dockerfile").is_file()


@ZIP_SPECS
def test_function_runs_on_the_python_runtime_the_deps_layer_is_built_for(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    props = function_properties(synthesized, spec)

    assert props["Runtime"] == f"python{PYTHON_VERSION}"
    assert props["Architectures"] == ["x86_64"]


@SPECS
def test_function_has_active_tracing(synthesized: Synthesized, spec: FunctionSpec) -> None:
    props = function_properties(synthesized, spec)

    assert props["TracingConfig"] == {"Mode": "Active"}


@SPECS
def test_function_timeout_and_memory_come_from_the_wiring(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    props = function_properties(synthesized, spec)

    assert props["Timeout"] == spec.timeout_seconds
    assert props["MemorySize"] == spec.memory_mb


@SPECS
def test_function_environment_names_tables_secret_bus_and_powertools_settings(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    variables = function_properties(synthesized, spec)["Environment"]["Variables"]

    data = synthesized.stack.data
    assert set(variables) >= REQUIRED_ENVIRONMENT
    assert variables["AREMU_TABLE_NAME"] == {"Ref": synthesized.logical_id(data.table)}
    assert variables["AREMU_IDEMPOTENCY_TABLE_NAME"] == {
        "Ref": synthesized.logical_id(data.idempotency_table)
    }
    assert variables["AREMU_SECRETS_NAME"] == "aremu/channels"
    assert variables["AREMU_EVENT_BUS_NAME"] == {
        "Ref": synthesized.logical_id(synthesized.stack.events.bus)
    }
    assert variables["POWERTOOLS_SERVICE_NAME"] == "aremu"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "Aremu"
    assert spec.environment.items() <= variables.items()


@ZIP_SPECS
def test_function_carries_the_aremu_and_deps_layers(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    layers = synthesized.stack.layers

    props = function_properties(synthesized, spec)

    assert sorted(ref["Ref"] for ref in props["Layers"]) == sorted(
        [synthesized.logical_id(layers.aremu), synthesized.logical_id(layers.deps)]
    )


@SPECS
def test_function_logs_to_its_own_group_kept_one_month(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    log_group_id = function_properties(synthesized, spec)["LoggingConfig"]["LogGroup"]["Ref"]

    assert synthesized.resources[log_group_id]["Properties"]["RetentionInDays"] == 30
    others = [s for s in FUNCTIONS if s.name != spec.name]
    assert all(
        function_properties(synthesized, other)["LoggingConfig"]["LogGroup"]["Ref"] != log_group_id
        for other in others
    )


def staged_layer(synthesized: Synthesized, layer: IConstruct) -> Path:
    """The folder the layer's zip is made from, found by the asset hash in its S3 key."""
    s3_key = synthesized.properties(layer)["Content"]["S3Key"]
    return synthesized.outdir / f"asset.{s3_key.removesuffix('.zip')}"


def test_aremu_layer_leaves_out_the_local_stack(synthesized: Synthesized) -> None:
    package = staged_layer(synthesized, synthesized.stack.layers.aremu) / "python" / "aremu"

    assert (package / "wiring.py").is_file()
    assert not (package / "local").exists()
    assert not list(package.rglob("__pycache__"))


def test_deps_layer_leaves_out_what_the_runtime_provides(synthesized: Synthesized) -> None:
    site = staged_layer(synthesized, synthesized.stack.layers.deps) / "python"

    assert (site / "aws_lambda_powertools").is_dir()
    assert not (site / "botocore").exists()
    assert not (site / "boto3").exists()


def test_a_trigger_kind_no_construct_wires_is_reported() -> None:
    class Unknown:
        pass

    spec = FunctionSpec(
        name="Orphan",
        code_dir="functions/orphan",
        handler="orphan.handler",
        description="has a trigger nobody wires",
        triggers=(Unknown(),),  # type: ignore[arg-type]
        access=(),
    )

    assert unwired_triggers([spec], wired_kinds=[]) == ["Orphan: Unknown"]


def test_deploy_time_slack_ids_reach_every_function(fake_synthesized: Synthesized) -> None:
    for function in fake_synthesized.stack.functions.by_name.values():
        environment = fake_synthesized.properties(function)["Environment"]["Variables"]

        assert environment["AREMU_SLACK_RECRUITERS_CHANNEL"] == "CRECRUITERS"
        assert "AREMU_SLACK_RECRUITERS_USER_GROUP" not in environment
