"""The `aremu` command: `aremu local` runs the whole system on this machine."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from typing import TextIO

READY_MESSAGE = "Aremu local stack ready at {base_url}"
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


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
        print(READY_MESSAGE.format(base_url=base_url), file=out, flush=True)
        # Python runs signal handlers on the main thread, but the kernel may interrupt any
        # thread; a bounded wait lets the main thread get back to run the handler.
        while not stopping.wait(timeout=0.5):
            pass
        print("Stopping the local stack", file=out, flush=True)
    finally:
        stack.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aremu", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    local = commands.add_parser(
        "local", help="run the functions on this machine, with moto and a recording sandbox"
    )
    local.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    local.add_argument("--host", default="127.0.0.1")
    local.set_defaults(run=_run_local)
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
