"""Jobs-in quality on 611 real Indeed Nigeria postings (../shared/data/indeed_ng_jobs.csv).

Run from the repository root: `.venv/bin/python -m bench.jobs_quality [--misses]`.

- Ingest: the CSV goes through `ingest_csv` (normalise, de-duplicate, store once); every
  row must be stored, a duplicate, or skipped with a reason.
- Duplicates: our count is compared with a reference computed here by plain rules (same
  id; else same case-folded title, company and location; a posting without a company
  needs the same description too).
- Offline enhancement: the share of rows with a job function and at least three skills
  (target 90%), industry and other fill rates, and throughput (target 50 jobs/s).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aremu.jobs.csv_source import read_jobspy_csv
from aremu.jobs.ingest import ingest_csv
from aremu.jobs.models import EnhancedFields
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.observability import logger
from tests.support.jobs import MemoryRepository

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "indeed_ng_jobs.csv"
COVERAGE_TARGET = 0.90
SPEED_TARGET = 50.0  # jobs per second
NOW = datetime(2025, 8, 14, 12, 0, tzinfo=UTC)


def reference_duplicates(text: str) -> int:
    seen_ids: set[str] = set()
    seen_keys: set[tuple[str, ...]] = set()
    duplicates = 0
    for row in csv.DictReader(text.splitlines(keepends=True)):
        if row["id"] in seen_ids:
            duplicates += 1
            continue
        seen_ids.add(row["id"])
        company = row["company"].casefold().replace("limited", "ltd").strip(" .")
        key: tuple[str, ...] = (
            row["title"].casefold().strip(),
            company,
            row["location"].casefold(),
        )
        if not company:
            key += (row["description"],)
        if key in seen_keys:
            duplicates += 1
        seen_keys.add(key)
    return duplicates


def ingest(text: str) -> tuple[dict[str, object], float]:
    store = MemoryRepository()
    started = time.perf_counter()
    summary = ingest_csv(text, store, NOW)
    elapsed = time.perf_counter() - started
    again = ingest_csv(text, store, NOW)
    result = summary.model_dump(exclude={"stored_job_ids", "skipped_rows"})
    result["rerun_stored"] = again.stored
    return result, elapsed


def covered(fields: EnhancedFields) -> bool:
    return bool(fields.job_function) and len(fields.skills) >= 3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list rows below the bar")
    args = parser.parse_args()
    logger.setLevel("WARNING")
    if not DATA.exists():
        print(f"{DATA} is not here (a clone of the project alone does not have it); skipped")
        print(json.dumps({"bench": "jobs_quality", "skipped": True}))
        return 0
    text = DATA.read_text(encoding="utf-8")

    summary, ingest_seconds = ingest(text)
    reference = reference_duplicates(text)
    accounted = sum(int(str(summary[name])) for name in ("stored", "duplicates", "skipped"))
    print(
        f"ingest: {summary['read']} rows read, {summary['stored']} stored, "
        f"{summary['duplicates']} duplicates (reference {reference}), "
        f"{summary['skipped']} skipped; every row accounted for: {accounted == summary['read']}; "
        f"{ingest_seconds:.2f} s; a second load stores {summary['rerun_stored']}"
    )

    jobs = [to_raw_job(row, "NG") for _, row in read_jobspy_csv(text).rows]
    enhancer = OfflineEnhancer()
    enhancer.enhance(jobs[0])  # builds the vocabularies' indexes outside the timing
    started = time.perf_counter()
    results = [enhancer.enhance(job).fields for job in jobs]
    seconds = time.perf_counter() - started
    speed = len(jobs) / seconds

    def share(test: Callable[[EnhancedFields], bool]) -> float:
        return sum(1 for fields in results if test(fields)) / len(results)

    coverage = share(covered)
    rates = {
        "job_function": share(lambda f: bool(f.job_function)),
        "three_skills": share(lambda f: len(f.skills) >= 3),
        "industry": share(lambda f: bool(f.industry)),
        "level": share(lambda f: bool(f.level)),
        "experience": share(lambda f: f.experience.min_years is not None),
        "salary": share(lambda f: f.salary is not None),
        "employment_type": share(lambda f: bool(f.employment_type)),
        "apply_email": share(lambda f: bool(f.how_to_apply.email)),
    }
    print(
        f"offline enhancer: job function and >= 3 skills for {coverage:.1%} of {len(jobs)} rows "
        f"(target {COVERAGE_TARGET:.0%}); " + ", ".join(f"{k} {v:.0%}" for k, v in rates.items())
    )
    print(
        f"offline enhancer speed: {speed:.0f} jobs/s (target {SPEED_TARGET:.0f} jobs/s), "
        f"{speed * 60 / 50:.0f}x the design's 50 jobs/minute"
    )
    if args.misses:
        for job, fields in zip(jobs, results, strict=True):
            if not covered(fields):
                print(f"  miss: {job.title[:60]!r} function={fields.job_function} {fields.skills}")

    meets = (
        accounted == summary["read"]
        and summary["duplicates"] == reference
        and coverage >= COVERAGE_TARGET
        and speed >= SPEED_TARGET
    )
    print(
        json.dumps(
            {
                "bench": "jobs_quality",
                "rows": summary["read"],
                "stored": summary["stored"],
                "duplicates": summary["duplicates"],
                "reference_duplicates": reference,
                "skipped": summary["skipped"],
                "coverage": round(coverage, 4),
                "fill_rates": {k: round(v, 4) for k, v in rates.items()},
                "offline_jobs_per_second": round(speed, 1),
                "coverage_target": COVERAGE_TARGET,
                "speed_target": SPEED_TARGET,
                "meets_target": meets,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
