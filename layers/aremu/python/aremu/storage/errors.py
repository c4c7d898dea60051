"""Reading pynamodb's errors, so callers never match on message text."""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException


def is_condition_failure(error: PynamoDBException) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"
