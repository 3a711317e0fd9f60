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
