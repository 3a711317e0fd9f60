"""Switches that change what operations do: ``no_grad``, and the watcher ``detect_anomaly`` installs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any


class _Modes:
    __slots__ = ("plain", "recording", "watcher")


modes = _Modes()
modes.recording = True  # record a graph node for every operation
modes.watcher = None  # told of every new node and every gradient share (``anomaly.py``)
modes.plain = True  # recording, with no one watching: the one flag an operation reads


def _set(name: str, value: Any) -> None:
    setattr(modes, name, value)
    modes.plain = modes.recording and modes.watcher is None


@contextmanager
def switched(name: str, value: Any) -> Iterator[None]:
    """``modes.<name>`` set to ``value`` inside the block, restored after it."""
    previous = getattr(modes, name)
    _set(name, value)
    try:
        yield
    finally:
        _set(name, previous)


def no_grad() -> AbstractContextManager[None]:
    """Inside this block operations compute values but record no graph (their results are
    leaves). Use it for parameter updates and for inference::

        with no_grad():
            for p in params:
                p.data -= lr * p.grad
    """
    return switched("recording", False)
