"""draw_graph: the computation graph the engine recorded, with value, gradient and δ.

It only reads the graph (``topological_order``, ``data``, ``grad``, ``label``, ``op``,
``inputs``, ``local_grads()``, ``meta``); it never changes it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

import graphviz
import numpy as np

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
    position: int | None = None,
    layer: int | None = None,
    block: str | None = None,
    head: int | None = None,
    show_parameters: bool | None = None,
) -> graphviz.Digraph:
    """Draw every Value below ``root`` (inclusive) once, each showing label, data and grad.

    An operation is a small circle between its inputs and its output. Pre-activation nodes
    (marked by ``autograd_tiny.nn``) have a double border and the line ``δ = ∂C/∂z``. The fill
    encodes the gradient (see the legend). With ``show_local_grads`` each input edge carries
    the local derivative ∂out/∂in, so grad(in) += local × grad(out) can be read off. Graphs
    built by ``nn`` are grouped into a cluster per layer and neuron. ``grads`` overrides the
    gradient shown for the nodes it holds (default: each node's ``.grad``).

    A GPT's graph (``nn.GPT``) is grouped per position, per block (embedding, attention and MLP
    of each layer, lm_head, cost) and per head; its weights and constants are not drawn (each
    operation names the weight row it reads; ``show_parameters=True`` draws them), and the fill
    is scaled by the 95th percentile of |grad|, so a few large gradients cannot wash out the rest.
    ``position``, ``layer``, ``block`` (``"embedding"``, ``"attention"``, ``"mlp"``, ``"lm_head"``,
    ``"loss"``) and ``head`` draw only that part, with the values it reads from outside it
    (dashed): ``draw_graph(loss, position=1, block="attention", head=0)``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph needs a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    every_node = topological_order(root)
    is_gpt = any(node.meta is not None and "position" in node.meta for node in every_node)
    part = {"position": position, "layer": layer, "block": block, "head": head}
    part = {key: value for key, value in part.items() if value is not None}
    if part and not is_gpt:
        raise ValueError(
            f"{', '.join(f'{k}=' for k in part)} draw a part of a GPT's graph (nodes nn.GPT marks); this graph has none"
        )
    nodes, outside, hidden = select_part(every_node, part, show_parameters=bool(show_parameters))
    if len(nodes) > max_nodes:
        what = f"the part {part}" if part else "the graph"
        if show_parameters:
            what += " with its parameters"
        if not is_gpt:
            advice = "draw the network instead with draw_network(model, trace)"
        elif part or show_parameters:
            advice = "draw a smaller part (add position=, block=, layer=, head=)" + (
                " or pass show_parameters=False (the weights not drawn)" if show_parameters else ""
            )
        else:
            advice = "draw a part of it: draw_graph(loss, position=0), or with block='attention', layer=0, head=0"
        raise GraphTooLargeError(
            f"{what} has {len(nodes):,} nodes, more than max_nodes={max_nodes:,}: {advice}, or pass a larger "
            f"max_nodes (Graphviz gets slow past a few thousand)"
        )
    names = ids.value_names(every_node)
    grad_of = {node: grads.get(node, node.grad) if grads is not None else node.grad for node in nodes}
    scale = percentile_scale(nodes, grad_of) if is_gpt else colour_scale(nodes, grad_of)

    dot = Drawing("computation_graph")
    dot.attr(rankdir=rankdir, fontname=FONT, newrank="true", nodesep="0.15", ranksep="0.3")
    dot.attr("node", fontname=FONT, fontsize="10")
    dot.attr("edge", fontname=FONT, fontsize="9", color="#555555", arrowsize="0.6")

    groups: dict[tuple, list[tuple[str, str, dict]]] = defaultdict(list)
    drawn_positions: set[tuple] = set()  # GPT positions with a node inside the part drawn
    for node in nodes:
        group = _gpt_group_of(node) if is_gpt else _group_of(node)
        name, style = names[node], _value_style(node, grad_of[node], scale)
        if node in outside:
            style.update(style="rounded,dashed,filled", color="#888888")
        else:
            drawn_positions.add(group[:1])
        label = _value_label(node, grad_of[node], ids.grad_cell(name), style["tooltip"])
        groups[group].append((name, label, {**style, "id": ids.value_group(name)}))
        if not node.is_leaf and node not in outside:
            op_label, op_style = escape(node.op), _OP_STYLE
            if hidden and any(child in hidden for child in node.inputs):
                op_label, op_style = escape(_op_text(node, hidden)), _NAMED_OP_STYLE
            groups[group].append((ids.op_node(name), op_label, {**op_style, "id": ids.op_group(name)}))
    if is_gpt:
        read_only = {group[0] for group in groups if group and group[:1] not in drawn_positions}
        _emit_gpt_groups(dot, groups, read_only)
    else:
        _emit_groups(dot, groups)

    for node in nodes:
        if node.is_leaf or node in outside:
            continue
        op_node = ids.op_node(names[node])
        local = node.local_grads() if show_local_grads else [None] * len(node.inputs)
        for k, (child, local_grad) in enumerate(zip(node.inputs, local)):
            if child in hidden:
                continue
            attrs = {"id": ids.input_edge(names[node], k)}
            if local_grad is not None:
                attrs["label"] = f"∂={number(local_grad)}"
                attrs["tooltip"] = f"∂{_name(node)}/∂{_name(child)} = {local_grad!r}"
            dot.edge(names[child], op_node, **attrs)
        dot.edge(op_node, names[node], id=ids.output_edge(names[node]))

    if is_gpt:
        rows = [
            f"fill: the gradient ∂C/∂v (purple < 0 < orange), full colour at |grad| ≥ {number(scale)}, the "
            f"{SCALE_PERCENTILE}th percentile of |grad| (larger ones saturate)",
            "double border: a pre-activation (attention score, MLP z, logit), where grad is δ = ∂C/∂z",
            "circle: the operation that made the value; ·Wq[3] = the dot product with row 3 of Wq (weights not drawn)",
        ]
        if outside:
            rows.append("dashed border: a value from outside the part drawn, which this part reads")
    else:
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


SCALE_PERCENTILE = 95


def percentile_scale(nodes: list[Value], grad_of: Mapping[Value, float]) -> float:
    """The 95th percentile of |gradient| over the drawn non-constants (their largest if that is 0):
    a GPT's few large gradients (at the cost, the logits) would otherwise bleach every δ inside."""
    magnitudes = [abs(grad_of[node]) for node in nodes if node.label or not node.is_leaf]
    finite = [m for m in magnitudes if math.isfinite(m)]
    if not finite:
        return 0.0
    scale = float(np.percentile(finite, SCALE_PERCENTILE))
    return scale if scale > 0 else max(finite)


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


_NAMED_OP_STYLE = {**_OP_STYLE, "shape": "ellipse", "width": "0.3", "height": "0.3", "fontsize": "8"}
BLOCK_TITLES = {"embedding": "embedding", "attention": "attention", "mlp": "MLP", "lm_head": "lm_head", "loss": "cost"}
SHORT_MATRIX = {"attn_wq": "Wq", "attn_wk": "Wk", "attn_wv": "Wv", "attn_wo": "Wo", "mlp_fc1": "W1", "mlp_fc2": "W2"}


def select_part(
    every_node: list[Value], part: Mapping[str, object], *, show_parameters: bool = False
) -> tuple[list[Value], set[Value], set[Value]]:
    """What ``draw_graph`` draws of a graph (its nodes in topological order): (the nodes drawn, those of
    them outside ``part`` that the part reads, the nodes left out). Only a GPT's graph has parts and
    leaves nodes out (its weights and constants, unless ``show_parameters``)."""
    is_gpt = any(node.meta is not None and "position" in node.meta for node in every_node)
    hidden = _hidden(every_node) if is_gpt and not show_parameters else set()
    nodes, outside = _select(every_node, hidden, dict(part))
    return nodes, outside, hidden


def _hidden(nodes: list[Value]) -> set[Value]:
    """A GPT's parameters (thousands of leaves) and its constants, which draw_graph leaves out."""
    return {node for node in nodes if node.is_leaf and (not node.label or (node.meta or {}).get("matrix"))}


def _select(nodes: list[Value], hidden: set[Value], part: dict) -> tuple[list[Value], set[Value]]:
    """(the nodes to draw, in order; those of them outside ``part`` that the part reads)."""
    visible = [node for node in nodes if node not in hidden]
    if not part:
        return visible, set()
    inside = {node for node in visible if _in_part(node, part)}
    if not inside:
        raise ValueError(f"no node of the graph is in the part {part}: {_parts_available(visible)}")
    outside = {child for node in inside for child in node.inputs if child not in inside and child not in hidden}
    return [node for node in visible if node in inside or node in outside], outside


def _in_part(node: Value, part: dict) -> bool:
    meta = node.meta or {}
    block = meta.get("block", ())
    found = {"position": meta.get("position"), "block": block[:1] and block[0], "layer": block[1:2] and block[1],
             "head": meta.get("head")}  # fmt: skip
    return all(found[key] == value for key, value in part.items())


def _parts_available(nodes: list[Value]) -> str:
    """The parts there are: positions, blocks, layers and heads."""
    metas = [n.meta for n in nodes if n.meta and "position" in n.meta]
    positions = sorted({meta["position"] for meta in metas})
    blocks = sorted({meta["block"][0] for meta in metas if "block" in meta})
    layers = sorted({meta["block"][1] for meta in metas if len(meta.get("block", ())) > 1})
    heads = sorted({meta["head"] for meta in metas if meta.get("head") is not None})
    return (
        f"the graph has positions {positions[0]} to {positions[-1]}, blocks {', '.join(blocks)}, "
        f"layers {', '.join(map(str, layers))} and heads {', '.join(map(str, heads))}"
    )


def _op_text(node: Value, hidden: set[Value]) -> str:
    """The operation with what it reads that is not drawn: ·Wq[3] for a weight row, the constant's number."""
    parts = [node.op]
    for child in node.inputs:
        if child not in hidden:
            continue
        meta = child.meta or {}
        if meta.get("matrix") in ("wte", "wpe"):  # an embedding row, added
            text = f"{meta['matrix']}[{meta['row']}]"
        elif meta.get("matrix"):  # a weight row, in a dot product
            key = meta["matrix"].split(".")[-1]
            text = f"·{SHORT_MATRIX.get(key, key)}[{meta['row']}]"
        else:
            text = number(child.data)
        if text not in parts:
            parts.append(text)
    return " ".join(parts)


def _gpt_group_of(node: Value) -> tuple:
    """(position, block, head) for a GPT's nodes, () for the rest (the cost)."""
    meta = node.meta or {}
    if "position" not in meta:
        return ()
    return (meta["position"], meta.get("block", ()), meta.get("head"))


def _emit_gpt_groups(
    dot: graphviz.Digraph, groups: dict[tuple, list[tuple[str, str, dict]]], read_only: set[int]
) -> None:
    """A cluster per position, inside it one per block, inside an attention block one per head.

    The positions a part only reads from (``read_only``: earlier keys and values) go together in an invisible
    cluster, drawn before the part: otherwise Graphviz puts the part between them (fewer edges cross a
    cluster), and the positions read 0, 2, 1 down the page."""
    for node_id, label, attrs in groups.pop((), []):
        dot.node(node_id, label, **attrs)
    positions = sorted({key[0] for key in groups})
    earlier = [position for position in positions if position in read_only]
    if earlier and len(earlier) < len(positions):
        with dot.subgraph(name="cluster_positions_read") as wrapper:
            wrapper.attr(label="", style="invis")
            for position in earlier:
                _emit_position(wrapper, position, groups)
        positions = [position for position in positions if position not in read_only]
    for position in positions:
        _emit_position(dot, position, groups)


def _emit_position(parent: graphviz.Digraph, position: int, groups: dict[tuple, list[tuple[str, str, dict]]]) -> None:
    with parent.subgraph(name=f"cluster_position_{position}") as position_cluster:
        position_cluster.attr(label=f"position {position}", style="rounded", color="#555555", fontsize="14")
        blocks = sorted({key[1] for key in groups if key[0] == position}, key=_block_order)
        for block in blocks:
            name = "_".join(map(str, block))
            with position_cluster.subgraph(name=f"cluster_position_{position}_{name}") as block_cluster:
                title = BLOCK_TITLES.get(block[0], block[0]) if block else ""
                title = f"layer {block[1]} {title}" if len(block) > 1 else title
                block_cluster.attr(label=title, style="rounded", color="#888888", fontsize="12")
                for key in sorted(
                    (k for k in groups if k[:2] == (position, block)), key=lambda k: (k[2] is not None, k[2] or 0)
                ):
                    if key[2] is None:
                        for node_id, label, attrs in groups[key]:
                            block_cluster.node(node_id, label, **attrs)
                        continue
                    with block_cluster.subgraph(name=f"cluster_position_{position}_{name}_head_{key[2]}") as cluster:
                        cluster.attr(label=f"head {key[2]}", style="rounded,dotted", color="#999999", fontsize="10")
                        for node_id, label, attrs in groups[key]:
                            cluster.node(node_id, label, **attrs)


def _block_order(block: tuple) -> tuple:
    order = {"embedding": 0, "attention": 1, "mlp": 2, "lm_head": 3, "loss": 4}
    return (block[1] if len(block) > 1 else (-1 if block[:1] == ("embedding",) else 1_000), order.get(block[0], 5))


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
