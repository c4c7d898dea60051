"""The physical shape of Aremu's tables, shared by the models, the CDK and the local stack.

One table holds every entity (single-table design); a generic GSI groups a candidate's
items so that conversation history and erasure are Queries, never Scans.
"""

from __future__ import annotations

from typing import Any

PARTITION_KEY = "pk"
SORT_KEY = "sk"
BY_CANDIDATE_INDEX = "by_candidate"
BY_CANDIDATE_PARTITION_KEY = "gsi1pk"
BY_CANDIDATE_SORT_KEY = "gsi1sk"
TTL_ATTRIBUTE = "expires_at"

IDEMPOTENCY_KEY = "id"
IDEMPOTENCY_TTL_ATTRIBUTE = "expiration"


def main_table_definition(table_name: str) -> dict[str, Any]:
    """CreateTable arguments for the main table (used locally; the CDK mirrors them)."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"}
            for name in (PARTITION_KEY, SORT_KEY, BY_CANDIDATE_PARTITION_KEY, BY_CANDIDATE_SORT_KEY)
        ],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": BY_CANDIDATE_INDEX,
                "KeySchema": [
                    {"AttributeName": BY_CANDIDATE_PARTITION_KEY, "KeyType": "HASH"},
                    {"AttributeName": BY_CANDIDATE_SORT_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


def idempotency_table_definition(table_name: str) -> dict[str, Any]:
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": IDEMPOTENCY_KEY, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": IDEMPOTENCY_KEY, "KeyType": "HASH"}],
    }


def create_tables(dynamodb_client: Any, table_name: str, idempotency_table_name: str) -> None:
    """Create both tables with TTL switched on; for the local stack and tests only."""
    for definition, ttl in (
        (main_table_definition(table_name), TTL_ATTRIBUTE),
        (idempotency_table_definition(idempotency_table_name), IDEMPOTENCY_TTL_ATTRIBUTE),
    ):
        dynamodb_client.create_table(**definition)
        dynamodb_client.update_time_to_live(
            TableName=definition["TableName"],
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl},
        )
