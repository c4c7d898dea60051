"""The `aremu` command: `aremu local` runs the whole system on this machine; `aremu ingest`
loads job postings into it."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from aremu.local.client import LocalClient

READY_MESSAGE = "Aremu local stack ready at {base_url}"
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
DEFAULT_URL = "http://127.0.0.1:8000"
NO_STACK_MESSAGE = "no Aremu local stack at {url} — start one with `aremu local`"
# Enough reasons to see what is wrong with a file without flooding the terminal.
SHOWN_SKIP_REASONS = 10
PROBE_TIMEOUT_SECONDS = 5.0
# Storing, enhancing and matching a few hundred postings in moto takes a minute or so.
WORK_TIMEOUT_SECONDS = 900.0


class CommandFailed(Exception):
    """A command cannot go on; the message is for the user, without a traceback."""


def _run_local(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    # Imported here so that `aremu --help` does not load moto.
    from aremu.local.environment import describe_secrets, secret_sources
    from aremu.local.stack import HandlerLoadError, LocalStack

    # Read before the stack fills in the defaults.
    sources = secret_sources(os.environ)
    stopping = threading.Event()
    for signum in STOP_SIGNALS:
        signal.signal(signum, lambda *_: stopping.set())
    stack = LocalStack(host=args.host, port=args.port)
    try:
        try:
            base_url = stack.start()
        except HandlerLoadError as error:
            traceback.print_exception(error.__cause__ or error, file=sys.stderr)
            print(f"aremu local: {error}", file=sys.stderr)
            return 1
        print("Channel secrets:", file=out)
        for line in describe_secrets(sources):
            print(line, file=out)
        print(f"AWS services (moto): {stack.aws_endpoint_url}", file=out)
        for name, schedule in stack.schedule_status().items():
            print(
                f"Schedule {name} {schedule['expression']}: runs only when POST /sandbox/clock "
                "moves the local clock past its time",
                file=out,
            )
        print(READY_MESSAGE.format(base_url=base_url), file=out, flush=True)
        # Python runs signal handlers on the main thread, but the kernel may interrupt any
        # thread; a bounded wait lets the main thread get back to run the handler.
        while not stopping.wait(timeout=0.5):
            pass
        print("Stopping the local stack", file=out, flush=True)
    finally:
        stack.stop()
    return 0


def _run_ingest(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout  # looked up now, so that a redirected stdout is honoured
    try:
        client = _stack_client(args.url)
        if args.csv is not None:
            text, source = _read_csv(args.csv), args.csv
        else:
            text, source = _scrape_to_csv(args.search, args.location, out), "the search"
        _ingest(client, text, source, out)
    except CommandFailed as error:
        print(f"aremu ingest: {error}", file=sys.stderr)
        return 1
    return 0


def _stack_client(url: str) -> LocalClient:
    import requests

    from aremu.local.client import LocalClient

    client = LocalClient(url, timeout=PROBE_TIMEOUT_SECONDS)
    try:
        client.now()
    except (requests.ConnectionError, requests.Timeout, ValueError) as error:
        raise CommandFailed(NO_STACK_MESSAGE.format(url=client.base_url)) from error
    except requests.HTTPError as error:
        raise CommandFailed(
            f"{client.base_url} answered {error.response.status_code}: "
            "it does not look like an Aremu local stack"
        ) from error
    client.timeout = WORK_TIMEOUT_SECONDS
    return client


def _read_csv(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandFailed(f"no such file: {path}") from error
    except UnicodeDecodeError as error:
        raise CommandFailed(
            f"{path} is not UTF-8 text; expected a CSV of python-jobspy postings"
        ) from error
    except OSError as error:
        raise CommandFailed(f"cannot read {path}: {error.strerror or error}") from error


def _scrape_to_csv(term: str, location: str | None, out: TextIO) -> str:
    """Search the job sites with python-jobspy now; the postings as JobSpy's CSV."""
    import csv
    import io
    import logging

    from aremu.jobs.csv_source import JOBSPY_COLUMNS
    from aremu.jobs.jobspy_source import JobSpySource
    from aremu.jobs.search_plan import SearchWant, build_search_plan
    from aremu.observability import logger
    from aremu.runtime import search_settings

    # The sites, country and freshness a scheduled run would use (AREMU_SEARCH_*).
    plan = build_search_plan([SearchWant(role=term, location=location)], search_settings())
    if not plan.searches:
        raise CommandFailed("the search term is empty")
    search = plan.searches[0]
    print(
        f"Searching {', '.join(search.sites)} for {search.search_term!r} in {search.location} …",
        file=out,
        flush=True,
    )
    # The scraper and the adapter log each failure their own way; the summary below says it once.
    logging.getLogger("JobSpy").setLevel(logging.CRITICAL)
    for name in ("indeed", "linkedin", "glassdoor", "google", "zip_recruiter", "bayt", "naukri"):
        logging.getLogger(f"jobspy.{name}").setLevel(logging.CRITICAL)
    level = logger.log_level
    logger.setLevel("ERROR")
    try:
        fetched = JobSpySource().fetch(plan.searches)
    finally:
        logger.setLevel(level)
    for error in fetched.errors:
        print(f"  {error.site}: {error.error[:300]}", file=out)
    if not fetched.rows:
        failed = ", ".join(sorted({error.site for error in fetched.errors})) or "every site"
        raise CommandFailed(f"no postings found ({failed} failed); nothing to load")
    print(f"Found {len(fetched.rows)} postings.", file=out, flush=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=JOBSPY_COLUMNS)
    writer.writeheader()
    writer.writerows(fetched.rows)
    return buffer.getvalue()


def _ingest(client: LocalClient, text: str, source: Path | str, out: TextIO) -> None:
    import requests

    from aremu.local.client import IngestRefused

    rows = _count_rows(text)
    size = f"{rows} rows" if rows is not None else f"{len(text.encode()) // 1024} KB"
    print(f"Uploading {size} from {source} to {client.base_url} …", file=out, flush=True)
    try:
        before = client.job_counts()["by_status"].get("ENHANCED", 0)
        started = time.monotonic()
        summary = client.ingest_csv(text)
        print(
            f"Stored in {time.monotonic() - started:.1f} s. Enhancing and matching the new jobs …",
            file=out,
            flush=True,
        )
        started = time.monotonic()
        client.drain()
        after = client.job_counts()["by_status"].get("ENHANCED", 0)
        print(f"Done in {time.monotonic() - started:.1f} s.", file=out)
    except IngestRefused as error:
        raise CommandFailed(str(error)) from error
    except requests.ConnectionError as error:
        raise CommandFailed(NO_STACK_MESSAGE.format(url=client.base_url)) from error
    except requests.Timeout as error:
        raise CommandFailed(
            f"the stack did not answer within {client.timeout:.0f} s; see its log"
        ) from error
    except requests.HTTPError as error:
        raise CommandFailed(f"the stack answered {error.response.status_code}") from error
    for line in summary_lines(summary, enhanced=after - before):
        print(line, file=out)


def _count_rows(text: str) -> int | None:
    from aremu.jobs.csv_source import NotAJobSpyCsv, read_jobspy_csv

    try:
        read = read_jobspy_csv(text)
    except NotAJobSpyCsv:
        return None  # the stack says why, in the same words
    return len(read.rows) + len(read.skipped)


def summary_lines(summary: dict[str, Any], *, enhanced: int) -> list[str]:
    """The ingest summary as the CLI prints it."""
    lines = [
        f"read:        {summary['read']}",
        f"skipped:     {summary['skipped']}",
    ]
    skips = summary.get("skipped_rows", [])
    for skip in skips[:SHOWN_SKIP_REASONS]:
        lines.append(f"  row {skip['row']}: {skip['reason']}")
    if summary["skipped"] > min(len(skips), SHOWN_SKIP_REASONS):
        lines.append(f"  … and {summary['skipped'] - min(len(skips), SHOWN_SKIP_REASONS)} more")
    lines.append(
        f"duplicates:  {summary['duplicates']} ({summary['duplicates_in_batch']} within the file, "
        f"{summary['already_stored']} already stored, {summary['merged']} merged)"
    )
    lines.append(f"stored:      {summary['stored']}")
    lines.append(f"enhanced:    {enhanced}")
    if summary.get("missing_columns"):
        lines.append(f"(columns absent from the file: {', '.join(summary['missing_columns'])})")
    return lines


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aremu", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    local = commands.add_parser(
        "local", help="run the functions on this machine, with moto and a recording sandbox"
    )
    local.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    local.add_argument("--host", default="127.0.0.1")
    local.set_defaults(run=_run_local)

    ingest = commands.add_parser(
        "ingest",
        help="load job postings (python-jobspy's CSV columns) into a running local stack",
    )
    source = ingest.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", type=Path, metavar="FILE", help="a CSV as python-jobspy writes it")
    source.add_argument(
        "--search", metavar="TERMS", help='scrape the job sites now, e.g. "sales executive"'
    )
    ingest.add_argument("--location", help="with --search: where, e.g. Lagos")
    ingest.add_argument(
        "--url", default=DEFAULT_URL, help=f"the stack's URL (default {DEFAULT_URL})"
    )
    ingest.set_defaults(run=_run_ingest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except OSError as error:
        print(f"aremu {args.command}: {error}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
