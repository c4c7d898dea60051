"""Enhance RAW jobs (from the table's stream) and store them as ENHANCED.

Without an OpenAI key the offline enhancer does the work; with one, the AI does, and the
offline enhancer still covers every job the AI could not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from aremu.jobs.models import EnhancedJob, EnhanceRun, RawJob, StoredJob
from aremu.jobs.offline_enhancer import OfflineEnhancer

if TYPE_CHECKING:
    from aremu.jobs.openai_enhancer import OpenAIEnhancerConfig


class JobEnhancer(Protocol):
    def enhance_many(self, jobs: Sequence[RawJob], now: datetime | None = None) -> EnhanceRun: ...


class EnhancedJobStore(Protocol):
    def mark_enhanced(self, job_id: str, enhanced: EnhancedJob, now: datetime) -> bool: ...


def build_enhancer(
    api_key: str | None,
    config: OpenAIEnhancerConfig | None = None,
    client: Any | None = None,
) -> JobEnhancer:
    """The AI enhancer when there is a key (or a client), else the offline one."""
    if not api_key and client is None:
        return OfflineEnhancer()
    # Imported here: the openai SDK costs cold-start time that the offline path never needs.
    import openai

    from aremu.jobs.openai_enhancer import OpenAIEnhancer

    return OpenAIEnhancer(client or openai.OpenAI(api_key=api_key), config)


def enhance_stored_jobs(
    jobs: Sequence[StoredJob], enhancer: JobEnhancer, store: EnhancedJobStore, now: datetime
) -> EnhanceRun:
    """Enhance the RAW ones among `jobs` and store each result; ENHANCED ones are left as is."""
    raw = [job for job in jobs if job.status == "RAW"]
    run = enhancer.enhance_many([job.raw for job in raw], now)
    for job, result in zip(raw, run.results, strict=True):
        store.mark_enhanced(job.job_id, result, now)
    return run
