"""The monthly cost model: every line is a count times a list price, and it scales with use."""

from __future__ import annotations

import pytest

from aremu.config import Settings
from aremu.wiring import FUNCTIONS, JOB_INGEST, REENGAGEMENT, FunctionSpec, ScheduleRate
from bench.monthly_cost import (
    PRICES,
    Line,
    Price,
    WindowFigures,
    aws_total,
    by_service,
    cost_lines,
    runs_per_day,
    usage,
)

# What bench.window_timers' simulation gave on its default seed; the model only scales it.
WINDOW = WindowFigures(
    inbound=13.2,
    schedules_fired=1.0,
    transitions=17.3,
    step_invocations=5.4,
    reminders=2.6,
    dynamodb_reads=21.5,
    dynamodb_writes=7.1,
)
# Lines that cost the same whatever the number of candidates.
FIXED = {
    ("CloudWatch", "custom metrics"),
    ("CloudWatch", "dashboard"),
    ("CloudWatch", "alarm metrics"),
    ("Secrets Manager", "secret"),
    ("Secrets Manager", "API calls"),
    ("KMS", "alarm topic key"),
    ("OpenAI", "job enhancements (gpt-4o-mini)"),
}


def lines_for(candidates: int, settings: Settings | None = None) -> dict[tuple[str, str], Line]:
    lines = cost_lines(usage(candidates, WINDOW, settings), PRICES, settings)
    return {(line.service, line.item): line for line in lines}


def test_every_line_costs_its_count_times_its_unit_price() -> None:
    lines = lines_for(1_000).values()

    assert all(line.cost == line.count * line.price.usd / line.price.per for line in lines)


def test_ten_times_the_candidates_send_ten_times_the_messages() -> None:
    small, large = usage(1_000, WINDOW), usage(10_000, WINDOW)

    assert large.inbound == pytest.approx(10 * small.inbound)
    assert large.api_requests == pytest.approx(10 * small.api_requests)
    assert large.marketing_templates == pytest.approx(10 * small.marketing_templates)


def test_no_line_gets_cheaper_with_more_candidates() -> None:
    small, large = lines_for(1_000), lines_for(10_000)

    assert all(large[key].cost >= small[key].cost for key in small)


def test_fixed_lines_cost_the_same_at_any_scale() -> None:
    small, large = lines_for(1_000), lines_for(10_000)

    assert {key: small[key].cost for key in FIXED} == {key: large[key].cost for key in FIXED}


def test_usage_lines_grow_with_candidates() -> None:
    small, large = lines_for(1_000), lines_for(10_000)

    grown = {key for key in small if key not in FIXED and large[key].count > small[key].count}

    assert ("DynamoDB", "write request units") in grown
    assert ("Step Functions", "standard transitions") in grown
    assert ("API Gateway", "HTTP API requests") in grown


def test_whatsapp_prices_come_from_the_settings() -> None:
    settings = Settings(price_marketing_template_usd=0.5)

    line = lines_for(1_000, settings)[("WhatsApp", "marketing templates")]

    assert line.price.usd == 0.5


def test_aws_total_leaves_out_whatsapp_and_openai() -> None:
    lines = cost_lines(usage(1_000, WINDOW))
    subtotals = by_service(lines)

    total = aws_total(lines)

    assert total == pytest.approx(
        sum(subtotals.values()) - subtotals["WhatsApp"] - subtotals["OpenAI"]
    )


def test_service_subtotals_add_up_to_every_line() -> None:
    lines = cost_lines(usage(1_000, WINDOW))

    assert sum(by_service(lines).values()) == pytest.approx(sum(line.cost for line in lines))


def test_a_price_override_changes_only_its_line() -> None:
    prices = PRICES | {"sqs_request": Price(0.8, 1e6, "1M requests")}
    use = usage(1_000, WINDOW)

    before = {(x.service, x.item): x.cost for x in cost_lines(use)}
    after = {(x.service, x.item): x.cost for x in cost_lines(use, prices)}

    changed = {key for key in before if before[key] != after[key]}
    assert changed == {("SQS", "requests")}
    assert after[("SQS", "requests")] == pytest.approx(2 * before[("SQS", "requests")])


@pytest.mark.parametrize(
    ("expression", "runs"),
    [("rate(6 hours)", 4), ("rate(1 day)", 1), ("rate(15 minutes)", 96), ("rate(1 minute)", 1440)],
)
def test_runs_per_day_counts_rate_schedules(expression: str, runs: int) -> None:
    spec = FunctionSpec("F", "functions/webhook", "f.handler", "", (ScheduleRate(expression),), ())

    assert runs_per_day(spec) == runs


def test_runs_per_day_refuses_what_it_cannot_count() -> None:
    spec = FunctionSpec(
        "F", "functions/webhook", "f.handler", "", (ScheduleRate("cron(0 6 * * ? *)"),), ()
    )

    with pytest.raises(ValueError, match="cannot count"):
        runs_per_day(spec)


def test_the_wiring_schedules_are_countable() -> None:
    assert runs_per_day(JOB_INGEST) > 0
    assert runs_per_day(REENGAGEMENT) > 0
    assert all(runs_per_day(spec) >= 0 for spec in FUNCTIONS)
