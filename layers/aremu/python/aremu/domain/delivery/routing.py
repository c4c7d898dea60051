"""Where a match goes: out now, or waiting (quiet hours, a closed window, the daily cap).

Inside the candidate's 24-hour window an alert is a free service message; outside it only
a paid template may go, so the match waits for the candidate to write again (a digest) or
for the weekly re-engagement template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

WINDOW = timedelta(hours=24)
ALERT_STAGES = frozenset({"active"})


class Route(StrEnum):
    SEND_NOW = "send_now"
    QUIET_HOURS = "quiet_hours"
    WINDOW_CLOSED = "window_closed"
    DAILY_CAP = "daily_cap"
    INELIGIBLE = "ineligible"  # paused, opted out, erased or held by a recruiter


@dataclass(frozen=True)
class DeliveryPolicy:
    daily_cap: int = 10
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    timezone: str = "Africa/Lagos"


@dataclass(frozen=True)
class Recipient:
    stage: str
    last_inbound_at: datetime | None
    alerts_today: int = 0
    taken_over: bool = False
    timezone: str | None = None


def window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is not None and now - last_inbound_at < WINDOW


def in_quiet_hours(now: datetime, policy: DeliveryPolicy, timezone: str | None = None) -> bool:
    local = now.astimezone(ZoneInfo(timezone or policy.timezone)).time()
    if policy.quiet_start <= policy.quiet_end:
        return policy.quiet_start <= local < policy.quiet_end
    return local >= policy.quiet_start or local < policy.quiet_end


def route_alert(recipient: Recipient, now: datetime, policy: DeliveryPolicy) -> Route:
    if recipient.stage not in ALERT_STAGES or recipient.taken_over:
        return Route.INELIGIBLE
    if not window_open(recipient.last_inbound_at, now):
        return Route.WINDOW_CLOSED
    if in_quiet_hours(now, policy, recipient.timezone):
        return Route.QUIET_HOURS
    if recipient.alerts_today >= policy.daily_cap:
        return Route.DAILY_CAP
    return Route.SEND_NOW
