"""Read the main table's stream from moto in-process and shape it as Lambda would deliver it."""

from __future__ import annotations

from typing import Any

import boto3

from aremu.local.stream_records import RecordFilter, to_lambda_record


class TableStreamReader:
    """Reads each shard from where the previous call stopped, like one event-source mapping."""

    def __init__(self, table_name: str = "aremu", region: str = "eu-west-1") -> None:
        self._region = region
        self._streams = boto3.client("dynamodbstreams", region_name=region)
        self._arn = boto3.client("dynamodb", region_name=region).describe_table(
            TableName=table_name
        )["Table"]["LatestStreamArn"]
        self._iterators: dict[str, str] = {}

    def event(self, *filter_patterns: dict[str, Any]) -> dict[str, Any]:
        """Every new record matching any of the patterns, as one Lambda stream event.

        Records not matching are consumed too, as they are by an event-source mapping.
        """
        matchers = [RecordFilter(pattern) for pattern in filter_patterns]
        records = [r for r in self._new_records() if any(m.matches(r) for m in matchers)]
        return {"Records": records}

    def _new_records(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            shard_id = shard["ShardId"]
            iterator = (
                self._iterators.get(shard_id)
                or self._streams.get_shard_iterator(
                    StreamArn=self._arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            )
            response = self._streams.get_records(ShardIterator=iterator)
            self._iterators[shard_id] = response["NextShardIterator"]
            records.extend(
                to_lambda_record(raw, region=self._region, stream_arn=self._arn)
                for raw in response["Records"]
            )
        return records
