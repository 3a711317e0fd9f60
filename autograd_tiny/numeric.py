"""IEEE-754 arithmetic on Python floats, as NumPy and PyTorch do it.

Python's ``math`` module and float operators raise where IEEE arithmetic returns a special
value (``1/0``, ``math.log(0)``, ``math.exp(1000)``), and ``(-8.0) ** (1/3)`` even returns a
complex number. The rules call these functions instead, so a learner sees ``inf`` and ``nan``,
never ``ZeroDivisionError`` or ``math domain error``.
"""

from __future__ import annotations

import math

import numpy as np

inf, nan = math.inf, math.nan


def ieee(function, *args: float) -> float:
    """``function(*args)`` in NumPy float64, whose operators follow IEEE-754: the slow path
    taken when plain float arithmetic raises an ``ArithmeticError``."""
    with np.errstate(all="ignore"):
        return float(function(*(np.float64(a) for a in args)))


def divide(a: float, b: float) -> float:
    """a / b; ``x/0`` is ±inf and ``0/0`` is nan."""
    try:
        return a / b
    except ZeroDivisionError:
        return ieee(lambda x, y: x / y, a, b)


def power(a: float, b: float) -> float:
    """a ** b; ``0 ** -1`` is inf, a negative base with a non-integer exponent is nan."""
    try:
        result = a**b
    except (ZeroDivisionError, OverflowError):
        return ieee(lambda x, y: x**y, a, b)
    return nan if isinstance(result, complex) else result


def exp(a: float) -> float:
    """e ** a; overflows to inf."""
    try:
        return math.exp(a)
    except OverflowError:
        return inf


def log(a: float) -> float:
    """Natural logarithm; ``log(0)`` is -inf, ``log`` of a negative number (or nan) is nan."""
    return math.log(a) if a > 0.0 else -inf if a == 0.0 else nan


def sqrt(a: float) -> float:
    """√a; ``sqrt`` of a negative number is nan, ``sqrt(-0.0)`` is -0.0 as IEEE says."""
    return math.sqrt(a) if a >= 0.0 else nan  # true for -0.0 too; false for nan


def sigmoid(a: float) -> float:
    """σ(a) = 1 / (1 + e⁻ᵃ), without overflow for large |a|: e^(−|a|) is never above 1."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def relu(a: float) -> float:
    """max(0, a); nan stays nan."""
    return a if a > 0.0 or a != a else 0.0


def sin(a: float) -> float:
    """sin(a); ``sin(±inf)`` is nan."""
    return math.sin(a) if math.isfinite(a) else nan


def cos(a: float) -> float:
    """cos(a); ``cos(±inf)`` is nan."""
    return math.cos(a) if math.isfinite(a) else nan
