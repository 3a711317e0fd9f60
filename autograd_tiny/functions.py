"""Calling a user's function f(x₀, …, xₙ₋₁) at a point: its leaf Values and its outputs.

Shared by ``hessian``/``hvp`` and by ``jvp``/``vjp``/``jacobian``. Every check here names
what was wrong and what was expected, so a bad point or vector never turns into numbers.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .value import Number, Value

if TYPE_CHECKING:
    import numpy as np


def numbers_of(vector: Any, name: str) -> np.ndarray:
    """``vector`` (a number or a sequence of real numbers) as a flat float array, or a clear error.

    None, strings and other objects are refused rather than converted (``float("1")`` and
    ``float(None) → nan`` would silently give numbers).
    """
    import numpy as np

    if isinstance(vector, numbers.Real) and not isinstance(vector, bool):
        vector = [vector]
    if vector is None or isinstance(vector, str | bytes) or not hasattr(vector, "__len__"):
        raise TypeError(f"{name} must be a sequence of real numbers, got {type(vector).__name__}: {vector!r}")
    array = np.asarray(vector, dtype=object).ravel()
    for i, item in enumerate(array):
        if isinstance(item, bool) or not isinstance(item, numbers.Real):
            raise TypeError(f"{name}[{i}] must be a real number, got {type(item).__name__}: {item!r}")
    try:
        return array.astype(float)
    except OverflowError:
        raise ValueError(f"{name} has a number too large for a float (the largest is about 1.8e308)") from None


def point_variables(point: Sequence[Number]) -> list[Value]:
    """One labelled leaf Value per coordinate of ``point`` (x0, x1, …)."""
    coordinates = numbers_of(point, "the point")
    if not coordinates.size:
        raise ValueError("the point needs at least one coordinate")
    return [Value(x, f"x{i}") for i, x in enumerate(coordinates.tolist())]


def direction(vector: Any, size: int, name: str, of: str = "the point has {size} coordinates") -> np.ndarray:
    """``vector`` as a float array with ``size`` entries, or a clear error (``of`` says what they match)."""
    array = numbers_of(vector, name)
    if array.shape != (size,):
        raise ValueError(f"{name} has {array.size} entries, {of.format(size=size)}")
    return array


def call(f: Callable[..., Any], xs: list[Value]) -> Any:
    """f(*xs); when f cannot take that many arguments, say so in terms of the point."""
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):  # a builtin without a signature: just call it
        return f(*xs)
    try:
        signature.bind(*xs)
    except TypeError:
        raise TypeError(f"f{signature} cannot take the point's {len(xs)} coordinates, one per argument") from None
    return f(*xs)


def scalar_output(f: Callable[..., Value], xs: list[Value]) -> Value:
    """f(*xs), which must be one Value."""
    y = call(f, xs)
    if not isinstance(y, Value):
        raise TypeError(f"f must return one Value, got {type(y).__name__}")
    return y


def outputs(f: Callable[..., Any], xs: list[Value]) -> tuple[list[Value], bool]:
    """f(*xs) as a list of Values, and whether f returned a single Value (numbers become constants)."""
    y = call(f, xs)
    if isinstance(y, Value):
        return [y], True
    if isinstance(y, str | bytes | dict) or not hasattr(y, "__iter__"):
        raise TypeError(f"f must return a Value or a list of Values, got {type(y).__name__}")
    items = list(y)
    if not items:
        raise ValueError("f returned an empty list: there is nothing to differentiate")
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, Value | numbers.Real):
            raise TypeError(f"f's output [{i}] is a {type(item).__name__}, expected a Value or a number")
    return [item if isinstance(item, Value) else Value(item) for item in items], False
