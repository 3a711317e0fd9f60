"""Targets y, checked against what a cost expects, and drawn at random for tests and checks.

A cost's ``target_kind`` says what its targets are: ``"real"`` numbers, ``"binary"`` (0/1),
``"signed"`` (±1), or ``"index"`` (a class number). A batch of real, binary or signed targets
becomes an (n, k) float array (a 1-D array is accepted when k = 1); class indices become (n,) ints.
A bad target is a ValueError naming the cost, the first bad entry as the caller indexes it
(``y[4] is 2.0``) and what was expected (``_check_entries``: one set of rules for every path).

One sample's target may hold Values. Their numbers are checked as the same numbers given plainly
would be, except while ``vectorize`` records fn with the target as its y: y's numbers are then
placeholders, so the check is registered with the recording instead
(``autograd_tiny.check_at_replay``) and runs on the real Y of every ``batched(X, Y)``
before it is replayed, naming its entries ``Y[i]`` or ``Y[i, j]``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from autograd_tiny import Value, check_at_replay

from .validate import check_finite

KINDS = ("real", "binary", "signed", "index")
_ALLOWED_VALUES = {"binary": {0.0, 1.0}, "signed": {-1.0, 1.0}}


def prepare_targets(
    kind: str, cost_name: str, targets: Any, n_samples: int, n_outputs: int, name: str = "y"
) -> np.ndarray:
    """The batch's targets as an array; a ValueError naming ``cost_name``, the first bad entry of ``name``
    (the targets as the caller calls them: ``y``, or ``Y`` under vectorize) and what was expected otherwise."""
    y = _as_array(targets, f"{cost_name} targets", name)
    if kind == "index":
        if y.shape != (n_samples,):
            raise ValueError(
                f"{cost_name} needs one class index per sample: expected shape ({n_samples},), got shape {y.shape}"
            )
        _check_entries(kind, cost_name, y, name, n_outputs)
        return y.astype(int)
    if y.shape != (n_samples, n_outputs) and (n_outputs, y.shape) != (1, (n_samples,)):
        raise ValueError(
            f"{cost_name} targets have shape {y.shape}, expected ({n_samples}, {n_outputs}) "
            f"(one target per output for each of the {n_samples} samples)"
        )
    _check_entries(kind, cost_name, y, name, n_outputs)
    return y.reshape(n_samples, n_outputs)


def target_for_sample(kind: str, cost_name: str, target: Any, n_outputs: int) -> Any:
    """One sample's target, checked: a class index, or a row of k numbers (a number when k = 1).

    A target holding Values (a Value, or a row of Values and numbers) is checked by its numbers, by
    the same rules and with the same messages as plain numbers, and returned as it is (so gradients
    reach it); while ``vectorize`` records fn with it as y, its shape is checked and the rules are
    registered to run on the real Y (see the module's docstring)."""
    if not _holds_values(target):
        return _checked_sample(kind, cost_name, target, n_outputs)
    replay_check = partial(_check_replayed_targets, kind, cost_name, n_outputs)
    # a target worked out from the sample (x for an autoencoder, a token) is left unchecked where a bad
    # number cannot pass silently: a real one shows as nan in the cost, select refuses a bad class index
    allow_derived = kind in ("real", "index")
    if check_at_replay(target, replay_check, f"{cost_name}'s target", allow_derived=allow_derived):
        _check_sample_shape(kind, cost_name, () if isinstance(target, Value) else (len(target),), n_outputs)
    else:
        numbers = target.data if isinstance(target, Value) else [v.data if isinstance(v, Value) else v for v in target]
        _checked_sample(kind, cost_name, numbers, n_outputs)
    return target if kind == "index" or not isinstance(target, Value) else [target]


def _checked_sample(kind: str, cost_name: str, target: Any, n_outputs: int) -> Any:
    """One sample's plain target, checked: an int class index, or an array of its k numbers."""
    y = _as_array(target, f"{cost_name} target", "target")  # a nan or inf named as the caller indexes it
    _check_sample_shape(kind, cost_name, y.shape, n_outputs)
    _check_entries(kind, cost_name, y, "target", n_outputs)
    return int(y) if kind == "index" else y.reshape(n_outputs)


def _check_sample_shape(kind: str, cost_name: str, shape: tuple[int, ...], n_outputs: int) -> None:
    """One sample's target is one number for a class index, else k numbers (or one number when k = 1)."""
    given = "one number" if shape == () else f"a row of {shape[0]}" if len(shape) == 1 else f"shape {shape}"
    if kind == "index" and shape != ():
        raise ValueError(f"{cost_name} needs one class index per sample, got {given}")
    if kind != "index" and shape != (n_outputs,) and (shape, n_outputs) != ((), 1):
        raise ValueError(f"{cost_name} target has {given}, expected {n_outputs} (one per output)")


def _check_entries(kind: str, cost_name: str, y: np.ndarray, name: str, n_outputs: int) -> None:
    """The rules of ``kind`` on every entry of ``y`` (finite numbers, called ``name``): a ValueError naming
    the values that break them and the first entry that does, indexed as the caller indexes ``y``."""
    if kind == "index":
        bad = (np.mod(y, 1) != 0) | (y < 0) | (y >= n_outputs)
        expected = f"{cost_name} class indices must be whole numbers from 0 to {n_outputs - 1}"
    elif kind in _ALLOWED_VALUES:
        allowed = _ALLOWED_VALUES[kind]
        bad = ~np.isin(y, sorted(allowed))
        expected = f"{cost_name} targets must be in {sorted(allowed)}"
    else:
        return
    if not np.any(bad):
        return
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    entry = f"{name}[{', '.join(map(str, first))}]" if first else name
    count = int(np.count_nonzero(bad))
    more = f" ({count} such entries)" if count > 1 else ""
    found = [_shown(kind, v) for v in np.unique(y[bad])[:5]]
    raise ValueError(f"{expected}, found {found}: {entry} is {_shown(kind, y[first])}{more}")


def _check_replayed_targets(kind: str, cost_name: str, n_outputs: int, Y: np.ndarray) -> None:
    """The rules of ``prepare_targets`` on the real Y (as given) of a batch that ``vectorize`` replays;
    there class indices must also be integers: each sample's logit is picked by ``select``, recorded on
    a placeholder that holds a whole number only for an integer Y."""
    if kind == "index" and Y.ndim == 2 and Y.shape[1] == 1:
        Y = Y[:, 0]  # one class index per row, fn picking it as y[0]
    if kind == "index" and not np.issubdtype(Y.dtype, np.integer):
        first = "Y[0]" if Y.ndim == 1 else "Y[0, 0]"
        raise ValueError(
            f"{cost_name}: Y has dtype {Y.dtype} ({first} = {Y.flat[0].item()!r}): pass class indices as integers "
            "(an int array; vectorize picks each sample's logit with select, recorded on a placeholder that holds "
            "a whole number only for an integer Y)"
        )
    prepare_targets(kind, cost_name, Y, len(Y), n_outputs, "Y")


def _holds_values(target: Any) -> bool:
    """A Value, or a list or tuple with a Value among its entries."""
    if isinstance(target, (list, tuple)):
        return any(isinstance(v, Value) for v in target)
    return isinstance(target, Value)


def _shown(kind: str, number: float) -> float | int:
    """A target's number as the message shows it: a class index that is a whole number as an int."""
    number = float(number)
    return int(number) if kind == "index" and number.is_integer() else number


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
