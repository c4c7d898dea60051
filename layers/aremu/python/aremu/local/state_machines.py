"""The wiring's state machines on the local stack, started by the one-time schedules that
functions create in moto's schedule group, and run on the local clock.

The interpreter and the schedule firer are `aremu.window_timer_local`'s; this module only
ties them to the stack's functions and environment.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from datetime import datetime
from typing import Any

from aremu.local.runtime import LOCAL_ACCOUNT_ID, LocalFunction
from aremu.window_timer_local import LocalScheduleFirer, LocalStateMachine, LocalWindowTimers
from aremu.wiring import StateMachineSpec

SCHEDULER_ROLE_VARIABLE = "AREMU_SCHEDULER_ROLE_ARN"


def local_state_machine_arn(machine: StateMachineSpec, region: str) -> str:
    return f"arn:aws:states:{region}:{LOCAL_ACCOUNT_ID}:stateMachine:aremu-local-{machine.name}"


def local_scheduler_role_arn() -> str:
    return f"arn:aws:iam::{LOCAL_ACCOUNT_ID}:role/aremu-local-one-time-schedules"


def state_machine_environment(
    environ: MutableMapping[str, str], machines: Sequence[StateMachineSpec], region: str
) -> None:
    """What the functions that schedule executions read (as the CDK sets it on AWS)."""
    environ[SCHEDULER_ROLE_VARIABLE] = local_scheduler_role_arn()
    for machine in machines:
        environ[machine.arn_environment_variable] = local_state_machine_arn(machine, region)


class LocalStateMachines:
    """Each machine whose task function the stack runs, with a firer for its schedules."""

    def __init__(
        self,
        machines: Sequence[StateMachineSpec],
        functions: Sequence[LocalFunction],
        *,
        scheduler: Any,
        group_name: str,
        region: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._functions = {function.arn: function for function in functions}
        self.by_name: dict[str, LocalWindowTimers] = {}
        for machine in machines:
            tasks = [
                function
                for function in functions
                if any(t.state_machine == machine.name for t in function.spec.state_machine_tasks())
            ]
            if not tasks:
                continue  # a stack started with a subset of the functions (tests)
            (task,) = tasks
            state_machine = LocalStateMachine(machine.definition(task.arn), self._invoke, clock)
            firer = LocalScheduleFirer(
                scheduler,
                group_name,
                state_machine.start_execution,
                target_arn=local_state_machine_arn(machine, region),
            )
            self.by_name[machine.name] = LocalWindowTimers(state_machine, firer)

    def _invoke(self, resource: str, payload: dict[str, Any]) -> Any:
        return self._functions[resource].invoke(payload)

    def next_due(self) -> datetime | None:
        moments = [m for timers in self.by_name.values() if (m := timers.next_due())]
        return min(moments, default=None)

    def run_due(self, now: datetime) -> dict[str, Any]:
        return {name: timers.run_due(now) for name, timers in self.by_name.items()}
