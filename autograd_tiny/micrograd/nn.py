"""micrograd 0.1.0's ``Module``, ``Neuron``, ``Layer`` and ``MLP``, built from this engine's Values.

Same signatures, same weights for the same ``random.seed`` (each weight drawn with
``random.uniform(-1, 1)`` in micrograd's order, biases 0), the same graph (a neuron is
``sum(wᵢ·xᵢ, b)`` of binary nodes, so every float matches micrograd's), ReLU hidden layers
and a linear last layer, a one-neuron layer returning its Value, and micrograd's reprs.
The pre-activation z = w·x + b of each neuron is labelled and marked, so after
``loss.backward()`` its gradient is the neuron's δ = ∂C/∂z and the drawings show it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..roles import Role
from ..value import Value


class Module:
    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


class Neuron(Module):
    def __init__(self, nin: int, nonlin: bool = True) -> None:
        self.w = [Value(random.uniform(-1, 1), f"w{i}") for i in range(nin)]
        self.b = Value(0, "b")
        self.nonlin = nonlin

    def __call__(self, x: Sequence[Value | float]) -> Value:
        preactivation = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if preactivation is not self.b:  # with no inputs, z is the bias itself: leave its name
            preactivation.label = "z"
            preactivation.meta = {"role": Role.PREACTIVATION}
        return preactivation.relu() if self.nonlin else preactivation

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    def __init__(self, nin: int, nout: int, **kwargs) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    def __init__(self, nin: int, nouts: Sequence[int]) -> None:
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
