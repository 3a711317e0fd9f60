"""Operations on many Values at once: ``sum``, ``dot`` and ``logsumexp`` (one node each, rules SUM,
DOT and LOGSUMEXP), ``matvec`` (one ``dot`` per row of a matrix), and ``zero_grad``.

Python's built-in ``sum`` over n Values builds n − 1 binary ``+`` nodes, and a neuron's
w·x + b as products and sums builds 2n; these build one node with n (or 2n + 1) inputs,
whose local derivatives are the rule's: 1 for each term of a sum, and for a dot product
each factor's partner (∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from . import rules
from .graph import topological_order
from .value import NO_NOTES, Number, Value, apply


def _as_values(items: Iterable[Any], what: str) -> tuple[Value, ...]:
    """The items as a tuple of Values; numbers become constant leaves."""
    values = tuple(items)
    for item in values:
        if not isinstance(item, Value):
            break
    else:
        return values
    converted = []
    for i, item in enumerate(values):
        try:
            converted.append(item if isinstance(item, Value) else Value(item))
        except TypeError as err:
            raise TypeError(f"{what}[{i}]: {err}") from None
    return tuple(converted)


def sum(values: Iterable[Value | Number]) -> Value:
    """One n-ary node for v₁ + v₂ + … + vₙ; each local derivative is 1.
    (Python's built-in ``sum`` would build n − 1 binary nodes instead.)"""
    inputs = _as_values(values, "sum(values)")
    return apply(rules.SUM, inputs) if inputs else Value(0.0)


def dot(
    weights: Sequence[Value | Number], inputs: Sequence[Value | Number], bias: Value | Number | None = None
) -> Value:
    """One n-ary node for w·x + b = Σ wᵢxᵢ + b; local derivatives ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1."""
    if len(weights) != len(inputs):
        raise ValueError(f"dot needs as many weights as inputs, got {len(weights)} weights and {len(inputs)} inputs")
    factors = (*weights, *inputs) if bias is None else (*weights, *inputs, bias)
    numbers = tuple([v.data for v in factors if type(v) is Value])  # the common case: every factor a Value
    if len(numbers) != len(factors):
        bias_input = () if bias is None else _as_values([bias], "dot bias")
        factors = _as_values(weights, "dot weights") + _as_values(inputs, "dot inputs") + bias_input
        numbers = tuple([v.data for v in factors])
    return _dot_node(factors, numbers)


def matvec(
    rows: Sequence[Sequence[Value | Number]],
    inputs: Sequence[Value | Number],
    biases: Sequence[Value | Number] | None = None,
    *,
    row_numbers: Sequence[Sequence[float]] | None = None,
) -> list[Value]:
    """W·x (+ b): one ``dot`` node per row of W, ``[dot(row, inputs, b) for row, b in zip(rows, biases)]``,
    the same nodes and numbers; the inputs are checked and their numbers read once for all rows.

    ``row_numbers``: the rows' numbers, read beforehand (``[[w.data for w in row] for row in rows]``)
    by a caller that multiplies one matrix of Values at many positions of one forward pass (a GPT's
    weights); they are used instead of reading the rows again, so they must be the rows' current
    numbers (read them again after an optimiser step).
    """
    if biases is not None and len(biases) != len(rows):
        raise ValueError(f"matvec needs one bias per row, got {len(biases)} biases and {len(rows)} rows")
    if row_numbers is not None and len(row_numbers) != len(rows):
        raise ValueError(f"matvec needs the numbers of every row, got {len(row_numbers)} for {len(rows)} rows")
    inputs, input_numbers = _values_and_numbers(inputs, "matvec inputs")
    nodes = []
    for r, row in enumerate(rows):
        if len(row) != len(inputs):
            raise ValueError(f"matvec: rows[{r}] has {len(row)} weights, the inputs are {len(inputs)}")
        if row_numbers is None:
            weights, numbers = _values_and_numbers(row, "dot weights")
        elif len(row_numbers[r]) == len(row):
            weights, numbers = row, row_numbers[r]
        else:
            raise ValueError(f"matvec: row_numbers[{r}] has {len(row_numbers[r])} numbers, rows[{r}] {len(row)}")
        if biases is None:
            nodes.append(_dot_node((*weights, *inputs), (*numbers, *input_numbers)))
        else:
            bias = biases[r] if type(biases[r]) is Value else _as_values([biases[r]], f"matvec biases[{r}]")[0]
            nodes.append(_dot_node((*weights, *inputs, bias), (*numbers, *input_numbers, bias.data)))
    return nodes


def _values_and_numbers(items: Sequence[Value | Number], what: str) -> tuple[tuple[Value, ...], list[float]]:
    """The items as Values (numbers become constant leaves) and their numbers."""
    values = tuple(items)
    numbers = [v.data for v in values if type(v) is Value]  # the common case: every item a Value
    if len(numbers) != len(values):
        values = _as_values(values, what)
        numbers = [v.data for v in values]
    return values, numbers


def _dot_node(factors: tuple[Value, ...], numbers: tuple[float, ...]) -> Value:
    """The DOT node of ``factors`` (the weights, the inputs, then the optional bias), given their numbers
    (a tuple: passed on to the rule as it is, not copied)."""
    out = rules.DOT.forward(*numbers)  # apply(rules.DOT, factors) written out: a sum of products cannot raise
    return Value(out, "", factors, rules.DOT.local_grads(out, *numbers), rules.DOT)


def logsumexp(values: Iterable[Value | Number]) -> Value:
    """One n-ary node for ln(e^{v₁} + … + e^{vₙ}), numerically stable at any scale.

    Local derivatives: ∂/∂vᵢ = e^{vᵢ} / Σⱼ e^{vⱼ} = softmax(v)ᵢ. The forward value subtracts
    the largest vᵢ inside the rule, not in the graph, so the graph is the same whatever the
    numbers (the batched replay can replay it) and ``softmax(v)ᵢ = exp(vᵢ − logsumexp(v))``.
    """
    inputs = _as_values(values, "logsumexp(values)")
    if not inputs:
        raise ValueError(
            "logsumexp needs at least one value (ln of an empty sum is −inf, with no inputs to differentiate)"
        )
    return apply(rules.LOGSUMEXP, inputs)


def zero_grad(values: Value | Iterable[Value]) -> None:
    """Set ``grad`` to 0 (and ``grad_value`` to None). Given one Value, resets it and every
    Value it depends on; given an iterable (a model's parameters), resets exactly those."""
    for node in topological_order(values) if isinstance(values, Value) else values:
        if type(node) is not Value and not isinstance(node, Value):
            raise TypeError(f"zero_grad needs Values, got {type(node).__name__}")
        node.grad = 0.0
        if getattr(node, "_notes", NO_NOTES).grad_value is not None:  # read directly: a step's hot loop
            node.grad_value = None


__all__ = ["dot", "logsumexp", "matvec", "sum", "zero_grad"]
