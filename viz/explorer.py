"""backward_explorer: one self-contained HTML page that plays the backward pass step by step.

Frame 0 shows the forward values with every gradient blank. Each step processes one node in
the engine's own reverse topological order: the node is highlighted, its gradient becomes
final, and what it sends to its inputs (local derivative × its gradient) appears on the edges
and in the inputs' running sums. The last frame shows the same numbers as ``draw_graph`` after
``backward``. A network-level mode plays an ``nn`` model layer by layer: δᴸ first (BP1), then
each δˡ from δˡ⁺¹ (BP2), with the weights' gradients (BP4) appearing as each layer completes.

No network, no CDN, no server: inline SVG (from Graphviz), CSS and a small plain script.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING

from autograd_tiny import Value
from autograd_tiny.atomic import write_atomic

from . import gpt_stages, ids
from .backward_replay import Step, replay
from .graph_drawing import GraphTooLargeError, colour_scale, draw_graph, grad_text, is_preactivation
from .inline import Explorer
from .network import draw_network
from .output import to_svg
from .page import self_contained_page
from .style import gradient_colour, largest_magnitude, number

MAX_EDGE_LABELS = 60  # the layer-by-layer page labels edges with ∂C/∂w only up to this many weights

if TYPE_CHECKING:  # viz reads nn's types for its hints only: at run time it needs no import of nn
    from autograd_tiny.nn import GPT, MLP, GPTTrace, Trace


def backward_explorer(
    root: Value,
    path: str | os.PathLike | None = None,
    *,
    model: MLP | GPT | None = None,
    trace: Trace | GPTTrace | None = None,
    max_nodes: int = 400,
    title: str | None = None,
    interval_ms: int = 700,
    position: int = 0,
) -> Path | Explorer:
    """The explorer for the backward pass from ``root``: written to ``path`` (atomically, and the
    path is returned), or without a path an ``Explorer`` that shows itself inline in Jupyter and
    has ``.save(path)``.

    Node by node by default. With ``model`` and ``trace`` (the forward pass that ``root``,
    a cost, was built from) it plays the network layer by layer instead; for a GPT (``nn.GPT``
    and its ``GPTTrace``) block by block on one ``position``'s graph: δ at the logits first, then
    back through lm_head, each layer's MLP and attention, to the embeddings, with that position's
    numbers. The graph is only read: nothing in it changes.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_explorer needs a Value, got {type(root).__name__}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}")
    if isinstance(interval_ms, bool) or not isinstance(interval_ms, int | float) or not interval_ms > 0:
        raise ValueError(f"interval_ms must be a positive number of milliseconds, got {interval_ms!r}")
    steps = replay(root)
    finals = {step.node: step.grad for step in steps}  # what backward would leave in .grad
    if model is None:
        if len(steps) > max_nodes:
            raise GraphTooLargeError(
                f"the graph has {len(steps):,} nodes, more than max_nodes={max_nodes:,}: a step-by-step "
                f"replay of that many is hard to follow; use a smaller network, pass model= and trace= "
                f"for the layer-by-layer mode, or raise max_nodes"
            )
        data = _graph_data(root, steps, finals)
        svg = to_svg(draw_graph(root, show_local_grads=True, max_nodes=max_nodes, grads=finals))
        heading = title or "Backpropagation, node by node"
    elif _is_gpt_trace(trace):
        _check_gpt_pair(model, trace, finals, position)
        data = gpt_stages.stage_data(model, trace, finals, position)
        svg = to_svg(draw_graph(root, position=position, grads=finals, max_nodes=20_000))
        heading = title or f"Backpropagation through a GPT, block by block (position {position})"
    else:
        if trace is None:
            raise ValueError(
                "the layer-by-layer mode needs the trace too: backward_explorer(cost, path, model=m, trace=t)"
            )
        if _is_gpt(model):
            raise ValueError(
                f"model= is a GPT but trace= is a {type(trace).__name__}, not its GPTTrace: pass the trace "
                f"model.trace(tokens) gave"
            )
        data = _network_data(model, trace, finals)
        n_weights = sum(len(n.w) for layer in model.layers for n in layer.neurons)
        labels = n_weights <= MAX_EDGE_LABELS  # more labels than this swamp the drawing
        svg = to_svg(draw_network(model, trace, show_weight_grads=labels, grads=finals))
        heading = title or "Backpropagation, layer by layer"
    data["interval"] = int(interval_ms)
    page = _page(heading, svg, data)
    frames = len(data["steps"]) if data["mode"] == "graph" else len(data["frames"]) - 1  # after the forward pass
    return Explorer(page, heading, frames) if path is None else write_atomic(path, page)


# viz imports nn for type hints only (ARCHITECTURE.md; tests/test_layers.py holds it to that), so it
# recognises nn's GPT and GPTTrace by what they have, not with isinstance: these two say how, once.
def _is_gpt(model: object) -> bool:
    """An ``nn.GPT``: its heads and layers (an MLP has neither)."""
    return hasattr(model, "n_head") and hasattr(model, "n_layer")


def _is_gpt_trace(trace: object) -> bool:
    """An ``nn.GPTTrace``: the attention scores of each layer and head (an MLP's Trace has none)."""
    return hasattr(trace, "attention_scores")


def _check_gpt_pair(model: GPT, trace: GPTTrace, finals: dict[Value, float], position: object) -> None:
    """ValueErrors unless ``model`` is the GPT whose forward pass ``trace`` recorded, ``trace`` is part of the
    cost's graph (``finals`` holds its gradients) and ``position`` is one of the trace's positions."""
    if not _is_gpt(model):
        raise ValueError(
            f"trace= is a GPT's trace but model= is {type(model).__name__!r}, not a GPT: pass the GPT the trace "
            f"came from"
        )
    layers, heads = len(trace.attention_scores), len(trace.attention_scores[0]) if trace.attention_scores else 0
    if (model.n_layer, model.n_head) != (layers, heads):
        raise ValueError(
            f"the model has n_layer={model.n_layer} and n_head={model.n_head} but the trace was recorded with "
            f"n_layer={layers} and n_head={heads}: pass the GPT the trace came from"
        )
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < trace.n_positions:
        raise ValueError(
            f"position must be an integer from 0 to {trace.n_positions - 1} (one of the document's positions), "
            f"got {position!r}"
        )
    if trace.loss not in finals:
        raise ValueError(
            f"the trace is not part of the cost's graph (its loss {trace.loss.label} is not reached from it): pass "
            f"the trace whose loss the cost is, backward_explorer(trace.loss, model=model, trace=trace)"
        )
    if model.lm_head[0][0] not in finals:
        raise ValueError(
            f"the model is not the one the cost was built from ({model.lm_head[0][0].label} is not reached from "
            f"it): pass the GPT whose trace this is"
        )


def _name(node: Value) -> str:
    """A label, or a short formula for an unlabelled node: (w * x), tanh(z), constant 2."""
    if node.label:
        return node.label
    if not node.op:
        return f"constant {number(node.data)}"
    names = [child.label or ("…" if child.op else number(child.data)) for child in node.inputs]
    if len(names) == 2 and node.op in "+-*/**":
        return f"({names[0]} {node.op} {names[1]})"
    return f"{node.op}({', '.join(names) if len(names) <= 3 else names[0] + ', …'})"


def _graph_data(root: Value, steps: list[Step], finals: dict[Value, float]) -> dict:
    order = [step.node for step in reversed(steps)]  # the engine's topological order
    names = ids.value_names(order)  # the same names as draw_graph
    scale = colour_scale(order, finals)  # the same scale as draw_graph, so the last frame matches it
    nodes = {}
    for node in order:
        nodes[names[node]] = {
            "element": ids.value_group(names[node]),
            "gradText": ids.svg_cell(ids.grad_cell(names[node])),
            "gradPrefix": grad_text(node, ""),
            "name": _name(node),
            "op": node.op,
            "data": number(node.data),
            "preactivation": is_preactivation(node),
            "locals": [
                {"input": _name(child), "value": number(local)} for child, local in zip(node.inputs, node.local_grads())
            ],
        }
    step_data = []
    for k, step in enumerate(steps, start=1):
        step_data.append({
            "node": names[step.node],
            "grad": number(step.grad),
            "exact": step.grad,
            "fill": gradient_colour(step.grad, scale),
            "text": f"Step {k} of {len(steps)}\n\n" + _explain(step, root),
            "sends": [
                {
                    "edge": ids.input_edge(names[c.source], c.position),
                    "target": names[c.target],
                    "label": f"{number(c.local)} × {number(c.grad)} = {number(c.amount)}",
                    "running": number(c.running),
                }
                for c in step.sent
            ],
        })  # fmt: skip
    intro = (
        "The forward pass is done: every node shows its value; no gradient is known yet.\n\n"
        "backward() now visits the nodes in reverse topological order, starting at the output. "
        "At each node the gradient is complete (all its consumers have sent their share), and the "
        "node sends local derivative × gradient to each of its inputs.\n\n"
        "Press → (or Next) to take the first step."
    )
    return {"mode": "graph", "nodes": nodes, "steps": step_data, "intro": intro}


def _explain(step: Step, root: Value) -> str:
    node, name = step.node, _name(step.node)
    what = "δ = ∂C/∂z" if is_preactivation(node) else f"∂{_name(root)}/∂{name}"
    if node is root:
        lines = [f"{name} is the output: backward starts here with {what} = {number(step.grad)}."]
    elif not step.received:
        lines = [f"{name}: nothing depends on it on the way to the output, so its gradient is 0."]
    else:
        lines = [f"{name} is complete: {what} is the sum of what its consumers sent:"]
        lines += [
            f"  from {_name(c.source)}: ∂{_name(c.source)}/∂{name} × grad = {number(c.local)} × {number(c.grad)}"
            f" = {number(c.amount)}"
            for c in step.received
        ]
        lines.append(f"  total: {number(step.grad)}")
        if is_preactivation(node) and len(step.received) == 1 and step.received[0].source.op:
            c = step.received[0]
            lines.append(
                f"\n{name}: δ = ∂C/∂a · σ′(z) = {number(c.grad)} × {number(c.local)} = {number(step.grad)}"
                f"  ({_name(c.source)} = {c.source.op}({name}))"
            )
    if node.is_leaf:
        lines.append("\nA leaf (an input, a weight, a bias or a constant): nothing to send on.")
    else:
        lines.append(f"\n{name} sends local derivative × {number(step.grad)} to each of its inputs:")
        lines += [
            f"  {_name(c.target)} += {number(c.local)} × {number(c.grad)} = {number(c.amount)}"
            f"  (running sum {number(c.running)})"
            for c in step.sent
        ]
    return "\n".join(lines)


def _network_data(model: MLP, trace: Trace, finals: dict[Value, float]) -> dict:
    missing = [z for layer in trace.z for z in layer if z not in finals]
    if missing:
        raise ValueError(f"the trace is not part of the cost's graph ({missing[0].label} is not reached from it)")
    foreign = [w for layer in model.layers for neuron in layer.neurons for w in neuron.w if w not in finals]
    if foreign:
        raise ValueError(
            f"the model is not the one the cost was built from ({foreign[0].label} is not reached from it): "
            f"pass the model whose trace this is"
        )
    deltas = {(l, j): finals[z] for l, layer in enumerate(trace.z) for j, z in enumerate(layer)}
    scale = largest_magnitude(deltas.values())
    n_layers = len(model.layers)
    neurons = {
        ids.neuron_group(l + 1, j): {
            "deltaText": ids.svg_cell(ids.delta_cell(l + 1, j)),
            "layer": l + 1,
            "delta": number(d),
            "exact": d,
            "fill": gradient_colour(d, scale),
        }
        for (l, j), d in deltas.items()
    }
    weights = {
        ids.weight_edge(l + 1, j, i): {"layer": l + 1, "grad": number(finals.get(w, 0.0)), "exact": finals.get(w, 0.0)}
        for l, layer in enumerate(model.layers)
        for j, neuron in enumerate(layer.neurons)
        for i, w in enumerate(neuron.w)
    }
    frames = [{"layer": None, "text": (
        "The forward pass is done: each neuron shows z = w·a + b and a = σ(z). No δ is known yet.\n\n"
        "Backpropagation now computes δ = ∂C/∂z layer by layer, from the output back to the input:\n"
        "  BP1  δᴸ = ∇ₐC ⊙ σ′(zᴸ)\n  BP2  δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)\n"
        "  BP3  ∂C/∂bˡ = δˡ\n  BP4  ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ\n\nPress → (or Next) for the output layer."
    )}]  # fmt: skip
    for l in range(n_layers - 1, -1, -1):
        frames.append({"layer": l + 1, "text": _explain_layer(model, trace, finals, deltas, l, n_layers)})
    return {"mode": "network", "neurons": neurons, "weights": weights, "frames": frames}


def _explain_layer(model: MLP, trace: Trace, finals: dict, deltas: dict, l: int, n_layers: int) -> str:
    """δ of each neuron of layer l + 1 as ∂C/∂a · σ′(z), both numbers read from the engine's pass:
    ∂C/∂a is a's gradient (in a hidden layer the engine summed Σₖ wₖⱼ δₖ into it), σ′(z) the
    local derivative of a = σ(z)."""
    layer_number = l + 1
    lines = []
    for j, z in enumerate(trace.z[l]):
        a = trace.a[l][j]
        sigma_prime = a.local_grads()[0] if a is not z else 1.0
        grad_a = finals.get(a, 0.0)  # a is z for a linear neuron: then ∂C/∂a is δ itself
        terms = f"{number(grad_a)} × {number(sigma_prime)} = {number(deltas[(l, j)])}"
        upstream = "∂C/∂a" if l == n_layers - 1 else "(Σₖ wₖⱼ δₖ = ∂C/∂a)"
        lines.append(f"  δ[{layer_number}][{j}] = {upstream} · σ′(z) = {terms}")
    here, above = _superscript(layer_number), _superscript(layer_number + 1)
    equation = "BP1  δᴸ = ∇ₐC ⊙ σ′(zᴸ)" if l == n_layers - 1 else f"BP2  δ{here} = ((W{above})ᵀ δ{above}) ⊙ σ′(z{here})"
    weights = [w for n in model.layers[l].neurons for w in n.w]
    largest = sorted(weights, key=lambda w: -abs(finals.get(w, 0.0)))[:6]
    where = "on the edges" if len(weights) <= 6 else "on the edges (hover one for its value); the largest"
    return "\n".join([
        f"Layer {layer_number} of {n_layers}: {equation}", "", *lines, "",
        f"BP3 and BP4: with δ known, the layer's {len(trace.z[l])} bias gradients (∂C/∂b = δ) and "
        f"{len(weights)} weight gradients (∂C/∂w = δ · a of the neuron the edge comes from) are known, "
        f"{where}:",
        *[f"  ∂C/∂{w.label} = {number(finals.get(w, 0.0))}" for w in largest],
    ])  # fmt: skip


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _page(heading: str, svg: str, data: dict) -> str:
    svg_body = svg[svg.index("<svg") :]  # drop the XML prologue and doctype: the SVG sits inside HTML
    body = f"""<div id="main">
<header>
<h1>{html.escape(heading)}</h1>
<button id="prev" title="previous step (←)">◀ Prev</button>
<button id="play" title="play / pause (space)">Play</button>
<button id="next" title="next step (→)">Next ▶</button>
<input id="slider" type="range" min="0" max="0" value="0" aria-label="step">
<span id="frame">step 0</span>
<button id="zoom" title="fit the drawing to the window, or show it at full size">1:1</button>
</header>
<div id="drawing">
{svg_body}
</div>
</div>
<aside>
<h2>This step</h2>
<div id="explanation"></div>
<h2>Selected node</h2>
<div id="details">Click a node to see its value, gradient, operation and local derivatives.</div>
<p id="keys">Keys: → next, ← previous, space play/pause, Home/End first/last.</p>
</aside>"""
    return self_contained_page(
        title=heading, asset="explorer", body_class=data["mode"], body=body, data_id="explorer-data", data=data
    )
