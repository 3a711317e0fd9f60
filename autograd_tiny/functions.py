"""Calling a user's function f(x₀, …, xₙ₋₁) at a point: its leaf Values and its outputs.

Shared by ``hessian``/``hvp`` and by ``jvp``/``vjp``/``jacobian``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .value import Number, Value


def point_variables(point: Sequence[Number]) -> list[Value]:
    """One labelled leaf Value per coordinate of ``point`` (x0, x1, …)."""
    try:
        coordinates = np.asarray(point, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(f"the point must be a sequence of numbers, got {point!r}") from None
    if not coordinates.size:
        raise ValueError("the point needs at least one coordinate")
    return [Value(x, f"x{i}") for i, x in enumerate(coordinates)]


def direction(vector: Any, size: int, name: str) -> np.ndarray:
    """``vector`` as a float array with one entry per coordinate of the point, or a clear error."""
    try:
        array = np.asarray(vector, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of numbers, got {vector!r}") from None
    if array.shape != (size,):
        raise ValueError(f"{name} has {array.size} entries, the point has {size} coordinates")
    return array


def scalar_output(f: Callable[..., Value], xs: list[Value]) -> Value:
    """f(*xs), which must be one Value."""
    y = f(*xs)
    if not isinstance(y, Value):
        raise TypeError(f"f must return one Value, got {type(y).__name__}")
    return y


def outputs(f: Callable[..., Any], xs: list[Value]) -> tuple[list[Value], bool]:
    """f(*xs) as a list of Values, and whether f returned a single Value (numbers become constants)."""
    y = f(*xs)
    if isinstance(y, Value):
        return [y], True
    if isinstance(y, str) or not hasattr(y, "__iter__"):
        raise TypeError(f"f must return a Value or a list of Values, got {type(y).__name__}")
    items = list(y)
    if not items:
        raise ValueError("f returned an empty list: there is nothing to differentiate")
    for i, item in enumerate(items):
        if not isinstance(item, Value | int | float):
            raise TypeError(f"f's output [{i}] is a {type(item).__name__}, expected a Value or a number")
    return [item if isinstance(item, Value) else Value(item) for item in items], False
