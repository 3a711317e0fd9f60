"""Tracing: call ``fn`` once on placeholder Values and refuse anything that would let its graph depend on the data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..graph import topological_order
from ..modes import modes, refuse_while_tracing
from ..value import Value


class Placeholder(Value):
    """One sample's feature or target while ``fn`` is traced: its number is not known yet.

    Anything that would let the graph's shape depend on that number raises
    ``DataDependentGraphError``: comparisons, ``bool``, ``float``, ``int``.
    """

    __slots__ = ()

    def _refuse(self, operation: str) -> None:
        refuse_while_tracing(operation, self)

    def __lt__(self, other: Any) -> bool:
        self._refuse("<")

    def __le__(self, other: Any) -> bool:
        self._refuse("<=")

    def __gt__(self, other: Any) -> bool:
        self._refuse(">")

    def __ge__(self, other: Any) -> bool:
        self._refuse(">=")

    def __bool__(self) -> bool:
        self._refuse("bool()")

    def __float__(self) -> float:
        self._refuse("float()")

    def __int__(self) -> int:
        self._refuse("int()")

    def __index__(self) -> int:
        self._refuse("int() / indexing")


@contextmanager
def _tracing():
    recording, tracing = modes.recording, modes.tracing
    modes.recording, modes.tracing = True, True
    try:
        yield
    finally:
        modes.recording, modes.tracing = recording, tracing


def target_count(target_shape: tuple[int, ...] | None) -> int:
    """How many placeholders a target of this shape takes: none, one number, or a row of k."""
    return 0 if target_shape is None else 1 if target_shape == () else target_shape[0]


def trace(
    fn: Callable, n_features: int, target_shape: tuple[int, ...] | None, sign: float, name: str = "fn"
) -> tuple[list[Value], bool, list[Placeholder]]:
    """Call ``fn`` on placeholders holding fixed random numbers (times ``sign``), recording its graph.

    Returns (the returned Values, whether fn returned a list, the placeholders x then y).
    """
    rng = np.random.default_rng(0)
    x = [Placeholder(sign * float(v), f"x[{i}]") for i, v in enumerate(rng.standard_normal(n_features))]
    numbers = rng.standard_normal(target_count(target_shape))
    targets = [Placeholder(sign * float(v), "y" if target_shape == () else f"y[{j}]") for j, v in enumerate(numbers)]
    y = None if target_shape is None else targets[0] if target_shape == () else targets
    with _tracing():
        out = fn(x, y)
        roots, returns_list = _roots_of(out, name)
        roots = [r if r._rule is not None else r + 0.0 for r in roots]  # a leaf returned as is becomes a node
    return roots, returns_list, x + targets


def _roots_of(out: Any, name: str) -> tuple[list[Value], bool]:
    if isinstance(out, Value):
        return [out], False
    if isinstance(out, Sequence) and out and all(isinstance(v, Value) for v in out):
        return list(out), True
    raise TypeError(f"vectorize: {name} must return a Value (a cost) or a list of Values, got {type(out).__name__}")


def signature(roots: list[Value], placeholders: list[Placeholder], params: Sequence[Value]) -> list:
    """The graph's shape, with every constant's number: equal for two traces iff they replay alike."""
    index = {}
    for i, p in enumerate(placeholders):
        index[p] = ("x", i)
    for i, p in enumerate(params):
        index.setdefault(p, ("p", i))
    shape = []
    for node in topological_order(roots):
        if node not in index:
            index[node] = len(shape)
        entry = node.data.hex() if node._rule is None and index[node] == len(shape) else node._rule
        shape.append((entry, tuple(index[v] for v in node._inputs)))
    return [*shape, tuple(index[r] for r in roots)]
