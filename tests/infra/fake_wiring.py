"""A small wiring that uses every trigger and access kind the real one may not use yet."""

from __future__ import annotations

from aremu.wiring import (
    Access,
    BusRule,
    FunctionSpec,
    HttpRoute,
    QueueSource,
    QueueSpec,
    ScheduleRate,
)

# Any existing folder will do: the template, not the code, is under test.
CODE_DIR = "functions/webhook"

OUTBOX = QueueSpec(name="outbox", visibility_timeout_seconds=90, max_receive_count=4)
QUEUES = (OUTBOX,)

RATE = ScheduleRate(expression="rate(15 minutes)", payload={"job": "ingest", "limit": 50})
QUEUE_SOURCE = QueueSource(queue=OUTBOX.name, batch_size=5, max_concurrency=3)
RULE = BusRule(detail_types=("JobMatched", "CandidateAtRisk"))

TICKER = FunctionSpec(
    name="Ticker",
    code_dir=CODE_DIR,
    handler="ticker.handler",
    description="fake: runs on a schedule and arms one-time timers",
    triggers=(RATE,),
    access=(Access.SCHEDULES,),
)
OUTBOX_SENDER = FunctionSpec(
    name="OutboxSender",
    code_dir=CODE_DIR,
    handler="sender.handler",
    description="fake: turns matched-job events into outbox messages",
    triggers=(RULE,),
    access=(Access.OUTBOX_SEND, Access.EVENTS_PUT),
)
OUTBOX_CONSUMER = FunctionSpec(
    name="OutboxConsumer",
    code_dir=CODE_DIR,
    handler="consumer.handler",
    description="fake: drains the outbox",
    triggers=(QUEUE_SOURCE,),
    access=(Access.TABLE_READ,),
    timeout_seconds=30,
)
BYSTANDER = FunctionSpec(
    name="Bystander",
    code_dir=CODE_DIR,
    handler="bystander.handler",
    description="fake: has none of the new access kinds",
    triggers=(HttpRoute("GET", "/ping"),),
    access=(),
)

SPECS = (TICKER, OUTBOX_SENDER, OUTBOX_CONSUMER, BYSTANDER)
# The real wiring's window timer covers state machines; none here keeps this stack small.
MACHINES = ()
# What an operator passes with `cdk deploy -c`.
DEPLOY_CONTEXT = {"AREMU_SLACK_RECRUITERS_CHANNEL": "CRECRUITERS"}
