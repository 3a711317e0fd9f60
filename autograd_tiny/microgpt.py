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

from .value import Value as _EngineValue


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
        super().__init__(data, "", children, local_grads)


__all__ = ["Value"]
