"""Monthly cost of running Aremu for 1,000 and 10,000 candidates: counted calls × list prices.

The usage model starts from figures the project measures rather than guesses:

- DynamoDB requests per inbound message: 2 on the webhook (bench.webhook_requests) and 4 per
  conversation turn (bench.conversation_turn), broken down by operation with the same
  botocore counter: the webhook makes one BatchGetItem (1 key) and one TransactWriteItems
  (3 items); a turn makes GetItem, PutItem and UpdateItem (idempotency) and one
  TransactWriteItems (about 3 items). Those two benchmarks take a minute each, so their
  results are constants here.
- Window timers (Scheduler invocations, Step Functions transitions, step invocations,
  reminders, their DynamoDB requests): bench.window_timers' simulation, run here (~1.5 s).
- Function memory, batch sizes and schedule rates come from `aremu.wiring`; WhatsApp prices
  from `aremu.config.Settings`; OpenAI token prices from the enhancer's price table.

Everything else is an assumption with a name below; change it and run again. Prices are
list prices for eu-west-1 without free tiers (see PRICES_CHECKED). Usage:

    python -m bench.monthly_cost [--candidates 1000 10000] [--prices '{"lambda_request": 0.2}']
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from aremu.config import Settings
from aremu.jobs.openai_enhancer import OpenAIEnhancerConfig
from aremu.names import Metric
from aremu.wiring import (
    ALERT_SENDER,
    FUNCTIONS,
    JOB_ENHANCE,
    JOB_INGEST,
    MATCHER,
    QUEUES,
    REENGAGEMENT,
    STATE_MACHINES,
    Access,
    FunctionSpec,
)

SCALES = (1_000, 10_000)
DAYS_PER_MONTH = 30

# --- Measured (see the module docstring) -------------------------------------------------
# Reads are items of <= 4 KB read strongly consistently (1 RRU); writes are items of <= 1 KB
# (1 WRU); an item written inside a transaction costs 2 WRU.
WEBHOOK_READS_PER_INBOUND = 1
WEBHOOK_TRANSACTION_ITEMS_PER_INBOUND = 3
TURN_READS = 1
TURN_WRITES = 2  # the Powertools idempotency record: put, then update
TURN_TRANSACTION_ITEMS = 3
REPLIES_PER_TURN = 1  # Graph API calls per turn, bench.conversation_turn

# --- Read from the code --------------------------------------------------------------------
STATUS_READS, STATUS_WRITES = 1, 1  # MessageStore.apply_status: identity GetItem, UpdateItem
# AlertSender.handle: candidate, delivery and job reads; the daily allowance update and the
# idempotency put/update; the delivery and its outbound message in one transaction.
ALERT_READS, ALERT_WRITES, ALERT_TRANSACTION_ITEMS = 3, 3, 2

# --- Assumptions ---------------------------------------------------------------------------
ACTIVE_DAY_SHARE = 0.30  # candidates who write on a given day (the simulation's "day")
ALERTS_PER_ACTIVE_DAY = 2.0  # alerts delivered inside the window, per candidate who wrote
MATCHES_PER_CANDIDATE_PER_DAY = 1.5  # deliveries written (queued or waiting), every candidate
TRANSITIONS_PER_INBOUND = 0.1  # stage changes (CandidateStateChanged) per inbound message
STATUS_CALLBACKS_PER_OUTBOUND = 2.5  # sent, delivered, read; "delivered" is sometimes skipped
REENGAGED_SHARE_PER_WEEK = 0.10  # lapsed with >= 3 waiting matches: one marketing template
AT_RISK_SHARE_PER_MONTH = 0.05  # candidates raising CandidateAtRisk once in a month
NUDGES_PER_EPISODE = 0.5  # recruiters nudge half the at-risk candidates...
NUDGE_OUTSIDE_WINDOW = 0.7  # ...mostly after the window closed: a marketing template
FOLLOW_UPS_PER_EPISODE = 0.2  # recruiter follow-up templates (utility) per episode
SLACK_REQUESTS_PER_EPISODE = 6  # alert buttons, takeover, thread replies, handback
HELD_MESSAGES_PER_EPISODE = 4  # candidate messages while a recruiter holds the conversation
JOBS_STORED_PER_DAY = 300  # new postings after de-duplication; searches are capped per run
JOB_READS_PER_STORED, JOB_WRITES_PER_STORED = 2, 2  # de-duplication lookups; RAW, ENHANCED
MATCHER_READS_PER_JOB = 5  # the per-container candidate index's incremental refresh
OPENAI_TOKENS_IN, OPENAI_TOKENS_OUT = 1_500, 350  # per enhancement (PLATFORM_NOTES.md)
RISK_RUNS_PER_DAY = 24 * 60 // 15  # the risk scan every 15 minutes
RISK_READ_UNITS_PER_CANDIDATE_RUN = 1 / 8  # a 1 KB item in Query pages read eventually
RISK_WRITES_PER_EPISODE = 3  # assessment, episode, intervention
SLACK_NOTIFY_READS_PER_HELD_MESSAGE = 2  # the hold (its thread) and the candidate's card
ALERT_BATCH_FILL = 0.5  # outbox batches are half full: alerts come in bursts per job
SQS_IDLE_RECEIVES = 5 * 3 * 60 * 24 * DAYS_PER_MONTH  # 5 pollers long-polling 20 s
SECRET_FETCHES_PER_FUNCTION = 12 * 24 * DAYS_PER_MONTH  # one warm container, 5 min cache
KB_PER_MESSAGE_ITEM, KB_PER_CANDIDATE, KB_PER_DELIVERY, KB_PER_JOB = 0.7, 3.0, 0.4, 4.0
KB_LOGS_PER_INVOCATION = 1.5  # START/END/REPORT, a few structured lines, the EMF blob
KB_ACCESS_LOG_PER_REQUEST = 0.45
KB_STATE_MACHINE_LOG_PER_TRANSITION = 0.35
KB_PER_EVENT = 1.0
X_RAY_SAMPLED_SHARE = 1.0  # upper bound: the default rule keeps 1 a second and 5% beyond
# Typical run time per invocation (ms), by wiring name; the ones not yet in the wiring too.
FUNCTION_MS: dict[str, float] = {
    "WebhookApi": 60,
    "Conversation": 400,  # one Graph API call
    "EventsPublisher": 80,
    "JobIngest": 120_000,  # python-jobspy across sites, per run
    "JobEnhance": 8_000,  # a batch of 20 OpenAI calls, 16 at a time
    "Matcher": 400,
    "AlertSender": 1_500,  # a batch, paced Graph API calls
    "Reengagement": 20_000,
    "WindowTimerArm": 60,  # bench.window_timers' figures
    "WindowTimerStep": 300,
    "Risk": 5_000,
    "SlackEvents": 300,
    "SlackNotify": 300,  # one Slack post
}
UNWIRED_MEMORY_MB = {"Risk": 512}

# --- List prices, eu-west-1 ------------------------------------------------------------------
PRICES_CHECKED = (
    "eu-west-1 list prices as last published on the AWS pricing pages known to the author "
    "(2025, after DynamoDB's November 2024 on-demand cut); not re-checked on 2026-11-22 since "
    "this machine has no network: check them and change the table"
)


@dataclass(frozen=True)
class Price:
    usd: float
    per: float  # units the price is quoted for
    unit: str


PRICES: dict[str, Price] = {
    "lambda_request": Price(0.20, 1e6, "1M requests"),
    "lambda_gb_second": Price(0.0000166667, 1, "GB-second (x86)"),
    "dynamodb_write_unit": Price(0.7068, 1e6, "1M write request units"),
    "dynamodb_read_unit": Price(0.1413, 1e6, "1M read request units"),
    "dynamodb_storage": Price(0.283, 1, "GB-month"),
    "dynamodb_pitr": Price(0.2266, 1, "GB-month"),
    # Stream reads by Lambda event source mappings are not charged.
    "dynamodb_stream_read_by_lambda": Price(0.0, 1e5, "100k stream read units"),
    "http_api_request": Price(1.11, 1e6, "1M requests"),
    "eventbridge_event": Price(1.00, 1e6, "1M custom events"),
    "eventbridge_archive": Price(0.10, 1, "GB archived"),
    "scheduler_invocation": Price(1.00, 1e6, "1M invocations"),
    "sfn_transition": Price(0.025, 1e3, "1k state transitions"),
    "sqs_request": Price(0.40, 1e6, "1M requests"),
    "logs_ingestion": Price(0.57, 1, "GB ingested"),
    "logs_storage": Price(0.03, 1, "GB-month"),
    "custom_metric": Price(0.30, 1, "metric-month"),
    "dashboard": Price(3.00, 1, "dashboard-month"),
    "alarm_metric": Price(0.10, 1, "alarm metric-month"),
    "secret": Price(0.40, 1, "secret-month"),
    "secret_api_call": Price(0.05, 1e4, "10k API calls"),
    "xray_trace": Price(5.00, 1e6, "1M traces recorded"),
    "kms_key": Price(1.00, 1, "key-month"),
}


@dataclass(frozen=True)
class WindowFigures:
    """Per candidate who writes on a day, from bench.window_timers' simulation."""

    inbound: float
    schedules_fired: float
    transitions: float
    step_invocations: float
    reminders: float
    dynamodb_reads: float
    dynamodb_writes: float  # the timers' own: the inbound transaction's window write is apart


def measure_window_timers(candidates: int = 1_000, seed: int = 6) -> WindowFigures:
    from aremu.domain.window import DEFAULT_POLICY
    from bench.support import quiet_aws_environment
    from bench.window_timers import simulate

    quiet_aws_environment()
    run = simulate(candidates, seed, DEFAULT_POLICY)
    return WindowFigures(
        inbound=run.inbound / candidates,
        schedules_fired=run.schedules_fired / candidates,
        transitions=run.transitions / candidates,
        step_invocations=run.step_invocations / candidates,
        reminders=run.reminders / candidates,
        dynamodb_reads=run.dynamodb_reads / candidates,
        dynamodb_writes=(run.dynamodb_writes - run.inbound) / candidates,
    )


@dataclass(frozen=True)
class Usage:
    """What a month of Aremu does, counted in the units the price table bills."""

    candidates: int
    inbound: float
    outbound_service: float
    marketing_templates: float
    utility_templates: float
    api_requests: float
    invocations: dict[str, float]
    gb_seconds: dict[str, float]
    read_units: float
    write_units: float
    stream_records: float
    storage_gb: float
    events: float
    scheduler_invocations: float
    transitions: float
    sqs_requests: float
    logs_gb: float
    custom_metrics: int
    dashboards: int
    alarm_metrics: int
    secrets: int
    secret_calls: float
    traces: float
    kms_keys: int
    jobs_enhanced: float


def runs_per_day(spec: FunctionSpec) -> float:
    """Runs a day of a function's `rate(N unit)` schedules."""
    minutes = {"minute": 1, "hour": 60, "day": 24 * 60}
    total = 0.0
    for schedule in spec.schedules():
        match = re.fullmatch(r"rate\((\d+) (minute|hour|day)s?\)", schedule.expression)
        if match is None:
            raise ValueError(f"{spec.name}: cannot count runs of {schedule.expression!r}")
        total += 24 * 60 / (int(match[1]) * minutes[match[2]])
    return total


def custom_metric_count(settings: Settings) -> int:
    """Metric names times their dimension values: CloudWatch bills each combination.

    The journey's metrics carry a stage (and a from→to pair, or a drop-off reason); every
    pair of stages is counted for conversions, an upper bound.
    """
    stages = len(settings.journey_stages.split(",")) + 1  # and "none", before the first
    per_stage = {Metric.CANDIDATES_IN_STAGE, Metric.TIME_IN_STAGE}
    combinations = {
        Metric.STAGE_CONVERSION: stages * stages,
        Metric.DROP_OFF: stages * 2,  # not hired, opted out
    }
    return sum(combinations.get(name, stages if name in per_stage else 1) for name in Metric)


def alarm_metric_count(specs: Sequence[FunctionSpec]) -> int:
    """Metrics the alarms of infra/cdk/constructs/monitoring.py watch, counted from the wiring.

    An alarm on metric math is billed per metric it reads: the error rate reads two.
    """
    stream_consumers = sum(1 for s in specs if s.streams())
    dead_letter_queues = (
        stream_consumers  # failed stream records
        + len(QUEUES)  # each queue's redrive target
        + sum(1 for s in specs if s.rules())  # undelivered bus events
        + sum(1 for s in specs if s.rules() or s.schedules())  # failed async invocations
        + 1  # undelivered schedules (the schedule group's one DLQ)
    )
    return (
        3 * len(specs)  # error rate (errors, invocations) and throttles
        + stream_consumers  # iterator age
        + dead_letter_queues
        + 2  # API p99 latency, API 5xx
        + len(STATE_MACHINES)  # failed executions
    )


def usage(candidates: int, window: WindowFigures, settings: Settings | None = None) -> Usage:
    settings = settings or Settings()
    days = DAYS_PER_MONTH
    active_days = candidates * ACTIVE_DAY_SHARE * days
    inbound = active_days * window.inbound
    replies = inbound * REPLIES_PER_TURN
    reminders = active_days * window.reminders
    alerts = active_days * ALERTS_PER_ACTIVE_DAY
    episodes = candidates * AT_RISK_SHARE_PER_MONTH
    marketing = (
        candidates * REENGAGED_SHARE_PER_WEEK * days / 7
        + episodes * NUDGES_PER_EPISODE * NUDGE_OUTSIDE_WINDOW
    )
    utility = episodes * FOLLOW_UPS_PER_EPISODE
    service = (
        replies + reminders + alerts + episodes * NUDGES_PER_EPISODE * (1 - NUDGE_OUTSIDE_WINDOW)
    )
    outbound = service + marketing + utility
    statuses = outbound * STATUS_CALLBACKS_PER_OUTBOUND
    slack_requests = episodes * SLACK_REQUESTS_PER_EPISODE
    api_requests = inbound + statuses + slack_requests
    transitions_stage = inbound * TRANSITIONS_PER_INBOUND
    jobs = JOBS_STORED_PER_DAY * days
    matches = candidates * MATCHES_PER_CANDIDATE_PER_DAY * days
    risk_runs = RISK_RUNS_PER_DAY * days

    invocations = {
        "WebhookApi": api_requests - slack_requests,
        "Conversation": inbound,
        # Sparse traffic: one record per invocation, an upper bound for batch size 50.
        "EventsPublisher": inbound + outbound + transitions_stage,
        "JobIngest": runs_per_day(JOB_INGEST) * days,
        "JobEnhance": jobs / _batch(JOB_ENHANCE),
        "Matcher": jobs / _batch(MATCHER),
        "AlertSender": alerts / (ALERT_SENDER.queues()[0].batch_size * ALERT_BATCH_FILL),
        "Reengagement": runs_per_day(REENGAGEMENT) * days,
        "WindowTimerArm": inbound,  # one stream invocation per message: an upper bound
        "WindowTimerStep": active_days * window.step_invocations,
        "Risk": risk_runs,
        "SlackEvents": slack_requests * 2,  # the ack, then the lazy listener invoking itself
        # Its bus rule takes HeldMessageReceived (what it mirrors), CandidateAtRisk and
        # OperatorHandback: never the messages the bot answers.
        "SlackNotify": episodes * (HELD_MESSAGES_PER_EPISODE + 2),
    }
    memory = UNWIRED_MEMORY_MB | {spec.name: spec.memory_mb for spec in FUNCTIONS}
    gb_seconds = {
        name: count * FUNCTION_MS[name] / 1000 * memory[name] / 1024
        for name, count in invocations.items()
    }

    reads = (
        inbound * (WEBHOOK_READS_PER_INBOUND + TURN_READS)
        + statuses * STATUS_READS
        + alerts * ALERT_READS
        + active_days * window.dynamodb_reads
        + jobs * (JOB_READS_PER_STORED + MATCHER_READS_PER_JOB)
        + risk_runs * candidates * RISK_READ_UNITS_PER_CANDIDATE_RUN
        + episodes * HELD_MESSAGES_PER_EPISODE * SLACK_NOTIFY_READS_PER_HELD_MESSAGE
    )
    single_writes = (
        inbound * TURN_WRITES
        + statuses * STATUS_WRITES
        + alerts * ALERT_WRITES
        + active_days * window.dynamodb_writes
        + jobs * JOB_WRITES_PER_STORED
        + matches
        + (marketing + utility) * 2  # the template's outbound message and the candidate
        + episodes * RISK_WRITES_PER_EPISODE
    )
    transaction_items = (
        inbound * (WEBHOOK_TRANSACTION_ITEMS_PER_INBOUND + TURN_TRANSACTION_ITEMS)
        + alerts * ALERT_TRANSACTION_ITEMS
    )
    # Messages are kept `message_retention_days`, deliveries `delivery_retention_days`;
    # storage is taken once both have filled up.
    messages_kept = (inbound + outbound) * settings.message_retention_days / days
    deliveries_kept = matches * settings.delivery_retention_days / days
    storage_kb = (
        candidates * KB_PER_CANDIDATE
        + messages_kept * KB_PER_MESSAGE_ITEM
        + deliveries_kept * KB_PER_DELIVERY
        + jobs * settings.recent_jobs_days / days * KB_PER_JOB
    )
    events = inbound + outbound + transitions_stage + episodes * (3 + HELD_MESSAGES_PER_EPISODE)
    transitions = active_days * window.transitions
    total_invocations = sum(invocations.values())
    logs_kb = (
        total_invocations * KB_LOGS_PER_INVOCATION
        + api_requests * KB_ACCESS_LOG_PER_REQUEST
        + transitions * KB_STATE_MACHINE_LOG_PER_TRANSITION
    )
    executions = active_days * window.schedules_fired
    secret_readers = sum(1 for s in FUNCTIONS if Access.CHANNEL_SECRETS in s.access)
    return Usage(
        candidates=candidates,
        inbound=inbound,
        outbound_service=service,
        marketing_templates=marketing,
        utility_templates=utility,
        api_requests=api_requests,
        invocations=invocations,
        gb_seconds=gb_seconds,
        read_units=reads,
        write_units=single_writes + 2 * transaction_items,
        stream_records=single_writes + transaction_items,
        storage_gb=storage_kb / 1024**2,
        events=events,
        scheduler_invocations=executions
        + sum(runs_per_day(s) for s in FUNCTIONS) * days
        + risk_runs,
        transitions=transitions,
        sqs_requests=alerts * 3 + SQS_IDLE_RECEIVES,  # send, receive, delete; idle polling
        logs_gb=logs_kb / 1024**2,
        custom_metrics=custom_metric_count(Settings()),
        dashboards=1,
        alarm_metrics=alarm_metric_count(FUNCTIONS),
        secrets=1,
        secret_calls=secret_readers * SECRET_FETCHES_PER_FUNCTION,
        traces=(total_invocations + executions) * X_RAY_SAMPLED_SHARE,
        kms_keys=1,
        jobs_enhanced=jobs,
    )


def _batch(spec: FunctionSpec) -> int:
    return spec.streams()[0].batch_size


@dataclass(frozen=True)
class Line:
    service: str
    item: str
    count: float
    price: Price

    @property
    def cost(self) -> float:
        return self.count * self.price.usd / self.price.per


def cost_lines(
    use: Usage, prices: dict[str, Price] = PRICES, settings: Settings | None = None
) -> list[Line]:
    settings = settings or Settings()
    p = prices
    openai = OpenAIEnhancerConfig(model=settings.enhancer_model)
    per_job = openai.cost(OPENAI_TOKENS_IN, OPENAI_TOKENS_OUT)
    return [
        Line("Lambda", "requests", sum(use.invocations.values()), p["lambda_request"]),
        *(
            Line("Lambda", f"{name} duration", gb_s, p["lambda_gb_second"])
            for name, gb_s in use.gb_seconds.items()
        ),
        Line("DynamoDB", "write request units", use.write_units, p["dynamodb_write_unit"]),
        Line("DynamoDB", "read request units", use.read_units, p["dynamodb_read_unit"]),
        Line("DynamoDB", "storage", use.storage_gb, p["dynamodb_storage"]),
        Line("DynamoDB", "point-in-time recovery", use.storage_gb, p["dynamodb_pitr"]),
        Line(
            "DynamoDB",
            "stream records read by Lambda",
            use.stream_records,
            p["dynamodb_stream_read_by_lambda"],
        ),
        Line("API Gateway", "HTTP API requests", use.api_requests, p["http_api_request"]),
        Line("EventBridge", "custom events", use.events, p["eventbridge_event"]),
        Line(
            "EventBridge",
            "archive",
            use.events * KB_PER_EVENT / 1024**2,
            p["eventbridge_archive"],
        ),
        Line("Scheduler", "invocations", use.scheduler_invocations, p["scheduler_invocation"]),
        Line("Step Functions", "standard transitions", use.transitions, p["sfn_transition"]),
        Line("SQS", "requests", use.sqs_requests, p["sqs_request"]),
        Line("CloudWatch", "logs ingested", use.logs_gb, p["logs_ingestion"]),
        Line("CloudWatch", "logs stored (1 month)", use.logs_gb, p["logs_storage"]),
        Line("CloudWatch", "custom metrics", use.custom_metrics, p["custom_metric"]),
        Line("CloudWatch", "dashboard", use.dashboards, p["dashboard"]),
        Line("CloudWatch", "alarm metrics", use.alarm_metrics, p["alarm_metric"]),
        Line("Secrets Manager", "secret", use.secrets, p["secret"]),
        Line("Secrets Manager", "API calls", use.secret_calls, p["secret_api_call"]),
        Line("X-Ray", "traces recorded", use.traces, p["xray_trace"]),
        Line("KMS", "alarm topic key", use.kms_keys, p["kms_key"]),
        Line(
            "WhatsApp",
            "service messages",
            use.outbound_service,
            Price(settings.price_service_message_usd, 1, "message"),
        ),
        Line(
            "WhatsApp",
            "marketing templates",
            use.marketing_templates,
            Price(settings.price_marketing_template_usd, 1, "message"),
        ),
        Line(
            "WhatsApp",
            "utility templates",
            use.utility_templates,
            Price(settings.price_utility_template_usd, 1, "message"),
        ),
        Line(
            "OpenAI",
            f"job enhancements ({openai.model})",
            use.jobs_enhanced,
            Price(per_job, 1, "job"),
        ),
    ]


def by_service(lines: Iterable[Line]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for line in lines:
        totals[line.service] = totals.get(line.service, 0.0) + line.cost
    return totals


def aws_total(lines: Iterable[Line]) -> float:
    return sum(cost for service, cost in by_service(lines).items() if service not in NOT_AWS)


NOT_AWS = frozenset({"WhatsApp", "OpenAI"})


def _print_table(scales: Sequence[int], tables: dict[int, list[Line]]) -> None:
    first = tables[scales[0]]
    header = f"{'service':<16}{'item':<34}{'unit price':>28}" + "".join(
        f"{f'{n:,} cand. count':>20}{'USD':>10}" for n in scales
    )
    print(header)
    print("-" * len(header))
    service = ""
    for index, line in enumerate(first):
        shown = line.service if line.service != service else ""
        service = line.service
        price = f"${line.price.usd:.6g} / {line.price.unit}"
        row = f"{shown:<16}{line.item:<34}{price:>28}"
        for n in scales:
            other = tables[n][index]
            row += f"{other.count:>20,.1f}{other.cost:>10.2f}"
        print(row)
    print("-" * len(header))
    for name in dict.fromkeys(line.service for line in first):
        row = f"{name:<16}{'subtotal':<34}{'':>28}"
        for n in scales:
            row += f"{'':>20}{by_service(tables[n])[name]:>10.2f}"
        print(row)
    for label, total in (("AWS total", aws_total), ("all-in total", _all_in)):
        row = f"{label:<16}{'':<34}{'':>28}"
        for n in scales:
            row += f"{'':>20}{total(tables[n]):>10.2f}"
        print(row)


def _all_in(lines: Iterable[Line]) -> float:
    return sum(line.cost for line in lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--candidates", type=int, nargs="+", default=list(SCALES))
    parser.add_argument("--prices", help='JSON overrides in USD, e.g. {"lambda_request": 0.2}')
    args = parser.parse_args(argv)
    overrides: dict[str, float] = json.loads(args.prices) if args.prices else {}
    prices = {
        name: replace(price, usd=overrides.get(name, price.usd)) for name, price in PRICES.items()
    }

    window = measure_window_timers()
    tables = {n: cost_lines(usage(n, window), prices) for n in args.candidates}
    print(f"prices: {PRICES_CHECKED}")
    print(f"window timers per candidate who writes that day (simulated): {asdict(window)}")
    print(
        f"counted from the code: {custom_metric_count(Settings())} custom metrics, "
        f"{alarm_metric_count(FUNCTIONS)} alarm metrics, {len(FUNCTIONS)} functions"
    )
    _print_table(args.candidates, tables)
    summary: dict[str, Any] = {
        "bench": "monthly_cost",
        "prices_checked": PRICES_CHECKED,
        "usd_per_month": {
            str(n): {
                "aws": round(aws_total(lines), 2),
                "all_in": round(_all_in(lines), 2),
                "by_service": {k: round(v, 2) for k, v in by_service(lines).items()},
            }
            for n, lines in tables.items()
        },
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
