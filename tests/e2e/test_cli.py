"""The `aremu` command line."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aremu.cli import build_parser, main
from aremu.jobs import jobspy_source

from .conftest import RunningStack
from .fakes import jobspy_csv, posting


def test_local_defaults_to_port_8000_on_the_loopback() -> None:
    args = build_parser().parse_args(["local"])

    assert (args.command, args.port, args.host) == ("local", 8000, "127.0.0.1")


def test_local_takes_a_port_and_host() -> None:
    args = build_parser().parse_args(["local", "--port", "0", "--host", "192.0.2.10"])

    assert (args.port, args.host) == (0, "192.0.2.10")


def test_a_command_is_required() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([])


def test_ingest_needs_a_csv_or_a_search() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ingest"])


def test_ingest_defaults_to_the_local_stack_on_port_8000() -> None:
    args = build_parser().parse_args(["ingest", "--csv", "jobs.csv"])

    assert (args.csv, args.url) == (Path("jobs.csv"), "http://127.0.0.1:8000")


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "jobs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_loads_a_csv_into_the_stack_and_prints_the_summary(
    running_stack: RunningStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path, jobspy_csv(posting(), posting(title="")))

    code = main(["ingest", "--csv", str(path), "--url", running_stack.base_url])

    out = capsys.readouterr().out
    assert code == 0
    assert f"Uploading 2 rows from {path}" in out
    assert "read:        2" in out
    assert "skipped:     1\n  row 2: no title" in out
    assert "stored:      1" in out
    assert "enhanced:    1" in out


def test_ingest_of_a_file_that_is_not_a_jobspy_csv_says_why(
    running_stack: RunningStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path, "name,age\nAda,30\n")

    code = main(["ingest", "--csv", str(path), "--url", running_stack.base_url])

    assert code == 1
    assert "not a python-jobspy CSV" in capsys.readouterr().err


def test_ingest_of_a_missing_file_says_so(
    running_stack: RunningStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ingest", "--csv", str(tmp_path / "nope.csv"), "--url", running_stack.base_url])

    assert code == 1
    assert "no such file" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_ingest_with_no_stack_running_says_how_to_start_one(tmp_path: Path) -> None:
    path = write_csv(tmp_path, jobspy_csv(posting()))
    url = f"http://127.0.0.1:{free_port()}"

    done = subprocess.run(
        [sys.executable, "-m", "aremu.cli", "ingest", "--csv", str(path), "--url", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert f"no Aremu local stack at {url} — start one with `aremu local`" in done.stderr
    assert "Traceback" not in done.stderr


class FakeFrame:
    """What python-jobspy returns: a DataFrame, with per-site errors in `attrs`."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.attrs: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.records)

    def to_dict(self, orient: str) -> list[dict[str, Any]]:
        assert orient == "records"
        return self.records


def test_a_search_posts_what_the_sites_returned(
    running_stack: RunningStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = posting(title="Sales Executive")
    monkeypatch.setattr(jobspy_source, "_default_scrape", lambda: lambda **_: FakeFrame([found]))

    search = ["--search", "sales executive", "--location", "Lagos"]
    code = main(["ingest", *search, "--url", running_stack.base_url])

    out = capsys.readouterr().out
    assert code == 0
    assert "Searching indeed, linkedin for 'Sales Executive' in Lagos" in out
    assert "stored:      1" in out


def test_a_search_that_reaches_no_site_reports_each_failure_without_a_traceback(
    running_stack: RunningStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def offline(**_: Any) -> None:
        raise ConnectionError("Failed to resolve 'apis.indeed.com'")

    monkeypatch.setattr(jobspy_source, "_default_scrape", lambda: offline)

    code = main(["ingest", "--search", "sales executive", "--url", running_stack.base_url])

    captured = capsys.readouterr()
    assert code == 1
    assert "indeed: ConnectionError: Failed to resolve 'apis.indeed.com'" in captured.out
    assert "linkedin: ConnectionError" in captured.out
    assert "no postings found (indeed, linkedin failed)" in captured.err
    assert "Traceback" not in captured.err
