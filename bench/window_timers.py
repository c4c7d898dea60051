"""Window timers over a simulated day of 1,000 candidates (targets: <= 0.1 Scheduler API
calls per inbound message, <= 2 reminders per expiring window), and their estimated AWS cost.

Drives the real arming and step services and the real state machine definition (run by
the local interpreter) on a simulated clock, over in-memory fakes that count every call
(tests/support/windows.py). Chat comes in bursts: sessions of a few messages a minute or
two apart, some candidates coming back hours later, many lapsing after one session; a
quarter of reminders get a "Keep alerts on" reply. Scheduler fires 1% of schedules twice
(it delivers at least once). The clock runs on until every window has expired.

The cost is counted calls times a price table (override with --prices '{"name": value}'):
EventBridge Scheduler bills invocations (schedules fired), not API calls; Step Functions
Standard bills state transitions; Lambda bills requests and GB-seconds at the durations
assumed below. DynamoDB requests are counted too, priced on-demand, shown apart.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from aremu.domain.window import DEFAULT_POLICY, WindowPolicy
from aremu.window_timer_local import ExecutionStatus
from bench.support import quiet_aws_environment
from tests.support.windows import START, SentReminder, TimerWorld

CANDIDATES = 1000
SCHEDULER_CALLS_PER_INBOUND_TARGET = 0.1
REMINDERS_PER_WINDOW_TARGET = 2
# The earlier public Aremu bot polled every 5 minutes and sent up to about 11 per window.
POLLING_BOT_REMINDERS_PER_WINDOW = 11
REPLY_TO_REMINDER = 0.25
DUPLICATE_FIRING = 0.01
TAKEN_OVER = 0.02
STAGES = (("active", 0.85), ("paused", 0.07), ("opted_out", 0.03), ("collecting", 0.05))


@dataclass(frozen=True)
class Prices:
    scheduler_per_million_invocations: float = 1.00
    step_functions_per_million_transitions: float = 25.00
    lambda_per_million_requests: float = 0.20
    lambda_per_gb_second: float = 0.0000166667
    arm_lambda_ms: float = 60.0
    arm_lambda_mb: float = 512.0
    step_lambda_ms: float = 300.0  # a Graph API call on the reminder steps
    step_lambda_mb: float = 512.0
    dynamodb_per_million_reads: float = 0.125
    dynamodb_per_million_writes: float = 0.625


@dataclass(frozen=True)
class Persona:
    name: str
    share: float
    sessions: tuple[int, int]
    messages: tuple[int, int]


PERSONAS = (
    # Onboarding: consent, roles, places, experience, pay, arrangement, confirm, chat.
    Persona("onboarding", 0.25, (1, 2), (8, 14)),
    Persona("returning", 0.35, (2, 4), (2, 6)),
    Persona("chatty", 0.10, (4, 8), (3, 8)),
    Persona("one_off", 0.30, (1, 1), (1, 3)),
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in weighted], [w for _, w in weighted])[0]


def _session_starts(rng: random.Random, count: int) -> list[datetime]:
    # Waking hours in Lagos (06:00 UTC is 07:00 there), sessions at least an hour apart.
    starts: list[datetime] = []
    while len(starts) < count:
        at = START + timedelta(minutes=rng.uniform(0, 15 * 60))
        if all(abs((at - s).total_seconds()) >= 3600 for s in starts):
            starts.append(at)
    return sorted(starts)


def plan_day(
    world: TimerWorld, rng: random.Random, candidates: int, taken_over: set[str]
) -> Counter[str]:
    personas: Counter[str] = Counter()
    for n in range(candidates):
        candidate_id = f"c{n:05d}"
        world.add_candidate(candidate_id, _pick(rng, STAGES))
        if rng.random() < TAKEN_OVER:
            taken_over.add(candidate_id)
        persona = rng.choices(PERSONAS, [p.share for p in PERSONAS])[0]
        personas[persona.name] += 1
        for start in _session_starts(rng, rng.randint(*persona.sessions)):
            at = start
            for _ in range(rng.randint(*persona.messages)):
                world.message_at(candidate_id, at)
                at += timedelta(seconds=rng.uniform(15, 150))
    return personas


@dataclass
class Run:
    personas: dict[str, int]
    inbound: int
    scheduler_calls: int
    schedules_fired: int
    executions: int
    transitions: int
    step_invocations: int
    reminders: int
    expiring_windows: int
    reminders_per_window_max: int
    reminders_per_window_mean: float
    reminders_per_lifetime_max: int
    reminders_per_lifetime_mean: float
    failed_executions: int
    dynamodb_reads: int
    dynamodb_writes: int


def simulate(candidates: int, seed: int, policy: WindowPolicy) -> Run:
    rng = random.Random(seed)
    taken_over: set[str] = set()
    world = TimerWorld(
        policy=policy,
        duplicate_firing=lambda name: rng.random() < DUPLICATE_FIRING,
        is_taken_over=lambda item: item.candidate_id in taken_over,
    )
    personas = plan_day(world, rng, candidates, taken_over)

    def reply_sometimes(reminder: SentReminder) -> None:
        if rng.random() < REPLY_TO_REMINDER:
            world.message_at(
                reminder.candidate_id, reminder.at + timedelta(minutes=rng.uniform(1, 30))
            )

    world.sender.on_send = reply_sometimes
    # Replies to reminders keep windows open, so run on until nothing is left to do.
    end = START
    while not world.idle:
        end += timedelta(days=1)
        world.run_until(end)
    return _tally(world, dict(personas))


def _tally(world: TimerWorld, personas: dict[str, int]) -> Run:
    sent_by_epoch: Counter[tuple[str, int]] = Counter(
        (s.candidate_id, s.epoch) for s in world.sender.sent
    )
    sent_times: dict[str, list[datetime]] = defaultdict(list)
    for sent in world.sender.sent:
        sent_times[sent.candidate_id].append(sent.at)
    per_window: list[int] = []
    per_lifetime: list[int] = []
    lifetime_start: dict[str, datetime] = {}
    for result in world.results:
        if result.outcome != "expired":
            continue
        expired_at = datetime.fromisoformat(result.due_at)
        per_window.append(sent_by_epoch[(result.candidate_id, result.epoch)])
        since = lifetime_start.get(result.candidate_id, START)
        per_lifetime.append(
            sum(1 for at in sent_times[result.candidate_id] if since <= at <= expired_at)
        )
        lifetime_start[result.candidate_id] = expired_at
    windows = max(1, len(per_window))
    return Run(
        personas=personas,
        inbound=world.inbound_count,
        scheduler_calls=world.scheduler.total_calls,
        schedules_fired=world.schedules_fired,
        executions=world.machine.started,
        transitions=world.machine.transitions,
        step_invocations=world.machine.task_invocations,
        reminders=len(world.sender.sent),
        expiring_windows=len(per_window),
        reminders_per_window_max=max(per_window, default=0),
        reminders_per_window_mean=round(sum(per_window) / windows, 3),
        reminders_per_lifetime_max=max(per_lifetime, default=0),
        reminders_per_lifetime_mean=round(sum(per_lifetime) / windows, 3),
        failed_executions=world.machine.finished[ExecutionStatus.FAILED],
        dynamodb_reads=world.store.reads + world.candidates.reads,
        dynamodb_writes=world.store.writes,
    )


def cost(run: Run, prices: Prices, candidates: int) -> dict[str, float]:
    """Estimated USD per 1,000 candidates for the simulated day."""
    scale = 1000 / candidates
    arm_requests = run.inbound  # one stream invocation per message: an upper bound
    gb_seconds = (
        arm_requests * prices.arm_lambda_ms / 1000 * prices.arm_lambda_mb / 1024
        + run.step_invocations * prices.step_lambda_ms / 1000 * prices.step_lambda_mb / 1024
    )
    lines = {
        "scheduler": run.schedules_fired * prices.scheduler_per_million_invocations / 1e6,
        "step_functions": run.transitions * prices.step_functions_per_million_transitions / 1e6,
        "lambda_requests": (arm_requests + run.step_invocations)
        * prices.lambda_per_million_requests
        / 1e6,
        "lambda_duration": gb_seconds * prices.lambda_per_gb_second,
    }
    lines["total"] = sum(lines.values())
    lines["dynamodb_not_in_total"] = (
        run.dynamodb_reads * prices.dynamodb_per_million_reads
        + run.dynamodb_writes * prices.dynamodb_per_million_writes
    ) / 1e6
    return {name: round(value * scale, 5) for name, value in lines.items()}


def _prices(text: str | None) -> Prices:
    if not text:
        return Prices()
    overrides: dict[str, float] = json.loads(text)
    return replace(Prices(), **overrides)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--candidates", type=int, default=CANDIDATES)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--prices", help='JSON overrides, e.g. {"lambda_per_million_requests": 0.2}'
    )
    args = parser.parse_args()
    quiet_aws_environment()
    prices = _prices(args.prices)

    run = simulate(args.candidates, args.seed, DEFAULT_POLICY)
    by_schedule = simulate(
        args.candidates, args.seed, replace(DEFAULT_POLICY, rearm_in_execution=False)
    )
    per_inbound = run.scheduler_calls / max(1, run.inbound)
    per_inbound_by_schedule = by_schedule.scheduler_calls / max(1, by_schedule.inbound)
    dollars = cost(run, prices, args.candidates)

    print(f"candidates: {args.candidates} {run.personas}, inbound messages: {run.inbound}")
    print(
        f"scheduler API calls: {run.scheduler_calls} = {per_inbound:.3f} per inbound message "
        f"(target <= {SCHEDULER_CALLS_PER_INBOUND_TARGET}); re-arming through new schedules "
        f"instead would make {per_inbound_by_schedule:.3f}"
    )
    print(
        f"reminders per expiring window: max {run.reminders_per_window_max}, "
        f"mean {run.reminders_per_window_mean} over {run.expiring_windows} windows "
        f"(target <= {REMINDERS_PER_WINDOW_TARGET}; the polling bot: up to "
        f"~{POLLING_BOT_REMINDERS_PER_WINDOW}); from opening to expiry, kept open by replies: "
        f"max {run.reminders_per_lifetime_max}, mean {run.reminders_per_lifetime_mean}"
    )
    print(
        f"executions: {run.executions} ({run.schedules_fired} schedule invocations), "
        f"state transitions: {run.transitions}, step invocations: {run.step_invocations}, "
        f"failed executions: {run.failed_executions}"
    )
    print(f"estimated AWS cost per 1,000 candidates per day (USD): {dollars}")
    print(f"prices assumed: {asdict(prices)}")
    meets = (
        run.inbound > 0
        and per_inbound <= SCHEDULER_CALLS_PER_INBOUND_TARGET
        and run.reminders_per_window_max <= REMINDERS_PER_WINDOW_TARGET
        and run.failed_executions == 0
    )
    summary: dict[str, Any] = {
        "bench": "window_timers",
        "candidates": args.candidates,
        "inbound_messages": run.inbound,
        "scheduler_calls": run.scheduler_calls,
        "scheduler_calls_per_inbound": round(per_inbound, 4),
        "scheduler_calls_per_inbound_rearm_by_schedule": round(per_inbound_by_schedule, 4),
        "reminders_per_expiring_window_max": run.reminders_per_window_max,
        "reminders_per_expiring_window_mean": run.reminders_per_window_mean,
        "cost_usd_per_1000_candidates_per_day": dollars["total"],
        "cost_breakdown_usd": dollars,
        "meets_target": meets,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
