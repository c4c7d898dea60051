"""Publishing to the bus in chunks of ten, and reporting the entries EventBridge refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aremu.channels.eventbridge import EventBusPublisher
from aremu.domain.events import DomainEvent, message_received


class FakeEventsClient:
    """Answers PutEvents like EventBridge, refusing entries for the given message ids."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.calls: list[list[dict[str, Any]]] = []
        self._refuse = refuse

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls.append(Entries)
        results = [
            {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"}
            if json.loads(entry["Detail"])["messageId"] in self._refuse
            else {"EventId": "e"}
            for entry in Entries
        ]
        return {
            "FailedEntryCount": sum("ErrorCode" in r for r in results),
            "Entries": results,
        }


def events(count: int) -> list[DomainEvent]:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    return [message_received("c1", f"m{index}", "hi", now) for index in range(count)]


def test_events_go_out_ten_per_call() -> None:
    client = FakeEventsClient()

    failed = EventBusPublisher(client, "aremu").publish(events(23))

    assert failed == []
    assert [len(call) for call in client.calls] == [10, 10, 3]
    assert {entry["EventBusName"] for call in client.calls for entry in call} == {"aremu"}


def test_refused_entries_are_reported_by_their_position() -> None:
    client = FakeEventsClient(refuse=frozenset({"m3", "m14"}))

    failed = EventBusPublisher(client, "aremu").publish(events(20))

    assert failed == [3, 14]


def test_entry_carries_source_detail_type_and_compact_detail() -> None:
    client = FakeEventsClient()

    EventBusPublisher(client, "aremu").publish(events(1))

    (entry,) = client.calls[0]
    assert (entry["Source"], entry["DetailType"]) == ("aremu", "MessageReceived")
    assert json.loads(entry["Detail"])["timestamp"] == "2026-11-22T00:00:00Z"
