"""Tracing: call ``fn`` once on placeholder Values and refuse anything that would let its graph depend on the data."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..graph import topological_order
from ..indexing import NotAWholeNumberError
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
        self._refuse(
            "int() / indexing (to choose by a per-sample whole number, use select(values, i) or embedding(table, i))"
        )


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
    fn: Callable,
    n_features: int,
    target_shape: tuple[int, ...] | None,
    sign: float,
    name: str = "fn",
    whole_numbers: tuple[bool, bool] = (False, False),
) -> tuple[list[Value], bool, list[Placeholder]]:
    """Call ``fn`` on placeholders holding fixed random numbers (times ``sign``), recording its graph.

    ``whole_numbers`` (for x, for y): placeholders that hold 0 instead, a valid choice for any
    ``select`` or ``embedding`` (token ids, class indices).
    Returns (the returned Values, whether fn returned a list, the placeholders x then y).
    """
    rng = np.random.default_rng(0)
    features = np.zeros(n_features) if whole_numbers[0] else sign * rng.standard_normal(n_features)
    x = [Placeholder(float(v), f"x[{i}]") for i, v in enumerate(features)]
    count = target_count(target_shape)
    numbers = np.zeros(count) if whole_numbers[1] else sign * rng.standard_normal(count)
    targets = [Placeholder(float(v), "y" if target_shape == () else f"y[{j}]") for j, v in enumerate(numbers)]
    y = None if target_shape is None else targets[0] if target_shape == () else targets
    with _tracing():
        try:
            out = fn(x, y)
        except NotAWholeNumberError as err:
            raise NotAWholeNumberError(
                f"{err}. vectorize traced fn on placeholders holding random numbers: to choose by x or y, pass "
                "them as integers (an int array of token ids or class indices), whose placeholders hold 0"
            ) from None
        roots, returns_list = _roots_of(out, name)
        roots = [r if r._rule is not None else r + 0.0 for r in roots]  # a leaf returned as is becomes a node
    return roots, returns_list, x + targets


@contextmanager
def values_made(made: set) -> Iterator[None]:
    """Inside this block, every Value constructed (``Value.__init__``: the constants fn writes, as
    ``Value(2.0)`` or the 1.0 of ``x + 1.0``) is added to ``made``."""
    original = Value.__init__

    def recording_init(self: Value, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.add(self)

    Value.__init__ = recording_init
    try:
        yield
    finally:
        Value.__init__ = original


def refuse_leaves_from_outside(order: list[Value], made: set, params: Sequence[Value], name: str) -> None:
    """Refuse a leaf that ``fn`` used but that is neither a placeholder, a parameter, nor a constant made inside fn.

    ``order``: the traced graph's nodes; ``made``: the Values constructed while fn was traced
    (``values_made``), placeholders included. A leaf made before fn ran and left out of
    ``params`` (a forgotten weight) would keep ``grad == 0`` where ``backward()`` fills it, so
    this is an error, never a silent zero.
    """
    outside = {v for v in order if v._rule is None and v not in made}.difference(params)
    if not outside:
        return
    for node in order:
        for position, v in enumerate(node._inputs):
            if v in outside:
                what = repr(v.label) if v.label else f"an unlabelled Value holding {v.data!r}"
                uses = ", ".join(u.label or (repr(u.data) if u._rule is None else f"({u.op} …)") for u in node._inputs)
                more = f" ({len(outside) - 1} more such Value(s) too)" if len(outside) > 1 else ""
                raise ValueError(
                    f"vectorize: {name} uses a Value made outside it that is not in params: {what}, input "
                    f"{position} of a '{node.op}' node over ({uses}){more}. Its gradient would stay 0. Add it to "
                    "params if it is a parameter; if it is a constant, write a plain number or create it inside "
                    f"{name}."
                )


def _roots_of(out: Any, name: str) -> tuple[list[Value], bool]:
    if isinstance(out, Value):
        return [out], False
    if isinstance(out, Sequence) and out and all(isinstance(v, Value) for v in out):
        return list(out), True
    raise TypeError(f"vectorize: {name} must return a Value (a cost) or a list of Values, got {type(out).__name__}")


def signature(
    roots: list[Value], placeholders: list[Placeholder], params: Sequence[Value], order: list[Value] | None = None
) -> list:
    """The graph's shape, with every constant's number: equal for two traces iff they replay alike.

    ``order``: ``topological_order(roots)``, when the caller has it already.
    """
    index = {}
    for i, p in enumerate(placeholders):
        index[p] = ("x", i)
    for i, p in enumerate(params):
        index.setdefault(p, ("p", i))
    shape = []
    for node in topological_order(roots) if order is None else order:
        if node not in index:
            index[node] = len(shape)
        entry = node.data.hex() if node._rule is None and index[node] == len(shape) else node._rule
        shape.append((entry, tuple(map(index.__getitem__, node._inputs))))
    return [*shape, tuple(index[r] for r in roots)]
