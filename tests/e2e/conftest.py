"""`aremu local` as a subprocess, started once per session for the tests that talk to it."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aremu.local.client import LocalClient

REPO_ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"ready at (http://\S+)")
MOTO = re.compile(r"\(moto\): (http://\S+)")
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 30
# Set as a user would, to check the stack uses it and never prints it.
E2E_APP_SECRET = "e2e-app-secret-not-for-printing"


@dataclass
class RunningStack:
    process: subprocess.Popen[str]
    base_url: str
    aws_endpoint_url: str
    startup_output: str
    output: list[str] = field(default_factory=list)


def _pump_output(process: subprocess.Popen[str], lines: queue.Queue[str], keep: list[str]) -> None:
    assert process.stdout is not None
    # Read to the end, so a chatty stack never blocks on a full pipe.
    for line in process.stdout:
        keep.append(line)
        lines.put(line)


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    env = {
        **os.environ,
        "WHATSAPP_APP_SECRET": E2E_APP_SECRET,
        "PYTHONUNBUFFERED": "1",
        # Quiet hours off (an empty span), so alert tests pass at any hour without moving
        # the clock, which would run the scheduled job search.
        "AREMU_QUIET_HOURS_START": "00:00",
        "AREMU_QUIET_HOURS_END": "00:00",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "aremu.cli", "local", "--port", "0"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []
    threading.Thread(target=_pump_output, args=(process, lines, output), daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    ready = None
    while ready is None and time.monotonic() < deadline and process.poll() is None:
        try:
            ready = READY.search(lines.get(timeout=0.5))
        except queue.Empty:
            continue
    if ready is None:
        process.kill()
        process.wait()
        pytest.fail("aremu local did not become ready:\n" + "".join(output))
    startup = "".join(output)
    moto = MOTO.search(startup)
    stack = RunningStack(process, ready.group(1), moto.group(1) if moto else "", startup, output)
    yield stack
    log = tmp_path_factory.mktemp("aremu-local") / "stack.log"
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("aremu local did not stop on SIGINT:\n" + "".join(output[-50:]))
    finally:
        log.write_text("".join(output))
    assert code == 0, f"aremu local exited with {code}; its log is in {log}"


@pytest.fixture
def client(running_stack: RunningStack) -> LocalClient:
    return LocalClient(running_stack.base_url, app_secret=E2E_APP_SECRET)
