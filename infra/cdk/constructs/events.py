"""The Aremu event bus: domain events in (Access.EVENTS_PUT), `BusRule` triggers out."""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from aremu import names
from aremu.wiring import Access, BusRule
from infra.cdk.constructs.functions import Functions, dead_letter_queue

# Long enough to replay a bad deploy's worth of events into a fixed consumer.
ARCHIVE_RETENTION = Duration.days(30)
# EventBridge retries a target it cannot reach (throttled, not yet created); a domain
# event older than this is no longer worth acting on and goes to the rule's DLQ.
RULE_RETRY_ATTEMPTS = 8
RULE_MAX_EVENT_AGE = Duration.hours(2)


class Events(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, functions: Functions) -> None:
        super().__init__(scope, construct_id)

        self.bus = events.EventBus(
            self,
            "Bus",
            event_bus_name=names.EVENT_BUS_NAME,
            description="Aremu domain events (detail-types in aremu.names.EventType)",
        )
        self.archive = self.bus.archive(
            "Archive",
            description="Every Aremu domain event, for replay into a fixed consumer",
            event_pattern=events.EventPattern(source=[names.EVENT_SOURCE]),
            retention=ARCHIVE_RETENTION,
        )

        # Every function may publish through the events adapter, whose settings name the bus.
        for function in functions.by_name.values():
            function.add_environment("AREMU_EVENT_BUS_NAME", self.bus.event_bus_name)
        for _, _, role in functions.with_access(Access.EVENTS_PUT):
            self.bus.grant_put_events_to(role)

        # One per consumer, so a redrive knows which function an undelivered event was for.
        self.dead_letter_queues: dict[str, sqs.Queue] = {}
        self.rules: dict[str, list[events.Rule]] = {}
        for spec, function, rule in functions.triggered(BusRule):
            if spec.name not in self.dead_letter_queues:
                self.dead_letter_queues[spec.name] = dead_letter_queue(
                    self,
                    f"{spec.name}UndeliveredEvents",
                    reason="the dead-letter queue of an EventBridge rule target.",
                )
            # Named by what it matches, so reordering the wiring does not replace rules.
            rule_id = f"{spec.name}On{''.join(rule.detail_types)}"
            self.rules.setdefault(spec.name, []).append(
                events.Rule(
                    self,
                    rule_id,
                    event_bus=self.bus,
                    description=f"{', '.join(rule.detail_types)} to {spec.name}",
                    event_pattern=events.EventPattern(
                        source=[names.EVENT_SOURCE], detail_type=list(rule.detail_types)
                    ),
                    targets=[
                        targets.LambdaFunction(
                            function,
                            dead_letter_queue=self.dead_letter_queues[spec.name],
                            retry_attempts=RULE_RETRY_ATTEMPTS,
                            max_event_age=RULE_MAX_EVENT_AGE,
                        )
                    ],
                )
            )
            functions.failed_invocations(spec.name)

        CfnOutput(self, "BusName", value=self.bus.event_bus_name)
        # What `aws events start-replay` needs (see the README's deploy guide).
        self.archive_output = CfnOutput(
            self,
            "ArchiveArn",
            value=self.archive.archive_arn,
            description="aws events start-replay --event-source-arn <this> "
            "--destination Arn=<BusArn> (README, Deploying)",
        )
        self.bus_arn_output = CfnOutput(self, "BusArn", value=self.bus.event_bus_arn)
