"""The matcher's per-container cache of candidate profiles, refreshed incrementally.

A cold container reads the active candidates once; after that each refresh reads only the
candidates changed since the last one (a Query on the stage index from the last refresh
time), in every stage, so that those who paused or stopped leave the index too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from aremu.domain.delivery.routing import Recipient
from aremu.domain.preferences import Preferences
from aremu.matching.index import ProfileIndex
from aremu.matching.profile import profile_from_preferences
from aremu.observability import logger
from aremu.storage.candidates import CandidateStore
from aremu.storage.models import CandidateItem

STAGES = ("new", "consented", "collecting", "active", "paused", "opted_out")
# The stage index is eventually consistent: look a little further back than the last refresh.
REFRESH_OVERLAP = timedelta(seconds=30)


class ProfileCache:
    def __init__(self, candidates: CandidateStore) -> None:
        self._candidates = candidates
        self.index = ProfileIndex()
        self._recipients: dict[str, Recipient] = {}
        self._muted: dict[str, frozenset[str]] = {}
        self._refreshed_at: datetime | None = None

    def refresh(self, now: datetime) -> int:
        """Re-read what changed since the last refresh; returns how many items were read."""
        since = self._refreshed_at - REFRESH_OVERLAP if self._refreshed_at else None
        stages = STAGES if since else ("active",)
        read = 0
        for stage in stages:
            for item in self._candidates.in_stage(stage, since):
                self._apply(item)
                read += 1
        self._refreshed_at = now
        logger.info("profiles refreshed", extra={"read": read, "cached": len(self.index)})
        return read

    def forget(self, candidate_id: str) -> None:
        self.index.remove(candidate_id)
        self._recipients.pop(candidate_id, None)
        self._muted.pop(candidate_id, None)

    def recipient(self, candidate_id: str) -> Recipient | None:
        return self._recipients.get(candidate_id)

    def muted(self, candidate_id: str) -> frozenset[str]:
        return self._muted.get(candidate_id, frozenset())

    def _apply(self, item: CandidateItem) -> None:
        if item.state != "active":
            self.forget(item.candidate_id)
            return
        preferences = Preferences.model_validate(item.preferences or {})
        self.index.upsert(profile_from_preferences(item.candidate_id, preferences))
        # A held candidate stays indexed, so matching resumes the moment the hold ends.
        self._recipients[item.candidate_id] = Recipient(
            stage=item.state,
            last_inbound_at=item.last_inbound_at,
            taken_over=item.operator_id is not None,
        )
        self._muted[item.candidate_id] = frozenset(map(str, item.muted_titles or ()))
