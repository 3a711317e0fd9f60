"""The built-in gradient-check suite behind ``autograd-tiny gradcheck``.

Three kinds of check: every engine operation at several points against finite
differences (``gradcheck``), random expression graphs against finite differences, and
``check_backprop`` on MLPs with every activation and cost against the four equations.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from autograd_tiny.comparison import Comparison, Tolerance, worst
from autograd_tiny.gradcheck import gradcheck
from autograd_tiny.indexing import select
from autograd_tiny.nary import dot, logsumexp
from autograd_tiny.nary import sum as value_sum
from autograd_tiny.nn import MLP, check_backprop, losses
from autograd_tiny.random_graphs import random_expression
from autograd_tiny.table import Report, Table
from autograd_tiny.value import Value

GRADCHECK = Tolerance("gradcheck", rtol=1e-4, atol=1e-5)  # gradcheck's defaults: engine vs finite differences
BACKPROP = Tolerance("check_backprop", rtol=1e-10, atol=1e-14)  # check_backprop's defaults: graph vs equations


@dataclass(frozen=True)
class CheckRow:
    """One row of the suite: a check made of many comparisons, shown by the one that uses most of its
    tolerance (a failing one whenever any fails), so the row passes exactly when all of them do."""

    name: str
    worst: Comparison

    @property
    def passed(self) -> bool:
        return self.worst.passed

    @classmethod
    def of(cls, name: str, comparisons: Iterable[Comparison]) -> CheckRow:
        return cls(name, worst(comparisons))


@dataclass(frozen=True, repr=False)
class SelfCheck(Report):
    """The suite's results: truthy when every check passed; a table, as every report."""

    results: tuple[CheckRow, ...]

    def __bool__(self) -> bool:
        return all(r.passed for r in self.results)

    def heading(self) -> str:
        failed = sum(not r.passed for r in self.results)
        return f"gradcheck suite {'passed' if self else 'FAILED'}: {len(self.results) - failed} passed, {failed} failed"

    def table(self) -> Table:
        rows = [
            (r.name, *r.worst.error_cells(), r.worst.tolerance.name, "pass" if r.passed else "FAIL")
            for r in self.results
        ]
        return Table.of(("check", "abs error", "rel error", "tolerance", "result"), rows, align="lrrll")

    def __str__(self) -> str:
        return "\n".join([
            super().__str__(),
            "(each row: its worst comparison, the scale being |reference|, normwise for arrays;",
            f" {GRADCHECK.name}: {GRADCHECK}; {BACKPROP.name}: {BACKPROP};",
            " a passing row prints each error as ≤ its own term's bound, or > it where the other term carried",
            " the verdict, and — for the relative error of a reference zero to within atol; a failing row prints",
            " its digits)",
        ])  # fmt: skip


# name -> (function of Values, points at which to check it); every rule of the table appears
# (tests/test_operation_lists.py checks it).
OPERATIONS: dict[str, tuple[Callable, list[tuple[float, ...]]]] = {
    "a + b": (lambda a, b: a + b, [(1.5, -2.0), (0.0, 3.0)]),
    "a - b": (lambda a, b: a - b, [(1.5, -2.0), (0.0, 3.0)]),
    "a * b": (lambda a, b: a * b, [(1.5, -2.0), (0.3, 0.7)]),
    "a / b": (lambda a, b: a / b, [(1.5, -2.0), (0.3, 0.7)]),
    "a ** 3": (lambda a: a**3, [(-1.5,), (0.5,), (2.0,)]),
    "a ** -2": (lambda a: a**-2, [(-1.5,), (0.5,)]),
    "a ** b": (lambda a, b: a**b, [(1.5, 2.5), (0.3, -0.7)]),
    "2 ** a": (lambda a: 2.0**a, [(-1.0,), (1.5,)]),
    "-a": (lambda a: -a, [(1.5,), (-0.2,)]),
    "exp(a)": (lambda a: a.exp(), [(-2.0,), (0.0,), (1.5,)]),
    "log(a)": (lambda a: a.log(), [(0.1,), (1.0,), (4.0,)]),
    "tanh(a)": (lambda a: a.tanh(), [(-2.0,), (0.0,), (0.7,)]),
    "sigmoid(a)": (lambda a: a.sigmoid(), [(-3.0,), (0.0,), (2.0,)]),
    "relu(a)": (lambda a: a.relu(), [(-1.0,), (0.5,), (2.0,)]),
    "sin(a)": (lambda a: a.sin(), [(-2.0,), (0.0,), (1.3,)]),
    "cos(a)": (lambda a: a.cos(), [(-2.0,), (0.0,), (1.3,)]),
    "sqrt(a)": (lambda a: a.sqrt(), [(0.1,), (1.0,), (4.0,)]),
    "abs(a)": (lambda a: a.abs(), [(-1.5,), (0.5,)]),
    "sum(a, b, c)": (lambda a, b, c: value_sum([a, b, c]), [(1.0, -2.0, 0.5)]),
    "dot([a, b], [c, d], e)": (lambda a, b, c, d, e: dot([a, b], [c, d], e), [(1.0, -2.0, 0.5, 3.0, 0.1)]),
    "select([a, b, c], 1)": (lambda a, b, c: select([a * b, b * c, c * a], Value(1.0)), [(1.0, -2.0, 0.5)]),
    "logsumexp(a, b, c)": (lambda a, b, c: logsumexp([a, b, c]), [(1.0, -2.0, 0.5), (300.0, 299.0, -40.0)]),
}


def operation_checks() -> Iterator[CheckRow]:
    for name, (f, points) in OPERATIONS.items():
        yield _summary(f"op {name}", [gradcheck(f, list(point)) for point in points])


def random_graph_checks(count: int, seed: int = 0) -> Iterator[CheckRow]:
    rng = np.random.default_rng(seed)
    results = []
    while len(results) < count:
        expression = random_expression(rng, n_inputs=3, n_steps=int(rng.integers(2, 10)))
        point = list(rng.uniform(-2.0, 2.0, 3))
        value = expression(*[Value(x) for x in point]).data
        if not np.isfinite(value) or abs(value) > 1e4:
            continue  # a fair oracle needs moderate values
        results.append(gradcheck(expression, point, eps=1e-5, atol=GRADCHECK.atol, rtol=GRADCHECK.rtol))
    yield _summary(f"random graphs ({count})", results)


def _summary(name: str, results: list) -> CheckRow:
    """One row for several gradchecks: every input's comparison of every one of them."""
    return CheckRow.of(name, (entry.comparison for result in results for entry in result.entries))


def backprop_checks(sizes_list: list[list[int]], seed: int = 0) -> Iterator[CheckRow]:
    rng = np.random.default_rng(seed)
    for activation in ("tanh", "sigmoid", "relu", "linear"):
        for cost, loss in losses.LOSSES.items():
            reports = []
            for sizes in sizes_list:
                model = MLP(sizes[0], sizes[1:], activation, loss.output_activation, seed=int(rng.integers(2**31)))
                X = rng.normal(0, 1, (4, sizes[0]))
                targets = loss.random_targets(rng, 4, sizes[-1])
                reports.append(check_backprop(model, X, targets, loss, rtol=BACKPROP.rtol, atol=BACKPROP.atol))
            comparisons = (d for r in reports for c in r.layers for d in (c.delta, c.weights, c.biases))
            yield CheckRow.of(f"check_backprop {activation} + {cost}", comparisons)


def run_suite(quick: bool = False) -> SelfCheck:
    """Every check; ``quick`` uses fewer random graphs and smaller networks."""
    sizes = [[2, 3, 2]] if quick else [[2, 3, 2], [3, 5, 4, 3], [1, 8, 8, 8, 2], [4, 16, 16, 3]]
    return SelfCheck((*operation_checks(), *random_graph_checks(20 if quick else 3000), *backprop_checks(sizes)))


# --- the command: ``autograd-tiny gradcheck`` ---------------------------------------------------
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
    report = run_suite(quick=args.quick)
    print(report)
    return 0 if report else 1
