"""Matching speed: one job against 100,000 synthetic candidates, with the index and without.

Run from the repository root: `.venv/bin/python -m bench.matching_speed [--quick]`.

- Per job: p50 and p95 over 50 jobs with the index (target p50 <= 100 ms, one core).
- Baseline: the same formula scoring every pair (`brute_force_match`), on every fifth of
  those jobs, interleaved with ours so both see the same machine; ratio of the p50s
  (target >= 20x). Every baseline run must find exactly the matches the index found.
- Memory: the profile cache (profiles and index) for 100,000 candidates, by tracemalloc
  (target < 200 MB).
- Throughput: the real postings (or 611 synthetic ones without ../shared) against 10,000
  candidates: pairs per second (pairs = jobs x candidates) and matches per candidate.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from aremu.jobs.csv_source import read_jobspy_csv, sample_jobs_csv
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.matching import JobView, Matcher, ProfileIndex, brute_force_match, job_view
from aremu.matching.profile import profile_from_preferences
from aremu.matching.synthetic import synthetic_preferences, synthetic_profiles
from aremu.observability import logger

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "indeed_ng_jobs.csv"
P50_TARGET_MS = 100.0
RATIO_TARGET = 20.0
MEMORY_TARGET_MB = 200.0


def real_jobs() -> tuple[list[JobView], str]:
    text, source = (
        (DATA.read_text(encoding="utf-8"), "shared postings")
        if DATA.exists()
        else (sample_jobs_csv(), "the project's sample postings")
    )
    enhancer = OfflineEnhancer()
    views: dict[str, JobView] = {}
    for _, row in read_jobspy_csv(text).rows:
        views.setdefault(row["id"], job_view(enhancer.fields(to_raw_job(row, "NG")), row["id"]))
    return list(views.values()), source


def cache_memory_mb(count: int) -> tuple[float, float]:
    """Megabytes the profiles and their index hold, and the seconds to build them."""
    pairs = list(synthetic_preferences(count, seed=11))
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    index = ProfileIndex(
        profile_from_preferences(candidate_id, preferences, updated_at=1.0)
        for candidate_id, preferences in pairs
    )
    seconds = time.perf_counter() - started
    gc.collect()
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(index) == count
    return current / 1e6, seconds


def throughput(jobs: list[JobView]) -> tuple[float, float]:
    """Pairs per second and matches per candidate: every posting against 10,000 candidates."""
    small = ProfileIndex(synthetic_profiles(10_000, seed=3))
    started = time.perf_counter()
    results = Matcher(small).match_many(jobs)
    seconds = time.perf_counter() - started
    total_matches = sum(len(found) for found in results.values())
    pairs_per_second = len(jobs) * len(small) / seconds
    matches_per_candidate = total_matches / len(small)
    print(
        f"{len(jobs)} postings vs {len(small):,} candidates: {seconds:.2f} s, "
        f"{pairs_per_second:,.0f} pairs/s, {total_matches:,} matches, "
        f"{matches_per_candidate:.1f} matches per candidate"
    )
    return pairs_per_second, matches_per_candidate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 candidates, 10 jobs")
    args = parser.parse_args()
    logger.setLevel("WARNING")
    population = 10_000 if args.quick else 100_000
    job_count = 10 if args.quick else 50

    memory_mb, build_seconds = cache_memory_mb(population)
    print(
        f"profile cache: {population:,} candidates hold {memory_mb:.1f} MB "
        f"(target < {MEMORY_TARGET_MB:.0f} MB), built in {build_seconds:.1f} s"
    )

    jobs, source = real_jobs()
    profiles = synthetic_profiles(population)
    index = ProfileIndex(profiles)
    matcher = Matcher(index)
    # A container's cache lives for its lifetime: keep the collector from re-walking it.
    gc.collect()
    gc.freeze()
    sample = jobs[:: max(1, len(jobs) // job_count)][:job_count]
    matcher.match(sample[0])
    ours: list[float] = []
    baseline: list[float] = []
    scored: list[int] = []
    matched: list[int] = []
    agree = True
    for number, job in enumerate(sample):
        started = time.perf_counter()
        found = matcher.match(job)
        ours.append(time.perf_counter() - started)
        scored.append(len(index.candidates_for(job)))
        matched.append(len(found))
        if number % 5 == 0:
            started = time.perf_counter()
            expected = brute_force_match(profiles, job)
            baseline.append(time.perf_counter() - started)
            agree = agree and [m.candidate_id for m in expected] == [m.candidate_id for m in found]
    explained = all(m.reason for job in sample[:5] for m in matcher.match(job))
    p50 = statistics.median(ours) * 1000
    p95 = statistics.quantiles(ours, n=20)[-1] * 1000
    base_p50 = statistics.median(baseline) * 1000
    ratio = base_p50 / p50
    print(
        f"one job vs {population:,} candidates ({len(sample)} jobs from {source}): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p50 <= {P50_TARGET_MS:.0f} ms); "
        f"scored {statistics.median(scored):.0f} and matched {statistics.median(matched):.0f} "
        f"candidates a job (median)"
    )
    print(
        f"direct formula, every pair ({len(baseline)} jobs): p50 {base_p50:.1f} ms; "
        f"index {ratio:.1f}x faster (target >= {RATIO_TARGET:.0f}x); same matches: {agree}"
    )
    example = next((m for job in sample for m in matcher.match(job)), None)
    if example is not None:
        print(f"example: {example.candidate_id} {example.score:g} — {example.reason}")

    pairs_per_second, matches_per_candidate = throughput(jobs)

    meets = (
        p50 <= P50_TARGET_MS
        and ratio >= RATIO_TARGET
        and memory_mb < MEMORY_TARGET_MB
        and agree
        and explained
        and population == 100_000
    )
    print(
        json.dumps(
            {
                "bench": "matching_speed",
                "candidates": population,
                "jobs": len(sample),
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "brute_force_p50_ms": round(base_p50, 2),
                "speedup": round(ratio, 1),
                "same_matches_as_brute_force": agree,
                "cache_mb": round(memory_mb, 1),
                "pairs_per_second": round(pairs_per_second),
                "matches_per_candidate": round(matches_per_candidate, 2),
                "meets_target": meets,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
