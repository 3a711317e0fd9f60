"""Recording fn's graph: call ``fn`` once on placeholder Values, refusing any read of their numbers
(``refusals.py``). (``nn``'s ``model.trace(x)`` is another thing: the z and a of one forward pass.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..graph import topological_order
from ..modes import modes
from ..value import Value
from .refusals import refusing_reads


@contextmanager
def _recording():
    """Record the graph even under ``no_grad``."""
    recording, modes.recording = modes.recording, True
    try:
        yield
    finally:
        modes.recording = recording


def target_count(target_shape: tuple[int, ...] | None) -> int:
    """How many placeholders a target of this shape takes: none, one number, or a row of k."""
    return 0 if target_shape is None else 1 if target_shape == () else target_shape[0]


def record_graph(
    fn: Callable, n_features: int, target_shape: tuple[int, ...] | None, name: str = "fn"
) -> tuple[list[Value], bool, list[Value]]:
    """Call ``fn`` on placeholders holding fixed random numbers, recording its graph.

    Returns (the returned Values, whether fn returned a list, the placeholders x then y).
    """
    rng = np.random.default_rng(0)
    x = [Value(float(v), f"x[{i}]") for i, v in enumerate(rng.standard_normal(n_features))]
    numbers = rng.standard_normal(target_count(target_shape))
    targets = [Value(float(v), "y" if target_shape == () else f"y[{j}]") for j, v in enumerate(numbers)]
    y = None if target_shape is None else targets[0] if target_shape == () else targets
    with _recording(), refusing_reads(x + targets, name):
        out = fn(x, y)
        roots, returns_list = _roots_of(out, name)
        roots = [r if r._rule is not None else r + 0.0 for r in roots]  # a leaf returned as is becomes a node
    for node in topological_order(roots):
        if node._rule is None and node._children:
            raise TypeError(
                f"vectorize: {name} built a node with given local derivatives (microgpt.Value); the replay "
                "needs each operation's rule on arrays: add it as a Rule in autograd_tiny/rules.py"
            )
    return roots, returns_list, x + targets


def _roots_of(out: Any, name: str) -> tuple[list[Value], bool]:
    if isinstance(out, Value):
        return [out], False
    if isinstance(out, Sequence) and out and all(isinstance(v, Value) for v in out):
        return list(out), True
    raise TypeError(f"vectorize: {name} must return a Value (a cost) or a list of Values, got {type(out).__name__}")
