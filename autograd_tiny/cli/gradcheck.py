"""``autograd-tiny gradcheck``: run the built-in gradient-check suite (``selfcheck``) and print its table."""

from __future__ import annotations

import argparse

from . import selfcheck

EXAMPLE = "example: autograd-tiny gradcheck --quick"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gradcheck",
        help="run the built-in gradient-check suite",
        description="Check every engine operation and random expression graphs against finite "
        "differences, and MLPs with every activation and cost against the four backprop equations.",
        epilog=EXAMPLE,
    )
    parser.add_argument("--quick", action="store_true", help="a smaller suite that runs in a second or so")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    results = selfcheck.run(quick=args.quick)
    print(selfcheck.table(results))
    return 0 if all(r.passed for r in results) else 1
