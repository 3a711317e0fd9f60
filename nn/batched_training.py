"""Training and prediction through ``autograd_tiny.vectorize``: the model's graph for one sample,
recorded once and replayed over every batch with NumPy.

``fit`` and ``predict`` take ``engine=``: ``"scalar"`` builds one graph per sample (every node a
Value you can inspect); ``"vectorized"`` replays the recorded graph; ``"auto"`` (the default) uses
the vectorized engine whenever the cost builds the same operations for every sample
(``loss.vectorizable``) and the scalar one otherwise. Both give the same gradients, to rounding.
"""

from __future__ import annotations

import numpy as np

from autograd_tiny import DataDependentGraphError, Value, vectorize

from .losses import Loss, l2
from .module import MLP

ENGINES = ("auto", "vectorized", "scalar")


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
    return engine


class VectorizedStep:
    """One training step's gradients for a batch: mean cost C = (1/n) Σ C(xᵢ, yᵢ) (+ α Σ p²),
    ∂C/∂p added to every ``p.grad``; also the model's outputs aᴸ for each sample."""

    def __init__(self, model: MLP, loss: Loss, alpha: float) -> None:
        self.params = model.parameters()
        self._outputs: list[Value] = []

        def sample_cost(x: list[Value], y: list[Value]) -> Value:
            outputs = model(x)
            if not self._outputs:  # the plan is the graph recorded by this call: keep its outputs
                self._outputs = outputs
            return loss.cost(outputs, y)  # fit checked all its targets once (prepare_targets), as batch_cost does

        penalty = (lambda: l2(self.params, alpha)) if alpha > 0 else None
        self.batched = vectorize(sample_cost, self.params, extra=penalty)

    def __call__(self, X: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        """(mean cost without the penalty, outputs of shape (n, k)) for the batch (X, targets)."""
        self.batched(X, targets)
        return self.batched.last_mean_cost, self.batched.batch_values(self._outputs)


def training_step(model: MLP, loss: Loss, engine: str, alpha: float) -> VectorizedStep | None:
    """The vectorized step for (model, loss), or None when ``fit`` should use the scalar engine."""
    if check_engine(engine) == "scalar" or (engine == "auto" and not loss.vectorizable):
        return None
    if not loss.vectorizable:
        raise ValueError(
            f"engine='vectorized' cannot replay {loss.name}: fit trains it with the scalar engine "
            "(loss.vectorizable is False; use engine='scalar' or 'auto')"
        )
    return VectorizedStep(model, loss, alpha)


def vectorized_predict(model: MLP, X: np.ndarray) -> np.ndarray:
    """The model's outputs for every sample (n, k), by the forward half of a vectorized replay."""
    try:
        return vectorize(lambda x, _: model(x), model.parameters()).forward(X)
    except DataDependentGraphError as err:  # a user's Module whose graph depends on the data
        raise ValueError(f"predict(engine='vectorized'): {err}") from None


__all__ = ["ENGINES", "VectorizedStep", "check_engine", "training_step", "vectorized_predict"]
