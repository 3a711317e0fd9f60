"""draw_graph: the computation graph the engine recorded, with value, gradient and δ.

It only reads the graph (``topological_order``, ``data``, ``grad``, ``label``, ``op``,
``inputs``, ``local_grads()``, ``meta``); it never changes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import graphviz

from autograd_tiny import Value, topological_order
from autograd_tiny.roles import Role, role_of

from . import ids
from .inline import Drawing
from .style import FONT, add_legend, escape, gradient_colour, largest_magnitude, number


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``max_nodes``."""


def draw_graph(
    root: Value,
    *,
    rankdir: str = "LR",
    show_local_grads: bool = False,
    max_nodes: int = 2000,
    grads: Mapping[Value, float] | None = None,
) -> graphviz.Digraph:
    """Draw every Value below ``root`` (inclusive) once, each showing label, data and grad.

    An operation is a small circle between its inputs and its output. Pre-activation nodes
    (marked by ``autograd_tiny.nn``) have a double border and the line ``δ = ∂C/∂z``. The fill
    encodes the gradient (see the legend). With ``show_local_grads`` each input edge carries
    the local derivative ∂out/∂in, so grad(in) += local × grad(out) can be read off. Graphs
    built by ``nn`` are grouped into a cluster per layer and neuron. ``grads`` overrides the
    gradient shown for the nodes it holds (default: each node's ``.grad``).
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph needs a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    nodes = topological_order(root)
    if len(nodes) > max_nodes:
        raise GraphTooLargeError(
            f"the graph has {len(nodes):,} nodes, more than max_nodes={max_nodes:,}: draw the network instead "
            f"with draw_network(model, trace), or pass a larger max_nodes (Graphviz gets slow past a few thousand)"
        )
    names = ids.value_names(nodes)
    grad_of = {node: grads.get(node, node.grad) if grads is not None else node.grad for node in nodes}
    scale = colour_scale(nodes, grad_of)

    dot = Drawing("computation_graph")
    dot.attr(rankdir=rankdir, fontname=FONT, newrank="true", nodesep="0.15", ranksep="0.3")
    dot.attr("node", fontname=FONT, fontsize="10")
    dot.attr("edge", fontname=FONT, fontsize="9", color="#555555", arrowsize="0.6")

    groups: dict[tuple, list[tuple[str, str, dict]]] = defaultdict(list)
    for node in nodes:
        group = _group_of(node)
        name, style = names[node], _value_style(node, grad_of[node], scale)
        label = _value_label(node, grad_of[node], ids.grad_cell(name), style["tooltip"])
        groups[group].append((name, label, {**style, "id": ids.value_group(name)}))
        if not node.is_leaf:
            groups[group].append((ids.op_node(name), escape(node.op), {**_OP_STYLE, "id": ids.op_group(name)}))
    _emit_groups(dot, groups)

    for node in nodes:
        if node.is_leaf:
            continue
        op_node = ids.op_node(names[node])
        local = node.local_grads() if show_local_grads else [None] * len(node.inputs)
        for k, (child, local_grad) in enumerate(zip(node.inputs, local)):
            attrs = {"id": ids.input_edge(names[node], k)}
            if local_grad is not None:
                attrs["label"] = f"∂={number(local_grad)}"
                attrs["tooltip"] = f"∂{_name(node)}/∂{_name(child)} = {local_grad!r}"
            dot.edge(names[child], op_node, **attrs)
        dot.edge(op_node, names[node], id=ids.output_edge(names[node]))

    rows = ["fill: the gradient ∂C/∂v (purple < 0 < orange), by |grad| / largest |grad| of non-constants"]
    if any(is_preactivation(node) for node in nodes):
        rows.append("double border: a pre-activation z, where grad is δ = ∂C/∂z")
    rows.append("circle: the operation that made the value it points to")
    if show_local_grads:
        rows.append("edge label ∂: local derivative ∂out/∂in; grad(in) += ∂ × grad(out)")
    add_legend(dot, scale, rows)
    return dot


def colour_scale(nodes: list[Value], grad_of: Mapping[Value, float]) -> float:
    """The largest |gradient| that sets the fill scale. Constants (unlabelled leaves, from plain
    numbers) do not count: a target's large gradient would otherwise bleach every δ."""
    return largest_magnitude(grad_of[node] for node in nodes if node.label or not node.is_leaf)


_OP_STYLE = {
    "shape": "circle",
    "style": "filled",
    "fillcolor": "#eeeeee",
    "width": "0.3",
    "fontsize": "9",
    "margin": "0",
}


def _name(node: Value) -> str:
    return node.label or "v"


def is_preactivation(node: Value) -> bool:
    return role_of(node) is Role.PREACTIVATION


def grad_text(node: Value, grad: str) -> str:
    """How a node's gradient reads: ``δ = …`` at a pre-activation, ``grad …`` elsewhere."""
    return f"δ = {grad}" if is_preactivation(node) else f"grad {grad}"


def _value_label(node: Value, grad: float, grad_cell: str, tooltip: str) -> str:
    """Label, data and gradient, one row each; the gradient's cell carries its own id (``grad_cell``)."""
    rows = []
    if node.label:
        rows.append(f"<TD><B>{escape(node.label)}</B></TD>")
    rows.append(f"<TD>data {escape(number(node.data))}</TD>")
    text = escape(grad_text(node, number(grad)))
    text = f"<B>{text}</B>" if is_preactivation(node) else text
    # Graphviz writes a cell's id into the SVG only with a tooltip (and a target, as there is no link).
    rows.append(f'<TD ID="{grad_cell}" TOOLTIP="{escape(tooltip)}" TARGET="_self">{text}</TD>')
    cells = "".join(f"<TR>{row}</TR>" for row in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>>'


def _value_style(node: Value, grad: float, scale: float) -> dict:
    style = {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": gradient_colour(grad, scale),
        "tooltip": f"{node.label or node.op or 'value'}: data = {node.data!r}, grad = {grad!r}",
    }
    if is_preactivation(node):
        style.update(style="filled", peripheries="2", penwidth="1.5")
    return style


def _group_of(node: Value) -> tuple:
    """(layer, neuron) for nodes nn marked, ("inputs",) for its inputs, () for the rest."""
    meta = node.meta or {}
    if "layer" in meta and "neuron" in meta:
        return (meta["layer"], meta["neuron"])
    if role_of(node) is Role.INPUT:
        return ("inputs",)
    return ()


def _emit_groups(dot: graphviz.Digraph, groups: dict[tuple, list[tuple[str, str, dict]]]) -> None:
    """Nodes of each neuron in a cluster, neuron clusters inside a cluster per layer."""
    for node_id, label, attrs in groups.pop((), []):
        dot.node(node_id, label, **attrs)
    inputs = groups.pop(("inputs",), [])
    if inputs:
        with dot.subgraph(name="cluster_inputs") as cluster:
            cluster.attr(label="inputs", style="rounded,dashed", color="#999999")
            for node_id, label, attrs in inputs:
                cluster.node(node_id, label, **attrs)
    layers = sorted({layer for layer, _ in groups})
    for layer in layers:
        with dot.subgraph(name=f"cluster_layer_{layer}") as layer_cluster:
            layer_cluster.attr(label=f"layer {layer}", style="rounded", color="#777777")
            for (group_layer, neuron), members in sorted(groups.items()):
                if group_layer != layer:
                    continue
                with layer_cluster.subgraph(name=f"cluster_layer_{layer}_neuron_{neuron}") as cluster:
                    cluster.attr(label=f"neuron {neuron}", style="rounded,dotted", color="#999999")
                    for node_id, label, attrs in members:
                        cluster.node(node_id, label, **attrs)
