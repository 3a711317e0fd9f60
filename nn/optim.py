"""Optimisers: update parameters from their gradients, outside the graph."""

from __future__ import annotations

from collections.abc import Iterable

import autograd_tiny as at
from autograd_tiny import Value


class Optimizer:
    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimise")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__} params[{i}] is a {type(p).__name__}, expected a Value")
        if not isinstance(lr, (int, float)) or not lr > 0:
            raise ValueError(f"learning rate lr must be a positive number, got {lr!r}")
        self.lr = float(lr)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (call before each backward)."""
        at.zero_grad(self.params)

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent with optional momentum μ (PyTorch's form):
    v ← μ v + ∂C/∂p,  p ← p − lr · v.  With μ = 0: p ← p − lr · ∂C/∂p."""

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        with at.no_grad():
            for i, p in enumerate(self.params):
                self.velocity[i] = self.momentum * self.velocity[i] + p.grad
                p.data -= self.lr * self.velocity[i]


class Adam(Optimizer):
    """Adam (Kingma & Ba): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², bias-corrected,
    p ← p − lr · m̂ / (√v̂ + ε)."""

    def __init__(
        self, params: Iterable[Value], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
    ) -> None:
        super().__init__(params, lr)
        if len(betas) != 2 or not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}")
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps!r}")
        self.betas, self.eps = (float(betas[0]), float(betas[1])), float(eps)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def step(self) -> None:
        beta1, beta2 = self.betas
        self.t += 1
        correction1, correction2 = 1.0 - beta1**self.t, 1.0 - beta2**self.t
        with at.no_grad():
            for i, p in enumerate(self.params):
                g = p.grad
                self.m[i] = beta1 * self.m[i] + (1.0 - beta1) * g
                self.v[i] = beta2 * self.v[i] + (1.0 - beta2) * g * g
                p.data -= self.lr * (self.m[i] / correction1) / ((self.v[i] / correction2) ** 0.5 + self.eps)
