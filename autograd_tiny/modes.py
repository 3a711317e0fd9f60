"""Switches that change how operations behave: ``no_grad`` and ``detect_anomaly``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _Modes:
    __slots__ = ("anomaly", "plain", "recording")

    def __init__(self) -> None:
        self.recording = True  # record a graph node for every operation
        self.anomaly = False  # raise on the first non-finite value or gradient
        self.plain = True  # recording and no anomaly checks: an operation has nothing else to do

    def __setattr__(self, name: str, value: bool) -> None:
        object.__setattr__(self, name, value)
        if name != "plain":
            object.__setattr__(self, "plain", getattr(self, "recording", True) and not getattr(self, "anomaly", False))


modes = _Modes()


class AnomalyError(FloatingPointError):
    """Raised inside ``detect_anomaly()`` at the first non-finite forward value or gradient."""


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
