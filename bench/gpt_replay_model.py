"""microgpt's GPT written so that ``vectorize`` can replay it: the yardstick's architecture on
``autograd_tiny`` Values, with its n-ary nodes and without reading any number.

Differences from ``microgpt_yardstick.document_loss``, none of which changes the model:

- products and sums are ``at.dot`` / ``at.sum`` nodes (one node per neuron, not one per term);
- the token embedding is ``at.embedding(wte, token)`` and the target's logit
  ``at.select(logits, next_token)``: with int tokens that is plain indexing, with Value tokens
  (a replay's placeholders) ``select`` nodes, so the graph is the same for every name;
- softmax and cross-entropy without microgpt's max shift (it reads ``.data``):
  −log softmax(l)[y] = log Σₖ exp(lₖ) − l_y. With N(0, 0.08²) weights the logits stay far
  from exp's overflow, and the shift changes the result only by rounding.

``state`` is ``microgpt_yardstick.init_state(autograd_tiny.Value, …)``'s dict of matrices.
"""

from __future__ import annotations

import autograd_tiny as at


def linear(x, w):
    return [at.dot(row, x) for row in w]


def rmsnorm(x):
    scale = (at.dot(x, x) * (1.0 / len(x)) + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def softmax(scores):
    exps = [s.exp() for s in scores]
    total = at.sum(exps)
    return [e / total for e in exps]


def gpt_logits(state, token, pos, keys, values, *, n_head):
    """One position's logits (``token`` an int or a Value); appends this position's keys and values."""
    x = [t + p for t, p in zip(at.embedding(state["wte"], token), state["wpe"][pos])]
    x = rmsnorm(x)
    head_dim = len(x) // n_head
    for li in range(len(keys)):
        residual = x
        x = rmsnorm(x)
        q = linear(x, state[f"layer{li}.attn_wq"])
        keys[li].append(linear(x, state[f"layer{li}.attn_wk"]))
        values[li].append(linear(x, state[f"layer{li}.attn_wv"]))
        attended = []
        for h in range(n_head):
            lo, hi = h * head_dim, (h + 1) * head_dim
            scores = [at.dot(q[lo:hi], k[lo:hi]) / head_dim**0.5 for k in keys[li]]
            weights = softmax(scores)
            attended += [at.dot(weights, [v[j] for v in values[li]]) for j in range(lo, hi)]
        x = [a + b for a, b in zip(linear(attended, state[f"layer{li}.attn_wo"]), residual)]
        residual = x
        hidden = [h.relu() for h in linear(rmsnorm(x), state[f"layer{li}.mlp_fc1"])]
        x = [a + b for a, b in zip(linear(hidden, state[f"layer{li}.mlp_fc2"]), residual)]
    return linear(x, state["lm_head"])


def position_losses(state, tokens, *, n_head=4):
    """−log softmax(logits_t)[tokens[t+1]] for each position t < n = min(block_size, len(tokens) − 1);
    ``tokens`` ints, or Values holding whole numbers. Causal: loss t reads tokens 0 … t + 1 only."""
    n_layer = sum(1 for key in state if key.endswith(".attn_wq"))
    n = min(len(state["wpe"]), len(tokens) - 1)
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos in range(n):
        logits = gpt_logits(state, tokens[pos], pos, keys, values, n_head=n_head)
        losses.append(at.sum([z.exp() for z in logits]).log() - at.select(logits, tokens[pos + 1]))
    return losses


def document_loss(state, tokens, *, n_head=4):
    """microgpt's cost for one document: the mean of ``position_losses``."""
    losses = position_losses(state, tokens, n_head=n_head)
    return at.sum(losses) * (1.0 / len(losses))
