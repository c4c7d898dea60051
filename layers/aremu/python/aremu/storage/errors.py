"""Reading pynamodb's errors, so callers never match on message text."""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException, TransactWriteError


def is_condition_failure(error: PynamoDBException) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"


def is_transaction_conflict(error: TransactWriteError) -> bool:
    """Another transaction was writing one of the items: nothing was decided, and the same
    write may simply be tried again."""
    return any(
        reason is not None and reason.code == "TransactionConflict"
        for reason in error.cancellation_reasons
    ) or error.cause_response_code in {
        "TransactionConflictException",
        "TransactionInProgressException",
    }
