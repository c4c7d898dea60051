"""Domain events written on their own, after the change they report has happened.

For changes that are already final when the event is written (a reminder sent, a window
expired); an event that must not outlive a failed change goes in that change's
transaction instead (`aremu.storage.models.outbox_event`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aremu.storage.models import outbox_event


class OutboxEventLog:
    def record(
        self, candidate_id: str, detail_type: str, detail: dict[str, Any], at: datetime
    ) -> None:
        outbox_event(candidate_id, detail_type, detail, at).save()
