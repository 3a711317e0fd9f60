"""microgpt's ``Value`` protocol on autograd-tiny's engine, for learners who extend microgpt.

microgpt adds an operation by returning ``Value(out, children, local_grads)``: the result,
the Values it was computed from, and ∂out/∂child for each, as numbers. The same works here::

    from autograd_tiny.microgpt import Value

    def tanh(x):
        t = math.tanh(x.data)
        return Value(t, (x,), (1 - t * t,))

    y = tanh(Value(0.5) * 2)
    y.backward()  # the plain loop: child.grad += local_grad * node.grad

Such a node reads like microgpt's (``_children``, ``_local_grads``) and works with
``backward``, ``grad``, the drawings and the explorer. Its local derivatives are numbers,
not a rule, so ``create_graph`` (higher order) through it raises: that needs the operation
as a ``Rule`` in ``autograd_tiny/rules.py``. The results of the built-in operations are
``autograd_tiny.Value`` nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .rules import Rule
from .value import Value as _EngineValue
from .value import _to_float


def _given(*numbers: float) -> float:
    raise TypeError("a microgpt.Value node's number is given, not computed by a rule: the replay cannot run it")


def _needs_a_rule(node: _EngineValue, *inputs: _EngineValue) -> tuple:
    """The local derivatives as Values, which ``create_graph`` asks for: such a node has only numbers."""
    raise TypeError(
        f"create_graph: node {node.label or '<unlabelled>'} = {node.data!r} was built with float local "
        "derivatives (microgpt.Value) and no rule, so its derivatives cannot be differentiated; higher order "
        "needs the operation as a Rule in autograd_tiny/rules.py"
    )


CUSTOM = Rule("custom", _given, _needs_a_rule)
"""The rule of every node built with given local derivatives: its name, and clear errors where a rule is needed."""


class Value(_EngineValue):
    """``Value(data, children=(), local_grads=())``: a leaf, or a node with the given children
    and local derivatives ∂self/∂child (numbers, one per child)."""

    __slots__ = ()

    def __init__(self, data: Any, children: Iterable[_EngineValue] = (), local_grads: Iterable[Any] = ()) -> None:
        children, local_grads = tuple(children), tuple(float(g) for g in local_grads)
        if len(children) != len(local_grads):
            raise ValueError(
                f"microgpt.Value needs one local derivative per child, got {len(children)} children "
                f"and {len(local_grads)} local derivatives"
            )
        for i, child in enumerate(children):
            if not isinstance(child, _EngineValue):
                raise TypeError(f"microgpt.Value children[{i}] is a {type(child).__name__}, expected a Value")
        if not children:
            super().__init__(data)  # a leaf
        else:
            super().__init__(_to_float(data), "", children, local_grads, CUSTOM)


__all__ = ["Value"]
