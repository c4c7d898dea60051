"""Who gets the one paid re-engagement template, and when.

Outside the 24-hour window only an approved template can reach a candidate, and each one
is paid. So: opted-in (active) candidates only, whose window is closed, with enough
waiting matches to be worth it, at most once per period, and within the run's budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from aremu.domain.delivery.routing import window_open


@dataclass(frozen=True)
class ReengagementPolicy:
    min_waiting: int = 3
    period: timedelta = timedelta(days=7)
    budget_usd_per_run: float = 5.0
    price_usd: float = 0.0516  # a marketing template


@dataclass(frozen=True)
class Lapsed:
    candidate_id: str
    stage: str
    last_inbound_at: datetime | None
    last_template_at: datetime | None
    waiting: int


def due_for_template(candidate: Lapsed, now: datetime, policy: ReengagementPolicy) -> bool:
    if candidate.stage != "active" or window_open(candidate.last_inbound_at, now):
        return False
    if candidate.waiting < policy.min_waiting:
        return False
    return candidate.last_template_at is None or now - candidate.last_template_at >= policy.period


def affordable(count: int, policy: ReengagementPolicy) -> int:
    """How many of `count` templates the run's budget pays for."""
    if policy.price_usd <= 0:
        return count
    return min(count, int(policy.budget_usd_per_run // policy.price_usd))
