"""Switches that change what operations do: ``no_grad`` and ``detect_anomaly``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager


class _Modes:
    __slots__ = ("anomaly", "plain", "recording")

    def __init__(self) -> None:
        self.recording = True  # record a graph node for every operation
        self.anomaly = False  # raise on the first non-finite value or gradient

    def __setattr__(self, name: str, value: bool) -> None:
        object.__setattr__(self, name, value)  # and ``plain``, the one flag an operation reads:
        plain = getattr(self, "recording", True) and not getattr(self, "anomaly", False)
        object.__setattr__(self, "plain", plain)  # recording, with no checks


modes = _Modes()


class AnomalyError(FloatingPointError):
    """Raised inside ``detect_anomaly()`` at the first non-finite forward value or gradient."""


@contextmanager
def _switched(name: str, value: bool) -> Iterator[None]:
    previous = getattr(modes, name)
    setattr(modes, name, value)
    try:
        yield
    finally:
        setattr(modes, name, previous)


def no_grad() -> AbstractContextManager[None]:
    """Inside this block operations compute values but record no graph (their results are
    leaves). Use it for parameter updates and for inference::

        with no_grad():
            for p in params:
                p.data -= lr * p.grad
    """
    return _switched("recording", False)


def detect_anomaly() -> AbstractContextManager[None]:
    """Inside this block the first operation whose forward value or backward gradient is not
    finite (inf or nan) raises ``AnomalyError`` (a ``FloatingPointError``) naming the
    operation, its inputs and the pass in which it happened. Slower; use it to find where a
    nan came from.
    """
    return _switched("anomaly", True)
