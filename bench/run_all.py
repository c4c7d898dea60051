"""Run every benchmark in its own process and print a summary of their final JSON lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = (
    "bench.cold_import",
    "bench.webhook_requests",
    "bench.conversation_turn",
    "bench.local_throughput",
    "bench.delivery_latency",
    "bench.extractor_accuracy",
    "bench.jobs_quality",
    "bench.enhancer_throughput",
    "bench.matching_speed",
    "bench.matching_quality",
    "bench.window_timers",
    "bench.risk_run",
    "bench.slack_ack",
    "bench.monthly_cost",
)


def main() -> int:
    # Deployment packages ship compiled files; so does the measured interpreter here.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "layers", "functions"],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    results: list[dict[str, object]] = []
    failures = 0
    for module in BENCHMARKS:
        if not (ROOT / (module.replace(".", "/") + ".py")).exists():
            continue
        print(f"\n=== {module} ===", flush=True)
        completed = subprocess.run(
            [sys.executable, "-m", module], cwd=ROOT, capture_output=True, text=True, check=False
        )
        print(completed.stdout, end="")
        if completed.returncode != 0:
            failures += 1
            print(completed.stderr[-3000:], file=sys.stderr)
            continue
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if lines:
            results.append(json.loads(lines[-1]))
    print("\n=== summary ===")
    for result in results:
        meets = result.get("meets_target")
        verdict = "" if meets is None else ("meets target" if meets else "MISSES target")
        print(f"{result.get('bench')}: {verdict}")
    print(json.dumps({"bench": "all", "results": results, "failed_to_run": failures}))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
