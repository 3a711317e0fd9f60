"""``autograd-tiny draw``: the graph of a formula after backward, and each variable's gradient."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd_tiny.table import Table
from autograd_tiny.value import Value
from autograd_tiny.viz import backward_explorer, draw_graph, save_svg

from .errors import UsageError
from .expression import FUNCTIONS, ExpressionError, build, variable_names

EXAMPLE = 'example: autograd-tiny draw "tanh(w*x + b)" --var w=-3 --var x=2 --var b=6.88 -o n.svg --html n.html'


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "draw",
        help="draw the graph of a formula after backward, and print each variable's gradient",
        description="Build the graph of a formula (numbers, variables, + - * / **, parentheses, "
        f"{' '.join(FUNCTIONS)}), run backward from it, print every variable's value and gradient, "
        "and write the graph as SVG.",
        epilog=EXAMPLE,
    )
    parser.add_argument("expression", metavar="EXPR", help='a formula, e.g. "tanh(w*x + b)"')
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="a variable's value")
    parser.add_argument("-o", "--output", type=Path, default=Path("expression.svg"), help="default: expression.svg")
    parser.add_argument("--local-grads", action="store_true", help="label edges with local derivatives ∂out/∂in")
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write the step-by-step backward explorer")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    values = parse_vars(args.var)
    try:
        names = variable_names(args.expression)
        variables = {name: Value(values[name], name) for name in names if name in values}
        result = build(args.expression, variables)
    except ExpressionError as err:
        raise UsageError(str(err)) from None
    unused = sorted(set(values) - set(names))
    if unused:
        print(f"note: --var {', '.join(unused)} not used by the formula", file=sys.stderr)
    result.label = result.label or "f"
    # The explorer replays the backward pass itself, so it is written before backward runs.
    explorer = backward_explorer(result, args.html) if args.html is not None else None
    result.backward()
    print(f"f = {args.expression} = {result.data:.10g}")
    rows = [(name, f"{variables[name].data:.10g}", f"{variables[name].grad:.10g}") for name in names]
    print(Table.of(("variable", "value", "∂f/∂variable"), rows).text())
    print(f"wrote {save_svg(draw_graph(result, show_local_grads=args.local_grads), args.output)}")
    if explorer is not None:
        print(f"wrote {explorer}")
    return 0


def parse_vars(items: list[str]) -> dict[str, float]:
    """``["x=2.5", …]`` as ``{"x": 2.5, …}``; a malformed item is a usage error naming it."""
    values: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise UsageError(f"--var {item!r}: expected NAME=VALUE, for example --var x=2.5")
        try:
            values[name] = float(text)
        except ValueError:
            raise UsageError(f"--var {item!r}: {text!r} is not a number") from None
    return values
