"""check_backprop: the engine's gradients against the four equations, layer by layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_tiny.comparison import Comparison, Tolerance
from autograd_tiny.table import Report, Table, TableText

from .backprop import backprop
from .losses import Loss, get_loss
from .module import MLP
from .train import as_samples, batch_cost


@dataclass(frozen=True)
class LayerCheck:
    layer: int  # 1-based, as in the equations
    delta_graph: np.ndarray  # (n, nˡ): z.grad for every sample
    delta_equations: np.ndarray  # (n, nˡ): δˡ / n (the batch cost is a mean)
    delta: Comparison  # each: the graph's numbers (yours) against the equations' (the reference), normwise
    weights: Comparison
    biases: Comparison


@dataclass(frozen=True, repr=False)
class BackpropCheck(Report):
    """Per-layer comparison; truthy when every difference is within the tolerance.

    ``str()`` is a text table, Jupyter shows an HTML table; ``delta_table(sample)`` lists δ per neuron.
    """

    layers: tuple[LayerCheck, ...]
    cost: float
    rtol: float
    atol: float

    def passed_layer(self, check: LayerCheck) -> bool:
        return all(c.passed for c in (check.delta, check.weights, check.biases))

    def __bool__(self) -> bool:
        return all(self.passed_layer(check) for check in self.layers)

    def heading(self) -> str:
        verdict = "passed" if self else "FAILED"
        return (
            f"check_backprop {verdict}: graph gradients vs the four equations "
            f"(tolerance: max |graph − equations| ≤ {self.atol:g} + {self.rtol:g}·max |equations|), "
            f"cost {self.cost:.6g}"
        )

    def table(self) -> Table:
        header = (
            "layer",
            "δ max abs",
            "δ max rel",
            "∂C/∂W max abs",
            "∂C/∂W max rel",
            "∂C/∂b max abs",
            "∂C/∂b max rel",
            "",
        )
        rows = []
        for c in self.layers:
            cells = [cell for d in (c.delta, c.weights, c.biases) for cell in d.error_cells()]
            rows.append((str(c.layer), *cells, "ok" if self.passed_layer(c) else "FAIL"))
        return Table.of(header, rows)

    def delta_table(self, sample: int = 0, name: str | None = None) -> TableText:
        """δ of every neuron for one sample: the graph's z.grad next to the equations' value.

        Each row is a ``Comparison`` with the check's tolerance and its layer's scale (max |δˡ| over
        the batch, as the layer's own comparison), printed by the one formatter: where they agree the
        two δ print down to the leading digit of the bound atol + rtol · max |δˡ| (the digits below
        are rounding noise) and the difference as "≤ atol" (or "> atol" where the relative term
        carried it); where they do not, ten significant digits and the difference's three.
        ``name`` says which sample it is in the heading (default: "sample {sample}")."""
        rows = []
        for c in self.layers:
            for j, (g, e) in enumerate(zip(c.delta_graph[sample], c.delta_equations[sample])):
                neuron = Comparison.of(g, e, c.delta.tolerance, scale=c.delta.scale)
                rows.append((f"z[{c.layer}][{j}]", *neuron.value_cells(), neuron.error_cells()[0], neuron.verdict))
        heading = f"δ = ∂C/∂z for {name or f'sample {sample}'}: graph (z.grad) vs equations (BP1/BP2)"
        return TableText(heading, Table.of(("neuron", "graph", "equations", "difference", ""), rows, align="lrrrl"))


def check_backprop(
    model: MLP, X: Any, Y: Any, loss: str | Loss, *, rtol: float = 1e-10, atol: float = 1e-14
) -> BackpropCheck:
    """Run backward on the batch's mean cost and compare, per layer, with ``backprop``:
    every z.grad with δ/n, every w.grad with mean δ aᵀ, every b.grad with mean δ.

    Zeroes the model's gradients first; afterwards they hold the batch's gradients.
    In float64 the differences are rounding only: 1e-10 relative is a loose bound.
    """
    if not isinstance(model, MLP):
        raise TypeError(
            f"check_backprop needs an autograd_tiny.nn.MLP (its layers hold the equations' weights), "
            f"got {type(model).__module__}.{type(model).__name__}"
        )
    loss = get_loss(loss)
    model.zero_grad()
    cost, traces = batch_cost(model, X, Y, loss)
    cost.backward()
    n = len(traces)
    analytic = backprop(model.to_numpy(), model.activations, as_samples(X, model.nin), Y, loss)

    tolerance = Tolerance("check_backprop", rtol, atol)
    checks = []
    for l, layer in enumerate(model.layers):
        delta_graph = np.array([[z.grad for z in trace.z[l]] for trace in traces])
        grad_W_graph = np.array([[w.grad for w in neuron.w] for neuron in layer.neurons])
        grad_b_graph = np.array([neuron.b.grad for neuron in layer.neurons])
        delta_equations = analytic.delta[l] / n
        checks.append(
            LayerCheck(
                layer=l + 1,
                delta_graph=delta_graph,
                delta_equations=delta_equations,
                delta=Comparison.of(delta_graph, delta_equations, tolerance),
                weights=Comparison.of(grad_W_graph, analytic.grad_W[l].mean(axis=0), tolerance),
                biases=Comparison.of(grad_b_graph, analytic.grad_b[l].mean(axis=0), tolerance),
            )
        )
    return BackpropCheck(tuple(checks), cost.data, rtol, atol)


__all__: Sequence[str] = ["BackpropCheck", "LayerCheck", "check_backprop"]
