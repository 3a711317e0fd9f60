"""Switches that change how operations behave: ``no_grad`` and ``detect_anomaly``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Modes:
    __slots__ = ("anomaly", "recording", "tracing")

    def __init__(self) -> None:
        self.recording = True  # record a graph node for every operation
        self.anomaly = False  # raise on the first non-finite value or gradient
        self.tracing = False  # vectorize is recording a graph: no Value may be compared or converted


modes = _Modes()


class AnomalyError(FloatingPointError):
    """Raised inside ``detect_anomaly()`` at the first non-finite forward value or gradient."""


class DataDependentGraphError(RuntimeError):
    """Raised while ``vectorize`` traces a function whose graph would depend on each sample's numbers."""


def refuse_while_tracing(operation: str, value: Any) -> None:
    """Raise the error that says ``operation`` on a traced Value would make the graph data-dependent."""
    name = value.label or (f"a '{value.op}' node" if value.op else "an unlabelled leaf")
    raise DataDependentGraphError(
        f"vectorize: fn used {operation} on a traced Value ({name}) while its graph was being recorded. "
        "Its result depends on each sample's numbers, so the graph's shape could differ from sample to "
        "sample; vectorize needs a data-independent graph (the same operations for every sample). "
        "Use the scalar engine for this function, or express the branch with operations (relu, abs, …)."
    )


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block operations compute values but record no graph.

    Use it for parameter updates and for inference::

        with no_grad():
            for p in params:
                p.data -= lr * p.grad
    """
    previous = modes.recording
    modes.recording = False
    try:
        yield
    finally:
        modes.recording = previous


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside this block the first operation whose forward value or backward gradient is
    not finite (inf or nan) raises ``AnomalyError`` (a ``FloatingPointError``) naming the
    operation, its inputs and the pass in which it happened.

    Slower than normal mode; use it to find where a nan came from.
    """
    previous = modes.anomaly
    modes.anomaly = True
    try:
        yield
    finally:
        modes.anomaly = previous
