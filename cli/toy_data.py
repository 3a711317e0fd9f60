"""The toy data sets the commands train on, by name: ``DATASETS[name](n, seed, signed)`` → (X, y)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograd_tiny.nn import datasets

MIN_SAMPLES = 2
"""The fewest points every set takes: two_moons, circles and spiral need a point of each class (xor
repeats its four corners, as many as it is given and at least 4)."""

DATASETS: dict[str, Callable[[int, int, bool], tuple[np.ndarray, np.ndarray]]] = {
    "moons": lambda n, seed, signed: datasets.two_moons(n=n, seed=seed, signed=signed),
    "xor": lambda n, seed, signed: datasets.xor(n=max(n, 4), noise=0.1, seed=seed, signed=signed),
    "circles": lambda n, seed, signed: datasets.circles(n=n, seed=seed, signed=signed),
    "spiral": lambda n, seed, signed: datasets.spiral(n=n, seed=seed, signed=signed),
}
