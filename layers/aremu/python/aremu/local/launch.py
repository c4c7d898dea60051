"""Run `aremu local` as a child process, for the demo and the benchmarks.

A child keeps the stack's logs (JSON lines from every handler) out of the caller's output,
and its threads off the caller's interpreter lock. The log goes to a file, so a chatty
stack can never block on a full pipe; the caller waits for the ready line in it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

READY = re.compile(r"ready at (http://\S+)")
MOTO = re.compile(r"\(moto\): (http://\S+)")
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 30.0
# The stack's own logs are for debugging; the demo and benchmarks print their own lines.
QUIET = {"POWERTOOLS_LOG_LEVEL": "WARNING", "POWERTOOLS_METRICS_DISABLED": "true"}


class StackDidNotStart(RuntimeError):
    """The child exited or never printed its ready line; the message carries its log tail."""


@dataclass
class StackProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    aws_endpoint_url: str
    log_path: Path
    # A log file the helper made is removed when the stack stops, unless this is set.
    keep_log: bool = False

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


@contextmanager
def local_stack_process(
    environ: Mapping[str, str] | None = None,
    *,
    quiet: bool = True,
    log_path: Path | None = None,
) -> Iterator[StackProcess]:
    """`aremu local --port 0` in a child process, stopped (SIGINT) when the block ends.

    Without `log_path` the log goes to a temporary file, kept only when the stack failed
    to start or the caller set `keep_log`.
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(QUIET if quiet else {}), **(environ or {})}
    path = log_path or Path(tempfile.mkstemp(prefix="aremu-local-", suffix=".log")[1])
    with path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "aremu.cli", "local", "--port", "0"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    keep = True
    try:
        stack = _wait_until_ready(process, path)
        yield stack
        keep = stack.keep_log
    finally:
        _stop(process)
        if log_path is None and not keep:
            path.unlink(missing_ok=True)


def _wait_until_ready(process: subprocess.Popen[bytes], path: Path) -> StackProcess:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        text = path.read_text(encoding="utf-8", errors="replace")
        ready = READY.search(text)
        if ready:
            moto = MOTO.search(text)
            return StackProcess(process, ready.group(1), moto.group(1) if moto else "", path)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    tail = "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
    raise StackDidNotStart(f"aremu local did not become ready; its log ({path}) ends:\n{tail}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
