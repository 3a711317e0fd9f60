"""Each rule's forward on NumPy arrays, for the batched replay (``batched/``).

A rule's ``forward`` is written for floats. Where that code takes arrays as they are (``+``,
``*``, ``sum``, ``dot``, and ``exp``, ``log``, … through the rules' helpers), the replay calls it on
arrays; where it cannot (``math.tanh``, a branch on the sign, ``max`` over the inputs), this
table holds NumPy's form of the same function.
The local derivatives need no second form: written with plain arithmetic and the helpers of
``rules.py``, they take arrays already.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import rules
from .rules import Rule


def sigmoid_array(a: np.ndarray) -> np.ndarray:
    """σ(a) elementwise, without overflow: e^(−|a|) is never above 1."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu_array(a: np.ndarray) -> np.ndarray:
    """max(0, a) elementwise; nan stays nan."""
    return np.where(a > 0.0, a, np.where(np.isnan(a), a, 0.0))


def logsumexp_array(*xs: np.ndarray) -> np.ndarray:
    """ln Σᵢ e^{xᵢ} element by element (the inputs broadcast together): ``logsumexp_stacked`` on them stacked."""
    with np.errstate(all="ignore"):
        return logsumexp_stacked(np.stack(np.broadcast_arrays(*xs)), axis=0)


def logsumexp_stacked(stacked: np.ndarray, axis: int) -> np.ndarray:
    """ln Σᵢ e^{xᵢ} over the xᵢ laid along ``axis`` of one array (the replay's (nodes, inputs, batch)
    stack), shifted by the largest xᵢ as the float form is, so no exponential overflows; an infinite
    or nan largest xᵢ is not subtracted (a nan xᵢ makes the result nan, as in the float form).

    Inf and nan inputs make NumPy warn: call it under ``np.errstate(all="ignore")``, as the replay runs.
    """
    shift = np.maximum.reduce(stacked, axis=axis, keepdims=True)  # nan wins, as in np.maximum
    shift[~np.isfinite(shift)] = 0.0
    return (shift + np.log(np.add.reduce(np.exp(stacked - shift), axis=axis, keepdims=True))).squeeze(axis)


def select_array(index: np.ndarray, *entries: np.ndarray) -> np.ndarray:
    """entries[index] column by column: ``index`` holds one whole number per sample of the batch."""
    stacked = np.stack(np.broadcast_arrays(*entries))
    return np.take_along_axis(stacked, np.asarray(index).astype(np.intp)[None], axis=0)[0]


ARRAY_FORWARD: dict[Rule, Callable[..., np.ndarray]] = {
    rules.TANH: np.tanh,
    rules.SIGMOID: sigmoid_array,
    rules.RELU: relu_array,
    rules.SELECT: select_array,
    rules.LOGSUMEXP: logsumexp_array,
}


def array_forward(rule: Rule) -> Callable[..., np.ndarray]:
    """``rule``'s forward on arrays: NumPy's form from the table, else ``rule.forward`` itself."""
    return ARRAY_FORWARD.get(rule, rule.forward)
