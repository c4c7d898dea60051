"""From a job stored to its alert on WhatsApp, on `aremu local` at the pump's own pace.

An onboarded, active candidate (a sales rep in Lagos) is waiting; then, one at a time, a
single-row JobSpy CSV with a job that fits them goes to `POST /sandbox/ingest`. The clock
runs from that POST until the alert appears in the WhatsApp sandbox, polled every 20 ms
and never drained, so what is measured is the background pump carrying the job through
the stream (enhance), the stream again (match), the outbox queue and the paced sender.
Target: every alert within 2 s. The first job also pays for the cold start of the job
functions (their first invocation imports the enhancer and the matcher); it is reported
on its own, and the target is judged on the warm jobs after it.

Run from the repository root: `.venv/bin/python -m bench.delivery_latency`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import statistics
import time
import uuid
from datetime import date

from aremu.credentials import LOCAL_DEFAULTS
from aremu.demo import move_clock_out_of_quiet_hours
from aremu.jobs.csv_source import JOBSPY_COLUMNS
from aremu.local.client import (
    LocalClient,
    WhatsAppUser,
    button_reply,
    messages_value,
    text_webhook,
    webhook_payload,
)
from aremu.local.launch import local_stack_process

JOBS = 5
TARGET_SECONDS = 2.0
POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 30.0


def job_csv(index: int) -> str:
    """One posting that fits a sales rep in Lagos, unlike any posted before."""
    tag = uuid.uuid4().hex[:8]
    row = dict.fromkeys(JOBSPY_COLUMNS, "")
    row.update(
        {
            "id": f"in-bench{tag}",
            "site": "indeed",
            "job_url": f"https://ng.indeed.example/viewjob?jk=bench{tag}",
            "title": "Sales Representative",
            "company": f"Bench Retail {index} {tag}",
            "location": "Lagos, LA, NG",
            "date_posted": date.today().isoformat(),
            "job_type": "fulltime",
            "interval": "monthly",
            "min_amount": "300000",
            "max_amount": "450000",
            "currency": "NGN",
            "is_remote": "False",
            "description": (
                "We are hiring a Sales Representative in Lagos with 2 to 4 years of field "
                "sales experience to grow retail accounts, meet monthly targets and keep "
                "customer relationships strong. Hybrid work is possible."
            ),
        }
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=JOBSPY_COLUMNS)
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue()


def onboard(client: LocalClient, user: WhatsAppUser) -> None:
    def say(words: str) -> None:
        client.post_webhook(text_webhook(user, words))
        client.drain()

    def tap(button_id: str, title: str) -> None:
        reply_to = client.sent_message_ids(user)[-1]
        message = button_reply(user, button_id, title, reply_to=reply_to)
        client.post_webhook(webhook_payload(messages_value([message], [user])))
        client.drain()

    say("Hi")
    tap("consent_yes", "Yes, send jobs")
    say("I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine")
    tap("prefs_confirm", "Confirm")


def time_one_alert(client: LocalClient, user: WhatsAppUser, index: int) -> float | None:
    """Seconds from posting one fitting job to its alert in the sandbox; None if none came."""
    sent_before = len(client.replies_to(user))
    started = time.perf_counter()
    summary = client.ingest_csv(job_csv(index))
    if summary["stored"] != 1:
        raise SystemExit(f"the bench job was not stored: {summary}")
    while len(client.replies_to(user)) == sent_before:
        if time.perf_counter() - started > GIVE_UP_SECONDS:
            return None
        time.sleep(POLL_SECONDS)
    return time.perf_counter() - started


def main() -> int:
    user = WhatsAppUser.with_phone("Latency Bench")
    latencies: list[float] = []
    with local_stack_process() as stack:
        client = LocalClient(
            stack.base_url,
            app_secret=os.environ.get("WHATSAPP_APP_SECRET")
            or LOCAL_DEFAULTS["WHATSAPP_APP_SECRET"],
        )
        move_clock_out_of_quiet_hours(client)
        onboard(client, user)
        cold = time_one_alert(client, user, 0)
        print(f"job 0 (cold functions): {_ms(cold)}")
        for index in range(1, JOBS + 1):
            latency = time_one_alert(client, user, index)
            print(f"job {index}: {_ms(latency)}")
            if latency is not None:
                latencies.append(latency)

    missed = JOBS - len(latencies)
    p50 = statistics.median(latencies) if latencies else None
    worst = max(latencies) if latencies else None
    if p50 is not None and worst is not None:
        print(
            f"job stored → alert sent, warm: p50 {p50 * 1000:.0f} ms, max {worst * 1000:.0f} ms "
            f"over {len(latencies)} jobs (target {TARGET_SECONDS:.0f} s); "
            f"cold first job {_ms(cold)}"
        )
    result = {
        "bench": "delivery_latency",
        "jobs": JOBS,
        "alerts": len(latencies),
        "missed": missed,
        "p50_ms": round(p50 * 1000) if p50 is not None else None,
        "max_ms": round(worst * 1000) if worst is not None else None,
        "cold_first_ms": round(cold * 1000) if cold is not None else None,
        "target_ms": round(TARGET_SECONDS * 1000),
        "meets_target": missed == 0 and worst is not None and worst <= TARGET_SECONDS,
    }
    print(json.dumps(result))
    return 0 if result["meets_target"] else 1


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return f"no alert within {GIVE_UP_SECONDS:.0f} s"
    return f"alert after {seconds * 1000:.0f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
