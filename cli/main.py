"""The ``autograd-tiny`` command line: the parser, ``main`` and the error handling.

Each command lives in its own module, which adds its subparser in ``register(subparsers)``
(with ``set_defaults(func=run)``) and does its work in ``run(args) -> int``; ``COMMANDS`` lists
them in the order ``--help`` shows them. Usage errors exit with 2, failures with 1; messages
go to stderr, without a traceback. The commands use only the library's public API.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from autograd_tiny import __version__
from autograd_tiny.viz import GraphvizMissingError

from . import check_backprop, demo, draw, gpt_demo, selfcheck, trainer
from .errors import Failure, UsageError

# selfcheck: `gradcheck`; trainer: `train`; gpt_demo: `gpt`
COMMANDS = (demo, trainer, draw, selfcheck, check_backprop, gpt_demo)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its errors (a missing argument, a bad choice, a value its type refuses)
    raised as ``UsageError``: every usage error takes the one path, one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)", self.prog)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="autograd-tiny",
        description="See and verify backpropagation with a scalar autodiff engine.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    parser.epilog = "\n".join(sub.epilog for sub in subparsers.choices.values() if sub.epilog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    command = parser.prog
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        command = f"{parser.prog} {args.command}"
        return args.func(args)
    except UsageError as err:
        print(f"{err.prog or command}: error: {err}", file=sys.stderr)
        return 2
    except (Failure, GraphvizMissingError, OSError) as err:
        print(f"{command}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
