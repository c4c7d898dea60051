"""DynamoDB failures moto does not produce, built as pynamodb raises them from the real API.

moto runs transactions one at a time, so it never cancels one for TransactionConflict (a
concurrent transaction on one of its items); DynamoDB does, and code must survive it.
"""

from __future__ import annotations

from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError


def transaction_conflict(items: int, conflicting: int) -> TransactWriteError:
    """A TransactWriteItems of `items` actions cancelled because action `conflicting`
    (0-based) was being written by another transaction at the same moment."""
    reasons: list[CancellationReason | None] = [None] * items
    reasons[conflicting] = CancellationReason(
        code="TransactionConflict", message="Transaction is ongoing for the item"
    )
    cause = VerboseClientError(
        {
            "Error": {
                "Code": "TransactionCanceledException",
                "Message": "Transaction cancelled, please refer cancellation reasons for specific "
                "reasons [None, TransactionConflict]",
            }
        },
        "TransactWriteItems",
        cancellation_reasons=reasons,
    )
    return TransactWriteError("Failed to write transaction items", cause)


class ConflictingConnection:
    """A pynamodb Connection whose next `conflicts` transactions are cancelled by a
    TransactionConflict on action `conflicting` (in DynamoDB's order: condition checks,
    deletes, puts, updates; negative counts from the end). Everything else passes through.
    """

    def __init__(self, connection: Connection, conflicts: int = 1, conflicting: int = -1) -> None:
        self._connection = connection
        self.conflicts = conflicts
        self.conflicting = conflicting
        self.transactions = 0  # attempted, cancelled ones included

    def transact_write_items(self, **actions: Any) -> Any:
        self.transactions += 1
        if self.conflicts > 0:
            self.conflicts -= 1
            kinds = ("condition_check_items", "delete_items", "put_items", "update_items")
            items = sum(len(actions.get(kind) or ()) for kind in kinds)
            raise transaction_conflict(items, self.conflicting % items)
        return self._connection.transact_write_items(**actions)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)
