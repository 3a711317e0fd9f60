"""Checks of the arguments that nn's constructors and functions share."""

from __future__ import annotations

import math

import numpy as np

Seed = int | np.random.Generator | None
"""What ``np.random.default_rng`` accepts: an integer, a Generator (used as is), or None (fresh entropy)."""


def check_positive_int(value: object, name: str, minimum: int = 1) -> None:
    """A ValueError naming ``name`` unless ``value`` is an integer (not a bool) ≥ ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        expected = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"
        raise ValueError(f"{name} must be {expected}, got {value!r}")


def check_seed(seed: object, name: str = "seed") -> None:
    """A TypeError naming ``name`` unless ``seed`` is what ``Seed`` allows (an integer, not a bool; a
    Generator; None), a ValueError for a negative integer (NumPy's seeds are ≥ 0)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"{name} must be an int ≥ 0, a numpy Generator or None, got {type(seed).__name__}: {seed!r}")
    if seed < 0:
        raise ValueError(f"{name} must be an int ≥ 0, a numpy Generator or None, got {seed!r}")


def random_generator(seed: object, name: str = "seed") -> np.random.Generator:
    """``np.random.default_rng(seed)`` once ``check_seed`` has passed ``seed``: the one way nn turns a
    seed into random numbers (a Generator is used as is), with errors that name ``name``."""
    check_seed(seed, name)
    return np.random.default_rng(seed)


def is_number(value: object) -> bool:
    """A real number: int, float or a NumPy one, not a bool (True is no learning rate)."""
    return not isinstance(value, bool | np.bool_) and isinstance(value, int | float | np.integer | np.floating)


def check_number(value: object, name: str, *, high: float = math.inf, closed: bool = False) -> None:
    """A ValueError naming ``name`` unless ``value`` is a real number (not a bool) above 0 (or equal to 0,
    with ``closed``) and below ``high``: by default a positive number."""
    if is_number(value) and (value >= 0 if closed else value > 0) and value < high:
        return
    if high < math.inf:
        expected = f"a number in {'[' if closed else '('}0, {high:g})"
    else:
        expected = "a number ≥ 0" if closed else "a positive number"
    raise ValueError(f"{name} must be {expected}, got {value!r}")


def check_betas(betas: object) -> None:
    """A ValueError unless ``betas`` is Adam's pair (β₁, β₂) of numbers in [0, 1)."""
    pair = isinstance(betas, tuple | list) and len(betas) == 2
    if not pair or not all(is_number(b) and 0.0 <= b < 1.0 for b in betas):
        raise ValueError(f"betas must be a pair (β₁, β₂) of numbers in [0, 1), got {betas!r}")


def is_token_id(token: object) -> bool:
    """An integer token id (int or NumPy integer; not a bool, not a float such as 1.0)."""
    return isinstance(token, int | np.integer) and not isinstance(token, bool)


def check_finite(values: np.ndarray, name: str, what: str | None = None) -> None:
    """A ValueError naming the first entries of ``values`` that are nan or ±inf, 0-based as the
    caller indexes them (``X[2, 1]``); nothing when all are finite.

    ``what`` opens the message (default: ``name``), e.g. "quadratic targets" for ``y``."""
    found = non_finite_entries(values, name)
    if found is not None and values.ndim == 0:
        raise ValueError(f"{what or name} must be a finite number, got {values.item()}")
    if found is not None:
        raise ValueError(f"{what or name} must be finite numbers: {found}")


def non_finite_entries(values: np.ndarray, name: str, shown: int = 3) -> str | None:
    """The first ``shown`` entries that are nan or ±inf, as "X[2, 1] is nan, X[4, 0] is inf", with
    how many there are and in which rows when there are more; None when every entry is finite."""
    bad = np.argwhere(~np.isfinite(values))
    if len(bad) == 0:
        return None
    if values.ndim == 0:
        return f"{name} is {values.item()}"
    entries = ", ".join(f"{name}[{', '.join(map(str, index))}] is {values[tuple(index)]}" for index in bad[:shown])
    if len(bad) <= shown:
        return entries
    rows = sorted({int(index[0]) for index in bad})
    row_list = ", ".join(map(str, rows[:10])) + (", …" if len(rows) > 10 else "")
    return f"{entries} ({len(bad)} entries, in row{'s' if len(rows) > 1 else ''} {row_list})"
