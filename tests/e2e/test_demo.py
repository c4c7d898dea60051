"""`make demo` end to end: the scripted conversation on a stack of its own."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO_ROOT

DEMO_TIMEOUT_SECONDS = 180


def test_the_demo_plays_every_scene_and_exits_zero() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aremu.demo"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_SECONDS,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "Bola: Hi there" in out
    assert "Ada: I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine" in out
    assert "Aremu: You're all set!" in out
    assert "Match: " in out
    assert "[Not interested]  [More like this]" in out
    assert "Ada: Any new jobs for me?\n  (no answer: she has opted out)" in out
    assert "Demo complete:" in out
