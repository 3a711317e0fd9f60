"""draw_network: the classic picture of an MLP, with z, a and δ in every neuron."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import graphviz

from autograd_tiny import Value

from . import ids
from .inline import Drawing
from .style import FONT, add_legend, escape, gradient_colour, largest_magnitude, number, sign_colour

if TYPE_CHECKING:  # viz reads nn's types for its hints only: at run time it needs no import of nn
    from autograd_tiny.nn import MLP, Neuron, Trace


def draw_network(
    model: MLP,
    trace: Trace | None = None,
    *,
    show_weight_grads: bool = False,
    grads: Mapping[Value, float] | None = None,
    legend: bool = True,
) -> graphviz.Digraph:
    """Inputs on the left, one circle per neuron, layers in columns.

    With a ``trace`` (``model.trace(x)``, after ``cost.backward()``) each neuron shows its z,
    a and δ = ∂C/∂z, filled by δ; without one, the neurons show their bias only. Edges carry
    the weights: width by |w|, colour by sign (purple < 0 < orange). ``show_weight_grads``
    labels each edge with ∂C/∂w (= δ · a of the neuron it comes from, BP4). ``grads`` overrides
    the gradients shown for the Values it holds (default: their ``.grad``). ``legend=False``
    leaves out the legend (for a page that draws its own).
    """
    grads = grads or {}
    try:  # viz does not import nn at run time, so an MLP is recognised by its parts
        layers = model.layers
        nin = len(layers[0].neurons[0].w)
    except (AttributeError, IndexError, TypeError):
        raise TypeError(f"draw_network needs an MLP from autograd_tiny.nn, got {type(model).__name__}") from None
    try:
        foreign = trace is not None and (len(trace.z) != len(layers) or len(trace.inputs) != nin)
    except (AttributeError, TypeError):
        foreign = True
    if foreign:
        raise ValueError("trace does not belong to this model: call model.trace(x) with the same model")
    deltas = [grads.get(z, z.grad) for layer in trace.z for z in layer] if trace is not None else []
    scale = largest_magnitude(deltas)
    weight_scale = largest_magnitude(w.data for layer in layers for n in layer.neurons for w in n.w) or 1.0

    dot = Drawing("network")
    dot.attr(rankdir="LR", fontname=FONT, splines="line", nodesep="0.1", ranksep="1.8", newrank="true")
    dot.attr(outputorder="edgesfirst")  # neurons on top of the edges, so their numbers stay readable
    # Every order of a fully connected column crosses as many edges, so Graphviz's crossing
    # minimisation only rotates the columns: without it each column stays in index order, top down.
    dot.attr(mclimit="0.01")
    dot.attr("node", fontname=FONT, fontsize="8", shape="circle", style="filled", fixedsize="true", width="1.15")
    dot.attr("edge", arrowhead="none", fontname=FONT)

    with dot.subgraph(name="cluster_inputs") as cluster:
        cluster.attr(label="inputs", style="rounded,dashed", color="#999999", fontname=FONT)
        for i in range(nin):
            value = trace.inputs[i].data if trace is not None else None
            lines = [f"<B>x[{i}]</B>"] + ([escape(number(value))] if value is not None else [])
            cluster.node(
                ids.input_node(i), _lines(lines), fillcolor="#f0f0f0", tooltip=f"input {i}", id=ids.input_group(i)
            )

    for l, layer in enumerate(layers):
        with dot.subgraph(name=f"cluster_layer_{l + 1}") as cluster:
            cluster.attr(label=f"layer {l + 1} ({escape(layer.activation)})", style="rounded", color="#777777")
            for j, neuron in enumerate(layer.neurons):
                style = _neuron_style(l, j, neuron, trace, scale, grads)
                cluster.node(ids.neuron_node(l + 1, j), id=ids.neuron_group(l + 1, j), **style)

    for l, layer in enumerate(layers):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                source = ids.input_node(i) if l == 0 else ids.neuron_node(l, i)
                attrs = {
                    "id": ids.weight_edge(l + 1, j, i),
                    "penwidth": f"{0.4 + 3.6 * min(abs(w.data) / weight_scale, 1.0):.2f}",
                    "color": sign_colour(w.data) + "99",
                    "tooltip": f"{w.label}: w = {w.data!r}, ∂C/∂w = {grads.get(w, w.grad)!r}",
                }
                if show_weight_grads:
                    attrs["label"] = number(grads.get(w, w.grad))
                    attrs["fontsize"] = "7"
                dot.edge(source, ids.neuron_node(l + 1, j), **attrs)

    rows = [
        "neuron z[l][j]: neuron j of layer l, top to bottom from 0 (trace.z[l − 1][j] in Python)",
        "in it: z = w·a + b, a = σ(z), δ = ∂C/∂z (fill: δ, purple < 0 < orange)",
        "edge: weight w; width |w|, colour sign (purple < 0 < orange)",
    ]
    if show_weight_grads:
        rows.append("edge label: ∂C/∂w = δ · a (BP4)")
    if legend:
        add_legend(dot, scale, rows, fixedsize="false", style="")
    return dot


def _lines(lines: list[str]) -> str:
    return "<" + "<BR/>".join(lines) + ">"


def _neuron_style(l: int, j: int, neuron: Neuron, trace: Trace | None, scale: float, grads: Mapping) -> dict:
    name = f"{l + 1}][{j}"
    if trace is None:
        lines = [f"<B>[{escape(name)}]</B>", f"b {escape(number(neuron.b.data))}"]
        return {"label": _lines(lines), "fillcolor": "#ffffff", "tooltip": f"neuron {j} of layer {l + 1}"}
    z, a = trace.z[l][j], trace.a[l][j]
    delta = grads.get(z, z.grad)
    tooltip = f"z[{name}] = {z.data!r}, a[{name}] = {a.data!r}, δ = ∂C/∂z = {delta!r}"
    # Graphviz writes a cell's id into the SVG only with a tooltip (and a target, as there is no link).
    cell = f'TOOLTIP="{escape(tooltip)}" TARGET="_self"'
    rows = [f"<TD><B>z[{escape(name)}]</B></TD>",
            f'<TD ID="{ids.z_cell(l + 1, j)}" {cell}>z {escape(number(z.data))}</TD>',
            f'<TD ID="{ids.a_cell(l + 1, j)}" {cell}>a {escape(number(a.data))}</TD>',
            f'<TD ID="{ids.delta_cell(l + 1, j)}" {cell}><B>δ {escape(number(delta))}</B></TD>']  # fmt: skip
    cells = "".join(f"<TR>{row}</TR>" for row in rows)
    return {
        "label": f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{cells}</TABLE>>',
        "fillcolor": gradient_colour(delta, scale),
        "tooltip": tooltip,
    }
