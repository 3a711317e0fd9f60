"""Switches that change what operations do: ``no_grad``, and the watcher ``detect_anomaly`` installs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any


class _Modes:
    __slots__ = ("plain", "recording", "watcher")

    def __init__(self) -> None:
        self.recording = True  # record a graph node for every operation
        self.watcher: Any = None  # told of every new node and every gradient share (``anomaly.py``)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)  # and ``plain``, the one flag an operation reads:
        plain = getattr(self, "recording", True) and getattr(self, "watcher", None) is None
        object.__setattr__(self, "plain", plain)  # recording, with no one watching


modes = _Modes()


@contextmanager
def switched(name: str, value: Any) -> Iterator[None]:
    """``modes.<name>`` set to ``value`` inside the block, restored after it."""
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
    return switched("recording", False)
