"""Second derivatives: Hessians and Hessian-vector products, by differentiating gradients.

``grad(..., create_graph=True)`` runs the same derivative rules on Values, so each first
derivative is a graph; differentiating it again gives a row of the Hessian.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .value import Number, Value, grad


def _variables(point: Sequence[Number]) -> list[Value]:
    values = [Value(x, f"x{i}") for i, x in enumerate(np.asarray(point, dtype=float).ravel())]
    if not values:
        raise ValueError("the point needs at least one coordinate")
    return values


def _evaluate(f: Callable[..., Value], xs: list[Value]) -> Value:
    y = f(*xs)
    if not isinstance(y, Value):
        raise TypeError(f"f must return one Value, got {type(y).__name__}")
    return y


def hessian(f: Callable[..., Value], point: Sequence[Number]) -> np.ndarray:
    """The n×n matrix Hᵢⱼ = ∂²f/∂xᵢ∂xⱼ at ``point``; ``f`` takes n Values and returns one.

    Row i is the gradient of ∂f/∂xᵢ (reverse over reverse). H is symmetric up to rounding.
    """
    xs = _variables(point)
    first = grad(_evaluate(f, xs), xs, create_graph=True)
    return np.array([[g.data for g in grad(first_i, xs)] for first_i in first])


def hvp(f: Callable[..., Value], point: Sequence[Number], v: Sequence[Number]) -> np.ndarray:
    """H·v at ``point`` without forming H: the gradient of ∇f · v (one extra backward)."""
    xs = _variables(point)
    direction = np.asarray(v, dtype=float).ravel()
    if direction.shape != (len(xs),):
        raise ValueError(f"v has {direction.size} entries, the point has {len(xs)} coordinates")
    first = grad(_evaluate(f, xs), xs, create_graph=True)
    directional = first[0] * float(direction[0])
    for g, d in zip(first[1:], direction[1:]):
        directional = directional + g * float(d)
    return np.array([g.data for g in grad(directional, xs)])
