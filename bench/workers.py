"""Worker processes for the benches: each engine times itself in a process of its own.

A bench script runs itself again as ``python SCRIPT --serve ARG...``; that process calls
``serve`` and answers the driver's requests, one JSON line each way. The worker answers on a
channel of its own (a copy of its stdout): whatever else prints, a library's warning or a
progress bar, goes to stderr, so the driver reads only answers. The driver's ``Worker`` names
a worker that stopped or answered something else than JSON, and ends the bench.

This module imports only the standard library, so a worker imports only what its engine needs
(the microgpt-style yardstick's processes never load NumPy, as microgpt never does).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

Handler = Callable[[dict], dict]


def serve(start: Callable[[], Handler]) -> None:
    """Answer the requests on stdin, one JSON line each, with ``handle(request)`` as one JSON line,
    where ``handle = start()``: it builds the worker's engine once its stdout goes to stderr.
    ``{"imported": [module, ...]}`` is answered here: the list of those the process has loaded."""
    answers = os.fdopen(os.dup(1), "w")  # the driver's channel: whatever else prints goes to stderr
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    handle = start()
    for line in sys.stdin:
        request = json.loads(line)
        answer = [m for m in request["imported"] if m in sys.modules] if "imported" in request else handle(request)
        print(json.dumps(answer), file=answers, flush=True)


class Worker:
    """The driver's handle on one worker: ``python script --serve *arguments`` in a process of its own."""

    def __init__(self, name: str, script: str, *arguments: object) -> None:
        import subprocess

        self.name = name
        self.bench = os.path.splitext(os.path.basename(script))[0]  # names the bench in error messages
        command = [sys.executable, script, "--serve", *map(str, arguments)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, request: dict) -> Any:
        """Send ``request``; its answer."""
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        except BrokenPipeError:  # it stopped before reading the request
            answer = ""
        if not answer:
            sys.exit(f"{self.bench}: the {self.name.strip()} process stopped (exit code {self.process.wait()})")
        try:
            return json.loads(answer)
        except json.JSONDecodeError:
            sys.exit(f"{self.bench}: the {self.name.strip()} process answered {answer.strip()!r}, not JSON")

    def imported(self, *modules: str) -> list[str]:
        """Those of ``modules`` the worker's process has loaded (asked once it has started, its answer
        also says it is ready)."""
        return self.ask({"imported": list(modules)})

    def close(self) -> None:
        """End the worker: closes its stdin, so it ends; then its stdout."""
        self.process.communicate()
