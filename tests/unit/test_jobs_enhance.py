"""The enhance use case: RAW jobs enhanced and stored; the enhancer chosen by the key."""

from __future__ import annotations

from datetime import UTC, datetime

from aremu.jobs.enhance import build_enhancer, enhance_stored_jobs
from aremu.jobs.models import EnhancedJob, StoredJob
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.jobs.openai_enhancer import OpenAIEnhancer

NOW = datetime(2025, 8, 14, tzinfo=UTC)


class MemoryStore:
    def __init__(self) -> None:
        self.enhanced: dict[str, EnhancedJob] = {}

    def mark_enhanced(self, job_id: str, enhanced: EnhancedJob, now: datetime) -> bool:
        self.enhanced[job_id] = enhanced
        return True


def stored(job_id: str, status: str = "RAW") -> StoredJob:
    raw = to_raw_job(
        {
            "id": job_id,
            "site": "indeed",
            "job_url": f"https://indeed.example/{job_id}",
            "title": "Accountant",
            "description": "Prepare financial statements and bank reconciliations in Excel.",
        }
    )
    return StoredJob(
        job_id=job_id,
        status="RAW" if status == "RAW" else "ENHANCED",
        raw=raw,
        sources=[raw.source],
        ingested_at=NOW,
        updated_at=NOW,
    )


def test_without_a_key_the_offline_enhancer_is_used() -> None:
    assert isinstance(build_enhancer(None), OfflineEnhancer)
    assert isinstance(build_enhancer(""), OfflineEnhancer)


def test_with_a_key_the_ai_enhancer_is_used() -> None:
    assert isinstance(build_enhancer("sk-test"), OpenAIEnhancer)


def test_raw_jobs_are_enhanced_and_stored_and_enhanced_ones_left_alone() -> None:
    store = MemoryStore()

    run = enhance_stored_jobs(
        [stored("j1"), stored("j2", status="ENHANCED")], OfflineEnhancer(), store, NOW
    )

    assert list(store.enhanced) == ["j1"]
    assert run.offline == 1
    assert store.enhanced["j1"].fields.job_function == "Finance & Accounting"
    assert store.enhanced["j1"].enhancement.enhanced_at == NOW
