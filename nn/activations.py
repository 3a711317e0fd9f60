"""Activation functions σ, each on Values (for the graph) and in NumPy with σ′ (for the equations)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from autograd_tiny import Value
from autograd_tiny.arrays import sigmoid_array


@dataclass(frozen=True)
class Activation:
    name: str
    on_value: Callable[[Value], Value]  # a = σ(z) as a graph node
    sigma: Callable[[np.ndarray], np.ndarray]  # σ(z) in NumPy
    sigma_prime: Callable[[np.ndarray], np.ndarray]  # σ′(z) in NumPy


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation("tanh", Value.tanh, np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    # σ in NumPy is the engine's own overflow-free formula (arrays.sigmoid_array)
    "sigmoid": Activation(
        "sigmoid", Value.sigmoid, sigmoid_array, lambda z: sigmoid_array(z) * (1.0 - sigmoid_array(z))
    ),
    "relu": Activation("relu", Value.relu, lambda z: np.maximum(z, 0.0), lambda z: (z > 0.0).astype(float)),
    "linear": Activation("linear", lambda z: z, lambda z: z, np.ones_like),
}


def get_activation(name: str) -> Activation:
    """The activation called ``name``; a clear ValueError for an unknown name."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: expected one of {', '.join(map(repr, ACTIVATIONS))}")
    return ACTIVATIONS[name]
