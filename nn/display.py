"""How ``nn``'s objects show themselves in Jupyter: escaped HTML tables (and, for a training
history, a small inline SVG curve), with no colours of their own, so they read the same in
light and dark themes. The classes point their ``_repr_html_`` here."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from autograd_tiny.table import Table

if TYPE_CHECKING:
    from .gpt import GPTTrace
    from .module import Module, Trace
    from .train import History

MAX_ROWS = 40  # a longer table shows its first and last rows


def module_html(module: Module) -> str:
    """A neuron, layer or MLP: one row per layer with its sizes, activation and parameter count."""
    layers = getattr(module, "layers", None) or [module]
    rows = []
    for layer in layers:
        neurons = getattr(layer, "neurons", [layer])
        rows.append((
            str(neurons[0].layer), str(len(neurons[0].w)), str(len(neurons)), neurons[0].activation,
            str(len(layer.parameters())),
        ))  # fmt: skip
    table = Table.of(("layer", "inputs", "neurons", "activation", "parameters"), rows)
    return f"<p>{html.escape(repr(module))}: {len(module.parameters())} parameters</p>{table.html()}"


def trace_html(trace: Trace) -> str:
    """One forward pass: z, a and δ = ∂C/∂z (z.grad, meaningful after ``cost.backward()``) per neuron."""
    rows = [
        (z.label or f"z[{l + 1}][{j}]", f"{z.data:.6g}", f"{a.data:.6g}", f"{z.grad:.6g}")
        for l, (zs, activations) in enumerate(zip(trace.z, trace.a))
        for j, (z, a) in enumerate(zip(zs, activations))
    ]
    table = Table.of(("neuron", "z", "a = σ(z)", "δ = ∂C/∂z (z.grad)"), _shorten(rows, 4))
    return f"<p>{html.escape(repr(trace))}</p>{table.html()}"


def gpt_trace_html(trace: GPTTrace) -> str:
    """A GPT's forward pass: per position, the token read, the next one, its probability and Cₜ, and
    the δ of the next token's logit (meaningful after ``trace.loss.backward()``)."""
    rows = []
    for t, (logits, cost) in enumerate(zip(trace.logits, trace.position_losses)):
        target = logits[trace.tokens[t + 1]]
        rows.append((
            str(t), str(trace.tokens[t]), str(trace.tokens[t + 1]), f"{math.exp(-cost.data):.4f}", f"{cost.data:.4f}",
            f"{target.grad:.4g}",
        ))  # fmt: skip
    header = ("position", "reads", "next", "p(next)", "Cₜ = −ln p", "δ at the next token's logit")
    return f"<p>{html.escape(repr(trace))}</p>{Table.of(header, _shorten(rows, 6)).html()}"


def history_html(history: History) -> str:
    """The cost (and accuracy) per epoch or step: a small curve of the cost and a table."""
    rows = [
        (str(epoch), f"{loss:.6g}", "" if accuracy is None else f"{accuracy:.1%}")
        for epoch, (loss, accuracy) in enumerate(zip(history.loss, history.accuracy), start=1)
    ]
    table = Table.of((history.unit, "cost", "accuracy"), _shorten(rows, 3))
    curve = _curve(history.loss, label=f"cost per {history.unit}")
    return f"<p>{html.escape(repr(history))}</p>{curve}{table.html()}"


def _shorten(rows: list[tuple[str, ...]], width: int) -> list[tuple[str, ...]]:
    if len(rows) <= MAX_ROWS:
        return rows
    half = MAX_ROWS // 2
    return [*rows[:half], ("…",) * width, *rows[-half:]]


def _curve(values: list[float], width: int = 320, height: int = 80, label: str = "cost per epoch") -> str:
    """An inline SVG polyline of ``values`` (finite ones), drawn in the text colour."""
    points = [(i, v) for i, v in enumerate(values) if math.isfinite(v)]
    if len(points) < 2:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    span, last = (high - low) or 1.0, max(len(values) - 1, 1)
    coordinates = " ".join(
        f"{4 + i / last * (width - 8):.1f},{4 + (high - v) / span * (height - 8):.1f}" for i, v in points
    )
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="{html.escape(label)}">'
        f'<polyline points="{coordinates}" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>'
    )
