"""The ``autograd-tiny`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .graph import topological_order
from .value import Value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-tiny",
        description="See and verify backpropagation with a scalar autodiff engine.",
        epilog="example: autograd-tiny demo",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="build a small expression, run backward and print every node",
        description="Build tanh(w*x + b), run backward and print every node's value and gradient.",
        epilog="example: autograd-tiny demo",
    )
    demo.set_defaults(run=run_demo)
    return parser


def run_demo(args: argparse.Namespace) -> int:
    w, x, b = Value(-3.0, "w"), Value(2.0, "x"), Value(6.8813735870195432, "b")
    z = w * x + b
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    a.backward()
    print("a = tanh(w*x + b), after a.backward():")
    for node in topological_order(a):
        name = node.label or f"({node.op})"
        print(f"  {name:<6} op={node.op or 'leaf':<5} data={node.data:+.6f}  grad={node.grad:+.6f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
