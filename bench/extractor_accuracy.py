"""Per-field accuracy of the offline preference extractor on the labelled messages.

Run from the repository root: `.venv/bin/python -m bench.extractor_accuracy [--misses]`.

Each line of tests/data/preference_messages.jsonl is a message and the fields it states;
a field is right when the extractor's value equals the label exactly. Lists (roles,
locations, skills) compare as sets: a plain list is a replacement, {"add": [...],
"remove": [...]} an edit. Skills compare after folding spellings ("ms excel" = "Excel").
Fields the extractor fills but the label does not state are counted apart, as spurious.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from aremu.domain.extraction import PreferenceExtractor
from aremu.domain.extraction.offline import OfflinePreferenceExtractor
from aremu.domain.extraction.skills import canonical_skill
from aremu.domain.preferences import ListChange, PreferenceUpdate

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "preference_messages.jsonl"
TARGET = 0.90
FIELDS = (
    "roles", "locations", "years_experience", "min_pay", "arrangement", "open_to_remote",
    "anywhere_in_nigeria", "willing_to_relocate", "pay_negotiable", "skills",
)  # fmt: skip


@dataclass(frozen=True)
class LabelledMessage:
    text: str
    expected: dict[str, Any]


@dataclass
class Score:
    messages: int = 0
    labelled: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accuracy(self) -> float:
        total = sum(self.labelled.values())
        return sum(self.correct.values()) / total if total else 0.0


def load_labelled(path: Path = DATA) -> list[LabelledMessage]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [LabelledMessage(row["text"], row["expected"]) for row in rows]


def labelled_view(update: PreferenceUpdate) -> dict[str, Any]:
    """The update in the labels' shape: only the fields it states."""
    view: dict[str, Any] = {}
    for name, change, key in (
        ("roles", update.roles, lambda role: role.title),
        ("locations", update.locations, _place_key),
        ("skills", update.skills, _skill_key),
    ):
        if not change.is_empty():
            view[name] = _change_view(change, key)
    for name in FIELDS:
        value = getattr(update, name)
        if name in view or value is None or isinstance(value, ListChange):
            continue
        if name == "min_pay":
            value = {"amount": value.amount, "currency": value.currency, "period": value.period}
        view[name] = value.value if hasattr(value, "value") else value
    return view


def expected_view(expected: dict[str, Any]) -> dict[str, Any]:
    """The labels with list items in the same comparable form as `labelled_view`."""
    keys = {
        "roles": lambda title: title,
        "locations": lambda place: (place["city"], place["state"], place.get("country", "NG")),
        "skills": _skill_key,
    }
    view: dict[str, Any] = {}
    for name, value in expected.items():
        if name in keys:
            edit = value if isinstance(value, dict) else {"replace": value}
            view[name] = {op: frozenset(keys[name](item) for item in items)
                          for op, items in edit.items()}  # fmt: skip
        elif name == "min_pay":
            view[name] = {**value, "amount": Decimal(str(value["amount"]))}
        else:
            view[name] = value
    return view


def score(extractor: PreferenceExtractor, messages: list[LabelledMessage]) -> Score:
    result = Score(messages=len(messages))
    for message in messages:
        started = time.perf_counter()
        update = extractor.extract(message.text)
        result.seconds += time.perf_counter() - started
        actual = labelled_view(update)
        expected = expected_view(message.expected)
        for name, wanted in expected.items():
            result.labelled[name] += 1
            if actual.get(name) == wanted:
                result.correct[name] += 1
            else:
                result.misses.append((message.text, name, wanted, actual.get(name)))
        for name in actual.keys() - expected.keys():
            result.spurious[name] += 1
    return result


def _change_view(change: ListChange[Any], key: Any) -> dict[str, frozenset[Any]]:
    view = {
        "replace": frozenset(map(key, change.replace)) if change.replace is not None else None,
        "add": frozenset(map(key, change.add)),
        "remove": frozenset(map(key, change.remove)),
    }
    return {
        op: items for op, items in view.items() if items is not None and (items or op == "replace")
    }


def _place_key(place: Any) -> tuple[str | None, str | None, str]:
    return (place.city, place.state, place.country)


def _skill_key(name: str) -> str:
    return canonical_skill(name).casefold()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print every wrong field")
    args = parser.parse_args(argv)
    messages = load_labelled()
    extractor = OfflinePreferenceExtractor()
    extractor.extract("warm up: sales rep in Lagos, 300k")  # vocabularies load on first use
    result = score(extractor, messages)
    labelled = sum(result.labelled.values())
    correct = sum(result.correct.values())
    print(f"Offline preference extractor on {len(messages)} messages, {labelled} labelled fields")
    per_field = {}
    for name in FIELDS:
        if result.labelled[name]:
            share = result.correct[name] / result.labelled[name]
            per_field[name] = round(share, 4)
            print(f"  {name:<22}{result.correct[name]:>4}/{result.labelled[name]:<4}{share:>8.1%}")
    print(
        f"  {'overall':<22}{correct:>4}/{labelled:<4}{result.accuracy:>8.1%}   target {TARGET:.0%}"
    )
    spurious = sum(result.spurious.values())
    print(f"  fields filled that the label does not state: {spurious}")
    mean_us = result.seconds / max(1, len(messages)) * 1e6
    print(f"  mean time per message: {mean_us:.0f} µs")
    if args.misses:
        for text, name, wanted, got in result.misses:
            print(f"MISS {name}: {text!r}\n     expected {wanted}\n     got      {got}")
    summary = {
        "bench": "preference_extractor_accuracy",
        "messages": len(messages),
        "labelled_fields": labelled,
        "correct_fields": correct,
        "accuracy": round(result.accuracy, 4),
        "target": TARGET,
        "meets_target": result.accuracy >= TARGET,
        "per_field": per_field,
        "spurious_fields": spurious,
        "mean_us_per_message": round(mean_us, 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
