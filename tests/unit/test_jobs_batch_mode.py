"""Batch API mode: request lines out, results file back into enhanced jobs."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from aremu.jobs.batch_mode import (
    batch_output,
    build_batch_jsonl,
    read_batch_results,
    submit_batch,
)
from aremu.jobs.models import RawJob
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.openai_enhancer import AiJobFields, OpenAIEnhancerConfig

CONFIG = OpenAIEnhancerConfig()


def posting(number: int) -> RawJob:
    return to_raw_job(
        {
            "id": f"in-{number}",
            "site": "indeed",
            "job_url": f"https://ng.indeed.com/viewjob?jk={number}",
            "title": "Accountant",
            "company": "Okoro & Partners",
            "location": "Abuja, FC, NG",
            "description": "Keep our books with QuickBooks and Excel. Reconcile bank accounts.",
        }
    )


JOBS = {"j1": posting(1), "j2": posting(2), "j3": posting(3), "j4": posting(4)}


def answer(**values: Any) -> str:
    fields: dict[str, Any] = dict.fromkeys(AiJobFields.model_fields)
    fields.update(
        normalised_title="Accountant",
        title_variants=[],
        required_skills=["Accounting", "QuickBooks", "Reconciliation"],
        preferred_skills=[],
        remote=False,
        summary="Books in Abuja.",
    )
    fields.update(values)
    return json.dumps(fields)


def result_line(custom_id: str, body: dict[str, Any] | None = None, **extra: Any) -> str:
    line: dict[str, Any] = {
        "id": f"batch_req_{custom_id}",
        "custom_id": custom_id,
        "response": {"status_code": 200, "request_id": "r", "body": body},
        "error": None,
    }
    line.update(extra)
    return json.dumps(line)


def body(text: str | None = None, refusal: str | None = None) -> dict[str, Any]:
    content: dict[str, Any] = (
        {"type": "refusal", "refusal": refusal}
        if refusal
        else {"type": "output_text", "text": text, "annotations": []}
    )
    return {
        "status": "completed",
        "output": [{"type": "message", "content": [content]}],
        "usage": {"input_tokens": 1000, "output_tokens": 300},
    }


def test_each_job_becomes_one_responses_request_line_with_the_strict_schema() -> None:
    lines = [json.loads(line) for line in build_batch_jsonl(JOBS, CONFIG).splitlines()]

    assert [line["custom_id"] for line in lines] == ["j1", "j2", "j3", "j4"]
    first = lines[0]
    assert (first["method"], first["url"]) == ("POST", "/v1/responses")
    assert first["body"]["model"] == CONFIG.model
    assert first["body"]["text"]["format"]["strict"] is True
    assert first["body"]["text"]["format"]["schema"]["additionalProperties"] is False
    assert first["body"]["input"][0]["content"].startswith("<job_posting>")


def test_more_than_fifty_thousand_jobs_need_several_files() -> None:
    too_many = dict.fromkeys((f"j{n}" for n in range(50_001)), posting(1))

    with pytest.raises(ValueError, match="50000"):
        build_batch_jsonl(too_many, CONFIG)


def test_results_become_enhanced_jobs_and_failures_fall_back_offline() -> None:
    output = "\n".join(
        [
            result_line("j1", body(answer())),
            result_line("j2", body(refusal="no")),
            result_line("j3", None, error={"code": "server_error", "message": "x"}),
            "not json at all",
            result_line("unknown-id", body(answer())),
        ]
    )

    enhanced, run = read_batch_results(output, JOBS, CONFIG)

    assert set(enhanced) == set(JOBS)
    assert enhanced["j1"].enhancement.source == "ai"
    assert enhanced["j1"].fields.required_skills == ["Accounting", "QuickBooks", "Reconciliation"]
    assert enhanced["j2"].enhancement.fallback_reason == "refusal"
    assert enhanced["j3"].enhancement.fallback_reason == "batch_error"
    assert enhanced["j4"].enhancement.fallback_reason == "batch_missing"
    assert (run.ai, run.offline) == (1, 3)


def test_batch_results_are_costed_at_the_batch_discount() -> None:
    enhanced, run = read_batch_results(
        result_line("j1", body(answer())), {"j1": posting(1)}, CONFIG
    )

    full_price = CONFIG.cost(1000, 300)
    assert enhanced["j1"].enhancement.estimated_cost_usd == pytest.approx(full_price * 0.5)
    assert run.estimated_cost_usd == pytest.approx(full_price * 0.5, abs=1e-6)


class FakeBatchClient:
    def __init__(self, status: str) -> None:
        self.uploaded: list[tuple[str, bytes]] = []
        self.created: dict[str, Any] = {}
        self.files = SimpleNamespace(create=self._upload, content=self._content)
        self.batches = SimpleNamespace(create=self._create, retrieve=self._retrieve)
        self.status = status

    def _upload(self, file: tuple[str, bytes], purpose: str) -> Any:
        self.uploaded.append(file)
        return SimpleNamespace(id="file_in")

    def _create(self, **kwargs: Any) -> Any:
        self.created = kwargs
        return SimpleNamespace(id="batch_1")

    def _retrieve(self, batch_id: str) -> Any:
        output = "file_out" if self.status == "completed" else None
        return SimpleNamespace(status=self.status, output_file_id=output)

    def _content(self, file_id: str) -> Any:
        return SimpleNamespace(text=result_line("j1", body(answer())))


def test_a_batch_is_submitted_to_the_responses_endpoint_with_a_24_hour_window() -> None:
    client = FakeBatchClient("validating")

    batch_id = submit_batch(client, build_batch_jsonl(JOBS, CONFIG))  # type: ignore[arg-type]

    assert batch_id == "batch_1"
    assert client.created["endpoint"] == "/v1/responses"
    assert client.created["completion_window"] == "24h"
    assert client.created["input_file_id"] == "file_in"


def test_the_output_is_read_only_once_the_batch_has_completed() -> None:
    assert batch_output(FakeBatchClient("in_progress"), "batch_1") is None  # type: ignore[arg-type]
    assert "j1" in (batch_output(FakeBatchClient("completed"), "batch_1") or "")  # type: ignore[arg-type]
