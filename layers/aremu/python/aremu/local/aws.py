"""moto in server mode, standing in for every AWS service the functions use."""

from __future__ import annotations

import copy
import functools
import io
import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
import requests
from moto import backends as moto_backends
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.models import ShardIterator
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

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


# Transactions allow at most this many items.
MAX_TRANSACTION_ITEMS = 100


@dataclass
class _Undo:
    """What a transaction touched, so that a cancelled one can be put back item by item."""

    items: list[tuple[Table, DynamoType, DynamoType | None, Any]]
    stream_lengths: dict[str, tuple[Table, int]]

    def remember(self, table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> None:
        if table.name not in self.stream_lengths and table.stream_shard is not None:
            self.stream_lengths[table.name] = (table, len(table.stream_shard.items))
        before = table.get_item(hash_key, range_key)
        self.items.append((table, hash_key, range_key, copy.deepcopy(before)))

    def roll_back(self) -> None:
        for table, hash_key, range_key, before in reversed(self.items):
            if range_key is None:
                if before is None:
                    table.items.pop(hash_key, None)
                else:
                    table.items[hash_key] = before
            elif before is None:
                table.items[hash_key].pop(range_key, None)
            else:
                table.items[hash_key][range_key] = before
        # The records the cancelled writes added are taken back; the sequence continues
        # from the last record kept, as moto numbers records by position.
        for table, length in self.stream_lengths.values():
            if table.stream_shard is not None:
                del table.stream_shard.items[length:]


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's TransactWriteItems, undoing a cancelled transaction item by item.

    moto deep-copies every table a transaction names before it starts (items, stream
    records and all) to be able to roll back; that copy grows with the table and made
    each webhook call take hundreds of milliseconds after a few hundred messages. Here
    only the items the transaction touches are copied. Requests are served one at a time
    (see `make_streams_transactional`), so nothing else sees the intermediate state.
    """
    if len(transact_items) > MAX_TRANSACTION_ITEMS:
        raise TooManyTransactionsException()
    undo = _Undo([], {})
    seen: set[tuple[str, str]] = set()
    errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        try:
            _write_one(self, entry, undo, seen)
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            undo.roll_back()
            raise
        except ConditionalCheckFailed as error:
            old_item = getattr(error, "old_item", None)
            errors.append(("ConditionalCheckFailed", str(error.message), old_item))
        except Exception as error:  # moto reports any other failure per item, as here
            errors.append((type(error).__name__, str(error), None))
    if any(code is not None for code, _, _ in errors):
        undo.roll_back()
        raise TransactionCanceledException(errors)


def _write_one(
    backend: DynamoDBBackend,
    entry: dict[str, Any],
    undo: _Undo,
    seen: set[tuple[str, str]],
) -> None:
    op_type, op = next(iter(entry.items()))
    if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
        raise ValueError("Unsupported transaction operation")
    table_name = op["TableName"]
    table = backend.get_table(table_name)
    if op_type == "Put":
        key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = op["Item"][table.range_key_attr]
    else:
        key = op["Key"]
    unique = (str(table_name), str(dict(sorted(key.items()))))
    if unique in seen:
        raise MultipleTransactionsException()
    seen.add(unique)
    current = backend.get_item(table_name, key)
    condition = op.get("ConditionExpression")
    names = op.get("ExpressionAttributeNames")
    values = op.get("ExpressionAttributeValues")
    if condition is not None and not get_filter_expression(condition, names, values).expr(current):
        wants_item = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
        failure = ConditionalCheckFailed()
        # Returned in the cancellation reasons, as moto does.
        failure.old_item = current.to_json()["Attributes"] if wants_item and current else None  # type: ignore[attr-defined]
        raise failure
    if op_type == "ConditionCheck":
        return
    undo.remember(table, *backend.get_keys_value(table, key))
    if op_type == "Put":
        backend.put_item(
            table_name,
            op["Item"],
            condition_expression=condition,
            expression_attribute_names=names,
            expression_attribute_values=values,
        )
    elif op_type == "Delete":
        backend.delete_item(
            table_name,
            key,
            condition_expression=condition,
            expression_attribute_names=names,
            expression_attribute_values=values,
        )
    else:
        backend.update_item(
            table_name,
            key,
            update_expression=op["UpdateExpression"],
            condition_expression=condition,
            expression_attribute_names=names,  # type: ignore[arg-type]
            expression_attribute_values=values,  # type: ignore[arg-type]
        )


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
    if not getattr(DynamoDBBackend.transact_write_items, _PATCHED, False):
        setattr(_transact_write_items, _PATCHED, True)
        DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]


@dataclass(frozen=True)
class QueueAddress:
    """A queue in moto with its dead-letter queue."""

    name: str
    url: str
    arn: str
    dlq_url: str
    dlq_arn: str


class _KeepAliveRequestHandler(MotoRequestHandler):  # type: ignore[misc]
    """moto's request handler, keeping connections open between requests.

    werkzeug closes every connection after one response, because http.server cannot skip
    a body the application left unread before the next request line. A new connection
    (and thread) per request cost more than most of moto's requests themselves. So the
    body is read here, whole, before the application runs, and the connection is kept;
    a request whose body cannot be read up front (chunked, or expecting 100-continue)
    still gets its connection closed.
    """

    _keep_alive = False
    # Headers and body go out in separate writes: without this, on a kept-alive connection
    # the body waits for the client's delayed ACK (about 40 ms a response).
    disable_nagle_algorithm = True

    def run_wsgi(self) -> None:
        length = self.headers.get("Content-Length")
        self._keep_alive = (
            length is not None
            and "chunked" not in (self.headers.get("Transfer-Encoding") or "").lower()
            and not self.headers.get("Expect")
        )
        if not self._keep_alive:
            super().run_wsgi()
            return
        connection: Any = self.rfile  # type: ignore[has-type]
        self.rfile = io.BytesIO(connection.read(int(length or 0)))
        try:
            super().run_wsgi()
        finally:
            self.rfile = connection

    def send_header(self, keyword: str, value: str) -> None:
        if self._keep_alive and keyword.lower() == "connection" and value.lower() == "close":
            return
        super().send_header(keyword, value)


class _MotoServer(ThreadedMotoServer):  # type: ignore[misc]
    """moto's threaded server, with keep-alive connections."""

    def _server_entry(self) -> None:
        app = DomainDispatcherApplication(create_backend_app)
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=_KeepAliveRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


@functools.cache
def _moto_modules() -> tuple[str, ...]:
    return tuple(_list_moto_modules())


_list_moto_modules = moto_backends.list_of_moto_modules


def make_dispatch_cheaper() -> None:
    """moto lists its own package folder on disk for every request it routes; once will do."""
    moto_backends.list_of_moto_modules = _moto_modules  # type: ignore[assignment]


class LocalAws:
    def __init__(self, *, region: str, host: str = "127.0.0.1") -> None:
        self.region = region
        self._server = _MotoServer(ip_address=host, port=0, verbose=False)
        self.endpoint_url = ""

    def start(self) -> str:
        # Werkzeug logs every request moto serves; the pump alone makes ten a second.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        make_streams_transactional()
        make_dispatch_cheaper()
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        return self.endpoint_url

    def stop(self) -> None:
        if self.endpoint_url:
            # moto keeps its state in module globals shared by every server in the process:
            # cleared, so that the next stack started here begins empty, as a new one does.
            try:
                requests.post(f"{self.endpoint_url}/moto-api/reset", timeout=10)
            except requests.RequestException:
                logging.getLogger(__name__).warning("moto state not reset", exc_info=True)
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

    def create_queue(
        self, name: str, *, visibility_timeout_seconds: int, max_receive_count: int
    ) -> QueueAddress:
        """A standard queue and its DLQ, joined by a redrive policy as the CDK app joins them."""
        sqs = self.client("sqs")
        dlq_url: str = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
        dlq_arn = self._queue_arn(dlq_url)
        redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}
        url: str = sqs.create_queue(
            QueueName=name,
            Attributes={
                "VisibilityTimeout": str(visibility_timeout_seconds),
                "RedrivePolicy": json.dumps(redrive),
            },
        )["QueueUrl"]
        return QueueAddress(name, url, self._queue_arn(url), dlq_url, dlq_arn)

    def route_rule_to_queue(
        self, *, bus_name: str, rule_name: str, pattern: Mapping[str, Any], queue_arn: str
    ) -> None:
        """An EventBridge rule on the bus whose one target is the queue (moto delivers to it)."""
        events = self.client("events")
        events.put_rule(Name=rule_name, EventBusName=bus_name, EventPattern=json.dumps(pattern))
        events.put_targets(
            Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "queue", "Arn": queue_arn}]
        )

    def _queue_arn(self, url: str) -> str:
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn"]
        )
        arn: str = attributes["Attributes"]["QueueArn"]
        return arn
