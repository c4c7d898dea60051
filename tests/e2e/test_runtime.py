"""Handlers run in containers of their own, as concurrent Lambda invocations do."""

from __future__ import annotations

import threading
from typing import Any

from aremu.local.handlers import LambdaHandler
from aremu.local.runtime import LocalFunction
from aremu.wiring import FunctionSpec

from .fakes import ECHO


class Containers:
    """A loader that builds a fresh handler per call and remembers what it was asked for."""

    def __init__(self, barrier: threading.Barrier | None = None) -> None:
        self.loaded: list[str] = []
        self.seen: list[tuple[int, str]] = []
        self._barrier = barrier

    def load(self, spec: FunctionSpec) -> LambdaHandler:
        container = len(self.loaded)
        self.loaded.append(spec.name)

        def handler(event: dict[str, Any], context: Any) -> None:
            if self._barrier is not None:
                self._barrier.wait(timeout=10)
            self.seen.append((container, context.function_name))

        return handler


def test_sequential_invocations_reuse_the_warm_container() -> None:
    containers = Containers()
    function = LocalFunction(ECHO, containers.load, "eu-west-1")

    for _ in range(3):
        function.invoke({})

    assert containers.loaded == ["Echo"]


def test_overlapping_invocations_each_get_a_container_of_their_own() -> None:
    containers = Containers(barrier=threading.Barrier(2))
    function = LocalFunction(ECHO, containers.load, "eu-west-1")

    threads = [threading.Thread(target=function.invoke, args=({},)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert len(containers.loaded) == 2
    assert len(set(containers.loaded)) == 2
    assert sorted(container for container, _ in containers.seen) == [0, 1]


def test_every_container_reports_the_function_name() -> None:
    containers = Containers(barrier=threading.Barrier(2))
    function = LocalFunction(ECHO, containers.load, "eu-west-1")

    threads = [threading.Thread(target=function.invoke, args=({},)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert [name for _, name in containers.seen] == ["Echo", "Echo"]
