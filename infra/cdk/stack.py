"""The Aremu stack: composes one construct per concern and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Stack
from constructs import Construct

from aremu.wiring import (
    FUNCTIONS,
    QUEUES,
    STATE_MACHINES,
    FunctionSpec,
    QueueSpec,
    StateMachineSpec,
)
from infra.cdk.constructs.api import Api
from infra.cdk.constructs.data import Data
from infra.cdk.constructs.events import Events
from infra.cdk.constructs.functions import Functions
from infra.cdk.constructs.layers import Layers
from infra.cdk.constructs.monitoring import Monitoring
from infra.cdk.constructs.queues import Queues
from infra.cdk.constructs.schedules import Schedules
from infra.cdk.constructs.secrets import ChannelSecrets
from infra.cdk.constructs.state_machines import StateMachines
from infra.cdk.constructs.streams import TableStreams


class AremuStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Sequence[FunctionSpec] = FUNCTIONS,
        queues: Sequence[QueueSpec] = QUEUES,
        machines: Sequence[StateMachineSpec] = STATE_MACHINES,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        self.data = Data(self, "Data")
        self.secrets = ChannelSecrets(self, "Secrets")
        self.layers = Layers(self, "Layers")
        self.functions = Functions(
            self, "Functions", specs=specs, data=self.data, secrets=self.secrets, layers=self.layers
        )

        # One construct per trigger kind (and the access that goes with its resource); each
        # takes its triggers and grantees from `self.functions`.
        self.api = Api(self, "Api", functions=self.functions)
        self.streams = TableStreams(
            self, "Streams", table=self.data.table, functions=self.functions
        )
        self.events = Events(self, "Events", functions=self.functions)
        self.queues = Queues(self, "Queues", queues=queues, functions=self.functions)
        self.schedules = Schedules(self, "Schedules", functions=self.functions)
        self.state_machines = StateMachines(
            self,
            "StateMachines",
            machines=machines,
            functions=self.functions,
            schedules=self.schedules,
        )
        self.functions.check_all_wired()

        self.monitoring = Monitoring(
            self,
            "Monitoring",
            functions=self.functions,
            stream_consumers=self.streams.consumers,
            dead_letter_queues=[
                *self.streams.dead_letter_queues.values(),
                *self.queues.dead_letter_queues.values(),
                *self.events.dead_letter_queues.values(),
                *self.functions.failed_invocation_queues.values(),
                self.schedules.dead_letter_queue,
            ],
            api=self.api,
        )
