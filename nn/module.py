"""Neurons, layers and MLPs built from Values.

Layers are numbered as in the backprop equations: a⁰ = x is the input, layers l = 1 … L
have weights. Labels follow that numbering (``w[1][3,0]`` is the weight from input 0 to
neuron 3 of layer 1; ``z[1][3]``, ``a[1][3]``, ``b[1][3]``). Python lists are 0-based:
``model.layers[0]`` and ``trace.z[0]`` are layer 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

import autograd_tiny as at
from autograd_tiny import Notes, Value, dot
from autograd_tiny.roles import Role

from . import display
from .activations import get_activation
from .validate import Seed, check_positive_int, random_generator


class Module:
    """Anything with parameters. In Jupyter it shows a table of its layers."""

    _repr_html_ = display.module_html

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        at.zero_grad(self.parameters())


def initial_weights(rng: np.random.Generator, nout: int, nin: int, activation: str) -> np.ndarray:
    """Weights scaled by fan-in, drawn from a normal distribution.

    relu: He, std √(2/nin) (keeps the variance of a through half-zeroed units);
    tanh, sigmoid, linear: LeCun, std √(1/nin). Biases start at 0.
    """
    gain = 2.0 if activation == "relu" else 1.0
    return rng.normal(0.0, np.sqrt(gain / nin), size=(nout, nin))


class Neuron(Module):
    """a = σ(z), z = w·x + b: one pre-activation node, labelled and marked for viz."""

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        *,
        weights: Sequence[float] | None = None,
        bias: float = 0.0,
        layer: int = 1,
        index: int = 0,
        fused: bool = True,
        seed: Seed = None,
    ) -> None:
        check_positive_int(nin, "nin")
        self.activation = get_activation(activation).name
        self.layer, self.index, self.fused = layer, index, fused
        if weights is None:
            weights = initial_weights(random_generator(seed), 1, nin, activation)[0]
        if len(weights) != nin:
            raise ValueError(f"neuron with {nin} inputs needs {nin} weights, got {len(weights)}")
        self.w = [Value(float(wi), f"w[{layer}][{index},{i}]") for i, wi in enumerate(weights)]
        self.b = Value(float(bias), f"b[{layer}][{index}]")
        for i, wi in enumerate(self.w):
            wi.meta = {"role": Role.WEIGHT, "layer": layer, "neuron": index, "input": i}
        self.b.meta = {"role": Role.BIAS, "layer": layer, "neuron": index}
        # Labels and marks of the nodes each forward pass creates, made once (treat as read-only).
        self._z_label, self._a_label = f"z[{layer}][{index}]", f"a[{layer}][{index}]"
        self._z_meta = {"role": Role.PREACTIVATION, "layer": layer, "neuron": index}
        self._a_meta = {"role": Role.ACTIVATION, "layer": layer, "neuron": index}
        self._z_notes = Notes(self._z_label, self._z_meta)  # shared by every z this neuron computes
        self._a_notes = Notes(self._a_label, self._a_meta)
        self._product_notes = Notes(meta={"role": Role.PRODUCT, "layer": layer, "neuron": index})
        self._partial_notes = Notes(meta={"role": Role.PARTIAL_SUM, "layer": layer, "neuron": index})
        self._sigma = None if self.activation == "linear" else get_activation(self.activation).on_value

    def preactivation(self, x: Sequence[Value]) -> Value:
        """zˡⱼ = Σᵢ wˡⱼᵢ aˡ⁻¹ᵢ + bˡⱼ as one ``dot`` node, or, with ``fused=False``, as binary * and +."""
        if self.fused:
            z = dot(self.w, x, self.b)
        else:
            z = self.b
            for wi, xi in zip(self.w, x):
                product = wi * xi
                product.notes = self._product_notes
                z = product + z
                z.notes = self._partial_notes
        z.notes = self._z_notes
        return z

    def forward(self, x: Sequence[Value]) -> tuple[Value, Value]:
        """(zˡⱼ, aˡⱼ = σ(zˡⱼ)) for inputs ``x`` (Values, already checked); for a linear neuron a is z."""
        z = self.preactivation(x)
        if self._sigma is None:  # linear: a is z itself
            return z, z
        a = self._sigma(z)
        a.notes = self._a_notes
        return z, a

    def __call__(self, x: Sequence[Value | float]) -> Value:
        return self.forward(_inputs(x, len(self.w)))[1]

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation!r})"


class Layer(Module):
    """nout neurons reading the same nin inputs."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "tanh",
        *,
        weights: np.ndarray | None = None,
        biases: Sequence[float] | None = None,
        layer: int = 1,
        fused: bool = True,
        seed: Seed = None,
    ) -> None:
        check_positive_int(nin, "nin")
        check_positive_int(nout, "nout")
        if weights is None:
            weights = initial_weights(random_generator(seed), nout, nin, get_activation(activation).name)
        weights = np.asarray(weights, dtype=float)
        if weights.shape != (nout, nin):
            raise ValueError(f"layer {layer} weights have shape {weights.shape}, expected ({nout}, {nin})")
        biases = np.zeros(nout) if biases is None else np.asarray(biases, dtype=float)
        if biases.shape != (nout,):
            raise ValueError(f"layer {layer} biases have shape {biases.shape}, expected ({nout},)")
        self.layer = layer
        self.neurons = [
            Neuron(nin, activation, weights=weights[j], bias=biases[j], layer=layer, index=j, fused=fused)
            for j in range(nout)
        ]

    @property
    def activation(self) -> str:
        return self.neurons[0].activation

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer({len(self.neurons[0].w)}, {len(self.neurons)}, {self.activation!r})"


@dataclass(repr=False)
class Trace:
    """One forward pass, recorded: ``z[l][j]`` and ``a[l][j]`` for layer l + 1 (0-based lists).

    In Jupyter it shows z, a and δ = z.grad for every neuron.
    """

    inputs: list[Value]
    z: list[list[Value]] = field(default_factory=list)
    a: list[list[Value]] = field(default_factory=list)

    @property
    def output(self) -> list[Value]:
        return self.a[-1]

    def delta(self, layer: int) -> list[float]:
        """δ of ``trace.z[layer]``: ∂C/∂z for each neuron, read after ``cost.backward()``."""
        return [z.grad for z in self.z[layer]]

    _repr_html_ = display.trace_html

    def __repr__(self) -> str:
        sizes = "-".join(str(n) for n in [len(self.inputs), *map(len, self.z)])
        return f"Trace({sizes}, output={[round(a.data, 6) for a in self.output]})"


class MLP(Module):
    """A multilayer perceptron: nin inputs, then one Layer per entry of ``nouts``.

    Hidden layers use ``activation``, the last layer ``output_activation``; ``activations``
    (one name per layer) overrides both. Weights are drawn with ``initial_weights`` from
    ``np.random.default_rng(seed)``: the same seed, the same model; ``params`` ([(W¹, b¹), …],
    as ``to_numpy`` returns) gives them instead. ``fused=False`` builds each pre-activation
    from binary * and + (an op-by-op picture); the gradients are identical.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "linear",
        seed: Seed = None,
        *,
        fused: bool = True,
        activations: Sequence[str] | None = None,
        params: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        check_positive_int(nin, "nin")
        if isinstance(nouts, int) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        if activations is None:
            hidden, output = get_activation(activation).name, get_activation(output_activation).name  # both checked
            activations = [hidden] * (len(nouts) - 1) + [output]
        if len(activations) != len(nouts):
            raise ValueError(f"{len(nouts)} layers need {len(nouts)} activations, got {len(activations)}")
        if params is not None and len(params) != len(nouts):
            raise ValueError(f"{len(nouts)} layers need {len(nouts)} (W, b) pairs, got {len(params)}")
        names = [get_activation(name).name for name in activations]
        rng = random_generator(seed)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[l], sizes[l + 1], names[l], layer=l + 1, fused=fused, seed=rng)
            if params is None
            else Layer(sizes[l], sizes[l + 1], names[l], weights=params[l][0], biases=params[l][1], layer=l + 1,
                       fused=fused)
            for l in range(len(nouts))
        ]  # fmt: skip
        self.nin, self.fused = nin, fused

    @property
    def sizes(self) -> list[int]:
        return [self.nin, *(len(layer.neurons) for layer in self.layers)]

    @property
    def activations(self) -> list[str]:
        return [layer.activation for layer in self.layers]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """The outputs aᴸ for one sample, always a list."""
        return self.trace(x).output

    def trace(self, x: Sequence[Value | float]) -> Trace:
        """Run the forward pass and record every layer's z and a."""
        activation = _inputs(x, self.nin)
        trace = Trace(inputs=activation)
        for layer in self.layers:
            zs, activations = [], []
            for neuron in layer.neurons:
                z, a = neuron.forward(activation)
                zs.append(z)
                activations.append(a)
            trace.z.append(zs)
            trace.a.append(activations)
            activation = activations
        return trace

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def to_numpy(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(W¹, b¹), …, (Wᴸ, bᴸ)]: Wˡ has shape (nˡ, nˡ⁻¹), row j holds neuron j's weights."""
        return [
            (
                np.array([[w.data for w in n.w] for n in layer.neurons]),
                np.array([n.b.data for n in layer.neurons]),
            )
            for layer in self.layers
        ]

    @classmethod
    def from_numpy(
        cls,
        params: Sequence[tuple[np.ndarray, np.ndarray]],
        activations: Sequence[str] | None = None,
        *,
        activation: str = "tanh",
        output_activation: str = "linear",
        fused: bool = True,
    ) -> MLP:
        """Build a model from [(W¹, b¹), …]; ``activations`` gives one name per layer."""
        if not params:
            raise ValueError("from_numpy needs at least one (W, b) pair")
        if activations is None:
            activations = [activation] * (len(params) - 1) + [output_activation]
        if len(activations) != len(params):
            raise ValueError(f"from_numpy got {len(params)} layers but {len(activations)} activations")
        shapes = [np.shape(weights) for weights, _ in params]
        for l, shape in enumerate(shapes, start=1):
            if len(shape) != 2:
                raise ValueError(f"layer {l} weights must be a 2-D array (nout, nin), got shape {shape}")
            if l > 1 and shape[1] != shapes[l - 2][0]:
                raise ValueError(
                    f"layer {l} weights have {shape[1]} columns, expected {shapes[l - 2][0]} (layer {l - 1}'s size)"
                )
        nin, nouts = shapes[0][1], [shape[0] for shape in shapes]
        return cls(nin, nouts, activations=activations, params=params, fused=fused)

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.sizes))
        return f"MLP({sizes}, activations={self.activations})"


_INPUT_LABELS = [f"x[{i}]" for i in range(64)]


def _inputs(x: Sequence[Value | float], expected: int) -> list[Value]:
    """The sample as Values (numbers become labelled inputs x[i]), checking its length."""
    try:
        n = len(x)
    except TypeError:
        raise TypeError(f"a sample must be a sequence of {expected} numbers, got {type(x).__name__}") from None
    if n != expected:
        raise ValueError(f"expected a sample of length {expected}, got length {n}")
    values = []
    for i, xi in enumerate(x):
        if isinstance(xi, Value):
            values.append(xi)
        else:
            v = Value(xi, _INPUT_LABELS[i] if i < 64 else f"x[{i}]")
            v.meta = {"role": Role.INPUT, "index": i}
            values.append(v)
    return values
