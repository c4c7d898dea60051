"""Matching quality on hand-judged personas against the 611 real postings.

Run from the repository root: `.venv/bin/python -m bench.matching_quality [--unjudged]`.

tests/data/matching_personas.json holds 34 candidate personas and, for each, postings
judged relevant or not by reading them. Every persona's alerts (score >= threshold) are
compared with those judgements:

- precision@5: of each persona's top five alerts, the share judged relevant (averaged
  over personas with alerts);
- alerts judged relevant: over all alerts of all personas (target 90%).

An alert nobody judged counts as not relevant, and the count is printed (`--unjudged`
lists them), so a change to the scoring cannot look better by alerting to unread postings.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from aremu.domain.preferences import Preferences
from aremu.jobs.csv_source import read_jobspy_csv
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.matching import JobView, Matcher, ProfileIndex, job_view, profile_from_preferences
from aremu.observability import logger

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "indeed_ng_jobs.csv"
PERSONAS = ROOT / "tests" / "data" / "matching_personas.json"
RELEVANT_TARGET = 0.90
TOP = 5


def job_views() -> dict[str, JobView]:
    enhancer = OfflineEnhancer()
    views: dict[str, JobView] = {}
    for _, row in read_jobspy_csv(DATA.read_text(encoding="utf-8")).rows:
        if row["id"] not in views:
            views[row["id"]] = job_view(enhancer.fields(to_raw_job(row, "NG")), row["id"])
    return views


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unjudged", action="store_true", help="list alerts nobody judged")
    args = parser.parse_args()
    logger.setLevel("WARNING")
    if not DATA.exists():
        print(f"{DATA} is not here (a clone of the project alone does not have it); skipped")
        print(json.dumps({"bench": "matching_quality", "skipped": True}))
        return 0
    personas = json.loads(PERSONAS.read_text(encoding="utf-8"))["personas"]
    views = job_views()
    index = ProfileIndex(
        profile_from_preferences(p["id"], Preferences.model_validate(p["preferences"]))
        for p in personas
    )
    alerts: dict[str, list[tuple[float, str]]] = {p["id"]: [] for p in personas}
    for job_id, matches in Matcher(index).match_many(views.values()).items():
        for match in matches:
            alerts[match.candidate_id].append((match.score, job_id))

    precisions: list[float] = []
    relevant_alerts = total_alerts = unjudged = judged_pairs = 0
    for persona in personas:
        relevant, irrelevant = set(persona["relevant"]), set(persona["irrelevant"])
        judged_pairs += len(relevant) + len(irrelevant)
        ranked = [job_id for _, job_id in sorted(alerts[persona["id"]], reverse=True)]
        total_alerts += len(ranked)
        relevant_alerts += sum(1 for job_id in ranked if job_id in relevant)
        missing = [job_id for job_id in ranked if job_id not in relevant | irrelevant]
        unjudged += len(missing)
        if args.unjudged and missing:
            print(f"  {persona['id']} unjudged: {missing}")
        if ranked:
            top = ranked[:TOP]
            precisions.append(sum(1 for job_id in top if job_id in relevant) / len(top))
    precision_at_5 = sum(precisions) / len(precisions) if precisions else 0.0
    share = relevant_alerts / total_alerts if total_alerts else 0.0
    recall = relevant_alerts / sum(len(p["relevant"]) for p in personas)
    print(
        f"{len(personas)} personas, {judged_pairs} judged postings, {len(views)} postings: "
        f"{total_alerts} alerts ({unjudged} unjudged, counted as not relevant)"
    )
    print(
        f"precision@{TOP} {precision_at_5:.1%} over {len(precisions)} personas with alerts; "
        f"alerts judged relevant {share:.1%} (target {RELEVANT_TARGET:.0%}); "
        f"judged-relevant postings alerted {recall:.1%}"
    )
    print(
        json.dumps(
            {
                "bench": "matching_quality",
                "personas": len(personas),
                "judged": judged_pairs,
                "alerts": total_alerts,
                "unjudged_alerts": unjudged,
                "precision_at_5": round(precision_at_5, 4),
                "alerts_relevant": round(share, 4),
                "relevant_alerted": round(recall, 4),
                "meets_target": share >= RELEVANT_TARGET,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
