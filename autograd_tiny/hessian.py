"""Second derivatives: Hessians and Hessian-vector products, by differentiating gradients.

``grad(..., create_graph=True)`` runs the same derivative rules on Values, so each first
derivative is a graph; differentiating it again gives a row of the Hessian.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .derivatives import grad
from .functions import direction, point_variables, scalar_output
from .value import Number, Value

if TYPE_CHECKING:
    import numpy as np


def hessian(f: Callable[..., Value], point: Sequence[Number]) -> np.ndarray:
    """The n×n matrix Hᵢⱼ = ∂²f/∂xᵢ∂xⱼ at ``point``; ``f`` takes n Values and returns one.

    Row i is the gradient of ∂f/∂xᵢ (reverse over reverse). H is symmetric up to rounding.
    """
    import numpy as np

    xs = point_variables(point)
    first = grad(scalar_output(f, xs), xs, create_graph=True)
    return np.array([[g.data for g in grad(first_i, xs)] for first_i in first])


def hvp(f: Callable[..., Value], point: Sequence[Number], v: Sequence[Number]) -> np.ndarray:
    """H·v at ``point`` without forming H: the gradient of ∇f · v (one extra backward)."""
    import numpy as np

    xs = point_variables(point)
    along = direction(v, len(xs), "v")
    first = grad(scalar_output(f, xs), xs, create_graph=True)
    directional = first[0] * float(along[0])
    for g, d in zip(first[1:], along[1:]):
        directional = directional + g * float(d)
    return np.array([g.data for g in grad(directional, xs)])
