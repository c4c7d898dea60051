"""Synthesize the CDK app into cdk.out without the cdk CLI, with cdk-nag as a gate.

Exits non-zero when cdk-nag (or any other policy validation) reports an error; the
report is in cdk.out/validation-report.json and printed above.

Usage: python scripts/synth.py [--outdir cdk.out]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from infra.cdk.app import build_app  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, default=REPO_ROOT / "cdk.out")
    args = parser.parse_args(argv)

    # Start clean so stale assets of earlier synths do not pile up.
    shutil.rmtree(args.outdir, ignore_errors=True)
    started = time.perf_counter()
    app, stack = build_app(outdir=str(args.outdir))
    try:
        assembly = app.synth()
    except RuntimeError as error:
        if "ValidationFailed" not in str(error):
            raise
        print(f"synth failed policy validation: see {args.outdir / 'validation-report.json'}")
        return 1
    elapsed = time.perf_counter() - started

    resources = assembly.get_stack_by_name(stack.stack_name).template["Resources"]
    print(f"synthesized {stack.stack_name} into {args.outdir} in {elapsed:.1f} s")
    print(f"{len(resources)} resources, no cdk-nag errors")
    by_type = Counter(resource["Type"] for resource in resources.values())
    for resource_type, count in sorted(by_type.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:3d} {resource_type}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
