"""The plan: one sample's traced graph laid out for batches, nodes grouped by depth and operation."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .. import rules
from ..graph import topological_order
from ..rules import Rule
from ..value import Value
from .record import record_graph


@dataclass(slots=True)
class DotForm:
    """A group of ``dot`` nodes z = W·a + b: weights and bias are scalars, the inputs are rows.

    ``shared`` when every node reads the same input rows (a layer of an MLP): one matrix product.
    """

    weights: np.ndarray  # (g, k) scalar indices
    inputs: np.ndarray  # (g, k) row indices; (k,) when shared
    bias: np.ndarray | None  # (g,) scalar indices
    shared: bool
    inputs_unique: bool  # no row appears twice in `inputs`: a plain += scatters the gradient


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
        return total


def build_plan(
    fn: Callable, params: Sequence[Value], n_features: int, target_shape: tuple[int, ...] | None, name: str = "fn"
) -> Plan:
    """Trace ``fn`` (refusing any read of the sample's numbers) and lay out the plan."""
    roots, returns_list, placeholders = record_graph(fn, n_features, target_shape, name=name)

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
        depth[node] = 1 + builtins.max(depth[v] for v in node._children)
        kinds = tuple(v in row_of or v._rule is not None for v in node._children)
        rule = node._rule
        buckets.setdefault((depth[node], id(rule), len(node._children), kinds), []).append(node)

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
    row_index = np.array([[row_of[n._children[p]] for p in row_positions] for n in nodes], dtype=np.intp)
    row_index = row_index.reshape(len(nodes), len(row_positions))
    scalar_index = np.array([[scalar_of[n._children[p]] for p in scalar_positions] for n in nodes], dtype=np.intp)
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
        nodes=nodes,
    )


def _dot_form(rule: Rule, arity: int, kinds: tuple[bool, ...], nodes, row_of, scalar_of) -> DotForm | None:
    """The matrix form of a dot group whose weights (or inputs) are all scalars and the others all rows."""
    if rule is not rules.DOT or arity < 2:
        return None
    k = arity // 2
    has_bias = arity % 2 == 1
    if has_bias and kinds[-1]:
        return None
    if not any(kinds[:k]) and all(kinds[k : 2 * k]):
        scalar_part, row_part = slice(0, k), slice(k, 2 * k)
    elif all(kinds[:k]) and not any(kinds[k : 2 * k]):
        scalar_part, row_part = slice(k, 2 * k), slice(0, k)  # dot(a, w): the same product
    else:
        return None
    weights = np.array([[scalar_of[v] for v in n._children[scalar_part]] for n in nodes], dtype=np.intp)
    inputs = np.array([[row_of[v] for v in n._children[row_part]] for n in nodes], dtype=np.intp)
    bias = np.array([scalar_of[n._children[-1]] for n in nodes], dtype=np.intp) if has_bias else None
    shared = bool((inputs == inputs[0]).all())
    if shared:
        inputs = inputs[0]
    unique = len(set(inputs.ravel().tolist())) == inputs.size
    return DotForm(weights, inputs, bias, shared, unique)
