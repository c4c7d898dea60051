"""Which function handles which trigger: written once, read by the CDK app and `aremu local`.

Paths are relative to the repository root. Stream filters use the Lambda event-filter
syntax (the same pattern language as EventBridge), so the local pump can apply them
exactly as AWS would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from aremu.window_timer_definition import window_timer_definition


class Access(StrEnum):
    """What a function may touch; the CDK turns each into `grant_*` calls."""

    TABLE_READ = "table:read"
    TABLE_WRITE = "table:write"
    IDEMPOTENCY = "idempotency:read_write"
    CHANNEL_SECRETS = "secrets:channels:read"
    EVENTS_PUT = "events:put"  # PutEvents on the Aremu bus
    OUTBOX_SEND = "outbox:send"  # SendMessage on the delivery outbox queue
    SCHEDULES = "scheduler:manage"  # create/delete one-time schedules in the Aremu group
    # Invoke itself asynchronously: slack-bolt runs lazy listeners so on Lambda.
    SELF_INVOKE = "lambda:invoke_self"


@dataclass(frozen=True)
class HttpRoute:
    method: str
    path: str


@dataclass(frozen=True)
class TableStream:
    """New images on the main table's stream, filtered before the function is invoked."""

    filter_pattern: dict[str, Any]
    # Further patterns a record may match instead (Lambda ORs a mapping's filters).
    or_patterns: tuple[dict[str, Any], ...] = ()
    batch_size: int = 10
    max_batching_window_seconds: int = 0
    retry_attempts: int = 5
    bisect_on_error: bool = True

    @property
    def filter_patterns(self) -> tuple[dict[str, Any], ...]:
        return (self.filter_pattern, *self.or_patterns)


@dataclass(frozen=True)
class ScheduleRate:
    """A recurring EventBridge Scheduler schedule invoking the function with `payload`."""

    expression: str  # "rate(15 minutes)" or "cron(...)"
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueSource:
    """An SQS queue (declared in QUEUES) the function consumes, with partial batch failures."""

    queue: str
    batch_size: int = 10
    max_concurrency: int = 2


@dataclass(frozen=True)
class BusRule:
    """Domain events on the Aremu bus, matched by detail-type."""

    detail_types: tuple[str, ...]


@dataclass(frozen=True)
class StateMachineTask:
    """Invoked as a Task by a Standard state machine of the stack (declared in STATE_MACHINES)."""

    state_machine: str


Trigger = HttpRoute | TableStream | ScheduleRate | QueueSource | BusRule | StateMachineTask


@dataclass(frozen=True)
class StateMachineSpec:
    """A Standard state machine; its executions are started by one-time schedules, which
    functions with Access.SCHEDULES create at run time.

    `definition` builds the Amazon States Language from the ARN of the function whose
    trigger is `StateMachineTask(name)`, so the CDK app and the local interpreter run the
    same definition.
    """

    name: str
    description: str
    definition: Callable[[str], dict[str, Any]]

    @property
    def arn_environment_variable(self) -> str:
        """Where functions that schedule executions find the machine's ARN (see config)."""
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in self.name).lstrip("_")
        return f"AREMU_{snake.upper()}_STATE_MACHINE_ARN"


@dataclass(frozen=True)
class QueueSpec:
    name: str
    visibility_timeout_seconds: int = 60
    max_receive_count: int = 5  # then the message moves to the queue's DLQ


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    code_dir: str
    handler: str
    description: str
    triggers: tuple[Trigger, ...]
    access: tuple[Access, ...]
    timeout_seconds: int = 10
    memory_mb: int = 512
    environment: dict[str, str] = field(default_factory=dict)
    # "zip" runs on the shared layers; "image" is a container image built by `cdk deploy`
    # from the code folder's Dockerfile, for heavy dependencies (python-jobspy, pandas).
    packaging: Literal["zip", "image"] = "zip"

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def entry_point(self) -> str:
        return self.handler.rsplit(".", 1)[1]

    def routes(self) -> list[HttpRoute]:
        return [t for t in self.triggers if isinstance(t, HttpRoute)]

    def streams(self) -> list[TableStream]:
        return [t for t in self.triggers if isinstance(t, TableStream)]

    def schedules(self) -> list[ScheduleRate]:
        return [t for t in self.triggers if isinstance(t, ScheduleRate)]

    def queues(self) -> list[QueueSource]:
        return [t for t in self.triggers if isinstance(t, QueueSource)]

    def rules(self) -> list[BusRule]:
        return [t for t in self.triggers if isinstance(t, BusRule)]

    def state_machine_tasks(self) -> list[StateMachineTask]:
        return [t for t in self.triggers if isinstance(t, StateMachineTask)]


DOMAIN_EVENT_ITEMS = {
    "eventName": ["INSERT"],
    "dynamodb": {"NewImage": {"kind": {"S": ["message", "transition", "event"]}}},
}

NEW_INBOUND_MESSAGES = {
    "eventName": ["INSERT"],
    "dynamodb": {"NewImage": {"kind": {"S": ["message"]}, "direction": {"S": ["in"]}}},
}

WEBHOOK_API = FunctionSpec(
    name="WebhookApi",
    code_dir="functions/webhook",
    handler="api.handler",
    description="WhatsApp webhook: verify, check signatures, store inbound messages and statuses",
    triggers=(
        HttpRoute("GET", "/whatsapp/webhook"),
        HttpRoute("POST", "/whatsapp/webhook"),
    ),
    access=(Access.TABLE_READ, Access.TABLE_WRITE, Access.CHANNEL_SECRETS),
    timeout_seconds=10,
)

CONVERSATION = FunctionSpec(
    name="Conversation",
    code_dir="functions/webhook",
    handler="conversation.handler",
    description="Runs the conversation for each newly stored inbound message",
    triggers=(TableStream(filter_pattern=NEW_INBOUND_MESSAGES),),
    access=(
        Access.TABLE_READ,
        Access.TABLE_WRITE,
        Access.IDEMPOTENCY,
        Access.CHANNEL_SECRETS,
    ),
    timeout_seconds=60,
)

EVENTS_PUBLISHER = FunctionSpec(
    name="EventsPublisher",
    code_dir="functions/webhook",
    handler="publisher.handler",
    description="Publishes domain events for new messages and stage changes (stream outbox)",
    triggers=(TableStream(filter_pattern=DOMAIN_EVENT_ITEMS, batch_size=50),),
    access=(Access.EVENTS_PUT,),
    timeout_seconds=30,
)

NEW_RAW_JOBS = {
    "eventName": ["INSERT"],
    "dynamodb": {"NewImage": {"kind": {"S": ["job"]}, "status": {"S": ["RAW"]}}},
}
# A job enhanced offline and sent back to RAW to be enhanced again by AI.
JOBS_SENT_BACK_TO_RAW = {
    "eventName": ["MODIFY"],
    "dynamodb": {
        "OldImage": {"status": {"S": ["ENHANCED"]}},
        "NewImage": {"kind": {"S": ["job"]}, "status": {"S": ["RAW"]}},
    },
}

JOB_INGEST = FunctionSpec(
    name="JobIngest",
    code_dir="functions/enhancer",
    handler="ingest.handler",
    description="Searches the job sites for what confirmed candidates want and stores new jobs",
    triggers=(ScheduleRate("rate(6 hours)"),),
    access=(Access.TABLE_READ, Access.TABLE_WRITE),
    timeout_seconds=600,
    memory_mb=1024,
    packaging="image",
)

JOB_ENHANCE = FunctionSpec(
    name="JobEnhance",
    code_dir="functions/enhancer",
    handler="enhance.handler",
    description="Enhances each new RAW job (OpenAI structured outputs, or offline)",
    triggers=(
        TableStream(
            filter_pattern=NEW_RAW_JOBS, or_patterns=(JOBS_SENT_BACK_TO_RAW,), batch_size=20
        ),
    ),
    access=(Access.TABLE_READ, Access.TABLE_WRITE, Access.CHANNEL_SECRETS),
    timeout_seconds=300,
    memory_mb=1024,
)

NEWLY_ENHANCED_JOBS = {
    "eventName": ["MODIFY"],
    "dynamodb": {
        "OldImage": {"status": {"S": ["RAW"]}},
        "NewImage": {"kind": {"S": ["job"]}, "status": {"S": ["ENHANCED"]}},
    },
}

OUTBOX = QueueSpec(name="outbox", visibility_timeout_seconds=120, max_receive_count=8)
QUEUES: tuple[QueueSpec, ...] = (OUTBOX,)

MATCHER = FunctionSpec(
    name="Matcher",
    code_dir="functions/matcher",
    handler="match.handler",
    description="Matches each newly enhanced job to candidates and routes the alerts",
    triggers=(TableStream(filter_pattern=NEWLY_ENHANCED_JOBS, batch_size=25),),
    access=(Access.TABLE_READ, Access.TABLE_WRITE, Access.OUTBOX_SEND),
    timeout_seconds=60,
    memory_mb=1024,
)

ALERT_SENDER = FunctionSpec(
    name="AlertSender",
    code_dir="functions/matcher",
    handler="send.handler",
    description="Sends job alerts and digests from the outbox, paced per phone number",
    triggers=(QueueSource(queue=OUTBOX.name, batch_size=10, max_concurrency=2),),
    access=(
        Access.TABLE_READ,
        Access.TABLE_WRITE,
        Access.IDEMPOTENCY,
        Access.CHANNEL_SECRETS,
    ),
    timeout_seconds=60,
)

REENGAGEMENT = FunctionSpec(
    name="Reengagement",
    code_dir="functions/matcher",
    handler="reengage.handler",
    description="Sends one re-engagement template to lapsed candidates with waiting matches",
    triggers=(ScheduleRate("rate(1 day)"),),
    access=(Access.TABLE_READ, Access.TABLE_WRITE, Access.CHANNEL_SECRETS),
    timeout_seconds=300,
)

WINDOW_TIMER = StateMachineSpec(
    name="WindowTimer",
    description="The 24-hour window: 4 hours left at +20 h, battery at +23 h, expiry at +24 h",
    definition=window_timer_definition,
)
STATE_MACHINES: tuple[StateMachineSpec, ...] = (WINDOW_TIMER,)

WINDOW_TIMER_ARM = FunctionSpec(
    name="WindowTimerArm",
    code_dir="functions/window_timer",
    handler="arm.handler",
    description="Arms a window timer for a new inbound message when none is pending",
    triggers=(TableStream(filter_pattern=NEW_INBOUND_MESSAGES, batch_size=50),),
    access=(Access.TABLE_READ, Access.TABLE_WRITE, Access.SCHEDULES),
    timeout_seconds=30,
)

WINDOW_TIMER_STEP = FunctionSpec(
    name="WindowTimerStep",
    code_dir="functions/window_timer",
    handler="step.handler",
    description="One window-timer step: remind, warn, expire, or re-arm for a newer message",
    triggers=(StateMachineTask(WINDOW_TIMER.name),),
    access=(Access.TABLE_READ, Access.TABLE_WRITE, Access.CHANNEL_SECRETS, Access.SCHEDULES),
    timeout_seconds=50,  # inside the state machine's 60 s task timeout
)

RISK_SCORE = FunctionSpec(
    name="RiskScore",
    code_dir="functions/risk",
    handler="score.handler",
    description="Scores candidates' risk on a schedule and on their events; "
    "raises CandidateAtRisk once per episode",
    triggers=(
        ScheduleRate("rate(15 minutes)"),
        BusRule(
            (
                "MessageReceived",
                "CandidateStateChanged",
                "OperatorTakeover",
                "OperatorHandback",
            )
        ),
    ),
    # No PutEvents: CandidateAtRisk goes out through its outbox item and the stream.
    access=(Access.TABLE_READ, Access.TABLE_WRITE),
    timeout_seconds=300,
)

SLACK_EVENTS = FunctionSpec(
    name="SlackEvents",
    code_dir="functions/slack",
    handler="events.handler",
    description="Slack: recruiters' buttons, thread replies and /aremu commands (slack-bolt)",
    triggers=(HttpRoute("POST", "/slack/events"),),
    access=(Access.TABLE_READ, Access.TABLE_WRITE, Access.CHANNEL_SECRETS, Access.SELF_INVOKE),
    timeout_seconds=30,
)

SLACK_NOTIFY = FunctionSpec(
    name="SlackNotify",
    code_dir="functions/slack",
    handler="notify.handler",
    description="Posts at-risk alerts, mirrors held candidates' messages, handback summaries",
    # HeldMessageReceived, not MessageReceived: only held candidates' messages invoke it.
    triggers=(BusRule(("CandidateAtRisk", "HeldMessageReceived", "OperatorHandback")),),
    access=(Access.TABLE_READ, Access.IDEMPOTENCY, Access.CHANNEL_SECRETS),
    timeout_seconds=30,
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    WEBHOOK_API,
    CONVERSATION,
    EVENTS_PUBLISHER,
    JOB_INGEST,
    JOB_ENHANCE,
    MATCHER,
    ALERT_SENDER,
    REENGAGEMENT,
    WINDOW_TIMER_ARM,
    WINDOW_TIMER_STEP,
    RISK_SCORE,
    SLACK_EVENTS,
    SLACK_NOTIFY,
)


def task_function_of(machine: StateMachineSpec) -> FunctionSpec:
    """The function a state machine's Task states invoke."""
    (spec,) = [
        spec
        for spec in FUNCTIONS
        if any(task.state_machine == machine.name for task in spec.state_machine_tasks())
    ]
    return spec


def function_named(name: str) -> FunctionSpec:
    for spec in FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(name)
