"""Each rule's forward on NumPy arrays, for the batched replay (``batched/``).

A rule's ``forward`` is written for floats. Where that code takes arrays as they are (``+``,
``*``, ``sum``, ``dot``, and ``exp``, ``log``, … through the rules' helpers), the replay calls it on
arrays; where it cannot (``math.tanh``, a branch on the sign, ``max`` over the inputs), this
table holds NumPy's form of the same function.
The local derivatives need no second form: written with plain arithmetic and the helpers of
``rules.py``, they take arrays already.
"""

from __future__ import annotations

import functools
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
    """ln Σᵢ e^{xᵢ} element by element (the inputs broadcast together), shifted by the largest
    finite xᵢ as the float form is, so no exponential overflows."""
    shift = functools.reduce(np.maximum, xs)
    shift = np.where(np.isfinite(shift), shift, 0.0)
    with np.errstate(all="ignore"):
        return shift + np.log(sum(np.exp(x - shift) for x in xs))


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
