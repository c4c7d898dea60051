"""moto in server mode, standing in for every AWS service the functions use."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

import boto3
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.models import ShardIterator
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
from moto.server import ThreadedMotoServer

from aremu.local.environment import LOCAL_AWS_KEY
from aremu.storage.schema import create_tables

_dynamodb_lock = threading.RLock()
_PATCHED = "__aremu_patched__"


def _one_at_a_time(action: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(action)
    def locked(self: Any) -> Any:
        with _dynamodb_lock:
            return action(self)

    setattr(locked, _PATCHED, True)
    return locked


def _from_current_table(get: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(get)
    def current(self: Any, limit: int = 1000) -> Any:
        table = self.streams_backend.dynamodb.tables.get(self.stream_shard.table.name)
        if table is not None and table.stream_shard is not None:
            self.stream_shard = table.stream_shard
        return get(self, limit)

    setattr(current, _PATCHED, True)
    return current


def make_streams_transactional() -> None:
    """Give moto's DynamoDB streams the atomicity of DynamoDB's around cancelled transactions.

    A cancelled TransactWriteItems in moto applies its items (adding stream records), then
    puts back a copy of the whole table taken before. Two things follow, both unlike
    DynamoDB: a reader served meanwhile sees records that are then taken back (and their
    sequence numbers reused), and a shard iterator made before keeps reading the discarded
    table, which holds those records and never gets another. So DynamoDB requests are
    served one at a time (moto holds the GIL throughout them anyway), and an iterator
    reads the table as it is now.
    """
    for handler in (DynamoHandler, DynamoDBStreamsHandler):
        if not getattr(handler.__dict__.get("call_action"), _PATCHED, False):
            handler.call_action = _one_at_a_time(handler.call_action)  # type: ignore[method-assign]
    if not getattr(ShardIterator.get, _PATCHED, False):
        ShardIterator.get = _from_current_table(ShardIterator.get)  # type: ignore[method-assign]


class LocalAws:
    def __init__(self, *, region: str, host: str = "127.0.0.1") -> None:
        self.region = region
        self._server = ThreadedMotoServer(ip_address=host, port=0, verbose=False)
        self.endpoint_url = ""

    def start(self) -> str:
        # Werkzeug logs every request moto serves; the pump alone makes ten a second.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        make_streams_transactional()
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        return self.endpoint_url

    def stop(self) -> None:
        if self.endpoint_url:
            self._server.stop()

    def client(self, service: str) -> Any:
        """A client bound to moto explicitly, whatever the environment says."""
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=LOCAL_AWS_KEY,
            aws_secret_access_key=LOCAL_AWS_KEY,
        )

    def create_tables(self, table_name: str, idempotency_table_name: str) -> str:
        """Create the tables; returns the main table's stream ARN."""
        dynamodb = self.client("dynamodb")
        create_tables(dynamodb, table_name, idempotency_table_name)
        stream_arn: str = dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        return stream_arn

    def create_event_bus(self, name: str) -> None:
        if name != "default":
            self.client("events").create_event_bus(Name=name)
