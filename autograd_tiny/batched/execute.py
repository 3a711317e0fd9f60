"""Running a plan: its forward and backward passes over a batch, each group a few NumPy calls.

Run under ``np.errstate(all="ignore")`` (the caller's job), so inf and nan come out per sample.
"""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from .. import rules
from ..arrays import array_forward, logsumexp_stacked
from .plan import DotForm, Group, Plan, SelectForm
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


def _add_to_rows(grads: np.ndarray, index: np.ndarray, share: np.ndarray, unique: bool) -> None:
    """grads[index] += share, where an index may repeat (then its shares add up)."""
    if unique:
        grads[index] += share
        return
    if share.shape[:-1] != index.shape:  # a sum's one gradient, shared by all its inputs
        share = np.broadcast_to(share, (*index.shape, grads.shape[1]))
    if grads.shape[1] == 1:
        np.add.at(grads[:, 0], index.ravel(), share.ravel())
    else:
        np.add.at(grads, index.ravel(), share.reshape(-1, grads.shape[1]))


def _add_to_scalars(scalar_grads: np.ndarray, index: np.ndarray, share: np.ndarray) -> None:
    np.add.at(scalar_grads, index.ravel(), share.ravel())


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


def _stacked(group: Group, values: np.ndarray, scalar_values: np.ndarray) -> np.ndarray:
    """The group's inputs as one (g, arity, n) array, in the nodes' input order (scalars broadcast over the batch)."""
    if not group.scalar_positions:
        return values[group.row_index]
    stacked = np.empty((group.size, group.arity, values.shape[1]))
    if group.row_positions:
        stacked[:, list(group.row_positions)] = values[group.row_index]
    stacked[:, list(group.scalar_positions)] = scalar_values[group.scalar_index][:, :, None]
    return stacked


def _logsumexp_backward(
    group: Group,
    stacked: np.ndarray,
    out: np.ndarray,
    gradient: np.ndarray,
    grads: np.ndarray,
    scalar_grads: np.ndarray,
) -> None:
    """Send ∂C/∂out back through out = ln Σᵢ e^{xᵢ}: input xᵢ receives e^{xᵢ − out} · ∂C/∂out (the softmax).

    The rule's local derivatives are elementwise in each input, so they take the whole (g, arity, n)
    stack as one input; the per-sample inputs get their shares in one scatter.
    """
    (softmax,) = group.rule.local_grads(out[:, None, :], stacked)
    share = softmax * gradient[:, None, :]  # (g, arity, n)
    if not group.scalar_positions:
        _add_to_rows(grads, group.row_index, share, group.all_rows_unique)
        return
    if group.row_positions:
        _add_to_rows(grads, group.row_index, share[:, list(group.row_positions)], group.all_rows_unique)
    _add_to_scalars(scalar_grads, group.scalar_index, share[:, list(group.scalar_positions)].sum(axis=2))


def _finite(*arrays: np.ndarray) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


def _dot_forward(dot: DotForm, values: np.ndarray, scalar_values: np.ndarray) -> tuple[np.ndarray, tuple]:
    """z = W·A (+ b) for a group of dot nodes; returns z and what backward needs: ("product", W, A) after
    one matrix product, ("gathered", W, A, weight indices, input indices) after a gathered one."""
    grid = dot.grid
    if grid is not None:
        W, A = scalar_values[grid.weights], values[grid.inputs]  # (m, k), (P, k, n)
        if _finite(W, A):  # BLAS may skip zeros, so IEEE 0·inf takes the gathered product
            n = values.shape[1]
            A = A.transpose(1, 0, 2).reshape(A.shape[1], -1)  # (k, P·n)
            out = (W @ A).reshape(-1, n)  # the (m × P) product's entries
            if not grid.in_order:
                out = out[grid.entry]  # in the nodes' order
            kept: tuple = ("product", W, A)
        else:
            out, kept = _gathered_forward(dot, values, scalar_values)
    else:
        out, kept = _gathered_forward(dot, values, scalar_values)
    if dot.bias is not None:
        out += values[dot.bias] if dot.bias_is_row else scalar_values[dot.bias][:, None]
    return out, kept


def _gathered_forward(dot: DotForm, values: np.ndarray, scalar_values: np.ndarray) -> tuple[np.ndarray, tuple]:
    """zᵢ = Σₖ W[i, k] A[i, k] for every node i, W and A gathered by index arrays (each (g, k, n) or (g, k))."""
    weights, inputs = dot.per_node()
    W = values[weights] if dot.weights_are_rows else scalar_values[weights]
    A = values[inputs]
    out = np.einsum("gkn,gkn->gn" if dot.weights_are_rows else "gk,gkn->gn", W, A)
    return out, ("gathered", W, A, weights, inputs)


def _dot_backward(dot: DotForm, kept: tuple, gradient: np.ndarray, grads: np.ndarray, scalar_grads: np.ndarray) -> None:
    """Send ∂C/∂z back through z = Σₖ wₖaₖ + b: ∂C/∂a = w·∂C/∂z, ∂C/∂w = a·∂C/∂z, ∂C/∂b = ∂C/∂z."""
    weights_unique, inputs_unique, bias_unique = dot.unique
    if kept[0] == "product" and not _finite(gradient):  # BLAS may skip zeros: IEEE 0·inf goes gathered
        grid, (_, W, A) = dot.grid, kept
        positions = grid.inputs.shape[0]
        A = A.reshape(A.shape[0], positions, -1).transpose(1, 0, 2)  # (P, k, n)
        kept = ("gathered", W[grid.entry // positions], A[grid.entry % positions], *grid.per_node())
    if kept[0] == "product":
        grid, (_, W, A) = dot.grid, kept  # (m, k), (k, P·n)
        n = gradient.shape[1]
        G = gradient
        if not grid.in_order:
            G = np.empty((grid.entry.size, n))
            G[grid.entry] = gradient  # back in the product's layout, (m × P) entries
        G = G.reshape(len(W), -1)  # (m, P·n)
        # ∂C/∂W = G·Aᵀ (summed over the batch), ∂C/∂A = Wᵀ·G: at an MLP's z, G is δ and these are BP4 and BP2
        grad_W = G @ A.T
        if grid.weights_unique:
            scalar_grads[grid.weights] += grad_W
        else:
            _add_to_scalars(scalar_grads, grid.weights, grad_W)
        grad_A = (W.T @ G).reshape(A.shape[0], -1, n).transpose(1, 0, 2)  # (P, k, n)
        _add_to_rows(grads, grid.inputs, grad_A, grid.inputs_unique)
    else:
        _, W, A, weights, inputs = kept
        if dot.weights_are_rows:
            _add_to_rows(grads, weights, A * gradient[:, None, :], weights_unique)
            _add_to_rows(grads, inputs, W * gradient[:, None, :], inputs_unique)
        else:
            _add_to_scalars(scalar_grads, weights, np.einsum("gn,gkn->gk", gradient, A))
            _add_to_rows(grads, inputs, W[:, :, None] * gradient[:, None, :], inputs_unique)
    if dot.bias is not None:
        if dot.bias_is_row:
            _add_to_rows(grads, dot.bias, gradient, bias_unique)
        else:  # at an MLP's z, BP3: ∂C/∂b = δ, summed over the batch
            _add_to_scalars(scalar_grads, dot.bias, gradient.sum(axis=1))


def _select_forward(
    select: SelectForm, values: np.ndarray, scalar_values: np.ndarray, plan: Plan, group: Group
) -> tuple[np.ndarray, np.ndarray]:
    """Each sample's chosen entry (a gather); returns it and the chosen entries' indices, for backward."""
    index = values[select.index]  # (g, n): one whole number per node and sample
    positions = index.astype(np.intp)
    size = select.entries.shape[1]
    valid = (positions == index) & (positions >= 0) & (positions < size)
    if not valid.all():
        raise _bad_index(plan, group, select, index, valid)
    chosen = select.entries[np.arange(group.size)[:, None], positions]  # (g, n)
    if select.entries_are_rows:
        return values[chosen, np.arange(index.shape[1])], chosen
    return scalar_values[chosen], chosen


def _select_backward(
    select: SelectForm, chosen: np.ndarray, gradient: np.ndarray, grads: np.ndarray, scalar_grads: np.ndarray
) -> None:
    """Each sample's gradient goes to the entry it chose: rows of an embedding table add up (np.add.at)."""
    if select.entries_are_rows:
        n = gradient.shape[1]
        np.add.at(grads.reshape(-1), (chosen * n + np.arange(n)).ravel(), gradient.ravel())
    else:
        _add_to_scalars(scalar_grads, chosen, gradient)


def _bad_index(plan: Plan, group: Group, select: SelectForm, index: np.ndarray, valid: np.ndarray) -> ValueError:
    node, sample = (int(i) for i in np.argwhere(~valid)[0])
    row = int(select.index[node])
    n_targets = target_count(plan.target_shape)
    if row < plan.n_features:
        name = f"X[{sample}, {row}]"
    elif row < plan.n_features + n_targets:
        name = f"Y[{sample}]" if plan.target_shape == () else f"Y[{sample}, {row - plan.n_features}]"
    else:
        name = f"sample {sample}'s computed index"
    size = select.entries.shape[1]
    return ValueError(
        f"vectorize: {name} = {float(index[node, sample])!r} chooses an entry by its number (a select node over {size} "
        f"entries), so it must be a whole number from 0 to {size - 1}"
    )


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
        if group.dot is not None:
            values[group.start : group.stop], kept = _dot_forward(group.dot, values, scalar_values)
            saved.append(kept)
            continue
        if group.select is not None:
            values[group.start : group.stop], chosen = _select_forward(group.select, values, scalar_values, plan, group)
            saved.append(chosen)
            continue
        if group.rule is rules.SUM and not group.scalar_positions:  # row sums, in the rule's order
            values[group.start : group.stop] = values[group.row_index].sum(axis=1)
            saved.append(None)
            continue
        if group.rule is rules.LOGSUMEXP:  # the inputs stacked once, reduced along the input axis
            stacked = _stacked(group, values, scalar_values)
            values[group.start : group.stop] = logsumexp_stacked(stacked, axis=1)
            saved.append(stacked)
            continue
        operands = _operands(group, values, scalar_values)
        values[group.start : group.stop] = array_forward(group.rule)(*operands)
        saved.append(operands)
    return values, saved


def backward(
    plan: Plan,
    values: np.ndarray,
    saved: list,
    scalar_values: np.ndarray,
    seed: np.ndarray,
    root: int | np.ndarray,
    workspace: Workspace,
) -> np.ndarray:
    """∂(Σᵢ seedᵢ · rootᵢ)/∂scalar for every scalar (parameters first), summed over the batch.

    ``root`` one row (``seed`` of shape (n,)) or an array of r rows (``seed`` of shape (r, n)).
    """
    grads = workspace.arrays(*values.shape)[1]
    grads.fill(0.0)
    if isinstance(root, np.ndarray):
        np.add.at(grads, root, seed)  # a row returned twice gets both seeds
    else:
        grads[root] = seed
    scalar_grads = np.zeros(len(plan.scalars))
    for group, kept in zip(reversed(plan.groups), reversed(saved)):
        gradient = grads[group.start : group.stop]  # ∂C/∂node for each node of the group and each sample
        if group.dot is not None:
            _dot_backward(group.dot, kept, gradient, grads, scalar_grads)
            continue
        if group.select is not None:
            _select_backward(group.select, kept, gradient, grads, scalar_grads)
            continue
        if kept is None:  # a sum of rows: every local derivative is 1, so each input receives the gradient
            _add_to_rows(grads, group.row_index, gradient[:, None, :], group.all_rows_unique)
            continue
        out = values[group.start : group.stop]
        if group.rule is rules.LOGSUMEXP:
            _logsumexp_backward(group, kept, out, gradient, grads, scalar_grads)
            continue
        local = group.rule.local_grads(out, *kept)
        for j, p in enumerate(group.row_positions):
            _add_to_rows(grads, group.row_index[:, j], local[p] * gradient, group.row_unique[j])
        for j, p in enumerate(group.scalar_positions):
            share = local[p] * gradient
            share = np.sum(share, axis=1) if np.ndim(share) else np.broadcast_to(share, group.size)
            _add_to_scalars(scalar_grads, group.scalar_index[:, j], share)
    return scalar_grads


def numbers(values: list) -> np.ndarray:
    """The current ``data`` of Values, as an array."""
    return np.fromiter(map(_data, values), dtype=float, count=len(values))


def current_scalars(plan: Plan, param_numbers: np.ndarray) -> np.ndarray:
    """The plan's scalars now: the parameters' numbers (read once per call), then its constants'."""
    constants = plan.scalars[plan.n_params :]
    return np.concatenate([param_numbers, numbers(constants)]) if constants else param_numbers


_data = attrgetter("data")
