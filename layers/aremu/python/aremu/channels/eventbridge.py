"""The Aremu event bus: PutEvents in batches, reporting which entries failed."""

from __future__ import annotations

import json
from typing import Any

from aremu.domain.events import DomainEvent
from aremu.names import EVENT_SOURCE

# PutEvents takes at most ten entries per call.
MAX_ENTRIES_PER_CALL = 10


class EventBusPublisher:
    def __init__(self, client: Any, bus_name: str) -> None:
        self._client = client
        self._bus_name = bus_name

    def publish(self, events: list[DomainEvent]) -> list[int]:
        """Publish `events`; returns the indexes of those EventBridge did not accept."""
        failed: list[int] = []
        for start in range(0, len(events), MAX_ENTRIES_PER_CALL):
            chunk = events[start : start + MAX_ENTRIES_PER_CALL]
            response = self._client.put_events(Entries=[self._entry(event) for event in chunk])
            if response.get("FailedEntryCount", 0):
                failed.extend(
                    start + index
                    for index, entry in enumerate(response["Entries"])
                    if entry.get("ErrorCode")
                )
        return failed

    def _entry(self, event: DomainEvent) -> dict[str, Any]:
        return {
            "Source": EVENT_SOURCE,
            "DetailType": event.detail_type.value,
            "Detail": json.dumps(event.detail, separators=(",", ":")),
            "EventBusName": self._bus_name,
            "Time": event.time,
        }
