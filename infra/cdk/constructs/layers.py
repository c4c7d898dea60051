"""The two layers every function carries: the `aremu` package and its third-party deps."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.cdk.runtime import AREMU_LAYER_DIR, DEPS_LAYER_DIR, PYTHON_VERSION

RUNTIME: lambda_.Runtime = getattr(lambda_.Runtime, "PYTHON_" + PYTHON_VERSION.replace(".", "_"))
# x86_64 because the deps layer is built from manylinux x86_64 wheels.
ARCHITECTURE = lambda_.Architecture.X86_64

# The local stack (moto server, gateway, sandbox) never runs on AWS.
AREMU_LAYER_EXCLUDES = [
    "python/aremu/local",
    "python/aremu/local/**",
    "python/*.egg-info",
    "python/*.egg-info/**",
    "**/__pycache__",
    "**/*.pyc",
]


class Layers(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

        if not (DEPS_LAYER_DIR / "python").is_dir():
            raise FileNotFoundError(
                f"{DEPS_LAYER_DIR} is missing: run `make layers` "
                "(python scripts/build_deps_layer.py) before synthesizing"
            )

        self.aremu = lambda_.LayerVersion(
            self,
            "Aremu",
            code=lambda_.Code.from_asset(str(AREMU_LAYER_DIR), exclude=AREMU_LAYER_EXCLUDES),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="The aremu package: domain, storage, channels, config, observability",
        )
        self.deps = lambda_.LayerVersion(
            self,
            "Deps",
            code=lambda_.Code.from_asset(str(DEPS_LAYER_DIR)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="Third-party dependencies from pyproject.toml, less what the runtime has",
        )

    @property
    def all(self) -> list[lambda_.ILayerVersion]:
        return [self.deps, self.aremu]
