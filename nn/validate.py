"""Checks of the arguments that nn's constructors and functions share."""

from __future__ import annotations

import numpy as np

Seed = int | np.random.Generator | None
"""What ``np.random.default_rng`` accepts: an integer, a Generator (used as is), or None (fresh entropy)."""


def check_positive_int(value: object, name: str, minimum: int = 1) -> None:
    """A ValueError naming ``name`` unless ``value`` is an integer (not a bool) ≥ ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        expected = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"
        raise ValueError(f"{name} must be {expected}, got {value!r}")


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
