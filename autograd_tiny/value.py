"""``Value``: one number, the Values it was computed from, and its local derivatives.

As in microgpt, each operation computes its result *and* its local derivatives ∂out/∂input
right away, as plain floats, and stores them in the new node (the rule table, ``rules.py``,
says how). ``backward()`` then walks the nodes in reverse topological order and applies the
chain rule, ``child.grad += local_grad * node.grad``. A node holds no closure and no
reference back to its outputs, so a dropped graph is freed at once by reference counting.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from . import backward as reverse
from . import rules
from .modes import modes
from .rules import Rule

Number = int | float
_data = operator.attrgetter("data")


# --- operations: each computes its number and its local derivatives with one rule of rules.py ---
def apply(rule: Rule, children: tuple[Value, ...]) -> Value:
    """The node ``rule`` makes of ``children``: its number and its local derivatives, computed now."""
    numbers = tuple(map(_data, children))
    try:
        out = rule.forward(*numbers)
        local_grads = rule.local_grads(out, *numbers)
    except (ArithmeticError, ValueError):  # Python's floats raise where IEEE-754 gives inf or nan
        out, local_grads = ieee(rule, numbers)
    return Value(out, "", children, local_grads, rule)


def ieee(rule: Rule, numbers: Sequence[float]) -> tuple[float, tuple[float, ...]]:
    """``rule`` on NumPy float64, whose arithmetic follows IEEE-754 where Python's raises: ``1/0`` is
    inf, ``log(0)`` is −inf, ``exp(1000)`` is inf, ``sqrt(−1)`` and ``(−8) ** (1/3)`` are nan."""
    import numpy as np  # loaded on this path only: the scalar engine runs without NumPy

    with np.errstate(all="ignore"):
        xs = [np.float64(x) for x in numbers]
        out = rule.forward(*xs)
        return float(out), tuple(float(g) for g in rule.local_grads(out, *xs))


def _binary(rule: Rule, with_constant: Rule | None = None) -> tuple[Callable, Callable]:
    """``rule`` as an operator method and its reflected form (``2 * x`` calls ``x.__rmul__(2)``).
    A number becomes a constant leaf; ``x ∘ number`` applies ``with_constant`` instead, if given."""
    forward, local_grads = rule.forward, rule.local_grads

    def method(left: Value, right: Any) -> Value:
        if not isinstance(right, Value):
            right = _constant(right)
            if right is NotImplemented:
                return NotImplemented
            if with_constant is not None:  # x ** 2: the exponent gets no gradient
                return apply(with_constant, (left, right))
        a = left.data  # apply(rule, (left, right)), written out: most nodes are made here
        b = right.data
        try:
            out = forward(a, b)
            local = local_grads(out, a, b)
        except (ArithmeticError, ValueError):
            out, local = ieee(rule, (a, b))
        return Value(out, "", (left, right), local, rule)

    def reflected(right: Value, left: Any) -> Value:
        left = _constant(left)
        return left if left is NotImplemented else method(left, right)

    return method, reflected


def _constant(number: Any) -> Value:
    """A number as a constant leaf; ``NotImplemented`` for anything else (Python raises "unsupported operand")."""
    try:
        return Value(number)
    except TypeError:
        return NotImplemented


def _unary(rule: Rule) -> Callable[[Value], Value]:
    """``rule`` as a method of no arguments (``x.exp()``): ``apply(rule, (x,))``, written out."""
    forward, local_grads = rule.forward, rule.local_grads

    def operation(x: Value) -> Value:
        a = x.data
        try:
            out = forward(a)
            local = local_grads(out, a)
        except (ArithmeticError, ValueError):
            out, local = ieee(rule, (a,))
        return Value(out, "", (x,), local, rule)

    return operation


class Notes(NamedTuple):
    """A node's annotations. They are set on few nodes, so a node keeps them in one slot, empty
    until one is set: every other node is as small as microgpt's plus its rule. One ``Notes`` may
    be shared by many nodes (``nn`` gives all of a neuron's pre-activations one); setting one
    attribute on a node gives it a new ``Notes``, never changes a shared one."""

    label: str = ""
    meta: dict | None = None
    grad_value: Any = None


NO_NOTES = Notes()


def _set_notes(node: Value, notes: Notes) -> None:
    if not isinstance(notes, Notes):
        raise TypeError(f"Value.notes must be a Notes, got {type(notes).__name__}")
    node._notes = notes


def _note(field: str) -> property:
    """``Value.label``, ``.meta`` or ``.grad_value``: one field of the node's ``Notes``."""
    return property(
        lambda node: getattr(node.notes, field),
        lambda node, value: setattr(node, "_notes", node.notes._replace(**{field: value})),
    )


def _comparison(compare: Callable[[float, float], bool]) -> Callable[[Value, Any], bool]:
    """``v < other`` (or ≤, >, ≥) on the numbers: ``other`` a Value or a number."""
    return lambda value, other: compare(value.data, other.data if isinstance(other, Value) else _to_float(other))


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
        _children: the Values this one was computed from (empty for a leaf).
        _local_grads: ∂self/∂child for each child, floats computed with ``data``.
        _rule: the operation (a ``Rule`` of ``rules.py``), None for a leaf.
    """

    # label, meta and grad_value are set on few nodes: they share one slot (see Notes)
    __slots__ = ("_children", "_local_grads", "_notes", "_rule", "data", "grad")
    __array_ufunc__ = None  # NumPy scalars defer to our reflected operators

    def __init__(
        self,
        data: Number,
        label: str = "",
        children: tuple[Value, ...] = (),
        local_grads: Sequence[float] = (),
        rule: Rule | None = None,
    ) -> None:
        """A leaf ``Value(2.0, "x")``; operations also pass the node's children, its local
        derivatives and its rule (this is the one place a node is built)."""
        self.data = data
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads
        self._rule = rule
        if rule is None:  # a leaf
            _check_given(self, label)
        elif not modes.plain:  # under no_grad the result is a leaf; a watcher (detect_anomaly) sees it
            if not modes.recording:
                self._children, self._local_grads, self._rule = (), (), None
            elif modes.watcher is not None:
                modes.watcher.new_node(self)

    label, meta, grad_value = _note("label"), _note("meta"), _note("grad_value")
    notes = property(lambda self: getattr(self, "_notes", NO_NOTES), _set_notes)

    @property
    def op(self) -> str:
        """The operation that produced this value (its rule's name), "" for a leaf."""
        return self._rule.name if self._rule is not None else ""

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in order (empty for a leaf)."""
        return self._children

    @property
    def is_leaf(self) -> bool:
        return not self._children

    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂input for each of ``self.inputs``, in order (empty for a leaf)."""
        return tuple(self._local_grads)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # float(v) and ordering read the number (a plain bool, no node). ``==`` stays identity,
    # so Values can be dict keys and set members, as graph nodes must.
    def __float__(self) -> float:
        return self.data

    __lt__, __le__ = _comparison(operator.lt), _comparison(operator.le)
    __gt__, __ge__ = _comparison(operator.gt), _comparison(operator.ge)

    # --- operations: each applies one rule of rules.py (see _binary and _unary above) -----------
    __add__, __radd__ = _binary(rules.ADD)
    __sub__, __rsub__ = _binary(rules.SUB)
    __mul__, __rmul__ = _binary(rules.MUL)
    __truediv__, __rtruediv__ = _binary(rules.DIV)
    __pow__, __rpow__ = _binary(rules.POW, with_constant=rules.POW_CONST)  # x ** 2: no gradient to the 2
    __neg__ = _unary(rules.NEG)
    exp, log, sin, cos = _unary(rules.EXP), _unary(rules.LOG), _unary(rules.SIN), _unary(rules.COS)
    sqrt, tanh, sigmoid, relu = _unary(rules.SQRT), _unary(rules.TANH), _unary(rules.SIGMOID), _unary(rules.RELU)
    abs = __abs__ = _unary(rules.ABS)

    def __pos__(self) -> Value:
        return self

    def backward(self, grad: Number = 1.0, *, create_graph: bool = False) -> None:
        """Add ∂self/∂v to ``v.grad`` for every Value ``v`` that self depends on.

        Walks the graph once in reverse topological order; a Value used several times
        receives the sum over its uses. Calling ``backward`` again adds again (as in
        PyTorch): reset with ``zero_grad``. ``grad`` seeds ∂C/∂self (1 for a scalar cost).
        With ``create_graph=True`` each gradient is also built as a Value with its own
        graph and added to ``v.grad_value``, so it can be differentiated again.
        """
        if not create_graph:
            return reverse.backward(self, _to_float(grad))
        for node, node_grad in reverse.reverse_pass({self: Value(_to_float(grad))}, create_graph=True).items():
            node.grad += node_grad.data
            node.grad_value = node_grad if node.grad_value is None else node.grad_value + node_grad


def _check_given(value: Value, label: Any) -> None:
    """A number and a label given by the user: the number becomes a float, the label must be a str."""
    if type(value.data) is not float:
        value.data = _to_float(value.data)
    if label != "":
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}")
        value._notes = Notes(label)


def _to_float(x: Any) -> float:
    if type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, Value)):
        try:
            return float(x)
        except OverflowError:  # an int beyond float's range
            digits = len(str(abs(int(x))))
            raise OverflowError(
                f"Value: an integer of {digits} digits is too large for a float (max 1.8e308)"
            ) from None
    if (np := rules.numpy_of(x)) is not None and isinstance(x, np.ndarray) and x.ndim == 0 and np.isrealobj(x):
        return float(x)
    raise TypeError(f"Value needs a real number (int, float or NumPy real scalar), got {type(x).__name__}: {x!r}")
