"""Build the third-party dependency layer in build/layers/deps/python for the Lambda runtime.

Requirements are read from pyproject.toml so the layer cannot drift from what the code is
tested with. Wheels are fetched for the functions' runtime and platform, not this machine's.
A stamp beside the layer records what it was built from; an unchanged stamp skips the build.

Usage: python scripts/build_deps_layer.py [--force]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from infra.cdk.runtime import DEPS_LAYER_DIR, PIP_PLATFORM, PYTHON_VERSION  # noqa: E402

# boto3 comes with the Lambda runtime; python-jobspy (pandas, numpy) is too big for a zip
# layer and gets its own packaging.
EXCLUDED_REQUIREMENTS = frozenset({"boto3", "python-jobspy"})
# Pulled in anyway (aws-xray-sdk needs botocore) but already on the runtime's path.
RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer"})
# Lambda's limit for a function's code and all its layers, unzipped.
LAMBDA_UNZIPPED_LIMIT_MB = 250


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if match is None:
        raise ValueError(f"cannot read a project name from {requirement!r}")
    return canonical_name(match.group(1))


def layer_requirements(pyproject: Path) -> list[str]:
    with pyproject.open("rb") as f:
        dependencies: list[str] = tomllib.load(f)["project"]["dependencies"]
    return sorted(req for req in dependencies if requirement_name(req) not in EXCLUDED_REQUIREMENTS)


def build_key(requirements: list[str]) -> dict[str, object]:
    return {"python": PYTHON_VERSION, "platform": PIP_PLATFORM, "requirements": requirements}


def stamp_path(layer_dir: Path) -> Path:
    # Beside the layer, not in it, so it never becomes part of the asset.
    return layer_dir.with_name(layer_dir.name + ".stamp.json")


def is_up_to_date(layer_dir: Path, key: dict[str, object]) -> bool:
    stamp = stamp_path(layer_dir)
    if not stamp.is_file() or not (layer_dir / "python").is_dir():
        return False
    try:
        return bool(json.loads(stamp.read_text()) == key)
    except json.JSONDecodeError:
        return False


def pip_install(target: Path, requirements: list[str]) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        # Only PyPI and the command line count, never this machine's pip config (local
        # wheel folders, extra indexes, constraints), so every machine builds the same layer.
        "--isolated",
        "--disable-pip-version-check",
        "--target",
        str(target),
        "--platform",
        PIP_PLATFORM,
        "--implementation",
        "cp",
        "--python-version",
        PYTHON_VERSION,
        "--only-binary=:all:",
        "--upgrade",
        # Bytecode compiled here would be for this interpreter, not the runtime's.
        "--no-compile",
        *requirements,
    ]
    subprocess.run(command, check=True)


def remove_distribution(site: Path, dist_info: Path) -> None:
    """Delete every file a wheel installed, as listed in its RECORD."""
    for line in (dist_info / "RECORD").read_text().splitlines():
        relative = line.split(",", 1)[0]
        if relative:
            (site / relative).unlink(missing_ok=True)
    for directory in sorted(site.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    shutil.rmtree(dist_info, ignore_errors=True)


def prune_runtime_provided(site: Path) -> list[str]:
    removed = []
    for dist_info in sorted(site.glob("*.dist-info")):
        name = canonical_name(dist_info.name.removesuffix(".dist-info").rsplit("-", 1)[0])
        if name in RUNTIME_PROVIDED:
            remove_distribution(site, dist_info)
            removed.append(name)
    return removed


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def build(layer_dir: Path, requirements: list[str]) -> None:
    staging = layer_dir.with_name(layer_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    site = staging / "python"
    pip_install(site, requirements)
    removed = prune_runtime_provided(site)
    if removed:
        print(f"removed runtime-provided packages: {', '.join(removed)}")
    # Console scripts are never run inside a function.
    shutil.rmtree(site / "bin", ignore_errors=True)
    # Swap in whole, so an interrupted build never leaves a half-filled layer behind.
    shutil.rmtree(layer_dir, ignore_errors=True)
    staging.rename(layer_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)

    layer_dir = DEPS_LAYER_DIR
    layer_dir.parent.mkdir(parents=True, exist_ok=True)
    # Parallel callers (pytest-xdist workers, make -j) wait here for one build.
    with (layer_dir.parent / f"{layer_dir.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return build_if_stale(layer_dir, force=args.force)


def build_if_stale(layer_dir: Path, *, force: bool) -> int:
    requirements = layer_requirements(REPO_ROOT / "pyproject.toml")
    key = build_key(requirements)
    relative = layer_dir.relative_to(REPO_ROOT)
    if not force and is_up_to_date(layer_dir, key):
        print(f"deps layer up to date: {relative} ({size_mb(layer_dir):.1f} MB unzipped)")
        return 0

    print(f"building deps layer for python{PYTHON_VERSION} {PIP_PLATFORM}: {requirements}")
    started = time.perf_counter()
    stamp_path(layer_dir).unlink(missing_ok=True)
    build(layer_dir, requirements)
    stamp_path(layer_dir).write_text(json.dumps(key, indent=2) + "\n")
    size = size_mb(layer_dir)
    print(
        f"built {relative} in {time.perf_counter() - started:.1f} s: {size:.1f} MB unzipped "
        f"(Lambda allows {LAMBDA_UNZIPPED_LIMIT_MB} MB for code and layers together)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
