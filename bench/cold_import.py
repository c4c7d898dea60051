"""Cold import of the webhook API handler in fresh interpreters (issue target: <= 400 ms).

Each run starts a new Python process that imports the handler module exactly as the
Lambda runtime would and reports the time taken and whether anything heavy came along.
Run `python -m compileall layers functions` first, as a deployment package would ship
compiled files (bench/run_all.py does).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from aremu.names import RUNTIME_ENVIRONMENT
from aremu.wiring import WEBHOOK_API

ROOT = Path(__file__).resolve().parents[1]

TARGET_MS = 400
RUNS = 7
FORBIDDEN = ("openai", "jobspy", "pandas", "numpy")

# As the Lambda runtime does it: the code folder on the path, then the handler's module.
PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
started = time.perf_counter()
import {module}
elapsed = (time.perf_counter() - started) * 1000
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1].split(",")))
print(json.dumps({"ms": elapsed, "heavy": heavy}))
"""


def measure(runs: int = RUNS) -> dict[str, object]:
    samples: list[float] = []
    heavy: set[str] = set()
    # The environment every function gets from the CDK, minus what needs AWS.
    environment = {**os.environ, **RUNTIME_ENVIRONMENT}
    for _ in range(runs):
        output = subprocess.run(
            [
                sys.executable,
                "-c",
                PROBE.replace("{module}", WEBHOOK_API.module),
                ",".join(FORBIDDEN),
                str(ROOT / WEBHOOK_API.code_dir),
            ],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        samples.append(result["ms"])
        heavy.update(result["heavy"])
    median = statistics.median(samples)
    return {
        "bench": "webhook_cold_import",
        "median_ms": round(median, 1),
        "min_ms": round(min(samples), 1),
        "target_ms": TARGET_MS,
        "heavy_modules": sorted(heavy),
        "meets_target": median <= TARGET_MS and not heavy,
    }


def main() -> None:
    result = measure()
    print(
        f"webhook API handler cold import: median {result['median_ms']} ms "
        f"(min {result['min_ms']} ms, target <= {TARGET_MS} ms)"
    )
    print(f"heavy modules on the path: {result['heavy_modules'] or 'none'}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
