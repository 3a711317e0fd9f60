"""``detect_anomaly``: stop at the first operation whose value or gradient is not finite.

It watches the core through ``modes.watcher``: every operation shows it the node it made, and
the reverse pass shows it every share ``local_grad × gradient`` it sends to an input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from .modes import switched

if TYPE_CHECKING:
    from .value import Value


class AnomalyError(FloatingPointError):
    """Raised inside ``detect_anomaly()`` at the first non-finite forward value or gradient."""


def detect_anomaly() -> AbstractContextManager[None]:
    """Inside this block the first operation whose forward value or backward gradient is not
    finite (inf or nan) raises ``AnomalyError`` (a ``FloatingPointError``) naming the
    operation, its inputs and the pass in which it happened. Slower; use it to find where a
    nan came from.
    """
    return switched("watcher", _AnomalyWatcher())


class _AnomalyWatcher:
    """What ``modes.watcher`` is told, checked: a new node's value, a share of a gradient."""

    def new_node(self, node: Value) -> None:
        if not math.isfinite(node.data):
            raise AnomalyError(
                f"detect_anomaly: forward pass: operation '{node.op}' gave {node.data!r} "
                f"from inputs {_describe(node._children)}"
            )

    def share(self, node: Value, child: Value, local_grad: Any, node_grad: Any) -> None:
        local_grad, node_grad = float(local_grad), float(node_grad)  # Values under create_graph
        if not math.isfinite(local_grad * node_grad):
            raise AnomalyError(
                f"detect_anomaly: backward pass: operation '{node.op}' "
                f"({node.label or '<unlabelled>'} = {node.data!r}, inputs {_describe(node._children)}) "
                f"sent a non-finite gradient to input {child.label or '<unlabelled>'}: "
                f"local derivative {local_grad!r} × grad {node_grad!r}"
            )


def _describe(values: Iterable[Value]) -> str:
    """``label = number`` for each Value, for error messages."""
    return ", ".join(f"{v.label or '<unlabelled>'} = {v.data!r}" for v in values)
