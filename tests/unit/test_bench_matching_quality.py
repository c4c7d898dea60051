"""The quality bench's arithmetic: what it reports must follow from the judgements."""

from __future__ import annotations

import pytest

from bench.matching_quality import evaluate, reread, revised, second_reading

PERSONAS = [
    {"id": "a", "relevant": ["j1", "j2"], "irrelevant": ["j3", "j4"]},
    {"id": "b", "relevant": ["j5"], "irrelevant": ["j6"]},
]


def test_an_unjudged_alert_counts_as_not_relevant() -> None:
    alerts = {"a": [(80.0, "j1"), (70.0, "j3"), (60.0, "j9")], "b": [(90.0, "j5")]}

    figures = evaluate(PERSONAS, alerts)

    assert figures["alerts"] == 4
    assert figures["relevant_alerts"] == 2
    assert figures["unjudged_alerts"] == 1
    assert figures["alerts_relevant"] == 0.5
    assert figures["relevant_alerted"] == round(2 / 3, 4)


def test_the_second_reading_is_compared_on_alerts_and_on_the_rest_apart() -> None:
    alerts = {"a": [(80.0, "j1"), (70.0, "j3")], "b": []}
    second = [
        {"persona": "a", "posting": "j1", "judged": "R"},  # alert, agrees
        {"persona": "a", "posting": "j3", "judged": "R"},  # alert, disagrees
        {"persona": "a", "posting": "j4", "judged": "x"},  # not alerted, agrees
        {"persona": "b", "posting": "j5", "judged": "x"},  # not alerted, disagrees
    ]

    third = [
        {"persona": "a", "posting": "j3", "judged": "x"},
        {"persona": "b", "posting": "j5", "judged": "R"},
    ]

    figures = second_reading(PERSONAS, alerts, second, third)

    assert figures["alerts"] == {
        "pairs": 2,
        "agreement": 0.5,
        "relevant_first": 0.5,
        "relevant_second": 1.0,
        "relevant_adjudicated": 0.5,
    }
    assert figures["others"]["pairs"] == 2
    assert figures["others"]["agreement"] == 0.5
    assert figures["agreement"] == 0.5


def test_a_reread_batch_takes_the_second_reading_and_adjudication_the_third() -> None:
    second = [
        {"persona": "a", "posting": "j1", "judged": "x"},  # disagrees with the first
        {"persona": "a", "posting": "j3", "judged": "x"},  # agrees
        {"persona": "a", "posting": "j7", "judged": "R"},  # the first never judged it
    ]
    third = [{"persona": "a", "posting": "j1", "judged": "R"}]

    as_second = reread(PERSONAS[:1], second)[0]
    adjudicated = reread(PERSONAS[:1], second, third)[0]

    assert as_second["relevant"] == ["j2", "j7"]
    assert as_second["irrelevant"] == ["j1", "j3", "j4"]
    assert adjudicated["relevant"] == ["j1", "j2", "j7"]
    assert adjudicated["irrelevant"] == ["j3", "j4"]


def test_a_revision_replaces_the_earlier_readings_of_the_pairs_it_reread() -> None:
    revision = {
        # Its two labellers agree on j1 (against the earlier reading) and differ on j3.
        "a": [
            {"persona": "a", "posting": "j1", "judged": "x"},
            {"persona": "a", "posting": "j3", "judged": "R"},
            {"persona": "b", "posting": "j8", "judged": "R"},
        ],
        "b": [
            {"persona": "a", "posting": "j1", "judged": "x"},
            {"persona": "a", "posting": "j3", "judged": "x"},
            {"persona": "b", "posting": "j8", "judged": "R"},
        ],
        "third": [{"persona": "a", "posting": "j3", "judged": "R"}],
    }

    first, second = revised(PERSONAS, revision)

    assert first["relevant"] == ["j2", "j3"]
    assert first["irrelevant"] == ["j1", "j4"]
    assert second["relevant"] == ["j5", "j8"]
    assert second["irrelevant"] == ["j6"]


def test_a_revision_whose_labellers_read_different_pairs_is_refused() -> None:
    revision = {
        "a": [{"persona": "a", "posting": "j1", "judged": "x"}],
        "b": [
            {"persona": "a", "posting": "j1", "judged": "x"},
            {"persona": "b", "posting": "j8", "judged": "R"},
        ],
        "third": [],
    }

    with pytest.raises(ValueError, match="differ in 1 pairs"):
        revised(PERSONAS, revision)
