"""Costs C(a, y) for one sample, on Values (for the graph) and their gradient ∇ₐC in NumPy
(for the four equations). A batch cost is the mean of the per-sample costs.

Each cost is an object you call on a model's outputs and one target::

    cost = losses.quadratic(model(x), y)

and that also knows ∇ₐC (``gradient``) and, for classification, how to score accuracy. What
a target may be is checked in ``nn.targets``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd_tiny as at
from autograd_tiny import Value

from . import targets
from .activations import get_activation


class Loss:
    """Base class: one cost function. Subclasses state C and ∇ₐC in their docstring."""

    name: str = ""
    target_kind: str = "real"  # one of targets.KINDS: "real", "binary" (0/1), "signed" (±1), "index"
    cancels_with: str | None = None  # the output activation σ for which δᴸ = a − y (σ′ cancels)
    output_activation: str = "linear"  # the output layer this cost is usually paired with
    vectorizable: bool = True  # the same operations for every sample, so ``vectorize`` can replay it
    decision_threshold: float | None = None  # a classifier with one output says class 1 where aᴸ > this

    def __call__(self, outputs: Sequence[Value], target: Any) -> Value:
        """C for one sample: checks the target, then computes ``cost``."""
        return self.cost(outputs, self.target_for_sample(target, len(outputs)))

    def cost(self, outputs: Sequence[Value], y: Any) -> Value:
        """C for one sample whose target ``y`` is already checked (a row of numbers, or a class index)."""
        raise NotImplementedError

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∇ₐC for each sample: ``a`` is (n, k) outputs, ``y`` the prepared targets."""
        raise NotImplementedError

    def random_targets(self, rng: np.random.Generator, n_samples: int, n_outputs: int) -> np.ndarray:
        """Valid targets for ``n_samples`` samples, for tests and checks."""
        return targets.random_targets(self.target_kind, rng, n_samples, n_outputs)

    def shortcut_delta(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """δᴸ = a − y, valid when the output activation is ``cancels_with``."""
        return a - y

    def accuracy(self, a: np.ndarray, y: np.ndarray) -> float | None:
        """Fraction of samples classified right, or None for a regression cost."""
        return None

    def prepare_targets(self, y: Any, n_samples: int, n_outputs: int) -> np.ndarray:
        """The batch's targets as an array, checked against ``target_kind`` (see ``nn.targets``)."""
        return targets.prepare_targets(self.target_kind, self.name, y, n_samples, n_outputs)

    def target_for_sample(self, target: Any, n_outputs: int) -> Any:
        """One sample's target, checked: a class index, or a row of k numbers (a number when k = 1)."""
        return targets.target_for_sample(self.target_kind, self.name, target, n_outputs)

    def __repr__(self) -> str:
        return f"losses.{self.name}"


class Quadratic(Loss):
    """Nielsen's quadratic cost.  C = ½ Σₖ (aₖ − yₖ)²    ∇ₐC = a − y"""

    name = "quadratic"
    output_activation = "sigmoid"

    def cost(self, outputs, y):
        return 0.5 * at.sum([(a - t) ** 2 for a, t in zip(outputs, y)])

    def gradient(self, a, y):
        return a - y


class MeanSquaredError(Loss):
    """Mean squared error over the k outputs.  C = (1/k) Σₖ (aₖ − yₖ)²    ∇ₐC = 2(a − y)/k"""

    name = "mse"

    def cost(self, outputs, y):
        return at.sum([(a - t) ** 2 for a, t in zip(outputs, y)]) * (1.0 / len(outputs))

    def gradient(self, a, y):
        return 2.0 * (a - y) / a.shape[1]


class BinaryCrossEntropy(Loss):
    """Cross-entropy on probabilities a ∈ (0, 1), targets y ∈ {0, 1}.

    C = −Σₖ [yₖ ln aₖ + (1 − yₖ) ln(1 − aₖ)]    ∇ₐC = (a − y) / (a(1 − a))
    With a sigmoid output layer σ′(z) = a(1 − a) cancels: δᴸ = a − y.
    """

    name = "binary_cross_entropy"
    target_kind = "binary"
    cancels_with = "sigmoid"
    output_activation = "sigmoid"
    decision_threshold = 0.5

    def cost(self, outputs, y):
        return -at.sum([t * a.log() + (1.0 - t) * (1.0 - a).log() for a, t in zip(outputs, y)])

    def gradient(self, a, y):
        return (a - y) / (a * (1.0 - a))

    def accuracy(self, a, y):
        return float(np.mean(np.all((a > self.decision_threshold) == (y > 0.5), axis=1)))


class BinaryCrossEntropyWithLogits(Loss):
    """Cross-entropy on logits z (a linear output layer), targets y ∈ {0, 1}; numerically stable.

    C = Σₖ [ln(1 + e^{zₖ}) − yₖ zₖ]    ∇_z C = σ(z) − y
    ln(1 + eᶻ) is computed as z + ln(1 + e⁻ᶻ) for z ≥ 0, so no exponential overflows.
    """

    name = "binary_cross_entropy_with_logits"
    target_kind = "binary"
    vectorizable = False  # the stable softplus picks its formula by the sign of z
    decision_threshold = 0.0  # z > 0 where σ(z) > ½

    def cost(self, outputs, y):
        return at.sum([_softplus(z) - t * z for z, t in zip(outputs, y)])

    def gradient(self, a, y):
        return get_activation("sigmoid").sigma(a) - y

    def accuracy(self, a, y):
        return float(np.mean(np.all((a > self.decision_threshold) == (y > 0.5), axis=1)))


class SoftmaxCrossEntropy(Loss):
    """Cross-entropy of softmax(z) for logits z (a linear output layer) and a class index y.

    C = −ln softmaxᵧ(z) = ln Σⱼ e^{zⱼ} − zᵧ (one ``logsumexp`` node: stable, and the graph reads no number;
    zᵧ is ``select(z, y)``, a ``select`` node when y is a Value, as under ``vectorize``)
    ∇_z C = softmax(z) − eᵧ: seen as a softmax output layer, the cross-entropy's −eᵧ/p and the
    softmax Jacobian diag(p) − ppᵀ cancel to δᴸ = p − y.
    """

    name = "softmax_cross_entropy"
    target_kind = "index"
    # vectorizable (the default): the class index, a Value under vectorize, picks its logit with a select node
    cancels_with = "linear"  # the logits are the output layer's z; softmax lives in the cost

    def cost(self, logits, y):
        return at.logsumexp(logits) - at.select(logits, y)

    def gradient(self, a, y):
        """Through the softmax Jacobian, as the general formula reads: Jᵀ ∇ₚC with ∇ₚC = −eᵧ/p."""
        p = softmax(a)
        grad_p = -one_hot(y, a.shape[1]) / p
        jacobian = np.einsum("ni,ij->nij", p, np.eye(a.shape[1])) - np.einsum("ni,nj->nij", p, p)
        return np.einsum("nij,ni->nj", jacobian, grad_p)

    def shortcut_delta(self, a, y):
        """δᴸ = p − y: the cancellation, equal to ``gradient`` up to rounding."""
        return softmax(a) - one_hot(y, a.shape[1])

    def accuracy(self, a, y):
        return float(np.mean(np.argmax(a, axis=1) == y))


class Hinge(Loss):
    """micrograd's max-margin loss on a score s, targets y ∈ {−1, +1}.

    C = Σₖ max(0, 1 − yₖ sₖ)    ∇ₛC = −y where 1 − y s > 0, else 0 (0 at the kink)
    """

    name = "hinge"
    target_kind = "signed"
    decision_threshold = 0.0

    def cost(self, outputs, y):
        return at.sum([(1.0 - t * s).relu() for s, t in zip(outputs, y)])

    def gradient(self, a, y):
        return np.where(1.0 - y * a > 0.0, -y, 0.0)

    def accuracy(self, a, y):
        return float(np.mean(np.all((a > self.decision_threshold) == (y > 0.0), axis=1)))


quadratic = Quadratic()
mse = MeanSquaredError()
binary_cross_entropy = BinaryCrossEntropy()
binary_cross_entropy_with_logits = BinaryCrossEntropyWithLogits()
softmax_cross_entropy = SoftmaxCrossEntropy()
hinge = Hinge()

LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (quadratic, mse, binary_cross_entropy, binary_cross_entropy_with_logits, softmax_cross_entropy, hinge)
}


ALIASES: dict[str, str] = {"cross_entropy": "binary_cross_entropy"}
"""Older spellings, still accepted: ``cross_entropy`` (Nielsen's, on sigmoid outputs) is binary cross-entropy."""


def get_loss(loss: str | Loss) -> Loss:
    """A Loss object from itself, its name or an alias (``ALIASES``); a clear ValueError for an unknown name.

    ``LOSSES`` is the one vocabulary of cost names: ``fit``, ``check_backprop``,
    ``diagnose_backprop`` and the command line all take these names.
    """
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str) and ALIASES.get(loss, loss) in LOSSES:
        return LOSSES[ALIASES.get(loss, loss)]
    raise ValueError(f"unknown loss {loss!r}: expected one of {', '.join(map(repr, LOSSES))}")


def l2(params: Sequence[Value], alpha: float) -> Value:
    """The L2 penalty α Σ p² over ``params`` (add it to a cost); ∂/∂p = 2αp."""
    return alpha * at.sum([p * p for p in params])


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def one_hot(indices: np.ndarray, k: int) -> np.ndarray:
    return np.eye(k)[indices]


def _softplus(z: Value) -> Value:
    """ln(1 + eᶻ) without overflow; derivative σ(z) on both branches."""
    return z + (1.0 + (-z).exp()).log() if z.data >= 0.0 else (1.0 + z.exp()).log()
