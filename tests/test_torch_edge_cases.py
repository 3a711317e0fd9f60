"""Every operation at IEEE's special points, values and derivatives up to order 3, against
PyTorch float64 (skipped when torch is not installed; ``make test`` installs it where it can).

Compared wherever PyTorch gives a number. Where PyTorch gives nan we may give the exact
value (e.g. every derivative of x⁰ is 0); the README's numeric policy lists those and the
few places where we deliberately give another number (``DEVIATIONS`` below, each checked).
"""

from __future__ import annotations

import itertools
import math

import pytest

import autograd_tiny as at
from autograd_tiny import Value

from .conftest import derivatives_along

torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install torch==2.13.0 to enable")

SPECIAL = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e308, 1e-320, -1e-320, 1.5, -2.0]

UNARY = {
    "-x": lambda x: -x,
    "exp": lambda x: x.exp(),
    "log": lambda x: x.log(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "sqrt": lambda x: x.sqrt(),
    "abs": lambda x: x.abs(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "x**0": lambda x: x**0,
    "x**1": lambda x: x**1,
    "x**2": lambda x: x**2,
    "x**3": lambda x: x**3,
    "x**-1": lambda x: x**-1,
    "0**x": lambda x: 0.0**x,
    "2**x": lambda x: 2.0**x,
    "sum": lambda x: at.sum([x, x * 2.0]),
    "dot": lambda x: at.dot([x, 3.0], [x, x], 1.0),
    "select": lambda x: at.select([x * 2.0, x * x, 3.0], Value(1.0)),
    "logsumexp": lambda x: at.logsumexp([x, x * 2.0, 1.0]),
}
TORCH_UNARY = {
    "-x": lambda t: -t,
    "exp": torch.exp,
    "log": torch.log,
    "sin": torch.sin,
    "cos": torch.cos,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "x**0": lambda t: t**0,
    "x**1": lambda t: t**1,
    "x**2": lambda t: t**2,
    "x**3": lambda t: t**3,
    "x**-1": lambda t: t**-1,
    "0**x": lambda t: torch.tensor(0.0, dtype=torch.float64) ** t,
    "2**x": lambda t: torch.tensor(2.0, dtype=torch.float64) ** t,
    "sum": lambda t: t + t * 2.0,
    "dot": lambda t: t * t + 3.0 * t + 1.0,
    "select": lambda t: t * t,
    "logsumexp": lambda t: torch.logsumexp(torch.stack([t, t * 2.0, torch.ones((), dtype=torch.float64)]), 0),
}
BINARY = ["+", "-", "*", "/", "**"]
PATHS = [(0, 0, 0), (1, 1, 1), (0, 1, 0), (1, 0, 1)]

# (case, point, derivative path): (ours, PyTorch's). Listed in the README's numeric policy.
DEVIATIONS = {
    # nan in, nan out: sign(nan) is nan for us, 0 for PyTorch's sgn
    ("abs", (math.nan,), (0,)): (math.nan, 0.0),
    # relu′(nan): both are arbitrary; ours is step(nan) = 0, PyTorch's threshold passes the gradient
    ("relu", (math.nan,), (0,)): (0.0, 1.0),
    # ∂²(aᵇ)/∂a∂b = aᵇ⁻¹(1 + b ln a) = 1/a at b = 0 (and b = −0.0, an equal key); PyTorch's mask drops it
    ("**", (1.5, 0.0), (0, 1)): (1 / 1.5, 0.0),
    ("**", (1e308, 0.0), (0, 1)): (1e-308, 0.0),
    ("**", (1.5, 0.0), (0, 1, 0)): (-1 / 1.5**2, 0.0),
    # ∂³(aᵇ)/∂b∂a∂b = aᵇ⁻¹ ln a (2 + b ln a) = 2 ln(a)/a at b = 0; PyTorch's mask drops half of it
    ("**", (1.5, 0.0), (1, 0, 1)): (2 * math.log(1.5) / 1.5, math.log(1.5) / 1.5),
    ("**", (1e308, 0.0), (1, 0, 1)): (2 * math.log(1e308) / 1e308, math.log(1e308) / 1e308),
}
SMALLEST_NORMAL = 2.2250738585072014e-308


def nan_by_policy(case, point, path) -> bool:
    """A derivative of aᵇ taken through ∂/∂b = aᵇ ln a, at a base where ln a is undefined (a < 0)
    or 1/a and ln a overflow (a = ±inf, a subnormal): nan for us, sometimes a number for PyTorch,
    which divides where our chain rule multiplies by 1/a."""
    if case != "**" or 1 not in path:
        return False
    a = point[0]
    return a < 0 or math.isinf(a) or 0 < abs(a) < SMALLEST_NORMAL


def pytorch(f, point, path):
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    current = f(*ts)
    found = [current.item()]
    for index in path:
        if not current.requires_grad:  # constant: every further derivative is 0
            found.append(0.0)
            continue
        (current,) = torch.autograd.grad(current, [ts[index]], create_graph=True, allow_unused=True)
        current = torch.zeros((), dtype=torch.float64) if current is None else current
        found.append(current.item())
    return found


def agree(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b)) + 1e-320  # subnormals round coarsely


def check(case, f, torch_f, point, path):
    mine, theirs = derivatives_along(f, point, path), pytorch(torch_f, point, path)
    for order, (a, b) in enumerate(zip(mine, theirs)):
        key = (case, tuple(point), tuple(path[:order]))
        if key in DEVIATIONS:
            expected_ours, expected_theirs = DEVIATIONS[key]
            assert agree(a, expected_ours) and agree(b, expected_theirs), (key, a, b)
        elif math.isnan(a) and nan_by_policy(case, point, path[:order]):
            continue
        elif not math.isnan(b):
            assert agree(a, b), f"{case} at {point}, derivative path {path[:order]}: ours {a!r}, PyTorch {b!r}"


@pytest.mark.parametrize("case", list(UNARY))
def test_unary_operations_match_pytorch_at_special_points(case):
    for x in SPECIAL:
        check(case, UNARY[case], TORCH_UNARY[case], [x], (0, 0, 0))


@pytest.mark.parametrize("op", BINARY)
def test_binary_operations_match_pytorch_at_special_points(op):
    f = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
         "**": lambda a, b: a**b}[op]  # fmt: skip
    for point in itertools.product(SPECIAL, SPECIAL):
        for path in PATHS:
            check(op, f, f, list(point), path)


def test_every_deviation_is_still_real():
    """Each listed deviation happens (so the list, and the README, stay true)."""
    for (case, point, path), (expected_ours, _) in DEVIATIONS.items():
        f = UNARY.get(case) or (lambda a, b: a**b)
        assert agree(derivatives_along(f, list(point), list(path))[-1], expected_ours)


def test_every_operation_of_the_rule_table_is_covered():
    used = set()
    for f in UNARY.values():
        used |= {node._rule for node in at.topological_order(f(Value(0.5))) if node._rule}
    for op in BINARY:
        used |= {node._rule for node in at.topological_order(eval(f"Value(1.5) {op} Value(0.5)")) if node._rule}
    assert used == set(at.rules.RULES)
