"""Replay: a plan's forward and backward passes over a batch, each group a few NumPy calls.

Run under ``np.errstate(all="ignore")`` (the caller's job), so inf and nan come out per sample.
"""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from .. import rules
from .plan import Group, Plan
from .record import target_count


class Workspace:
    """The (rows, n) arrays of numbers and of gradients, kept from call to call for each batch size.

    Allocating megabytes afresh at every step makes the C allocator hand pages back to the system
    and fault them in again, which can cost more than the arithmetic.
    """

    __slots__ = ("_arrays",)

    def __init__(self) -> None:
        self._arrays: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def arrays(self, rows: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(values, grads), each (rows, n); their contents are whatever the last call left."""
        if (rows, n) not in self._arrays:
            if len(self._arrays) >= 4:  # a few batch sizes (fit's last batch is smaller); no more
                self._arrays.clear()
            self._arrays[rows, n] = (np.empty((rows, n)), np.empty((rows, n)))
        return self._arrays[rows, n]


def _scatter_rows(grads: np.ndarray, index: np.ndarray, share: np.ndarray, unique: bool) -> None:
    if unique:
        grads[index] += share
    else:
        np.add.at(grads, index, share)


def _operands(group: Group, values: np.ndarray, scalar_values: np.ndarray) -> list:
    operands: list = [None] * group.arity
    if group.row_positions:
        gathered = values[group.row_index]  # (g, positions, batch)
        for j, p in enumerate(group.row_positions):
            operands[p] = gathered[:, j]
    if group.scalar_positions:
        picked = scalar_values[group.scalar_index]  # (g, positions)
        for j, p in enumerate(group.scalar_positions):
            operands[p] = picked[:, j : j + 1]  # (g, 1): broadcast over the batch
    return operands


def _finite(*arrays: np.ndarray) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


def forward(
    plan: Plan, X: np.ndarray, Y: np.ndarray | None, scalar_values: np.ndarray, workspace: Workspace
) -> tuple[np.ndarray, list]:
    """Every row's number for every sample; returns (values, what backward needs per group)."""
    n = X.shape[0]
    values = workspace.arrays(plan.rows, n)[0]
    values[: plan.n_features] = X.T
    if Y is not None:
        values[plan.n_features : plan.n_features + target_count(plan.target_shape)] = Y.reshape(n, -1).T
    saved: list = []
    for group in plan.groups:
        dot = group.dot
        if dot is not None and dot.shared:
            W = scalar_values[dot.weights]
            A = values[dot.inputs]
            if _finite(W, A):  # BLAS may skip zeros, so IEEE 0·inf goes through the rule instead
                out = W @ A
                if dot.bias is not None:
                    out += scalar_values[dot.bias][:, None]
                values[group.start : group.stop] = out
                saved.append((W, A))
                continue
        if group.rule is rules.SUM and not group.scalar_positions:  # row sums, in the rule's order
            values[group.start : group.stop] = values[group.row_index].sum(axis=1)
            saved.append(None)
            continue
        operands = _operands(group, values, scalar_values)
        forward_rule = group.rule.array_forward or group.rule.forward
        values[group.start : group.stop] = forward_rule(*operands)
        saved.append(operands)
    return values, saved


def backward(
    plan: Plan,
    values: np.ndarray,
    saved: list,
    scalar_values: np.ndarray,
    seed: np.ndarray,
    root: int,
    workspace: Workspace,
) -> np.ndarray:
    """∂(Σᵢ seedᵢ · rootᵢ)/∂scalar for every scalar (parameters first), summed over the batch."""
    grads = workspace.arrays(*values.shape)[1]
    grads.fill(0.0)
    grads[root] = seed
    scalar_grads = np.zeros(len(plan.scalars))
    for group, kept in zip(reversed(plan.groups), reversed(saved)):
        delta = grads[group.start : group.stop]  # ∂C/∂node for each node of the group and each sample
        dot = group.dot
        if dot is not None and dot.shared and isinstance(kept, tuple):
            W, A = kept
            if _finite(delta):
                # BP2: ∂C/∂a = Wᵀδ;  BP4: ∂C/∂W = δ aᵀ (summed over the batch);  BP3: ∂C/∂b = Σ δ.
                _scatter_rows(grads, dot.inputs, W.T @ delta, dot.inputs_unique)
                np.add.at(scalar_grads, dot.weights, delta @ A.T)
                if dot.bias is not None:
                    np.add.at(scalar_grads, dot.bias, delta.sum(axis=1))
                continue
            kept = _operands(group, values, scalar_values)
        if kept is None:  # a sum of rows: every local derivative is 1, so each input receives δ
            _scatter_rows(grads, group.row_index, delta[:, None, :], group.all_rows_unique)
            continue
        out = values[group.start : group.stop]
        local = group.rule.local_grads(out, *kept)
        for j, p in enumerate(group.row_positions):
            _scatter_rows(grads, group.row_index[:, j], local[p] * delta, group.row_unique[j])
        for j, p in enumerate(group.scalar_positions):
            share = local[p] * delta
            np.add.at(scalar_grads, group.scalar_index[:, j], np.sum(share, axis=1) if np.ndim(share) else share)
    return scalar_grads


def numbers(values: list) -> np.ndarray:
    """The current ``data`` of Values, as an array."""
    return np.fromiter(map(_data, values), dtype=float, count=len(values))


def current_scalars(plan: Plan, param_numbers: np.ndarray) -> np.ndarray:
    """The plan's scalars now: the parameters' numbers (read once per call), then its constants'."""
    constants = plan.scalars[plan.n_params :]
    return np.concatenate([param_numbers, numbers(constants)]) if constants else param_numbers


_data = attrgetter("data")
