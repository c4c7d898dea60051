"""Print each function's unzipped size against Lambda's limit (make package-size).

Zip functions: their code folder plus the aremu layer and the deps layer (limit 250 MB
unzipped). Image functions: their folder, the aremu package and every runtime dependency
installed for the Lambda platform (limit 10 GB), plus what the same would weigh as a zip,
which is why they are images.
"""

from __future__ import annotations

import json
import sys
import tempfile
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from aremu.wiring import FUNCTIONS  # noqa: E402
from infra.cdk.runtime import DEPS_LAYER_DIR  # noqa: E402
from scripts.build_deps_layer import (  # noqa: E402
    LAMBDA_UNZIPPED_LIMIT_MB,
    RUNTIME_PROVIDED,
    pip_install,
    prune_runtime_provided,
    requirement_name,
    size_mb,
)

IMAGE_LIMIT_MB = 10 * 1024
AREMU_PACKAGE = REPO_ROOT / "layers" / "aremu" / "python" / "aremu"


def _code_mb(folder: Path) -> float:
    return (
        sum(
            p.stat().st_size
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        )
        / 2**20
    )


def _image_dependencies_mb() -> float:
    with (REPO_ROOT / "pyproject.toml").open("rb") as f:
        requirements = [
            req
            for req in tomllib.load(f)["project"]["dependencies"]
            if requirement_name(req) not in RUNTIME_PROVIDED
        ]
    with tempfile.TemporaryDirectory() as target:
        site = Path(target) / "python"
        pip_install(site, requirements)
        prune_runtime_provided(site)
        return size_mb(site)


def main() -> int:
    aremu_mb = _code_mb(AREMU_PACKAGE) - _code_mb(AREMU_PACKAGE / "local")
    deps_mb = size_mb(DEPS_LAYER_DIR)
    image_deps_mb: float | None = None
    rows = []
    for spec in FUNCTIONS:
        code_mb = _code_mb(REPO_ROOT / spec.code_dir)
        if spec.packaging == "zip":
            total, limit = code_mb + aremu_mb + deps_mb, LAMBDA_UNZIPPED_LIMIT_MB
            as_zip = total
        else:
            if image_deps_mb is None:
                image_deps_mb = _image_dependencies_mb()
            total, limit = code_mb + aremu_mb + image_deps_mb, IMAGE_LIMIT_MB
            as_zip = total
        rows.append(
            {
                "function": spec.name,
                "packaging": spec.packaging,
                "unzipped_mb": round(total, 1),
                "limit_mb": limit,
                "fits": total <= limit,
                "fits_as_zip": as_zip <= LAMBDA_UNZIPPED_LIMIT_MB,
            }
        )
        print(
            f"{spec.name:<18} {spec.packaging:<5} {total:8.1f} MB of {limit} MB"
            + ("" if spec.packaging == "zip" else f"  (as a zip: {as_zip:.1f} MB of 250 MB)")
        )
    fits = all(row["fits"] for row in rows)
    print(json.dumps({"bench": "package_size", "functions": rows, "meets_target": fits}))
    return 0 if fits else 1


if __name__ == "__main__":
    raise SystemExit(main())
