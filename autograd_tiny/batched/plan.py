"""The plan: one sample's traced graph laid out for batches, nodes grouped by depth and operation."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .. import rules
from ..graph import topological_order
from ..modes import DataDependentGraphError
from ..rules import Rule
from ..value import Value
from .trace import refuse_leaves_from_outside, signature, trace


@dataclass(slots=True)
class DotForm:
    """A group of ``dot`` nodes zᵢ = Σₖ wᵢₖ aᵢₖ (+ bᵢ) as arrays.

    The inputs a are rows (per-sample numbers); the weights w are scalars (parameters) or rows
    too (attention's q·k); the bias is a scalar, a row or absent. ``shared``: scalar weights and
    every node reading the same input rows (a layer of an MLP), one matrix product W·A;
    otherwise one gathered product zᵢ = Σₖ W[i, k] A[i, k] over the index arrays.
    """

    weights: np.ndarray  # (g, k): scalar indices, or row indices when weights_are_rows
    weights_are_rows: bool
    inputs: np.ndarray  # (g, k) row indices; (k,) when shared
    bias: np.ndarray | None  # (g,) scalar or row indices
    bias_is_row: bool
    shared: bool
    unique: tuple[bool, bool, bool]  # weights, inputs, bias: no row repeats, so a plain += scatters


@dataclass(slots=True)
class SelectForm:
    """A group of ``select`` nodes zᵢ = entriesᵢ[indexᵢ] whose index is per sample (a token id).

    Forward gathers, for every sample, the entry its index chooses; backward adds each
    gradient to the entry that was chosen (``np.add.at``, as a row of an embedding table).
    """

    index: np.ndarray  # (g,) the rows holding each node's index
    entries: np.ndarray  # (g, m): scalar indices, or row indices when entries_are_rows
    entries_are_rows: bool


@dataclass(slots=True)
class Group:
    """Nodes at the same depth with the same rule and input kinds; their outputs are rows start:stop."""

    rule: Rule
    depth: int
    start: int
    stop: int
    arity: int
    row_positions: tuple[int, ...]  # input positions read from rows (per-sample numbers)
    row_index: np.ndarray  # (g, len(row_positions))
    row_unique: tuple[bool, ...]  # per row position: no row repeats within the group
    all_rows_unique: bool  # no row repeats anywhere in row_index
    scalar_positions: tuple[int, ...]  # input positions read from scalars (parameters, constants)
    scalar_index: np.ndarray  # (g, len(scalar_positions))
    dot: DotForm | None
    select: SelectForm | None
    nodes: list[Value]  # the traced nodes (for explain)

    @property
    def size(self) -> int:
        return self.stop - self.start


@dataclass(slots=True)
class Plan:
    """The recorded graph of one sample, laid out for batches."""

    n_features: int
    target_shape: tuple[int, ...] | None  # () a number, (k,) a list, None: fn takes no target
    rows: int  # per-sample rows: placeholders first, then each group's outputs
    groups: list[Group]
    scalars: list[Value]  # parameters first, then constants (read afresh at every call)
    n_params: int
    roots: list[int]  # rows of the returned Value(s)
    returns_list: bool
    row_of: dict[Value, int]  # traced node → row (for ``batch_values``)

    @property
    def nbytes(self) -> int:
        """Bytes of the plan's index arrays."""
        total = 0
        for g in self.groups:
            total += g.row_index.nbytes + g.scalar_index.nbytes
            if g.dot is not None:
                total += g.dot.weights.nbytes + g.dot.inputs.nbytes + (0 if g.dot.bias is None else g.dot.bias.nbytes)
            if g.select is not None:
                total += g.select.index.nbytes + g.select.entries.nbytes
        return total


def build_plan(
    fn: Callable,
    params: Sequence[Value],
    n_features: int,
    target_shape: tuple[int, ...] | None,
    name: str = "fn",
    whole_numbers: tuple[bool, bool] = (False, False),
) -> Plan:
    """Trace ``fn`` and lay out the plan (``whole_numbers``: whether x, y are whole numbers, see ``trace``).

    ``fn`` is traced twice, on placeholder numbers of opposite signs: a branch on a Value's
    ``.data`` (which no Value method sees) then usually records two different graphs, and is refused.
    """
    roots, returns_list, placeholders = trace(fn, n_features, target_shape, 1.0, name, whole_numbers)
    again_roots, _, placeholders_again = trace(fn, n_features, target_shape, -1.0, name, whole_numbers)
    if signature(roots, placeholders, params) != signature(again_roots, placeholders_again, params):
        raise DataDependentGraphError(
            f"vectorize: {name} recorded a different graph for different sample numbers (it reads a traced Value's "
            "number, e.g. `.data`, to choose an operation or a constant); vectorize needs a data-independent "
            "graph. Use the scalar engine for this function."
        )
    refuse_leaves_from_outside(roots, again_roots, params, name)

    param_slot = {}
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"vectorize: params[{i}] is a {type(p).__name__}, expected a Value")
        if p._rule is not None:
            raise ValueError(f"vectorize: params[{i}] ({p.label or p.op}) is not a leaf; parameters must be leaves")
        param_slot.setdefault(p, i)
    scalars: list[Value] = list(params)
    scalar_of: dict[Value, int] = dict(param_slot)
    row_of: dict[Value, int] = {p: i for i, p in enumerate(placeholders)}

    depth: dict[Value, int] = {}
    buckets: dict[tuple, list[Value]] = {}
    for node in topological_order(roots):
        if node._rule is None:
            if node not in row_of and node not in scalar_of:
                scalar_of[node] = len(scalars)  # a constant
                scalars.append(node)
            depth[node] = 0
            continue
        depth[node] = 1 + builtins.max(depth[v] for v in node._inputs)
        kinds = tuple(v in row_of or v._rule is not None for v in node._inputs)
        rule = node._rule
        buckets.setdefault((depth[node], id(rule), len(node._inputs), kinds), []).append(node)

    groups: list[Group] = []
    row = len(placeholders)
    for (node_depth, _, arity, kinds), nodes in sorted(buckets.items(), key=lambda item: item[0][0]):
        for node in nodes:
            row_of[node] = row
            row += 1
        groups.append(_group(nodes, node_depth, arity, kinds, row - len(nodes), row_of, scalar_of))
    return Plan(
        n_features=n_features,
        target_shape=target_shape,
        rows=row,
        groups=groups,
        scalars=scalars,
        n_params=len(params),
        roots=[row_of[r] for r in roots],
        returns_list=returns_list,
        row_of=row_of,
    )


def _group(
    nodes: list[Value], depth: int, arity: int, kinds: tuple[bool, ...], start: int, row_of: dict, scalar_of: dict
) -> Group:
    row_positions = tuple(p for p in range(arity) if kinds[p])
    scalar_positions = tuple(p for p in range(arity) if not kinds[p])
    row_index = np.array([[row_of[n._inputs[p]] for p in row_positions] for n in nodes], dtype=np.intp)
    row_index = row_index.reshape(len(nodes), len(row_positions))
    scalar_index = np.array([[scalar_of[n._inputs[p]] for p in scalar_positions] for n in nodes], dtype=np.intp)
    scalar_index = scalar_index.reshape(len(nodes), len(scalar_positions))
    row_unique = tuple(len(set(row_index[:, j].tolist())) == len(nodes) for j in range(len(row_positions)))
    rule = nodes[0]._rule
    return Group(
        rule=rule,
        depth=depth,
        start=start,
        stop=start + len(nodes),
        arity=arity,
        row_positions=row_positions,
        row_index=row_index,
        row_unique=row_unique,
        all_rows_unique=len(set(row_index.ravel().tolist())) == row_index.size,
        scalar_positions=scalar_positions,
        scalar_index=scalar_index,
        dot=_dot_form(rule, arity, kinds, nodes, row_of, scalar_of),
        select=_select_form(rule, arity, kinds, nodes, row_of, scalar_of),
        nodes=nodes,
    )


def _dot_form(rule: Rule, arity: int, kinds: tuple[bool, ...], nodes, row_of, scalar_of) -> DotForm | None:
    """The array form of a group of dot nodes: one side of its products rows, the other rows or scalars."""
    if rule is not rules.DOT or arity < 2:
        return None
    k = arity // 2
    has_bias = arity % 2 == 1
    first, second = kinds[:k], kinds[k : 2 * k]
    if len(set(first)) != 1 or len(set(second)) != 1 or not (first[0] or second[0]):
        return None  # a side mixing rows and scalars, or no rows at all: the rule's forward on arrays
    weights_part, inputs_part = (slice(0, k), slice(k, 2 * k)) if second[0] else (slice(k, 2 * k), slice(0, k))
    weights_are_rows = first[0] and second[0]
    index_of = row_of if weights_are_rows else scalar_of
    weights = np.array([[index_of[v] for v in n._inputs[weights_part]] for n in nodes], dtype=np.intp)
    inputs = np.array([[row_of[v] for v in n._inputs[inputs_part]] for n in nodes], dtype=np.intp)
    bias_is_row = has_bias and kinds[-1]
    bias = None
    if has_bias:
        bias = np.array([(row_of if bias_is_row else scalar_of)[n._inputs[-1]] for n in nodes], dtype=np.intp)
    shared = not weights_are_rows and bool((inputs == inputs[0]).all())
    unique = (
        _no_repeats(weights) if weights_are_rows else False,
        _no_repeats(inputs[0] if shared else inputs),
        bias_is_row and _no_repeats(bias),
    )
    return DotForm(weights, weights_are_rows, inputs[0] if shared else inputs, bias, bias_is_row, shared, unique)


def _select_form(rule: Rule, arity: int, kinds: tuple[bool, ...], nodes, row_of, scalar_of) -> SelectForm | None:
    """The gather form of a group of select nodes whose index is a row and whose entries are all of one kind."""
    if rule is not rules.SELECT or arity < 2 or not kinds[0] or len(set(kinds[1:])) != 1:
        return None
    entries_are_rows = kinds[1]
    index_of = row_of if entries_are_rows else scalar_of
    index = np.array([row_of[n._inputs[0]] for n in nodes], dtype=np.intp)
    entries = np.array([[index_of[v] for v in n._inputs[1:]] for n in nodes], dtype=np.intp)
    return SelectForm(index, entries, entries_are_rows)


def _no_repeats(index: np.ndarray) -> bool:
    return len(np.unique(index)) == index.size
