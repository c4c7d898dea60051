"""A scheduled risk run over 100,000 candidates (target: under 30 s here), with the number of
items read printed beside the number of candidates due.

Runs the real risk service and its pynamodb adapter against moto in-process. The population
mixes conversation stages and activity as a live service would: 45% engaged (last message
between 2 minutes and 10 days ago, log-uniform), the rest lapsed (10 to 180 days); every
candidate has their last message on record, engaged ones a bot reply too, candidates
receiving alerts 0–3 deliveries; a few percent sound frustrated, reject two alerts in a
row, asked for a person, had a message fail, or are held by a recruiter. Two runs are
measured: the first ever (it looks back an hour) and the next, 15 minutes later.

Two things about moto, measured on this machine, and what the bench does about them:
- moto answers every Query by sorting every item of the table (0.7 s for a one-item Query
  at 40,000 items), and deep-copies the whole table before each transaction; DynamoDB
  reads only the partition asked for. The bench gives moto's table a per-partition lookup
  for Queries and backs up only the items a transaction touches (`PartitionedMoto`), and
  checks that this changes nothing: the same scenario at --check-candidates runs in plain
  moto too, and both must end with the same reports and the same table, item for item.
- moto's BatchWriteItem costs about 0.4 ms an item, so 285,000 items would take minutes to
  load: the population goes straight into moto's table (items as pynamodb writes them), and
  the load is timed apart from the runs.

Items read are counted twice: by the run's own report, and at the botocore boundary as
DynamoDB bills them (a Query's ScannedCount, the items a Get returned).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import inspect
import json
import math
import random
import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aremu import runtime
from aremu.config import get_settings
from aremu.services.risk_run import RiskRunReport, build_risk_run
from aremu.storage.deliveries import DeliveryItem
from aremu.storage.models import CandidateItem, MessageItem, _Item
from aremu.storage.risk import RISK_MODELS
from aremu.storage.schema import main_table_definition
from bench.support import quiet_aws_environment

CANDIDATES = 100_000
TARGET_SECONDS = 30.0
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
RUN_INTERVAL = timedelta(minutes=15)  # the schedule's rate
STAGES = (
    ("new", 0.06),
    ("consented", 0.03),
    ("collecting", 0.08),
    ("active", 0.58),
    ("paused", 0.08),
    ("opted_out", 0.17),
)
ENGAGED = 0.45
FRUSTRATED = 0.04
REJECTING = 0.03  # two "not interested" in a row
ASKED_FOR_PERSON = 0.01
TAKEN_OVER = 0.005
REPLY_FAILED = 0.02
DELIVERY_FAILED = 0.03
CALM = ("hi", "ok", "jobs", "thanks", "Lagos or Ibadan", "yes please", "3 years", "300k")
UPSET = ("this thing no dey work", "useless", "I'm tired", "stop wasting my time")


class ItemsRead:
    """Counts, at the botocore boundary, DynamoDB requests and the items they read.

    Items are counted as DynamoDB bills reads: a Query's ScannedCount (a filtered-out item
    was still read), and the items a GetItem or BatchGetItem returned. `partitions` says
    whose items they were, by partition key.
    """

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.items = 0
        self.partitions: Counter[str] = Counter()
        self._clients: list[Any] = []

    def attach(self, clients: Iterable[Any] | None = None) -> ItemsRead:
        for client in clients if clients is not None else risk_clients():
            if any(client is seen for seen in self._clients):
                continue
            self._clients.append(client)
            client.meta.events.register("after-call.dynamodb", self._after_call)
        return self

    def reset(self) -> None:
        self.requests.clear()
        self.partitions.clear()
        self.items = 0

    def _after_call(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        operation = model.name
        self.requests[operation] += 1
        items: list[dict[str, Any]] = []
        if operation in ("Query", "Scan"):
            self.items += int(parsed.get("ScannedCount", 0))
            items = parsed.get("Items", [])
        elif operation == "GetItem":
            items = [parsed["Item"]] if "Item" in parsed else []
            self.items += len(items)
        elif operation == "BatchGetItem":
            items = [item for found in parsed.get("Responses", {}).values() for item in found]
            self.items += len(items)
        for item in items:
            self.partitions[item["pk"]["S"]] += 1


def risk_clients() -> list[Any]:
    """The botocore clients behind the models a risk run reads, and its transactions."""
    models: tuple[type[_Item], ...] = (CandidateItem, MessageItem, DeliveryItem, *RISK_MODELS)
    return [runtime.dynamodb_connection().client] + [
        model._get_connection().connection.client for model in models
    ]


class PartitionedMoto:
    """Gives moto's DynamoDB tables what DynamoDB has: a Query reads one partition (of the
    table or of a global index) and seeks its sort-key range, and a transaction's rollback
    restores only the items it touched.

    Installed on moto's classes for the duration of a `with` block; bench use only.
    """

    def __init__(self) -> None:
        self._partitions: defaultdict[tuple[int, str, str], dict[tuple[str, str], Any]]
        self._partitions = defaultdict(dict)  # (table, index hash attribute, value) -> items
        self._placed: dict[tuple[int, str, tuple[str, str]], str] = {}  # item's current value
        self._sorted: dict[tuple[int, str, str], tuple[list[str], list[Any]]] = {}
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> PartitionedMoto:
        import moto.dynamodb.models as backend_module
        from moto.dynamodb.models import DynamoDBBackend
        from moto.dynamodb.models.table import Table

        self._replace(Table, "all_items", self._all_items(Table.all_items))
        self._replace(Table, "query", self._query(Table.query))
        self._replace(Table, "put_item", self._put_item(Table.put_item))
        self._replace(Table, "delete_item", self._delete_item(Table.delete_item))
        self._replace(DynamoDBBackend, "update_item", self._update_item(DynamoDBBackend))
        self._replace(
            DynamoDBBackend,
            "transact_write_items",
            self._transact(DynamoDBBackend.transact_write_items),
        )
        self._replace(backend_module, "copy", _KeepTables(Table))
        return self

    def __exit__(self, *_: object) -> None:
        while self._undo:
            self._undo.pop()()

    def add(self, table: Any, item: Any) -> None:
        """Store an item straight into the table (the fast load) and index it."""
        table.items[item.hash_key][item.range_key] = item
        self._place(table, item)

    def _replace(self, owner: Any, name: str, value: Any) -> None:
        original = owner.__dict__[name]
        setattr(owner, name, value)
        self._undo.append(lambda: setattr(owner, name, original))

    def _place(self, table: Any, item: Any) -> None:
        key = (str(item.hash_key.value), str(item.range_key.value))
        for index in table.global_indexes:
            attribute = _hash_attribute(index)
            value = item.attrs.get(attribute)
            self._move(table, attribute, key, value.value if value is not None else None, item)

    def _remove(self, table: Any, hash_value: str, range_value: str) -> None:
        for index in table.global_indexes:
            self._move(table, _hash_attribute(index), (hash_value, range_value), None, None)

    def _move(
        self, table: Any, attribute: str, key: tuple[str, str], value: str | None, item: Any
    ) -> None:
        placed = self._placed.pop((id(table), attribute, key), None)
        if placed is not None:
            self._partitions[(id(table), attribute, placed)].pop(key, None)
            self._sorted.pop((id(table), attribute, placed), None)
        if value is not None:
            self._partitions[(id(table), attribute, value)][key] = item
            self._sorted.pop((id(table), attribute, value), None)
            self._placed[(id(table), attribute, key)] = value

    def _partition(self, table: Any, arguments: dict[str, Any]) -> list[Any]:
        index_name = arguments.get("index_name")
        hash_key = arguments.get("hash_key")
        if index_name is None:
            items = list(table.items.get(hash_key, {}).values())
            return _in_range(items, table.range_key_attr, arguments)
        index = table.get_index(index_name)
        attribute = _hash_attribute(index)
        conditions = dict(arguments.get("hash_key_conditions") or [])
        value: Any = conditions.get(attribute) or hash_key
        partition = (id(table), attribute, value.value)
        range_attribute = _range_attribute(index)
        seek = _seek(arguments)
        if seek is None or range_attribute is None:
            return list(self._partitions.get(partition, {}).values())
        keys, items = self._sorted_partition(partition, range_attribute)
        if keys is None:
            return _in_range(list(items), range_attribute, arguments)
        low, high = seek
        start = bisect_left(keys, low) if low is not None else 0
        end = bisect_right(keys, high) if high is not None else len(keys)
        return _in_range(items[start:end], range_attribute, arguments)

    def _sorted_partition(
        self, partition: tuple[int, str, str], range_attribute: str
    ) -> tuple[list[str] | None, list[Any]]:
        """The partition's items by sort key, kept until the partition changes; no keys when
        some sort key is not a string (then the caller filters the lot)."""
        if partition not in self._sorted:
            pairs = [
                (item.attrs[range_attribute], item)
                for item in self._partitions.get(partition, {}).values()
                if range_attribute in item.attrs
            ]
            if any(value.type != "S" for value, _ in pairs):
                return None, [item for _, item in pairs]
            pairs.sort(key=lambda pair: str(pair[0].value))
            self._sorted[partition] = ([str(v.value) for v, _ in pairs], [i for _, i in pairs])
        return self._sorted[partition]

    def _all_items(self, original: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
        def all_items(table: Any) -> list[Any]:
            subset: list[Any] | None = getattr(table, "_partition", None)
            return original(table) if subset is None else subset

        return all_items

    def _query(self, original: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(original)

        def query(table: Any, *args: Any, **kwargs: Any) -> Any:
            arguments = signature.bind(table, *args, **kwargs).arguments
            table._partition = self._partition(table, arguments)
            try:
                return original(table, *args, **kwargs)
            finally:
                table._partition = None

        return query

    def _put_item(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def put_item(table: Any, *args: Any, **kwargs: Any) -> Any:
            item = original(table, *args, **kwargs)
            self._place(table, item)
            return item

        return put_item

    def _delete_item(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def delete_item(table: Any, hash_key: Any, range_key: Any) -> Any:
            item = original(table, hash_key, range_key)
            if item is not None:
                self._remove(table, str(hash_key.value), str(range_key.value))
            return item

        return delete_item

    def _update_item(self, backend_class: Any) -> Callable[..., Any]:
        original = backend_class.update_item

        def update_item(backend: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
            item = original(backend, table_name, *args, **kwargs)
            self._place(backend.get_table(table_name), item)
            return item

        return update_item

    def _transact(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> Any:
            saved = [_snapshot(backend, next(iter(entry.values()))) for entry in transact_items]
            try:
                return original(backend, transact_items)
            except Exception:
                for table, hash_key, range_key, item in reversed(saved):
                    if item is not None:
                        self.add(table, item)
                    elif table.items.get(hash_key, {}).pop(range_key, None) is not None:
                        self._remove(table, str(hash_key.value), str(range_key.value))
                raise

        return transact_write_items


class _KeepTables:
    """Stands in for `copy` in moto's backend module: a table is not copied (see above)."""

    def __init__(self, table_class: type) -> None:
        self._table_class = table_class

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, self._table_class) else copy.deepcopy(value, memo)


def _hash_attribute(index: Any) -> str:
    return str(next(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"))


def _range_attribute(index: Any) -> str | None:
    return next((k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"), None)


def _seek(arguments: dict[str, Any]) -> tuple[str | None, str | None] | None:
    """Bounds of a string sort-key condition wide enough to hold every match; None: no
    condition worth seeking with."""
    comparison, bounds = arguments.get("range_comparison"), arguments.get("range_objs") or []
    if not comparison or not bounds or any(b.type != "S" for b in bounds):
        return None
    values = [str(b.value) for b in bounds]
    seeks: dict[str, tuple[str | None, str | None]] = {
        "=": (values[0], values[0]),
        "EQ": (values[0], values[0]),
        "<": (None, values[0]),
        "<=": (None, values[0]),
        ">": (values[0], None),
        ">=": (values[0], None),
        "BETWEEN": (values[0], values[-1]),
    }
    if comparison.upper() == "BEGINS_WITH":
        return values[0], values[0] + "\U0010ffff"
    return seeks.get(comparison)


def _in_range(items: list[Any], attribute: str | None, arguments: dict[str, Any]) -> list[Any]:
    """The items a string sort-key condition keeps, so that moto sorts only those (it then
    applies the condition again itself); any other condition leaves the items as they are."""
    from moto.dynamodb.comparisons import get_comparison_func

    comparison, bounds = arguments.get("range_comparison"), arguments.get("range_objs") or []
    test = get_comparison_func(comparison) if comparison else None
    if attribute is None or test is None or any(b.type != "S" for b in bounds):
        return items
    values = [b.value for b in bounds]
    kept = []
    for item in items:
        value = item.attrs.get(attribute)
        # moto's own comparison, on the plain strings its typed values would cast to.
        if value is None or value.type != "S" or test(value.value, *values):
            kept.append(item)
    return kept


def _snapshot(backend: Any, operation: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    from moto.dynamodb.models.dynamo_type import DynamoType

    table = backend.get_table(operation["TableName"])
    key = operation.get("Key") or operation["Item"]
    hash_key = DynamoType(key[table.hash_key_attr])
    range_key = DynamoType(key[table.range_key_attr])
    return table, hash_key, range_key, copy.deepcopy(table.items.get(hash_key, {}).get(range_key))


# The population, as pynamodb writes it


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _when(moment: datetime) -> dict[str, str]:
    return _s(moment.strftime("%Y-%m-%dT%H:%M:%S.%f+0000"))


def _ttl(moment: datetime) -> dict[str, str]:
    return {"N": str(int(moment.timestamp()))}


@dataclass(frozen=True)
class Person:
    candidate_id: str
    stage: str
    last: datetime
    engaged: bool


def population(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Every item of `count` candidates: profiles, messages and deliveries."""
    names, weights = zip(*STAGES, strict=True)
    for n in range(count):
        engaged = rng.random() < ENGAGED
        if engaged:
            quiet = timedelta(minutes=math.exp(rng.uniform(math.log(2), math.log(14_400))))
        else:
            quiet = timedelta(days=rng.uniform(10, 180))
        person = Person(f"c{n:06d}", rng.choices(names, weights)[0], NOW - quiet, engaged)
        yield _profile(person, rng)
        yield from _messages(person, rng)
        if engaged and person.stage == "active":
            yield from _deliveries(person, rng)


def _profile(person: Person, rng: random.Random) -> dict[str, Any]:
    cid, last = person.candidate_id, person.last
    item = {
        "pk": _s(f"CAND#{cid}"),
        "sk": _s("PROFILE"),
        "kind": _s("candidate"),
        "candidate_id": _s(cid),
        "wa_id": _s(f"234803{cid[1:]}"),
        "profile_name": _s("Candidate"),
        "state": _s(person.stage),
        "created_at": _when(last - timedelta(days=rng.uniform(0, 30))),
        "last_inbound_at": _when(last),
        "messages_in": {"N": str(rng.randint(1, 40))},
        "awaiting": _s("nothing"),
        "gsi1pk": _s(f"STAGE#{person.stage}"),
        "gsi1sk": _s(f"{last.isoformat()}#{cid}"),
    }
    if person.stage in ("active", "paused"):
        item["preferences"] = _s('{"roles": ["sales executive"], "locations": ["Lagos"]}')
    if person.engaged and rng.random() < ASKED_FOR_PERSON:
        item["needs_person_at"] = _when(last)
    if person.engaged and rng.random() < TAKEN_OVER:
        item["operator_id"] = _s("U0RECRUITER")
    return item


def _message(
    person: Person, at: datetime, direction: str, text: str | None, **extra: dict[str, str]
) -> dict[str, Any]:
    message_id = f"wamid.{person.candidate_id}.{int(at.timestamp() * 1000)}.{direction}"
    item = {
        "pk": _s(f"CAND#{person.candidate_id}"),
        "sk": _s(f"MSG#{message_id}"),
        "kind": _s("message"),
        "message_id": _s(message_id),
        "candidate_id": _s(person.candidate_id),
        "direction": _s(direction),
        "message_type": _s("text" if text else "interactive"),
        "sent_at": _when(at),
        "stored_at": _when(at),
        "gsi1pk": _s(f"CAND#{person.candidate_id}"),
        "gsi1sk": _s(f"MSG#{at.isoformat()}#{message_id}"),
        "expires_at": _ttl(at + timedelta(days=365)),
        **extra,
    }
    if text:
        item["text"] = _s(text)
    return item


def _messages(person: Person, rng: random.Random) -> Iterator[dict[str, Any]]:
    roll = rng.random()
    if person.engaged and person.stage == "active" and roll < REJECTING:
        for at in (person.last - timedelta(hours=2), person.last):
            yield _message(person, at, "in", None, button_id=_s(f"job_no:j{rng.randint(1, 999)}"))
        return
    upset = person.engaged and roll < REJECTING + FRUSTRATED
    yield _message(person, person.last, "in", rng.choice(UPSET if upset else CALM))
    if person.engaged:
        status = "failed" if rng.random() < REPLY_FAILED else "read"
        reply_at = person.last + timedelta(seconds=2)
        yield _message(person, reply_at, "out", "Here are jobs for you", status=_s(status))


def _deliveries(person: Person, rng: random.Random) -> Iterator[dict[str, Any]]:
    for job in range(rng.randint(0, 3)):
        at = person.last + timedelta(minutes=job + 1)
        status = "failed" if rng.random() < DELIVERY_FAILED else "sent"
        yield {
            "pk": _s(f"CAND#{person.candidate_id}"),
            "sk": _s(f"DELIVERY#j{person.candidate_id}{job}"),
            "kind": _s("delivery"),
            "candidate_id": _s(person.candidate_id),
            "job_id": _s(f"j{person.candidate_id}{job}"),
            "score": {"N": "64.5"},
            "reason": _s("title, location"),
            "status": _s(status),
            "created_at": _when(at),
            "updated_at": _when(at),
            "expires_at": _ttl(at + timedelta(days=90)),
        }


def _moto_table() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID][get_settings().region].get_table(
        get_settings().table_name
    )


def load(count: int, seed: int, moto: PartitionedMoto | None) -> int:
    """Put the population straight into moto's table; returns the number of items."""
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    table, loaded = _moto_table(), 0
    for attributes in population(count, random.Random(seed)):
        item = Item(DynamoType(attributes["pk"]), DynamoType(attributes["sk"]), {})
        # Filled in one go: setting keys one by one re-measures the item each time.
        item.attrs = LimitedSizeDict()
        dict.update(item.attrs, {k: DynamoType(v) for k, v in attributes.items()})
        if moto is not None:
            moto.add(table, item)
        else:
            table.items[item.hash_key][item.range_key] = item
        loaded += 1
    return loaded


def _readable_as_written() -> None:
    """The hand-built items read back through the models, so their shapes are pynamodb's."""
    for kind, model in (("candidate", CandidateItem), ("message", MessageItem)):
        sample = next(i for i in population(50, random.Random(1)) if i["kind"]["S"] == kind)
        model.from_raw_data(sample)
    delivery = next(i for i in population(200, random.Random(1)) if i["kind"]["S"] == "delivery")
    DeliveryItem.from_raw_data(delivery)


@dataclass(frozen=True)
class RunFigures:
    name: str
    seconds: float
    report: RiskRunReport
    items_read_at_boundary: int
    requests: int


@dataclass(frozen=True)
class Measurement:
    candidates: int
    items: int
    load_seconds: float
    runs: list[RunFigures]
    table_digest: str


def measure(count: int, seed: int, accelerate: bool, digest: bool = False) -> Measurement:
    import boto3
    from moto import mock_aws

    with mock_aws(), PartitionedMoto() if accelerate else _Plain() as moto:
        definition = main_table_definition(get_settings().table_name)
        # Nothing consumes a stream here, and moto would keep a record of every write.
        definition.pop("StreamSpecification")
        boto3.client("dynamodb", region_name=get_settings().region).create_table(**definition)
        runtime.reset()
        started = time.perf_counter()
        items = load(count, seed, moto if isinstance(moto, PartitionedMoto) else None)
        load_seconds = time.perf_counter() - started
        risk = build_risk_run(get_settings(), runtime.dynamodb_connection())
        reads = ItemsRead().attach()
        runs = []
        for name, now in (("first run", NOW), ("next run", NOW + RUN_INTERVAL)):
            reads.reset()
            started = time.perf_counter()
            report = risk.run(now)
            seconds = time.perf_counter() - started
            runs.append(RunFigures(name, seconds, report, reads.items, reads.requests.total()))
        table_digest = _digest(_moto_table()) if digest else ""
    runtime.reset()
    return Measurement(count, items, load_seconds, runs, table_digest)


class _Plain:
    def __enter__(self) -> _Plain:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def _digest(table: Any) -> str:
    hashing = hashlib.sha256()
    for item in sorted(
        json.dumps(item.to_json(), sort_keys=True)
        for part in table.items.values()
        for item in part.values()
    ):
        hashing.update(item.encode())
    return hashing.hexdigest()


def _comparable(measurement: Measurement) -> list[dict[str, Any]]:
    return [figures.report.summary() for figures in measurement.runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--candidates", type=int, default=CANDIDATES)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--check-candidates",
        type=int,
        default=1500,
        help="also run this many candidates in plain moto and compare (0: skip)",
    )
    args = parser.parse_args()
    quiet_aws_environment()
    _readable_as_written()

    checked: bool | None = None
    if args.check_candidates:
        fast = measure(args.check_candidates, args.seed, accelerate=True, digest=True)
        plain = measure(args.check_candidates, args.seed, accelerate=False, digest=True)
        checked = (
            _comparable(fast) == _comparable(plain) and fast.table_digest == plain.table_digest
        )
        verdict = "same reports and same table as" if checked else "DIFFERENT from"
        print(
            f"partitioned moto check at {args.check_candidates} candidates: {verdict} plain moto"
            f" (plain moto: {sum(r.seconds for r in plain.runs):.1f} s for both runs)"
        )

    result = measure(args.candidates, args.seed, accelerate=True)
    print(
        f"loaded {result.items} items for {result.candidates} candidates straight into moto "
        f"in {result.load_seconds:.1f} s (not part of the runs)"
    )
    for figures in result.runs:
        report = figures.report
        print(
            f"{figures.name}: {figures.seconds:.2f} s, candidates {result.candidates}, "
            f"candidates due {report.candidates_due} {dict(report.due_by_stage)}, "
            f"items read {report.items_read} (at the botocore boundary "
            f"{figures.items_read_at_boundary}, in {figures.requests} requests), "
            f"raised {report.raised}, closed {report.closed}, stored {report.assessments_stored}, "
            f"at risk {report.at_risk}"
        )
    print(f"a Scan of the table would read all {result.items} items on every run")
    slowest = max(figures.seconds for figures in result.runs)
    steady = result.runs[-1]
    meets = slowest < TARGET_SECONDS and checked is not False
    summary = {
        "bench": "risk_run",
        "candidates": result.candidates,
        "table_items": result.items,
        "load_seconds": round(result.load_seconds, 2),
        "seconds": round(steady.seconds, 3),
        "first_run_seconds": round(result.runs[0].seconds, 3),
        "candidates_due": steady.report.candidates_due,
        "items_read": steady.report.items_read,
        "first_run_candidates_due": result.runs[0].report.candidates_due,
        "first_run_items_read": result.runs[0].report.items_read,
        "raised": sum(f.report.raised for f in result.runs),
        "partitioned_moto_check": checked,
        "target_seconds": TARGET_SECONDS,
        "meets_target": meets,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
