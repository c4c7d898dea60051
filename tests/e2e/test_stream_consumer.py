"""Batching, filtering, retries, bisection and dead letters of one stream mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aremu.local.stream_consumer import DeadLetter, StreamConsumer

from .fakes import Recorder, bind, note_spec


def record(n: int, kind: str = "note", event_name: str = "INSERT") -> dict[str, Any]:
    return {
        "eventID": f"event-{n}",
        "eventName": event_name,
        "dynamodb": {
            "Keys": {"pk": {"S": f"N{n}"}},
            "NewImage": {"pk": {"S": f"N{n}"}, "kind": {"S": kind}},
            "SequenceNumber": str(1000 + n),
        },
    }


def consumer(recorder: Recorder, **spec_options: Any) -> tuple[StreamConsumer, list[DeadLetter]]:
    spec = note_spec(**spec_options)
    letters: list[DeadLetter] = []
    return StreamConsumer(bind(spec, recorder), spec.streams()[0], letters.append), letters


def fail_keys(*keys: str) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    def respond(records: list[dict[str, Any]]) -> dict[str, Any]:
        failed = [r for r in records if r["dynamodb"]["Keys"]["pk"]["S"] in keys]
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["dynamodb"]["SequenceNumber"]} for r in failed
            ]
        }

    return respond


def test_records_are_delivered_in_order_in_batches_of_the_batch_size() -> None:
    recorder = Recorder()
    mapping, _ = consumer(recorder, batch_size=2)

    mapping.offer([record(n) for n in range(5)])
    mapping.process()

    assert [len(batch) for batch in recorder.batches] == [2, 2, 1]
    assert recorder.delivered_keys() == ["N0", "N1", "N2", "N3", "N4"]


def test_records_outside_the_filter_are_never_delivered() -> None:
    recorder = Recorder()
    mapping, _ = consumer(recorder)

    mapping.offer([record(1, kind="other"), record(2), record(3, event_name="MODIFY")])
    mapping.process()

    assert recorder.delivered_keys() == ["N2"]
    assert mapping.stats.records_read == 3
    assert mapping.stats.records_matched == 1


def test_partial_failure_is_retried_from_the_first_failed_record() -> None:
    # Given a handler that fails N1 once
    failures = {"N1": 1}

    def respond(records: list[dict[str, Any]]) -> dict[str, Any]:
        for r in records:
            key = r["dynamodb"]["Keys"]["pk"]["S"]
            if failures.get(key):
                failures[key] -= 1
                return fail_keys(key)(records)
        return {"batchItemFailures": []}

    recorder = Recorder(respond=respond)
    mapping, letters = consumer(recorder, bisect_on_error=False)

    # When three records are delivered
    mapping.offer([record(0), record(1), record(2)])
    mapping.process()

    # Then N0 is not redelivered; N1 and what follows it are
    assert recorder.delivered_keys() == ["N0", "N1", "N2", "N1", "N2"]
    assert letters == []


def test_a_handler_that_raises_fails_the_whole_batch() -> None:
    calls = []

    def respond(records: list[dict[str, Any]]) -> Any:
        calls.append(len(records))
        if len(calls) == 1:
            raise RuntimeError("boom")
        return None

    mapping, letters = consumer(Recorder(respond=respond), bisect_on_error=False)

    mapping.offer([record(0), record(1)])
    mapping.process()

    assert calls == [2, 2]
    assert letters == []


def test_bisection_isolates_a_poison_record_and_dead_letters_only_it() -> None:
    recorder = Recorder(respond=fail_keys("N2"))
    mapping, letters = consumer(recorder, batch_size=4, retry_attempts=2)

    mapping.offer([record(n) for n in range(4)])
    mapping.process()

    assert [letter.sequence_number for letter in letters] == ["1002"]
    assert letters[0].attempts == 3
    assert recorder.delivered_keys()[-1] == "N3"
    assert mapping.pending == 0


def test_without_bisection_the_failing_rest_of_the_batch_is_dead_lettered() -> None:
    recorder = Recorder(respond=fail_keys("N1"))
    mapping, letters = consumer(recorder, batch_size=3, retry_attempts=1, bisect_on_error=False)

    mapping.offer([record(0), record(1), record(2)])
    mapping.process()

    assert [letter.event_id for letter in letters] == ["event-1", "event-2"]
    assert len(recorder.batches) == 2


def test_an_unknown_item_identifier_fails_the_whole_batch() -> None:
    answers = [{"batchItemFailures": [{"itemIdentifier": "nonsense"}]}, None]
    recorder = Recorder(respond=lambda records: answers.pop(0))
    mapping, _ = consumer(recorder, bisect_on_error=False)

    mapping.offer([record(0), record(1)])
    mapping.process()

    assert recorder.delivered_keys() == ["N0", "N1", "N0", "N1"]


def test_dead_letters_do_not_stop_later_records() -> None:
    recorder = Recorder(respond=fail_keys("N0"))
    mapping, letters = consumer(recorder, batch_size=1, retry_attempts=0)

    mapping.offer([record(0), record(1)])
    mapping.process()

    assert [letter.event_id for letter in letters] == ["event-0"]
    assert recorder.delivered_keys() == ["N0", "N1"]
