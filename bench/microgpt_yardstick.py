"""A microgpt-style yardstick: the scalar engine and GPT that learners read first, written from
the architecture (Karpathy's microgpt, February 2026), not copied from it.

`YardstickValue` is a 40-line slots-based scalar with microgpt's operations exactly: each
operation returns ``YardstickValue(out, children, local_grads)`` with its local derivatives
computed in the forward pass; subtraction is addition of a negation, division multiplication by
a power −1; ``backward()`` is a topological sort, then ``child.grad += local_grad * v.grad``.

The model functions (`init_state`, `gpt_logits`, `document_loss`, `adam_update`) take the Value
class as an argument and use only what microgpt's model uses (``+ - * / **``, ``exp``, ``log``,
``relu``, ``.data``), so the same workload runs on this class and on ``autograd_tiny.Value``:

    state = init_state(YardstickValue, vocab_size=27, seed=42)
    loss = document_loss(state, tokens, n_head=4)
    loss.backward()

Used by the benches in this folder (time per step against it) and by the tests as an oracle for
``autograd_tiny.nn.GPT`` (the same losses and gradients from the same weights).
"""

from __future__ import annotations

import math
import random
import sys

sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))  # the recursive topological sort below


class YardstickValue:
    __slots__ = ("_children", "_local_grads", "data", "grad")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, YardstickValue) else YardstickValue(other)
        return YardstickValue(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, YardstickValue) else YardstickValue(other)
        return YardstickValue(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, k):
        return YardstickValue(self.data**k, (self,), (k * self.data ** (k - 1),))

    def log(self):
        return YardstickValue(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        e = math.exp(self.data)
        return YardstickValue(e, (self,), (e,))

    def relu(self):
        return YardstickValue(max(0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._children:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1
        for v in reversed(order):
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad


# --- the model: microgpt's architecture over any Value class --------------------------------
STATE_KEYS_PER_LAYER = ("attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2")


def init_state(value_class, vocab_size, *, n_layer=1, n_embd=16, block_size=16, std=0.08, seed=42):
    """microgpt's state dict: N(0, std²) matrices, rows [out][in], drawn in microgpt's order."""
    rng = random.Random(seed)

    def matrix(n_out, n_in):
        return [[value_class(rng.gauss(0, std)) for _ in range(n_in)] for _ in range(n_out)]

    state = {"wte": matrix(vocab_size, n_embd), "wpe": matrix(block_size, n_embd)}
    state["lm_head"] = matrix(vocab_size, n_embd)
    shapes = [(n_embd, n_embd)] * 4 + [(4 * n_embd, n_embd), (n_embd, 4 * n_embd)]
    for i in range(n_layer):
        for key, (n_out, n_in) in zip(STATE_KEYS_PER_LAYER, shapes):
            state[f"layer{i}.{key}"] = matrix(n_out, n_in)
    return state


def parameters(state):
    """Every parameter, in microgpt's order (matrix by matrix, row by row)."""
    return [p for matrix in state.values() for row in matrix for p in row]


def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits):
    shift = max(v.data for v in logits)  # microgpt's max shift: reads the numbers
    exps = [(v - shift).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x):
    mean_square = sum(xi * xi for xi in x) / len(x)
    scale = (mean_square + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def gpt_logits(state, token_id, pos_id, keys, values, *, n_head):
    """One position's logits; appends this position's keys and values to the caches."""
    n_layer = len(keys)
    x = [t + p for t, p in zip(state["wte"][token_id], state["wpe"][pos_id])]
    x = rmsnorm(x)
    head_dim = len(x) // n_head
    for li in range(n_layer):
        residual = x
        x = rmsnorm(x)
        q = linear(x, state[f"layer{li}.attn_wq"])
        keys[li].append(linear(x, state[f"layer{li}.attn_wk"]))
        values[li].append(linear(x, state[f"layer{li}.attn_wv"]))
        attended = []
        for h in range(n_head):
            lo, hi = h * head_dim, (h + 1) * head_dim
            scores = [sum(qj * kj for qj, kj in zip(q[lo:hi], k[lo:hi])) / head_dim**0.5 for k in keys[li]]
            weights = softmax(scores)
            attended += [sum(weights[t] * values[li][t][j] for t in range(len(weights))) for j in range(lo, hi)]
        x = [a + b for a, b in zip(linear(attended, state[f"layer{li}.attn_wo"]), residual)]
        residual = x
        hidden = [h.relu() for h in linear(rmsnorm(x), state[f"layer{li}.mlp_fc1"])]
        x = [a + b for a, b in zip(linear(hidden, state[f"layer{li}.mlp_fc2"]), residual)]
    return linear(x, state["lm_head"])


def document_loss(state, tokens, *, n_head=4):
    """microgpt's cost for one document: the mean over positions t < n of −log softmax(logits_t)[tokens[t+1]],
    n = min(block_size, len(tokens) − 1)."""
    n_layer = sum(1 for key in state if key.endswith(".attn_wq"))
    n = min(len(state["wpe"]), len(tokens) - 1)
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos in range(n):
        probs = softmax(gpt_logits(state, tokens[pos], pos, keys, values, n_head=n_head))
        losses.append(-probs[tokens[pos + 1]].log())
    return (1 / n) * sum(losses)


def adam_update(params, m, v, step, num_steps, *, lr=0.01, beta1=0.85, beta2=0.99, eps=1e-8):
    """microgpt's Adam: bias-corrected, ε outside the square root, lr decaying linearly to 0; zeroes grads."""
    lr_t = lr * (1 - step / num_steps)
    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        v[i] = beta2 * v[i] + (1 - beta2) * p.grad**2
        m_hat = m[i] / (1 - beta1 ** (step + 1))
        v_hat = v[i] / (1 - beta2 ** (step + 1))
        p.data -= lr_t * m_hat / (v_hat**0.5 + eps)
        p.grad = 0


def encode(name, alphabet):
    """[BOS, …, BOS] with BOS = len(alphabet), as microgpt wraps each document."""
    bos = len(alphabet)
    return [bos, *(alphabet.index(c) for c in name), bos]
