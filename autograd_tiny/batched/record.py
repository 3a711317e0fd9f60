"""Recording fn's graph: call ``fn`` once on placeholder Values, refusing any read of their numbers
(``refusals.py``). (``nn``'s ``model.trace(x)`` is another thing: the z and a of one forward pass.)"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..graph import topological_order
from ..indexing import NotAWholeNumberError
from ..microgpt import CUSTOM
from ..modes import switched
from ..value import Value
from .refusals import ONE_AT_A_TIME, refusing_reads


def target_count(target_shape: tuple[int, ...] | None) -> int:
    """How many placeholders a target of this shape takes: none, one number, or a row of k."""
    return 0 if target_shape is None else 1 if target_shape == () else target_shape[0]


def record_graph(
    fn: Callable,
    n_features: int,
    target_shape: tuple[int, ...] | None,
    name: str = "fn",
    whole_numbers: tuple[bool, bool] = (False, False),
) -> tuple[list[Value], bool, list[Value]]:
    """Call ``fn`` on placeholders holding fixed random numbers, recording its graph.

    ``whole_numbers`` (for x, for y): placeholders that hold 0 instead, a valid choice for any
    ``select`` or ``embedding`` (token ids, class indices).
    Returns (the returned Values, whether fn returned a list, the placeholders x then y).
    """
    rng = np.random.default_rng(0)
    features = np.zeros(n_features) if whole_numbers[0] else rng.standard_normal(n_features)
    x = [Value(float(v), f"x[{i}]") for i, v in enumerate(features)]
    count = target_count(target_shape)
    numbers = np.zeros(count) if whole_numbers[1] else rng.standard_normal(count)
    targets = [Value(float(v), "y" if target_shape == () else f"y[{j}]") for j, v in enumerate(numbers)]
    y = None if target_shape is None else targets[0] if target_shape == () else targets
    with switched("recording", True), refusing_reads(x + targets, sys._getframe(), name):  # even under no_grad
        try:
            out = fn(x, y)
        except NotAWholeNumberError as err:
            raise NotAWholeNumberError(
                f"{err}. vectorize recorded fn on placeholders holding random numbers: to choose by x or y, pass "
                "them as integers (an int array of token ids or class indices), whose placeholders hold 0"
            ) from None
        roots, returns_list = _roots_of(out, name)
        roots = [r if r._rule is not None else r + 0.0 for r in roots]  # a leaf returned as is becomes a node
    for node in topological_order(roots):
        if node._rule is CUSTOM:
            raise TypeError(
                f"vectorize: {name} built a node with given local derivatives (microgpt.Value); the replay "
                "needs each operation's rule on arrays: add it as a Rule in autograd_tiny/rules.py"
            )
    return roots, returns_list, x + targets


@contextmanager
def values_made(made: set) -> Iterator[None]:
    """Inside this block, every Value constructed (``Value.__init__``: the nodes and the constants
    fn writes, as ``Value(2.0)`` or the 1.0 of ``x + 1.0``) by this thread is added to ``made``."""
    recorder = threading.get_ident()

    def recording_init(self: Value, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if threading.get_ident() == recorder:
            made.add(self)

    with ONE_AT_A_TIME:
        original = Value.__init__
        Value.__init__ = recording_init
        try:
            yield
        finally:
            Value.__init__ = original


def refuse_leaves_from_outside(order: list[Value], made: set, params: Sequence[Value], name: str) -> None:
    """Refuse a leaf that ``fn`` used but that is neither a placeholder, a parameter, nor a constant made inside fn.

    ``order``: the recorded graph's nodes; ``made``: the Values constructed while fn was recorded
    (``values_made``), placeholders included. A leaf made before fn ran and left out of
    ``params`` (a forgotten weight) would keep ``grad == 0`` where ``backward()`` fills it, so
    this is an error, never a silent zero.
    """
    outside = {v for v in order if v._rule is None and v not in made}.difference(params)
    if not outside:
        return
    for node in order:
        for position, v in enumerate(node._children):
            if v in outside:
                what = repr(v.label) if v.label else f"an unlabelled Value holding {v.data!r}"
                uses = ", ".join(
                    u.label or (repr(u.data) if u._rule is None else f"({u.op} …)") for u in node._children
                )
                more = f" ({len(outside) - 1} more such Value(s) too)" if len(outside) > 1 else ""
                raise ValueError(
                    f"vectorize: {name} uses a Value made outside it that is not in params: {what}, input "
                    f"{position} of a '{node.op}' node over ({uses}){more}. Its gradient would stay 0. Add it to "
                    "params if it is a parameter; if it is a constant, write a plain number or create it inside "
                    f"{name}."
                )


def _short(node: Value) -> str:
    return node.label or (repr(node.data) if node._rule is None else f"({node.op} …)")


def _roots_of(out: Any, name: str) -> tuple[list[Value], bool]:
    if isinstance(out, Value):
        return [out], False
    if isinstance(out, Sequence) and out and all(isinstance(v, Value) for v in out):
        return list(out), True
    raise TypeError(f"vectorize: {name} must return a Value (a cost) or a list of Values, got {type(out).__name__}")
