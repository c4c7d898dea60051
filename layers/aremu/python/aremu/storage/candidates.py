"""Candidate profile reads and the once-only welcome claim."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError

from aremu.storage.errors import is_condition_failure
from aremu.storage.models import CandidateItem, candidate_key


class CandidateStore:
    def get(self, candidate_id: str) -> CandidateItem | None:
        try:
            return CandidateItem.get(candidate_key(candidate_id), CandidateItem.SORT_KEY)
        except CandidateItem.DoesNotExist:
            return None

    def claim_welcome(self, candidate_id: str, now: datetime) -> bool:
        """Mark the candidate welcomed; False when someone already did (so welcome once)."""
        try:
            CandidateItem(candidate_key(candidate_id), CandidateItem.SORT_KEY).update(
                actions=[CandidateItem.welcomed_at.set(now)],
                condition=CandidateItem.pk.exists() & CandidateItem.welcomed_at.does_not_exist(),
            )
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def release_welcome(self, candidate_id: str) -> None:
        """Undo a claim whose welcome could not be sent, so a retry sends it."""
        CandidateItem(candidate_key(candidate_id), CandidateItem.SORT_KEY).update(
            actions=[CandidateItem.welcomed_at.remove()],
            condition=CandidateItem.pk.exists(),
        )
