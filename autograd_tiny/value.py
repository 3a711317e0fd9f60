"""``Value``: one number, the operation that produced it, and its gradient.

Every operation on Values records a node; ``backward()`` walks the nodes in reverse
topological order and applies the chain rule with each operation's local derivatives
(see ``rules.py``). A node holds no closure and no reference back to its outputs, so a
graph is freed by reference counting as soon as it is dropped: no reference cycles for
Python's garbage collector to chase.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from . import rules
from .backward import accumulate_grads, describe, float_local_grads, propagate, reverse_pass
from .graph import topological_order
from .modes import AnomalyError, modes, refuse_while_tracing
from .rules import Rule
from .table import Table

Number = int | float
_isfinite = math.isfinite


class Value:
    """A real number in a computation graph.

    Attributes:
        data: the number (a Python float).
        grad: ∂(output of the last ``backward``)/∂(this value), accumulated over calls.
        label: a name shown in reprs, tables and drawings ("" if none).
        meta: free-form annotations for tools, or None; ``nn`` marks each neuron's
            pre-activation with ``{"role": "preactivation", ...}`` and ``viz`` reads it.
        grad_value: after ``backward(create_graph=True)``, the gradient as a Value
            with its own graph (so it can be differentiated again); otherwise None.
    """

    __slots__ = ("_inputs", "_rule", "data", "grad", "grad_value", "label", "meta")
    __array_ufunc__ = None  # NumPy scalars defer to our reflected operators

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if type(data) is float else _to_float(data)
        self.grad = 0.0
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}")
        self.label = label
        self.meta: dict | None = None
        self.grad_value: Value | None = None
        self._inputs: tuple[Value, ...] = ()
        self._rule: Rule | None = None

    # --- what the graph records ---------------------------------------------------
    @property
    def op(self) -> str:
        """Name of the operation that produced this value; "" for a leaf."""
        return self._rule.name if self._rule is not None else ""

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The Values this one was computed from (empty for a leaf)."""
        return self._inputs

    @property
    def is_leaf(self) -> bool:
        return self._rule is None

    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂input for each of ``self.inputs``, in order (empty for a leaf)."""
        return () if self._rule is None else tuple(float_local_grads(self))

    def propagate(self) -> None:
        """One step of the backward pass, at this node only: each input's ``grad`` +=
        ∂self/∂input × ``self.grad``. ``backward()`` does this for every node in reverse
        topological order; calling it by hand, node by node, is the chain rule step by step.
        """
        propagate(self)

    # --- micrograd compatibility: the names micrograd's lecture code uses --------------
    @property
    def _prev(self) -> frozenset[Value]:
        """The inputs as a set, as micrograd has them (a frozenset: the graph cannot be changed
        through it; ``inputs`` keeps their order)."""
        return frozenset(self._inputs)

    @property
    def _op(self) -> str:
        """The operation's symbol, "" for a leaf, as micrograd has it (same as ``op``)."""
        return self.op

    def _backward(self) -> None:
        """micrograd's name for ``propagate()``: this node's local chain rule, once."""
        propagate(self)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def _repr_html_(self) -> str:
        """Jupyter's view of a Value: one row with its label, number, gradient and operation.

        No graph is drawn here (the engine does not depend on the drawings, and a cost's graph
        can have thousands of nodes): ``autograd_tiny.viz.draw_graph(v)`` draws it on request.
        """
        names = [child.label or (f"{child.data:g}" if child.is_leaf else "·") for child in self._inputs]
        if self._rule is None:
            operation = "leaf"
        elif len(names) == 2 and self.op in ("+", "-", "*", "/", "**"):
            operation = f"{names[0]} {self.op} {names[1]}"
        else:
            operation = f"{self.op}({', '.join(names)})"
        row = (self.label, f"{self.data:.6g}", f"{self.grad:.6g}", operation)
        return Table.of(("Value", "data", "grad", "computed as"), [row], align="lrrl").html()

    def __float__(self) -> float:
        if modes.tracing:
            refuse_while_tracing("float()", self)
        return self.data

    # Ordering compares the numbers (a plain bool, no graph node). ``==`` is left as
    # identity, so Values stay usable as dict keys and set members, as graph nodes must.
    def __lt__(self, other: Value | Number) -> bool:
        if modes.tracing:
            refuse_while_tracing("<", self)
        return self.data < _number(other)

    def __le__(self, other: Value | Number) -> bool:
        if modes.tracing:
            refuse_while_tracing("<=", self)
        return self.data <= _number(other)

    def __gt__(self, other: Value | Number) -> bool:
        if modes.tracing:
            refuse_while_tracing(">", self)
        return self.data > _number(other)

    def __ge__(self, other: Value | Number) -> bool:
        if modes.tracing:
            refuse_while_tracing(">=", self)
        return self.data >= _number(other)

    # --- operations: each applies one rule from rules.py --------------------------
    def __add__(self, other: Value | Number) -> Value:
        return _binary(rules.ADD, self, other)

    def __radd__(self, other: Number) -> Value:
        return _binary(rules.ADD, other, self)

    def __sub__(self, other: Value | Number) -> Value:
        return _binary(rules.SUB, self, other)

    def __rsub__(self, other: Number) -> Value:
        return _binary(rules.SUB, other, self)

    def __mul__(self, other: Value | Number) -> Value:
        return _binary(rules.MUL, self, other)

    def __rmul__(self, other: Number) -> Value:
        return _binary(rules.MUL, other, self)

    def __truediv__(self, other: Value | Number) -> Value:
        return _binary(rules.DIV, self, other)

    def __rtruediv__(self, other: Number) -> Value:
        return _binary(rules.DIV, other, self)

    def __pow__(self, exponent: Value | Number) -> Value:
        """self ** exponent; a Value exponent also gets ∂/∂b (aᵇ) = aᵇ · ln a."""
        rule = rules.POW if isinstance(exponent, Value) else rules.POW_CONST
        return _binary(rule, self, exponent)

    def __rpow__(self, base: Number) -> Value:
        return _binary(rules.POW, base, self)

    def __neg__(self) -> Value:
        return _unary(rules.NEG, self)

    def __pos__(self) -> Value:
        return self

    def exp(self) -> Value:
        """eˣ; local derivative eˣ."""
        return _unary(rules.EXP, self)

    def log(self) -> Value:
        """Natural logarithm; local derivative 1/x."""
        return _unary(rules.LOG, self)

    def sin(self) -> Value:
        """sin(x); local derivative cos(x)."""
        return _unary(rules.SIN, self)

    def cos(self) -> Value:
        """cos(x); local derivative −sin(x)."""
        return _unary(rules.COS, self)

    def sqrt(self) -> Value:
        """√x; local derivative 1/(2√x) (inf at 0; nan for x < 0, where √x is nan)."""
        return _unary(rules.SQRT, self)

    def abs(self) -> Value:
        """|x|; local derivative sign(x) (0 at x = 0, as PyTorch). ``abs(v)`` calls it too."""
        return _unary(rules.ABS, self)

    __abs__ = abs

    def tanh(self) -> Value:
        """tanh(x); local derivative 1 − tanh²(x)."""
        return _unary(rules.TANH, self)

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1+e⁻ˣ); local derivative σ(x)(1 − σ(x))."""
        return _unary(rules.SIGMOID, self)

    def relu(self) -> Value:
        """max(0, x); local derivative 1 for x > 0, else 0 (0 at the kink x = 0)."""
        return _unary(rules.RELU, self)

    # --- the backward pass ----------------------------------------------------------
    def backward(self, grad: Number = 1.0, *, create_graph: bool = False) -> None:
        """Add ∂self/∂v to ``v.grad`` for every Value ``v`` that self depends on.

        Walks the graph once in reverse topological order; a Value used several times
        receives the sum over its uses. Calling ``backward`` again adds again (as in
        PyTorch): reset with ``zero_grad``.

        ``grad`` seeds ∂C/∂self (1 for a scalar cost). With ``create_graph=True`` each
        gradient is also built as a Value with its own graph and added to
        ``v.grad_value``, so it can be differentiated again.
        """
        seed = _to_float(grad)
        if not create_graph:
            accumulate_grads(self, seed)
            return
        for node, node_grad in reverse_pass({self: Value(seed)}, create_graph=True).items():
            node.grad += node_grad.data
            node.grad_value = node_grad if node.grad_value is None else node.grad_value + node_grad


# --- building nodes ----------------------------------------------------------------
def _to_float(x: Any) -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, Value):
        try:
            return float(x)
        except OverflowError:  # an int beyond float's range
            digits = len(str(abs(int(x))))
            raise OverflowError(
                f"Value: an integer of {digits} digits is too large for a float (the largest is about 1.8e308)"
            ) from None
    if isinstance(x, np.ndarray) and x.ndim == 0 and np.isrealobj(x):
        return float(x)
    kind = type(x).__name__
    raise TypeError(f"Value needs a real number (int, float or NumPy real scalar), got {kind}: {x!r}")


def _number(x: Any) -> float:
    return x.data if isinstance(x, Value) else _to_float(x)


_new_value = Value.__new__


def _node(rule: Rule, data: float, inputs: tuple[Value, ...]) -> Value:
    """The output node of ``rule`` applied to ``inputs`` (a leaf under no_grad)."""
    if modes.anomaly and not _isfinite(data):
        raise AnomalyError(
            f"detect_anomaly: forward pass: operation '{rule.name}' gave {data!r} from inputs {describe(inputs)}"
        )
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.meta = None
    out.grad_value = None
    if modes.recording:
        out._inputs = inputs
        out._rule = rule
    else:
        out._inputs = ()
        out._rule = None
    return out


def _unary(rule: Rule, x: Value) -> Value:
    return _node(rule, rule.forward(x.data), (x,))


def _binary(rule: Rule, left: Any, right: Any) -> Value:
    try:
        left = left if isinstance(left, Value) else Value(left)
        right = right if isinstance(right, Value) else Value(right)
    except TypeError:
        return NotImplemented  # Python then raises "unsupported operand type(s)"
    return _node(rule, rule.forward(left.data, right.data), (left, right))


def _apply(rule: Rule, inputs: tuple[Value, ...]) -> Value:
    return _node(rule, rule.forward(*[v.data for v in inputs]), inputs)


def _all_values(items: tuple) -> bool:
    for item in items:  # noqa: SIM110 - an explicit loop is faster than all(genexpr) here
        if item.__class__ is not Value:
            return False
    return True


def _as_values(items: Iterable[Any], what: str) -> tuple[Value, ...]:
    """The items as a tuple of Values; numbers become constant leaves."""
    values = tuple(items)
    if _all_values(values):
        return values  # the common case: nothing to convert
    converted = []
    for i, item in enumerate(values):
        try:
            converted.append(item if isinstance(item, Value) else Value(item))
        except TypeError as err:
            raise TypeError(f"{what}[{i}]: {err}") from None
    return tuple(converted)


def sum(values: Iterable[Value | Number]) -> Value:
    """One n-ary node for v₁ + v₂ + … + vₙ; each local derivative is 1.

    Python's built-in ``sum`` would build n − 1 binary nodes instead.
    """
    inputs = _as_values(values, "sum(values)")
    if not inputs:
        return Value(0.0)
    return _apply(rules.SUM, inputs)


def dot(
    weights: Sequence[Value | Number],
    inputs: Sequence[Value | Number],
    bias: Value | Number | None = None,
) -> Value:
    """One n-ary node for w·x + b = Σ wᵢxᵢ + b.

    Local derivatives: ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"dot needs as many weights as inputs, got {len(weights)} weights and {len(inputs)} inputs")
    factors = (*weights, *inputs) if bias is None else (*weights, *inputs, bias)
    args = [v.data for v in factors if v.__class__ is Value]  # gathers the numbers, checks the types
    if len(args) != len(factors):
        bias_input = () if bias is None else _as_values([bias], "dot bias")
        factors = _as_values(weights, "dot weights") + _as_values(inputs, "dot inputs") + bias_input
        args = [v.data for v in factors]
    return _node(rules.DOT, rules.DOT.forward(*args), factors)


def logsumexp(values: Iterable[Value | Number]) -> Value:
    """One n-ary node for ln(e^{v₁} + … + e^{vₙ}), numerically stable at any scale.

    Local derivatives: ∂/∂vᵢ = e^{vᵢ} / Σⱼ e^{vⱼ} = softmax(v)ᵢ. The forward value subtracts
    the largest vᵢ inside the rule, not in the graph, so the graph is the same whatever the
    numbers (the batched replay can replay it) and ``softmax(v)ᵢ = exp(vᵢ − logsumexp(v))``.
    """
    inputs = _as_values(values, "logsumexp(values)")
    if not inputs:
        raise ValueError(
            "logsumexp needs at least one value (ln of an empty sum is −inf, with no inputs to differentiate)"
        )
    return _apply(rules.LOGSUMEXP, inputs)


def zero_grad(values: Value | Iterable[Value]) -> None:
    """Set ``grad`` to 0 (and ``grad_value`` to None).

    Given one Value, resets it and every Value it depends on; given an iterable
    (for example a model's parameters), resets exactly those.
    """
    nodes = topological_order(values) if isinstance(values, Value) else values
    for node in nodes:
        if not isinstance(node, Value):
            raise TypeError(f"zero_grad needs Values, got {type(node).__name__}")
        node.grad = 0.0
        node.grad_value = None


# --- gradients without .grad ------------------------------------------------------------
def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> list[Value]:
    """∂output/∂input for each of ``inputs``, without touching any ``.grad`` (like
    ``torch.autograd.grad``).

    An input that ``output`` does not depend on gets 0. With ``create_graph=True`` each
    gradient is a Value with its own graph, so it can be differentiated again (Hessians);
    otherwise each is a leaf Value holding the number.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad needs a Value output, got {type(output).__name__}")
    inputs = list(inputs) if not isinstance(inputs, Value) else [inputs]
    for i, v in enumerate(inputs):
        if not isinstance(v, Value):
            raise TypeError(f"grad inputs[{i}] is a {type(v).__name__}, expected a Value")
    if create_graph:
        found = reverse_pass({output: Value(1.0)}, create_graph=True, wrt=inputs)
        return [found[v] if v in found else Value(0.0) for v in inputs]
    found = reverse_pass({output: 1.0}, wrt=inputs)
    return [Value(found.get(v, 0.0)) for v in inputs]


__all__ = ["Value", "dot", "grad", "logsumexp", "sum", "zero_grad"]
