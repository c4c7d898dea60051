"""The tables match `aremu.storage.schema`, the shape the local stack creates too."""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Match

from aremu.storage import schema
from tests.infra.synthesized import Synthesized


def main_table(synthesized: Synthesized) -> dict[str, Any]:
    return synthesized.resources[synthesized.logical_id(synthesized.stack.data.table)]


def idempotency_table(synthesized: Synthesized) -> dict[str, Any]:
    return synthesized.resources[synthesized.logical_id(synthesized.stack.data.idempotency_table)]


def test_main_table_keys_and_index_match_the_local_definition(synthesized: Synthesized) -> None:
    local = schema.main_table_definition("aremu")

    props = main_table(synthesized)["Properties"]

    assert props["KeySchema"] == local["KeySchema"]
    assert sorted(props["AttributeDefinitions"], key=str) == sorted(
        local["AttributeDefinitions"], key=str
    )
    assert props["GlobalSecondaryIndexes"] == local["GlobalSecondaryIndexes"]


def test_main_table_has_the_by_candidate_index(synthesized: Synthesized) -> None:
    synthesized.template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "GlobalSecondaryIndexes": [
                Match.object_like(
                    {
                        "IndexName": schema.BY_CANDIDATE_INDEX,
                        "KeySchema": [
                            {"AttributeName": schema.BY_CANDIDATE_PARTITION_KEY, "KeyType": "HASH"},
                            {"AttributeName": schema.BY_CANDIDATE_SORT_KEY, "KeyType": "RANGE"},
                        ],
                    }
                )
            ]
        },
    )


def test_main_table_expires_items_on_the_ttl_attribute(synthesized: Synthesized) -> None:
    props = main_table(synthesized)["Properties"]

    assert props["TimeToLiveSpecification"] == {
        "AttributeName": schema.TTL_ATTRIBUTE,
        "Enabled": True,
    }


def test_main_table_streams_new_and_old_images(synthesized: Synthesized) -> None:
    props = main_table(synthesized)["Properties"]

    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}


def test_main_table_has_point_in_time_recovery(synthesized: Synthesized) -> None:
    props = main_table(synthesized)["Properties"]

    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_main_table_is_on_demand_and_encrypted(synthesized: Synthesized) -> None:
    props = main_table(synthesized)["Properties"]

    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_main_table_survives_stack_deletion(synthesized: Synthesized) -> None:
    table = main_table(synthesized)

    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


def test_main_table_refuses_a_direct_delete(synthesized: Synthesized) -> None:
    props = main_table(synthesized)["Properties"]

    assert props["DeletionProtectionEnabled"] is True


def test_main_table_name_is_an_output(synthesized: Synthesized) -> None:
    table_ref = {"Ref": synthesized.logical_id(synthesized.stack.data.table)}

    assert table_ref in [output["Value"] for output in synthesized.outputs.values()]


def test_idempotency_table_is_keyed_and_expires_as_powertools_expects(
    synthesized: Synthesized,
) -> None:
    props = idempotency_table(synthesized)["Properties"]

    assert props["KeySchema"] == [{"AttributeName": schema.IDEMPOTENCY_KEY, "KeyType": "HASH"}]
    assert props["TimeToLiveSpecification"] == {
        "AttributeName": schema.IDEMPOTENCY_TTL_ATTRIBUTE,
        "Enabled": True,
    }


def test_idempotency_table_is_on_demand_and_encrypted(synthesized: Synthesized) -> None:
    props = idempotency_table(synthesized)["Properties"]

    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_idempotency_table_has_point_in_time_recovery(synthesized: Synthesized) -> None:
    props = idempotency_table(synthesized)["Properties"]

    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_idempotency_table_has_no_stream(synthesized: Synthesized) -> None:
    props = idempotency_table(synthesized)["Properties"]

    assert "StreamSpecification" not in props
