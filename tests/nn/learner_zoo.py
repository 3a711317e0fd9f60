"""What learners write after Nielsen's chapters 1–2: a ``Network`` with ``backprop(x, y)``,
right in several flavours, and wrong in one classic way per class.

Column vectors as in Nielsen's ``network.py``. Each wrong network overrides the one line of
the equations a learner gets wrong, so the mistake reads exactly as it would in their code.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
}


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


class Network:
    """Nielsen's Network, with the activation per layer and the cost's δᴸ as choices."""

    activation = "sigmoid"
    output_activation = "sigmoid"
    cost = "quadratic"  # or "cross_entropy" (shortcut δᴸ = a − y) or "softmax_cross_entropy"

    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        self.sizes = list(sizes)
        self.num_layers = len(sizes)
        self.biases = [rng.standard_normal((y, 1)) for y in sizes[1:]]
        self.weights = [rng.standard_normal((y, x)) for x, y in pairwise(sizes)]

    def sigma(self, layer):
        """(σ, σ′) of layer ``layer`` (0-based)."""
        name = self.output_activation if layer == len(self.weights) - 1 else self.activation
        return ACTIVATIONS[name]

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for layer, (b, w) in enumerate(zip(self.biases, self.weights)):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = softmax(z) if self.cost == "softmax_cross_entropy" and layer == len(self.weights) - 1 else None
            if activation is None:
                activation = self.sigma(layer)[0](z)
            activations.append(activation)
        delta = self.output_delta(activations[-1], y, zs[-1])
        nabla_b[-1] = self.bias_gradient(delta)
        nabla_w[-1] = self.weight_gradient(delta, activations, -1)
        for l in range(2, self.num_layers):
            delta = self.hidden_delta(delta, zs, activations, l)
            nabla_b[-l] = self.bias_gradient(delta)
            nabla_w[-l] = self.weight_gradient(delta, activations, -l)
        return nabla_b, nabla_w

    # The four equations, one method each, so a wrong network overrides exactly one line.
    def output_delta(self, a, y, z):  # BP1
        if self.cost in ("cross_entropy", "softmax_cross_entropy"):
            return a - y
        return (a - y) * self.sigma(len(self.weights) - 1)[1](z)

    def hidden_delta(self, delta, zs, activations, l):  # BP2
        return np.dot(self.weights[-l + 1].transpose(), delta) * self.sigma(len(self.weights) - l)[1](zs[-l])

    def bias_gradient(self, delta):  # BP3
        return delta

    def weight_gradient(self, delta, activations, index):  # BP4
        return np.dot(delta, activations[index - 1].transpose())


class TanhNetwork(Network):
    activation = output_activation = "tanh"


class ReluNetwork(Network):
    activation, output_activation = "relu", "linear"


class CrossEntropyNetwork(Network):
    cost = "cross_entropy"


class SoftmaxNetwork(Network):
    cost = "softmax_cross_entropy"


# --- one classic mistake per class ---------------------------------------------------------
class MissingSigmaPrimeOutput(Network):
    def output_delta(self, a, y, z):
        return a - y  # BP1 without ⊙ σ′(zᴸ)... with the quadratic cost this is also cost_mismatch


class MissingSigmaPrimeHidden(Network):
    def hidden_delta(self, delta, zs, activations, l):
        return np.dot(self.weights[-l + 1].transpose(), delta)  # BP2 without ⊙ σ′(zˡ)


class SigmaPrimeOfActivationOutput(Network):
    def output_delta(self, a, y, z):
        return (a - y) * sigmoid_prime(a)  # σ′(a): σ applied twice


class SigmaPrimeOfActivationHidden(Network):
    def hidden_delta(self, delta, zs, activations, l):
        return np.dot(self.weights[-l + 1].transpose(), delta) * sigmoid_prime(activations[-l])


class WrongSign(Network):
    def output_delta(self, a, y, z):
        return (y - a) * sigmoid_prime(z)


class WrongSignCrossEntropy(CrossEntropyNetwork):
    def output_delta(self, a, y, z):
        return y - a


class WrongWeightLayer(Network):
    def hidden_delta(self, delta, zs, activations, l):
        return np.dot(self.weights[-l].transpose(), delta) * sigmoid_prime(zs[-l])  # Wˡ, not Wˡ⁺¹


class WeightNotTransposed(Network):
    def hidden_delta(self, delta, zs, activations, l):
        return np.dot(self.weights[-l + 1], delta) * sigmoid_prime(zs[-l])  # W without ᵀ


class WrongActivationLayer(Network):
    def weight_gradient(self, delta, activations, index):
        return np.dot(delta, activations[index].transpose())  # aˡ, not aˡ⁻¹


class TransposedOuterProduct(Network):
    def weight_gradient(self, delta, activations, index):
        return np.dot(activations[index - 1], delta.transpose())  # a δᵀ, not δ aᵀ


class CrossEntropyShortcutWithQuadratic(Network):
    def output_delta(self, a, y, z):
        return a - y  # the shortcut, but the cost is quadratic


class QuadraticDeltaWithCrossEntropy(CrossEntropyNetwork):
    def output_delta(self, a, y, z):
        return (a - y) * sigmoid_prime(z)  # the quadratic cost's δᴸ


class SigmaPrimeOfWrongLayer(Network):
    def hidden_delta(self, delta, zs, activations, l):
        return np.dot(self.weights[-l + 1].transpose(), delta) * sigmoid_prime(zs[-l + 1])  # zˡ⁺¹


# --- wrong, but in no catalogue ---------------------------------------------------------------
class HalfBiasGradient(Network):
    def bias_gradient(self, delta):
        return 0.5 * delta  # BP3 broken; δ itself is right


class DoubledHiddenDelta(Network):
    def hidden_delta(self, delta, zs, activations, l):
        return 2 * super().hidden_delta(delta, zs, activations, l)


class RowBiasGradient(Network):
    def bias_gradient(self, delta):
        return delta.reshape(1, -1)  # a row where a column was expected


class RaisingNetwork(Network):
    def hidden_delta(self, delta, zs, activations, l):
        return np.dot(self.weights[-l], delta)  # shapes do not align: NumPy raises
