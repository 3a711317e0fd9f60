"""Every operation of the engine, in one table: its forward value next to its local derivatives.

A rule's ``forward`` takes the inputs' numbers and returns the output's number.
Its ``local_grads`` takes ``(out, *inputs)`` and returns ∂out/∂input for each input,
in the same order. The chain rule then does the rest: during backward, each input
receives ``local_grad × grad(out)``; in forward mode, the output's tangent is
``Σ local_grad × tangent(input)``.

The local derivatives are written with ordinary arithmetic and the helpers below, so the
same rule runs on floats (first-order gradients and forward-mode tangents), on Values
(gradients that are graphs themselves, for ``create_graph`` and Hessians) and on NumPy
arrays (one rule applied to a whole batch at once). Where ``forward`` cannot take an array (a
branch on the sign, ``math.tanh``), the batched replay uses NumPy's form (``arrays.py``).

On floats, Python raises where IEEE-754 gives inf or nan (``1/0``, ``math.log(0)``,
``math.exp(1000)``); the operation then runs the same rule on NumPy's float64, whose arithmetic
is IEEE's (``value.ieee``), so a learner sees ``inf`` and ``nan``, never ``ZeroDivisionError``.

Adding an operation is one entry here plus a method on ``Value`` that applies it; every
other list of operations (formula functions, self-checks, random graphs) is derived from
``RULES``.
"""

from __future__ import annotations

import builtins
import math
import operator
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Rule:
    """One operation: its display name, forward value and local derivatives."""

    name: str
    forward: Callable[..., float]
    local_grads: Callable[..., tuple]

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"


# Helpers that work on a float, a Value (higher order) and NumPy (arrays for batches, float64 for the
# IEEE path, ``value.ieee``) alike. (Comparisons such as `a > 0.0` already do: a Value compares by its number.)
def numpy_of(x: Any) -> Any:
    """NumPy if x is a NumPy array or scalar, else None. Never imports it: such an x means it is loaded."""
    return np if (np := sys.modules.get("numpy")) and isinstance(x, np.ndarray | np.generic) else None


def number(x: Any) -> Any:
    """The number(s) behind x: a float or NumPy's value as it is, a Value's ``data``."""
    return x if isinstance(x, float) or numpy_of(x) is not None else x.data


def _elementwise(on_float: Callable, name: str) -> Callable[[Any], Any]:
    """``on_float`` (``math``'s: it raises where IEEE gives inf or nan) on a float, NumPy's function
    ``name`` on NumPy's values (IEEE), the method ``name`` on a Value (a node)."""
    return lambda x: (
        on_float(x) if type(x) is float else getattr(numpy_of(x), name)(x) if numpy_of(x) else getattr(x, name)()
    )


log = _elementwise(math.log, "log")
exp = _elementwise(math.exp, "exp")
sin = _elementwise(math.sin, "sin")
cos = _elementwise(math.cos, "cos")
sqrt = _elementwise(math.sqrt, "sqrt")


def power(x: Any, y: Any) -> Any:
    """xʸ; on floats ``math.pow``, which raises where ``**`` would return a complex number."""
    return math.pow(x, y) if type(x) is float and type(y) is float else x**y


def sign(x: Any) -> Any:
    """−1, 0 or 1 (the derivative of |x|, 0 at x = 0 as PyTorch's); nan stays nan. A constant on a Value."""
    x = number(x)
    if (np := numpy_of(x)) is not None and isinstance(x, np.ndarray):
        return np.sign(x)
    if x != x:
        return x  # nan
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0


def zero_where(constant: Any, derivative: Callable[[], Any]) -> Any:
    """0 where the function is locally constant (``constant`` is true), else ``derivative()``.

    x⁰ is 1 and 0ʸ is 0 (y > 0) whatever the other input, so their derivatives are exactly
    0, where the general formula would give 0 · ∞ = nan. On a number or a Value the formula
    is not evaluated at all where it is not needed (so no inf node enters a derivative's
    graph); on arrays it is evaluated and masked.
    """
    if (np := numpy_of(constant)) is not None and isinstance(constant, np.ndarray):
        with np.errstate(all="ignore"):
            return np.where(constant, 0.0, derivative())
    return 0.0 if constant else derivative()


def _pow_local_grads(out: Any, a: Any, b: Any) -> tuple:
    """∂(aᵇ)/∂a = b·aᵇ⁻¹ and ∂(aᵇ)/∂b = aᵇ·ln a, except where these read 0·∞:

    at b = 0 with aᵇ⁻¹ = 1/a not finite (a⁰ is 1 for every a: ∂/∂a = 0), and at a = 0 with
    b ≥ 0 (0ᵇ is 0 for every b > 0: ∂/∂b = 0, as PyTorch gives). Elsewhere the formula
    stays, so a mixed derivative such as ∂²(aᵇ)/∂a∂b = 1/a at b = 0 keeps its graph.
    """
    base, exponent = number(a), number(b)
    if (np := numpy_of(base)) is None:  # a float: 1/0 raises in Python
        infinite_reciprocal = base == 0.0 or not math.isfinite(1.0 / base)
    else:
        with np.errstate(all="ignore"):
            infinite_reciprocal = ~np.isfinite(1.0 / base)
    return (
        zero_where((exponent == 0.0) & infinite_reciprocal, lambda: b * power(a, b - 1.0)),
        zero_where((base == 0.0) & (exponent >= 0.0), lambda: out * log(a)),
    )


def _pow_const_local_grads(out: Any, a: Any, n: Any) -> tuple:
    """∂(aⁿ)/∂a = n·aⁿ⁻¹ (0 where n = 0) for a constant n, which itself receives no gradient.

    ``n`` is used as a number, so on Values the derivative's graph keeps a constant exponent.
    """
    n = number(n)
    return (zero_where(n == 0.0, lambda: n * power(a, n - 1.0)), 0.0)


def _dot_forward(*factors: Any) -> Any:
    """w₁x₁ + … + wₙxₙ (+ b): inputs are the n weights, the n inputs, then the optional bias."""
    n = len(factors) // 2
    total = builtins.sum(map(operator.mul, factors[:n], factors[n : 2 * n]), 0.0)
    return total + factors[-1] if len(factors) % 2 else total


def _dot_local_grads(out: Any, *factors: Any) -> tuple:
    """∂(Σ wᵢxᵢ + b)/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1: each factor's derivative is the other factor."""
    n = len(factors) // 2
    weights, inputs = factors[:n], factors[n : 2 * n]
    return inputs + weights + ((1.0,) if len(factors) % 2 else ())


def _select_forward(index: float, *entries: float) -> float:
    """entries[index]: the entry a whole-number index picks (``select`` checks the index)."""
    return entries[int(index)]


def _select_local_grads(out: Any, index: Any, *entries: Any) -> tuple:
    """∂out/∂entryₖ = 1 where k = index, else 0; ∂out/∂index = 0 (a whole number picks: no slope)."""
    i = number(index)
    return (0.0, *[(i == k) * 1.0 for k in range(len(entries))])


def _logsumexp_forward(*xs: float) -> float:
    """ln Σᵢ e^{xᵢ}, computed as m + ln Σᵢ e^{xᵢ − m} with m = max xᵢ, so no exponential overflows
    and the largest term is e⁰ = 1 (no underflow to ln 0). An infinite or nan m is not subtracted."""
    shift = builtins.max(xs)
    shift = shift if math.isfinite(shift) else 0.0
    return shift + log(builtins.sum([exp(x - shift) for x in xs], 0.0))


def _sigmoid(a: float) -> float:
    """σ(a) = 1 / (1 + e⁻ᵃ), computed so that no exponential overflows: e^(−|a|) is never above 1."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _logsumexp_local_grads(out: Any, *xs: Any) -> tuple:
    """∂/∂xᵢ ln Σⱼ e^{xⱼ} = e^{xᵢ} / Σⱼ e^{xⱼ} = e^{xᵢ − out}: the softmax, each ≤ 1 (no overflow)."""
    return tuple(exp(x - out) for x in xs)


#          name       forward          local derivatives ∂out/∂input, given (out, *inputs)
ADD = Rule("+", operator.add, lambda out, a, b: (1.0, 1.0))  # operator.add(a, b) is a + b
SUB = Rule("-", operator.sub, lambda out, a, b: (1.0, -1.0))
MUL = Rule("*", operator.mul, lambda out, a, b: (b, a))
DIV = Rule("/", operator.truediv, lambda out, a, b: (1.0 / b, -out / b))
NEG = Rule("neg", operator.neg, lambda out, a: (-1.0,))
POW = Rule("**", power, _pow_local_grads)
# A constant exponent (x ** 2): the exponent is an input, but no gradient flows to it.
POW_CONST = Rule("**", power, _pow_const_local_grads)
EXP = Rule("exp", exp, lambda out, a: (out,))
LOG = Rule("log", log, lambda out, a: (1.0 / a,))
SIN = Rule("sin", sin, lambda out, a: (cos(a),))
COS = Rule("cos", cos, lambda out, a: (-sin(a),))
SQRT = Rule("sqrt", sqrt, lambda out, a: (0.5 / out,))  # sqrt′(0) = 1/0 = inf
ABS = Rule("abs", abs, lambda out, a: (sign(a),))  # abs′(0) = 0, as PyTorch's sign(0)
TANH = Rule("tanh", math.tanh, lambda out, a: (1.0 - out * out,))
SIGMOID = Rule("sigmoid", _sigmoid, lambda out, a: (out * (1.0 - out),))
# relu′ = 1 where a > 0, else 0 (0 at the kink, as PyTorch): a comparison times 1.0 is a number
# on a float or a Value (a constant, so relu″ = 0) and an array of 0s and 1s on an array. nan stays nan.
RELU = Rule("relu", lambda a: a if a > 0.0 or a != a else 0.0, lambda out, a: ((a > 0.0) * 1.0,))
SUM = Rule("sum", lambda *xs: builtins.sum(xs, 0.0), lambda out, *xs: (1.0,) * len(xs))
DOT = Rule("dot", _dot_forward, _dot_local_grads)
SELECT = Rule("select", _select_forward, _select_local_grads)  # values[i]: embeddings, the target's logit
# ln Σ e^{xᵢ}, stable without reading the numbers into the graph: its local derivatives are softmax(x).
LOGSUMEXP = Rule("logsumexp", _logsumexp_forward, _logsumexp_local_grads)

RULES: tuple[Rule, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Rule))
"""Every rule above, in table order: the one list of operations the rest of the project derives from."""
