"""Count DynamoDB requests made through pynamodb with a botocore event hook."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aremu import runtime
from aremu.storage.models import ALL_MODELS


class DynamoDBRequestCounter:
    """Registers `before-call.dynamodb` on every client pynamodb uses, then counts calls."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._clients: list[Any] = []

    def attach(self) -> None:
        clients = [runtime.dynamodb_connection().client, runtime.idempotency_client()]
        clients += [model._get_connection().connection.client for model in ALL_MODELS]
        for client in clients:
            if any(client is seen for seen in self._clients):
                continue
            self._clients.append(client)
            client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        self.calls.clear()
