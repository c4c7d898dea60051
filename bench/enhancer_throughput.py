"""Enhancement throughput: the AI enhancer against a local fake OpenAI that answers in 1 s,
and the offline enhancer. Targets: 600 jobs/minute (AI), 50 jobs/s (offline); the original
design states 50 jobs/minute, so each figure is also printed as a multiple of that.

Run from the repository root: `.venv/bin/python -m bench.enhancer_throughput`.

The fake server is stdlib `ThreadingHTTPServer` on 127.0.0.1 (an ephemeral port), answers
`POST /v1/responses` with a valid Responses API body after the latency, and is shut down
at the end; the run sends a fixed number of requests.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import openai

from aremu.jobs.csv_source import read_jobspy_csv
from aremu.jobs.models import RawJob
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.jobs.openai_enhancer import AiJobFields, OpenAIEnhancer, OpenAIEnhancerConfig
from aremu.observability import logger

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "indeed_ng_jobs.csv"
AI_TARGET_PER_MINUTE = 600.0
OFFLINE_TARGET_PER_SECOND = 50.0
DESIGN_PER_MINUTE = 50.0


def fake_answer() -> bytes:
    fields: dict[str, Any] = dict.fromkeys(AiJobFields.model_fields)
    fields.update(
        normalised_title="Sales Executive",
        title_variants=["Sales Representative"],
        required_skills=["Sales", "Negotiation", "Communication"],
        preferred_skills=[],
        job_function="Sales",
        remote=False,
        summary="Sell our products in Lagos.",
    )
    body = {
        "id": "resp_fake",
        "object": "response",
        "created_at": 0,
        "model": "gpt-4o-mini",
        "status": "completed",
        "output": [
            {
                "type": "message",
                "id": "msg_fake",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": json.dumps(fields), "annotations": []}],
            }
        ],
        "usage": {
            "input_tokens": 1500,
            "output_tokens": 350,
            "total_tokens": 1850,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
        },
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }
    return json.dumps(body).encode()


class FakeOpenAI(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, latency: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.latency = latency
        self.answer = fake_answer()
        self.requests = 0
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.requests += 1
        time.sleep(self.server.latency)
        self.send_response(200 if self.path.endswith("/responses") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.answer)))
        self.end_headers()
        self.wfile.write(self.server.answer)

    def log_message(self, format: str, *args: Any) -> None:
        return


def load_jobs(count: int) -> list[RawJob]:
    if SHARED.exists():
        text = SHARED.read_text(encoding="utf-8")
    else:
        text = (resources.files("aremu") / "data" / "sample_jobs.csv").read_text(encoding="utf-8")
    jobs = [to_raw_job(row, "NG") for _, row in read_jobspy_csv(text).rows]
    return [jobs[index % len(jobs)] for index in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=160)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=1.0)
    args = parser.parse_args()
    logger.setLevel("WARNING")

    jobs = load_jobs(args.jobs)
    server = FakeOpenAI(args.latency)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        config = OpenAIEnhancerConfig(max_concurrency=args.concurrency)
        enhancer = OpenAIEnhancer(client, config)
        started = time.perf_counter()
        run = enhancer.enhance_many(jobs)
        seconds = time.perf_counter() - started
    finally:
        server.shutdown()
        server.server_close()
    ai_per_minute = run.ai * 60 / seconds

    offline = OfflineEnhancer()
    offline.enhance(jobs[0])
    started = time.perf_counter()
    for job in jobs:
        offline.enhance(job)
    offline_per_second = len(jobs) / (time.perf_counter() - started)

    print(
        f"AI enhancer vs a fake OpenAI answering in {args.latency:.1f} s: {run.ai} of {len(jobs)} "
        f"jobs in {seconds:.1f} s with {args.concurrency} in flight = {ai_per_minute:.0f} "
        f"jobs/minute (target {AI_TARGET_PER_MINUTE:.0f}; "
        f"{ai_per_minute / DESIGN_PER_MINUTE:.1f}x the design's 50 jobs/minute); "
        f"{run.input_tokens} tokens in, {run.output_tokens} out, ${run.estimated_cost_usd:.4f}"
    )
    print(
        f"offline enhancer: {offline_per_second:.0f} jobs/s = {offline_per_second * 60:.0f} "
        f"jobs/minute (target {OFFLINE_TARGET_PER_SECOND:.0f} jobs/s; "
        f"{offline_per_second * 60 / DESIGN_PER_MINUTE:.0f}x the design's 50 jobs/minute)"
    )
    meets = (
        run.ai == len(jobs)
        and ai_per_minute >= AI_TARGET_PER_MINUTE
        and offline_per_second >= OFFLINE_TARGET_PER_SECOND
    )
    print(
        json.dumps(
            {
                "bench": "enhancer_throughput",
                "jobs": len(jobs),
                "concurrency": args.concurrency,
                "latency_seconds": args.latency,
                "ai_jobs_per_minute": round(ai_per_minute, 1),
                "ai_ratio_to_design": round(ai_per_minute / DESIGN_PER_MINUTE, 2),
                "ai_fallbacks": run.fallbacks,
                "offline_jobs_per_second": round(offline_per_second, 1),
                "offline_ratio_to_design": round(offline_per_second * 60 / DESIGN_PER_MINUTE, 1),
                "ai_target_per_minute": AI_TARGET_PER_MINUTE,
                "offline_target_per_second": OFFLINE_TARGET_PER_SECOND,
                "meets_target": meets,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
