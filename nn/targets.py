"""Targets y, checked against what a cost expects, and drawn at random for tests and checks.

A cost's ``target_kind`` says what its targets are: ``"real"`` numbers, ``"binary"`` (0/1),
``"signed"`` (±1), or ``"index"`` (a class number). A batch of real, binary or signed targets
becomes an (n, k) float array (a 1-D array is accepted when k = 1); class indices become (n,) ints.
One sample's target may hold Values (``vectorize``'s placeholders for y): then only its shape is
checked, since reading its numbers would make the recorded graph depend on the sample.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_tiny import Value

from .validate import check_finite

KINDS = ("real", "binary", "signed", "index")
_ALLOWED_VALUES = {"binary": {0.0, 1.0}, "signed": {-1.0, 1.0}}


def prepare_targets(kind: str, cost_name: str, targets: Any, n_samples: int, n_outputs: int) -> np.ndarray:
    """The batch's targets as an array; a ValueError naming ``cost_name`` and what was expected otherwise."""
    if kind == "index":
        y = _as_array(targets, f"{cost_name} targets")
        if y.shape != (n_samples,) or not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError(
                f"{cost_name} needs one class index per sample: expected shape ({n_samples},) of integers, "
                f"got shape {y.shape}"
            )
        y = y.astype(int)
        if np.any((y < 0) | (y >= n_outputs)):
            bad = sorted({int(v) for v in y if not 0 <= v < n_outputs})
            raise ValueError(f"{cost_name} class indices must be in 0..{n_outputs - 1}, got {bad}")
        return y
    y = _as_array(targets, f"{cost_name} targets").astype(float)
    given_shape = y.shape
    if y.ndim == 1 and n_outputs == 1:
        y = y[:, None]
    if y.shape != (n_samples, n_outputs):
        raise ValueError(
            f"{cost_name} targets have shape {given_shape}, expected ({n_samples}, {n_outputs}) "
            f"(one target per output for each of the {n_samples} samples)"
        )
    allowed = _ALLOWED_VALUES.get(kind)
    if allowed is not None and not {float(v) for v in np.unique(y)} <= allowed:
        found = sorted({float(v) for v in np.unique(y)} - allowed)[:5]
        raise ValueError(f"{cost_name} targets must be in {sorted(allowed)}, found {found}")
    return y


def target_for_sample(kind: str, cost_name: str, target: Any, n_outputs: int) -> Any:
    """One sample's target, checked: a class index, or a row of k numbers (a number when k = 1).
    A target holding Values is checked for its shape only (see ``_target_of_values``)."""
    if isinstance(target, Value) or (isinstance(target, (list, tuple)) and any(isinstance(v, Value) for v in target)):
        return _target_of_values(kind, cost_name, target, n_outputs)
    _as_array(target, f"{cost_name} target", "target")  # a nan or inf named as the caller indexes it
    row = target if kind == "index" or np.ndim(target) > 0 else [target]
    return prepare_targets(kind, cost_name, [row], 1, n_outputs)[0]


def _target_of_values(kind: str, cost_name: str, target: Value | list | tuple, n_outputs: int) -> Any:
    """A target holding Values (``vectorize`` records fn with a Value, or a list of them, for y): its
    shape is checked, its numbers are not read, so the graph stays the same for every sample (the
    replay checks class indices, ``select``'s, per sample)."""
    if kind == "index":
        if not isinstance(target, Value):
            raise ValueError(f"{cost_name} needs one class index per sample, got a sequence of {len(target)}")
        return target
    row = [target] if isinstance(target, Value) else list(target)
    if len(row) != n_outputs:
        raise ValueError(f"{cost_name} target has length {len(row)}, expected {n_outputs} (one per output)")
    return row


def random_targets(kind: str, rng: np.random.Generator, n_samples: int, n_outputs: int) -> np.ndarray:
    """Valid targets of ``kind`` for ``n_samples`` samples."""
    if kind == "index":
        return rng.integers(0, n_outputs, n_samples)
    if kind == "binary":
        return rng.integers(0, 2, (n_samples, n_outputs)).astype(float)
    if kind == "signed":
        return rng.choice([-1.0, 1.0], (n_samples, n_outputs))
    return rng.uniform(0.0, 1.0, (n_samples, n_outputs))


def _as_array(targets: Any, what: str, name: str = "y") -> np.ndarray:
    try:
        y = np.asarray(targets, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{what} must be numbers (a sequence or an array): {err}") from None
    check_finite(y, name, what)
    return y
