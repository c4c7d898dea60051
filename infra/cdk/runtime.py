"""Where the functions run, read by both the CDK app and the deps layer build.

Kept free of CDK imports so that scripts/build_deps_layer.py starts fast. The deps layer
holds compiled wheels (pydantic-core, jiter), so its Python version and platform must
match the functions' runtime and architecture: change them here, together.
"""

from __future__ import annotations

from pathlib import Path

PYTHON_VERSION = "3.12"
PIP_PLATFORM = "manylinux2014_x86_64"

REPO_ROOT = Path(__file__).resolve().parents[2]
AREMU_LAYER_DIR = REPO_ROOT / "layers" / "aremu"
DEPS_LAYER_DIR = REPO_ROOT / "build" / "layers" / "deps"
