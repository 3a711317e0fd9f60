"""Optimisers: update parameters from their gradients, outside the graph.

Each step gathers every parameter's number and gradient into a NumPy array once, updates the
arrays with the optimiser's formula (element by element: the same IEEE operations, in the same
order, as a loop over the parameters would do, so the numbers are identical) and writes the
numbers back: ``step()`` is ``write_back(update(*gather()))``, and a trainer that keeps the
parameters in an array (``train_gpt`` through the replay) calls ``update`` alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

import numpy as np

import autograd_tiny as at
from autograd_tiny import Value

from .validate import check_betas, check_number

_data, _grad = attrgetter("data"), attrgetter("grad")


def _parameter_list(params: object, optimizer: str) -> list[Value]:
    """``params`` as a list, or a TypeError saying what to pass instead: a model (anything with a
    ``parameters()`` method) for its parameters, a single Value in a list."""
    needs = f"{optimizer} needs the parameters, an iterable of Values"
    if callable(getattr(params, "parameters", None)):
        raise TypeError(f"{needs}: pass model.parameters(), not the {type(params).__name__} itself")
    if isinstance(params, Value):
        raise TypeError(f"{needs}, got one {params!r}: pass it in a list, [p]")
    if not isinstance(params, Iterable):
        raise TypeError(f"{needs}, got {type(params).__name__}: {params!r:.60}")
    return list(params)


class Optimizer:
    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = _parameter_list(params, type(self).__name__)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimise")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__} params[{i}] is a {type(p).__name__}, expected a Value")
        check_number(lr, "learning rate lr")
        self.lr = float(lr)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (call before each backward)."""
        at.zero_grad(self.params)

    def step(self) -> None:
        """Update every parameter's ``data`` from its ``grad``."""
        numbers, g = self.gather()
        self.write_back(self.update(numbers, g))

    def update(self, numbers: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The parameters' new numbers from their numbers and gradients, as arrays in ``params``' order
        (what ``step`` writes back; a trainer that keeps the parameters in an array calls it directly)."""
        raise NotImplementedError

    def gather(self) -> tuple[np.ndarray, np.ndarray]:
        """(numbers, gradients) of every parameter, as arrays in ``params``' order."""
        n = len(self.params)
        return np.fromiter(map(_data, self.params), float, n), np.fromiter(map(_grad, self.params), float, n)

    def write_back(self, numbers: np.ndarray) -> None:
        """Set every parameter's ``data`` from ``numbers`` (Python floats, in ``params``' order)."""
        for p, x in zip(self.params, numbers.tolist()):
            p.data = x


class SGD(Optimizer):
    """Gradient descent with optional momentum μ (PyTorch's form):
    v ← μ v + ∂C/∂p,  p ← p − lr · v.  With μ = 0: p ← p − lr · ∂C/∂p."""

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        check_number(momentum, "momentum", high=1.0, closed=True)
        self.momentum = float(momentum)
        self.velocity = np.zeros(len(self.params))

    def update(self, numbers: np.ndarray, g: np.ndarray) -> np.ndarray:
        self.velocity = self.momentum * self.velocity + g
        return numbers - self.lr * self.velocity


class Adam(Optimizer):
    """Adam (Kingma & Ba): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², bias-corrected,
    p ← p − lr · m̂ / (√v̂ + ε) (ε outside the square root, as PyTorch and microgpt have it).
    ``lr`` may be changed between steps (a schedule)."""

    def __init__(
        self, params: Iterable[Value], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
    ) -> None:
        super().__init__(params, lr)
        check_betas(betas)
        check_number(eps, "eps")
        self.betas, self.eps = (float(betas[0]), float(betas[1])), float(eps)
        self.m = np.zeros(len(self.params))
        self.v = np.zeros(len(self.params))
        self.t = 0

    def update(self, numbers: np.ndarray, g: np.ndarray) -> np.ndarray:
        beta1, beta2 = self.betas
        self.t += 1
        correction1, correction2 = 1.0 - beta1**self.t, 1.0 - beta2**self.t
        self.m = beta1 * self.m + (1.0 - beta1) * g
        self.v = beta2 * self.v + (1.0 - beta2) * (g * g)
        return numbers - self.lr * (self.m / correction1) / (np.sqrt(self.v / correction2) + self.eps)
