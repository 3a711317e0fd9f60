"""The explorer's GPT mode: one position's graph, its gradients revealed block by block, backwards.

Stage 1 is the cost and the logits (δ = (p − y)/n), stage 2 the last residual stream (lm_headᵀ δ),
then for each layer from the last: its MLP (with the stream before it, which the skip connection
feeds), its attention (scores, heads, q, k, v); the embeddings come last. Every number shown is
the engine's (the replayed backward's final gradients); the texts say which formula they obey.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from autograd_tiny import Value, topological_order

from . import ids
from .graph_drawing import grad_text, is_preactivation, percentile_scale, select_part
from .style import gradient_colour, number

if TYPE_CHECKING:  # type hints only: viz does not import nn at run time
    from autograd_tiny.nn import GPT, GPTTrace


def stage_data(model: GPT, trace: GPTTrace, finals: dict[Value, float], position: int) -> dict:
    """The explorer's data: each drawn node's stage, final gradient and fill, and one text per frame."""
    order = topological_order(trace.loss)
    names = ids.value_names(order)
    drawn, _, _ = select_part(order, {"position": position})
    grad_of = {node: finals.get(node, 0.0) for node in drawn}
    scale = percentile_scale(drawn, grad_of)
    stage_of = _stages(model, trace)
    nodes = {
        names[node]: {
            "element": ids.value_group(names[node]),
            "gradText": ids.svg_cell(ids.grad_cell(names[node])),
            "gradPrefix": grad_text(node, ""),
            "grad": number(grad_of[node]),
            "fill": gradient_colour(grad_of[node], scale),
            "stage": stage_of(node),
            "name": node.label or node.op,
            "data": number(node.data),
            "preactivation": is_preactivation(node),
        }
        for node in drawn
    }
    frames = _frames(model, trace, finals, position)
    for frame, node in zip(frames, _focus(model, trace, position)):
        frame["focus"] = ids.value_group(names[node]) if node is not None else None
    return {"mode": "stages", "nodes": nodes, "frames": frames}


def _focus(model: GPT, trace: GPTTrace, t: int) -> list[Value | None]:
    """The node each frame scrolls into view: the next token's logit (also before the first step, so the
    page opens on the output, not on the drawing's empty corner), the stream, z, a score, x."""
    next_logit = trace.logits[t][trace.tokens[t + 1]]
    focus: list[Value | None] = [next_logit, next_logit, trace.residual_mlp[-1][t][0]]
    for l in range(model.n_layer - 1, -1, -1):
        focus += [trace.mlp_z[l][t][0], trace.attention_scores[l][0][t][-1]]
    return [*focus, trace.embedding[t][0]]


def _stages(model: GPT, trace: GPTTrace):
    last = model.n_layer - 1
    residual_after = {node: l for l, rows in enumerate(trace.residual_attention) for row in rows for node in row}
    residual_out = {node: l for l, rows in enumerate(trace.residual_mlp) for row in rows for node in row}

    def stage_of(node: Value) -> int:
        if node in residual_out:  # the stream after layer l's MLP: read by lm_head or by layer l + 1
            l = residual_out[node]
            return 2 if l == last else 4 + 2 * (last - l - 1)
        if node in residual_after:  # the stream after attention: read by the MLP and its skip connection
            return 3 + 2 * (last - residual_after[node])
        block = (node.meta or {}).get("block", ("loss",))
        if block[0] == "mlp":
            return 3 + 2 * (last - block[1])
        if block[0] == "attention":
            return 4 + 2 * (last - block[1])
        if block[0] == "embedding":
            return 3 + 2 * model.n_layer
        return 1  # the cost and the logits

    return stage_of


def _frames(model: GPT, trace: GPTTrace, finals: dict[Value, float], t: int) -> list[dict]:
    g = lambda node: finals.get(node, 0.0)  # noqa: E731 - the engine's final gradient of a node
    n, tokens, last = trace.n_positions, trace.tokens, model.n_layer - 1
    target = tokens[t + 1]
    logits = trace.logits[t]
    top = max(z.data for z in logits)
    p = [math.exp(z.data - top) for z in logits]
    total = sum(p)
    p = [x / total for x in p]
    likely = sorted(range(len(p)), key=lambda k: -p[k])[:4]
    shown = [target, *(k for k in likely if k != target)][:5]
    frames = [
        {"stage": 0, "text": (
            f"The forward pass is done. Position {t} reads token {tokens[t]} and is scored on predicting the next "
            f"token, {target}. Every node shows its value; no gradient is known yet.\n\n"
            f"Backpropagation now goes block by block, from the cost back to the embeddings: the logits, "
            f"lm_head, then each layer's MLP and attention (the last layer first), then the embeddings.\n\n"
            f"Only position {t}'s graph is drawn; dashed boxes are values of earlier positions it reads "
            f"(their keys and values). Press → (or Next)."
        )}
    ]  # fmt: skip
    lines = [
        f"C = (1/n) Σₜ Cₜ over n = {n} positions, Cₜ = logsumexp(logitsₜ) − logitₜ[next token].",
        "δ at the logits (BP1 for softmax with cross-entropy): δ = (softmax(logits) − one_hot(next)) / n",
        "",
        *[
            f"  {logits[k].label}: p = {number(p[k])}{' − 1 (the next token)' if k == target else ''}"
            f"  → δ = {number(g(logits[k]))}"
            for k in shown
        ],
        "",
        "The δ of all logits sum to 0: the next token's δ is negative (raise it), the others' positive.",
    ]
    frames.append({"stage": 1, "text": "\n".join(lines)})
    stream = trace.residual_mlp[last][t]
    frames.append({"stage": 2, "text": "\n".join([
        f"lm_head: each coordinate xᵢ of the last residual stream feeds all {model.vocab_size} logits, so its "
        "gradient is the sum of their shares: ∂C/∂x = lm_headᵀ δ. It is a gradient, not a δ: x is no "
        "pre-activation.",
        "",
        *[f"  {x.label}: ∂C/∂x = {number(g(x))}" for x in stream[:8]],
        "" if len(stream) <= 8 else f"  … ({len(stream)} in all)",
    ])})  # fmt: skip
    for l in range(last, -1, -1):
        z, middle, out = trace.mlp_z[l][t], trace.residual_attention[l][t], trace.residual_mlp[l][t]
        active = sum(1 for zi in z if zi.data > 0)
        skip_lines = [
            f"  {m.label}: {number(g(o))} (skip) + {number(g(m) - g(o))} (through the MLP) = {number(g(m))}"
            for m, o in list(zip(middle, out))[:6]
        ]
        frames.append({"stage": 3 + 2 * (last - l), "text": "\n".join([
            f"Layer {l}, MLP: x ← x + W₂ relu(z), z = W₁ rmsnorm(x).",
            f"δ at z (BP2): δ = (W₂ᵀ g) ⊙ relu′(z), with g the gradient of the stream after the block. "
            f"relu′ is 1 where z > 0: {active} of {len(z)} neurons are active; the others get δ = 0.",
            "",
            *[f"  {zi.label}: z = {number(zi.data)}, δ = {number(g(zi))}" for zi in z[:8]],
            "",
            "The stream before the block receives g unchanged through the skip connection, plus what comes "
            "back through W₁ and rmsnorm: that sum is why deep stacks of blocks still train.",
            *skip_lines,
        ])})  # fmt: skip
        head_lines = []
        for h in range(model.n_head):
            scores, weights = trace.attention_scores[l][h][t], trace.attention_weights[l][h][t]
            head_lines.append(f"  head {h}:")
            head_lines += [f"    {s.label}: α = {number(a.data)}, δ = {number(g(s))}" for s, a in zip(scores, weights)]
        frames.append({"stage": 4 + 2 * (last - l), "text": "\n".join([
            f"Layer {l}, attention: score = q·k/√{model.head_dim}, α = softmax(scores) (one logsumexp node), "
            "head output = Σₛ αₛ vₛ.",
            "δ at the scores (the softmax's Jacobian): δₛ = αₛ (βₛ − Σᵣ αᵣβᵣ), βₛ = ∂C/∂αₛ = (∂C/∂head)·vₛ. "
            "They sum to 0 over s.",
            "",
            *head_lines,
            "",
            "q receives Σₛ δₛ kₛ/√d; the keys and values of earlier positions (dashed) receive this "
            "position's shares too.",
        ])})  # fmt: skip
    emb = [node for node in topological_order(trace.embedding[t]) if node.label.startswith(f"emb[{t}]")]
    frames.append({"stage": 3 + 2 * model.n_layer, "text": "\n".join([
        f"Embeddings: x = rmsnorm(wte[{tokens[t]}] + wpe[{t}]). The gradient at each sum flows, unchanged, "
        f"into row {tokens[t]} of wte and row {t} of wpe (rows other tokens and positions use get nothing "
        "from this position).",
        "",
        *[f"  {e.label}: ∂C/∂emb = {number(g(e))}" for e in emb[:8]],
    ])})  # fmt: skip
    return frames
