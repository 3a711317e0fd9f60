"""check_gpt_backprop: a GPT's graph gradients against δ computed by hand in NumPy.

From the forward pass's numbers (the trace) and the weights, for one document of n positions, the
last layer L and each position t (rows are positions):

    logits      δ_t = (softmax(logits_t) − e_{next token}) / n             BP1, softmax with cross-entropy
    lm_head     ∂C/∂W = Σ_t δ_t x_tᵀ                                       BP4
    stream out  g_t = lm_headᵀ δ_t                                          the last residual stream
    mlp_fc2     ∂C/∂W₂ = Σ_t g_t relu(z_t)ᵀ
    MLP z       δᶻ_t = (W₂ᵀ g_t) ⊙ relu′(z_t)                              BP2
    mlp_fc1     ∂C/∂W₁ = Σ_t δᶻ_t rmsnorm(m_t)ᵀ
    stream mid  ∂C/∂m_t = g_t + rmsnorm′(m_t)ᵀ W₁ᵀ δᶻ_t                    the skip connection adds g_t unchanged
    scores      δ_s = αₛ (βₛ − Σᵣ αᵣ βᵣ),  βₛ = (Woᵀ ∂C/∂m_t)_head · v_s     the softmax's Jacobian, per head

with m_t the residual stream after layer L's attention, z_t its MLP's pre-activations, x_t the
stream after its MLP, α a head's attention weights. rmsnorm′ᵀ g = s g − (s³/d)(x·g) x for
y = s x, s = (mean(x²) + ε)^(−1/2). Every formula is independent of the graph, so a wrong local
derivative anywhere on these paths (the softmax's, relu's, rmsnorm's) shows up as a difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from autograd_tiny.comparison import Comparison, Tolerance
from autograd_tiny.table import Report, Table

from .gpt import GPT, RMS_EPS, GPTTrace
from .validate import check_number


@dataclass(frozen=True)
class GradientComparison:
    """One quantity: the graph's gradients next to the formula's."""

    name: str  # what is compared, e.g. "δ at the logits"
    equation: str  # how the formula computes it
    graph: np.ndarray
    formula: np.ndarray
    comparison: Comparison  # the graph's (yours) against the formula's (the reference)


@dataclass(frozen=True, repr=False)
class GPTBackpropCheck(Report):
    """Truthy when every comparison is within the tolerance; ``str()`` is a text table, Jupyter shows HTML."""

    comparisons: tuple[GradientComparison, ...]
    cost: float
    tolerance: Tolerance

    def passed(self, comparison: GradientComparison) -> bool:
        return comparison.comparison.passed

    def __bool__(self) -> bool:
        return all(self.passed(c) for c in self.comparisons)

    def __getitem__(self, name: str) -> GradientComparison:
        for comparison in self.comparisons:
            if comparison.name == name:
                return comparison
        raise KeyError(f"no comparison named {name!r}: {', '.join(c.name for c in self.comparisons)}")

    def heading(self) -> str:
        verdict = "passed" if self else "FAILED"
        return (
            f"check_gpt_backprop {verdict}: graph gradients vs δ by hand in NumPy "
            f"({self.tolerance}), cost {self.cost:.6g}"
        )

    def table(self) -> Table:
        rows = [(c.name, c.equation, *c.comparison.error_cells(), c.comparison.verdict) for c in self.comparisons]
        return Table.of(("gradient", "formula", "abs error", "rel error", ""), rows, align="llrrl")


def check_gpt_backprop(
    model: GPT, tokens: Sequence[int], *, rtol: float = 1e-10, atol: float = 1e-14
) -> GPTBackpropCheck:
    """Trace ``tokens``, run backward on the cost, and compare the gradients at the logits, the last
    residual stream, the last layer's MLP (z, both weight matrices), the stream before that MLP,
    the last layer's attention scores and ``lm_head`` with the formulas of this module's docstring.

    ``rtol`` is a positive number, ``atol`` a number ≥ 0. Zeroes the model's gradients first;
    afterwards they hold this document's gradients.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"check_gpt_backprop needs an autograd_tiny.nn.GPT, got {type(model).__name__}")
    check_number(rtol, "rtol")
    check_number(atol, "atol", closed=True)
    model.zero_grad()
    trace = model.trace(tokens)
    trace.loss.backward()
    tolerance = Tolerance("check_gpt_backprop", rtol, atol)
    return GPTBackpropCheck(tuple(_comparisons(model, trace, tolerance)), trace.loss.data, tolerance)


def _numbers(nodes) -> np.ndarray:
    return np.array([[v.data for v in row] for row in nodes])


def _grads(nodes) -> np.ndarray:
    return np.array([[v.grad for v in row] for row in nodes])


def _rmsnorm_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Row by row, ∂C/∂x for y = s·x, s = (mean(x²) + ε)^(−1/2), given g = ∂C/∂y."""
    d = x.shape[1]
    s = (np.mean(x * x, axis=1, keepdims=True) + RMS_EPS) ** -0.5
    return s * g - (s**3 / d) * np.sum(x * g, axis=1, keepdims=True) * x


def _rmsnorm(x: np.ndarray) -> np.ndarray:
    return x * (np.mean(x * x, axis=1, keepdims=True) + RMS_EPS) ** -0.5


def _comparisons(model: GPT, trace: GPTTrace, tolerance: Tolerance):
    weights = model.state_dict()
    last = model.n_layer - 1
    n, tokens = trace.n_positions, trace.tokens
    wo, fc1, fc2 = (weights[f"layer{last}.{key}"] for key in ("attn_wo", "mlp_fc1", "mlp_fc2"))
    parameter_grads = {key: _grads(rows) for key, rows in model.matrices.items()}

    def compare(name: str, equation: str, graph: np.ndarray, formula: np.ndarray) -> GradientComparison:
        return GradientComparison(name, equation, graph, formula, Comparison.of(graph, formula, tolerance))

    logits = _numbers(trace.logits)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    delta_logits = (p - np.eye(model.vocab_size)[tokens[1 : n + 1]]) / n
    yield compare("δ at the logits", "(softmax − one-hot)/n", _grads(trace.logits), delta_logits)

    x_out = _numbers(trace.residual_mlp[last])
    yield compare("∂C/∂lm_head", "Σ_t δ xᵀ", parameter_grads["lm_head"], delta_logits.T @ x_out)
    g_out = delta_logits @ weights["lm_head"]
    yield compare("∂C/∂x, last residual stream", "lm_headᵀ δ", _grads(trace.residual_mlp[last]), g_out)

    z = _numbers(trace.mlp_z[last])
    yield compare(f"∂C/∂layer{last}.mlp_fc2", "Σ_t g relu(z)ᵀ", parameter_grads[f"layer{last}.mlp_fc2"],
                  g_out.T @ np.maximum(z, 0.0))  # fmt: skip
    delta_z = (g_out @ fc2) * (z > 0.0)
    yield compare(f"δ at the MLP's z, layer {last}", "(W₂ᵀ g) ⊙ relu′(z)", _grads(trace.mlp_z[last]), delta_z)

    middle = _numbers(trace.residual_attention[last])
    yield compare(f"∂C/∂layer{last}.mlp_fc1", "Σ_t δᶻ rmsnorm(m)ᵀ", parameter_grads[f"layer{last}.mlp_fc1"],
                  delta_z.T @ _rmsnorm(middle))  # fmt: skip
    g_middle = g_out + _rmsnorm_backward(middle, delta_z @ fc1)
    yield compare(f"∂C/∂m, stream after attention, layer {last}", "g + rmsnorm′ᵀ W₁ᵀ δᶻ",
                  _grads(trace.residual_attention[last]), g_middle)  # fmt: skip

    g_heads = g_middle @ wo  # ∂C/∂(concatenated head outputs), one row per position
    values = _numbers(trace.values[last])
    graph_scores, formula_scores = [], []
    for h in range(model.n_head):
        lo, hi = h * model.head_dim, (h + 1) * model.head_dim
        for t in range(n):
            alpha = np.array([a.data for a in trace.attention_weights[last][h][t]])
            beta = values[: t + 1, lo:hi] @ g_heads[t, lo:hi]  # ∂C/∂αₛ = g_head · vₛ
            formula_scores.append(alpha * (beta - alpha @ beta))
            graph_scores.append(np.array([s.grad for s in trace.attention_scores[last][h][t]]))
    yield compare(f"δ at the attention scores, layer {last}", "α ⊙ (β − αᵀβ)",
                  np.concatenate(graph_scores), np.concatenate(formula_scores))  # fmt: skip


__all__ = ["GPTBackpropCheck", "GradientComparison", "check_gpt_backprop"]
