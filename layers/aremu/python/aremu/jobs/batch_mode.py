"""The OpenAI Batch API for large backfills: half the price, answers within 24 hours.

`build_batch_jsonl` writes one `/v1/responses` request per job with the same body and
strict schema as the live enhancer; `read_batch_results` turns the output file back into
enhanced jobs, validated and clamped the same way, with the offline enhancer standing in
for any job whose line failed or never came back.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import openai

# The SDK's own conversion of a pydantic model to a strict text format, so batch lines
# carry exactly the schema that `responses.parse(text_format=...)` sends live.
from openai.lib._parsing._responses import type_to_text_format_param
from pydantic import ValidationError

from aremu.jobs.models import EnhancedJob, Enhancement, EnhanceRun, RawJob
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.jobs.openai_enhancer import (
    AiFailure,
    AiJobFields,
    OpenAIEnhancerConfig,
    clamp,
    request_body,
)

BATCH_ENDPOINT: Final = "/v1/responses"
MAX_REQUESTS_PER_FILE = 50_000


def build_batch_jsonl(jobs: Mapping[str, RawJob], config: OpenAIEnhancerConfig) -> str:
    """One request line per job, keyed by job id; at most 50,000 jobs a file."""
    if len(jobs) > MAX_REQUESTS_PER_FILE:
        raise ValueError(f"a batch file holds at most {MAX_REQUESTS_PER_FILE} requests")
    text_format = type_to_text_format_param(AiJobFields)
    lines = []
    for job_id, job in jobs.items():
        body = {**request_body(job, config), "text": {"format": text_format}}
        line = {"custom_id": job_id, "method": "POST", "url": BATCH_ENDPOINT, "body": body}
        lines.append(json.dumps(line, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def read_batch_results(
    output_jsonl: str,
    jobs: Mapping[str, RawJob],
    config: OpenAIEnhancerConfig,
    fallback: OfflineEnhancer | None = None,
    now: datetime | None = None,
) -> tuple[dict[str, EnhancedJob], EnhanceRun]:
    """Enhanced jobs by id (every job in `jobs`), and the run's totals at the batch price."""
    offline = fallback or OfflineEnhancer()
    enhanced: dict[str, EnhancedJob] = {}
    for raw_line in output_jsonl.splitlines():
        if not raw_line.strip():
            continue
        try:
            line = json.loads(raw_line)
        except json.JSONDecodeError:
            continue
        job_id = line.get("custom_id") if isinstance(line, dict) else None
        if not isinstance(job_id, str) or job_id not in jobs or job_id in enhanced:
            continue
        job = jobs[job_id]
        try:
            fields, (tokens_in, tokens_out) = _read_line(line)
        except AiFailure as failure:
            enhanced[job_id] = offline.enhance(job, fallback_reason=failure.reason, now=now)
            continue
        enhanced[job_id] = EnhancedJob(
            fields=clamp(fields, job),
            enhancement=Enhancement(
                source="ai",
                model=config.model,
                input_tokens=tokens_in,
                output_tokens=tokens_out,
                estimated_cost_usd=config.cost(tokens_in, tokens_out, config.batch_discount),
                enhanced_at=now,
            ),
        )
    for job_id, job in jobs.items():
        if job_id not in enhanced:
            enhanced[job_id] = offline.enhance(job, fallback_reason="batch_missing", now=now)
    results = [enhanced[job_id] for job_id in jobs]
    reasons = Counter(
        r.enhancement.fallback_reason for r in results if r.enhancement.fallback_reason
    )
    run = EnhanceRun(
        results=results,
        ai=sum(1 for r in results if r.enhancement.source == "ai"),
        offline=sum(1 for r in results if r.enhancement.source == "offline"),
        fallbacks=dict(reasons),
        input_tokens=sum(r.enhancement.input_tokens for r in results),
        output_tokens=sum(r.enhancement.output_tokens for r in results),
        estimated_cost_usd=round(sum(r.enhancement.estimated_cost_usd for r in results), 6),
    )
    return enhanced, run


def submit_batch(client: openai.OpenAI, jsonl: str, description: str = "aremu backfill") -> str:
    """Upload the requests and start the batch; returns the batch id to poll."""
    uploaded = client.files.create(file=("jobs.jsonl", jsonl.encode()), purpose="batch")
    batch = client.batches.create(
        input_file_id=uploaded.id,
        endpoint=BATCH_ENDPOINT,
        completion_window="24h",
        metadata={"description": description},
    )
    return batch.id


def batch_output(client: openai.OpenAI, batch_id: str) -> str | None:
    """The results file once the batch has completed, else None."""
    batch = client.batches.retrieve(batch_id)
    if batch.status != "completed" or not batch.output_file_id:
        return None
    return client.files.content(batch.output_file_id).text


def _read_line(line: dict[str, Any]) -> tuple[AiJobFields, tuple[int, int]]:
    if line.get("error"):
        raise AiFailure("batch_error")
    response = line.get("response") or {}
    status = response.get("status_code")
    if status != 200:
        raise AiFailure(f"http_{status}")
    body = response.get("body") or {}
    usage = body.get("usage") or {}
    tokens = (int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0))
    if body.get("status") == "incomplete":
        reason = (body.get("incomplete_details") or {}).get("reason") or "length"
        raise AiFailure(str(reason), *tokens)
    texts: list[str] = []
    for output in body.get("output") or []:
        for content in output.get("content") or []:
            if content.get("type") == "refusal":
                raise AiFailure("refusal", *tokens)
            if content.get("type") == "output_text":
                texts.append(content.get("text") or "")
    try:
        return AiJobFields.model_validate_json("".join(texts)), tokens
    except ValidationError as error:
        raise AiFailure("invalid_output", *tokens) from error
