"""Every operation of the engine, in one table: its forward value next to its local derivatives.

A rule's ``forward`` takes the inputs' numbers and returns the output's number.
Its ``local_grads`` takes ``(out, *inputs)`` and returns ∂out/∂input for each input,
in the same order. The chain rule then does the rest: during backward, each input
receives ``local_grad × grad(out)``.

The local derivatives are written with ordinary arithmetic and the helpers below,
so the same rule runs on floats (first-order gradients) and on Values (gradients
that are graphs themselves, for ``create_graph`` and Hessians).

Adding an operation is one entry here plus a method on ``Value`` that applies it.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import numeric


@dataclass(frozen=True, slots=True)
class Rule:
    """One operation: its display name, forward value and local derivatives."""

    name: str
    forward: Callable[..., float]
    local_grads: Callable[..., tuple]

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"


# Helpers that work on a float (first order) and on a Value (higher order) alike.
# (Comparisons such as `a > 0.0` already do: a Value compares by its number.)
def log(x: Any) -> Any:
    return numeric.log(x) if isinstance(x, float) else x.log()


def power(x: Any, y: Any) -> Any:
    return numeric.power(x, y) if isinstance(x, float) and isinstance(y, float) else x**y


def _dot_forward(*factors: float) -> float:
    """w₁x₁ + … + wₙxₙ (+ b): inputs are the n weights, the n inputs, then the optional bias."""
    n = len(factors) // 2
    total = builtins.sum(map(operator.mul, factors[:n], factors[n : 2 * n]), 0.0)
    return total + factors[-1] if len(factors) % 2 else total


def _dot_local_grads(out: Any, *factors: Any) -> tuple:
    """∂(Σ wᵢxᵢ + b)/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1: each factor's derivative is the other factor."""
    n = len(factors) // 2
    weights, inputs = factors[:n], factors[n : 2 * n]
    return inputs + weights + ((1.0,) if len(factors) % 2 else ())


#               name       forward                     local derivatives ∂out/∂input, given (out, *inputs)
ADD = Rule("+", lambda a, b: a + b, lambda out, a, b: (1.0, 1.0))
SUB = Rule("-", lambda a, b: a - b, lambda out, a, b: (1.0, -1.0))
MUL = Rule("*", lambda a, b: a * b, lambda out, a, b: (b, a))
DIV = Rule("/", numeric.divide, lambda out, a, b: (1.0 / b, -out / b))
NEG = Rule("neg", lambda a: -a, lambda out, a: (-1.0,))
POW = Rule("**", numeric.power, lambda out, a, b: (b * power(a, b - 1.0), out * log(a)))
# A constant exponent (x ** 2): the exponent is an input, but no gradient flows to it.
POW_CONST = Rule("**", numeric.power, lambda out, a, n: (n * power(a, n - 1.0), 0.0))
EXP = Rule("exp", numeric.exp, lambda out, a: (out,))
LOG = Rule("log", numeric.log, lambda out, a: (1.0 / a,))
TANH = Rule("tanh", numeric.tanh, lambda out, a: (1.0 - out * out,))
SIGMOID = Rule("sigmoid", numeric.sigmoid, lambda out, a: (out * (1.0 - out),))
RELU = Rule("relu", numeric.relu, lambda out, a: (1.0 if a > 0.0 else 0.0,))  # 0 at the kink
SUM = Rule("sum", lambda *xs: builtins.sum(xs, 0.0), lambda out, *xs: (1.0,) * len(xs))
DOT = Rule("dot", _dot_forward, _dot_local_grads)
