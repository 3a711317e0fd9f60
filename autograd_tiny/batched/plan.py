"""The plan: one sample's recorded graph laid out for batches, nodes grouped by depth and operation."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .. import rules
from ..graph import topological_order
from ..rules import Rule
from ..value import Value
from .record import TargetCheck, record_graph, refuse_leaves_from_outside, values_made


@dataclass(slots=True)
class ProductGrid:
    """A group of dot nodes with scalar weights that computes every entry of a matrix product once:
    node i is entry (j, p) of W·A, W (m × k) the distinct weight rows, A (k × P) the distinct
    input vectors (P = 1 for a layer of an MLP, P positions for a GPT's projections).
    """

    weights: np.ndarray  # (m, k) scalar indices
    inputs: np.ndarray  # (P, k) row indices
    entry: np.ndarray  # (g,): node i is entry divmod(entry[i], P) of the (m × P) product
    weights_unique: bool  # no parameter twice in W: a plain += adds its gradient
    inputs_unique: bool
    in_order: bool  # entry is 0, 1, 2, …: the nodes are the product's entries row by row (an MLP's layer)

    def per_node(self) -> tuple[np.ndarray, np.ndarray]:
        """Each node's weight indices and input rows, (g, k) each."""
        positions = self.inputs.shape[0]
        return self.weights[self.entry // positions], self.inputs[self.entry % positions]


@dataclass(slots=True)
class DotForm:
    """A group of ``dot`` nodes zᵢ = Σₖ wᵢₖ aᵢₖ (+ bᵢ) as arrays.

    The inputs a are rows (per-sample numbers); the weights w are scalars (parameters) or rows
    too (attention's q·k); the bias is a scalar, a row or absent. With ``grid`` the group is one
    matrix product W·A per sample; otherwise one gathered product zᵢ = Σₖ W[i, k] A[i, k]
    over the index arrays ``weights`` and ``inputs``.
    """

    weights: np.ndarray | None  # (g, k): scalar indices, or row indices when weights_are_rows; None with a grid
    weights_are_rows: bool
    inputs: np.ndarray | None  # (g, k) row indices; None with a grid
    bias: np.ndarray | None  # (g,) scalar or row indices
    bias_is_row: bool
    grid: ProductGrid | None
    unique: tuple[bool, bool, bool]  # weight rows, input rows, bias rows: none repeats, so a plain += scatters

    def per_node(self) -> tuple[np.ndarray, np.ndarray]:
        """Each node's weight and input indices, (g, k) each."""
        return self.grid.per_node() if self.grid is not None else (self.weights, self.inputs)


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
    nodes: list[Value]  # the recorded nodes (for explain)

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
    row_of: dict[Value, int]  # recorded node → row (for ``batch_values``)
    target_checks: list[TargetCheck] = field(default_factory=list)  # run on each batch's Y (``check_at_replay``)

    @property
    def nbytes(self) -> int:
        """Bytes of the plan's index arrays."""
        total = 0
        for g in self.groups:
            total += g.row_index.nbytes + g.scalar_index.nbytes
            if g.dot is not None:
                arrays = (g.dot.weights, g.dot.inputs, g.dot.bias)
                if g.dot.grid is not None:
                    arrays += (g.dot.grid.weights, g.dot.grid.inputs, g.dot.grid.entry)
                total += sum(a.nbytes for a in arrays if a is not None)
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
    batch_targets: np.ndarray | None = None,
) -> Plan:
    """Record ``fn``'s graph (refusing any read of the sample's numbers, and any Value it uses that is
    missing from ``params``) and lay out the plan (``whole_numbers``, ``batch_targets``: see ``record_graph``);
    the plan keeps the checks of Y registered while fn was recorded."""
    made: set[Value] = set()
    with values_made(made):
        roots, returns_list, placeholders, checks = record_graph(
            fn, n_features, target_shape, name, whole_numbers, batch_targets
        )
    order = topological_order(roots)
    refuse_leaves_from_outside(order, made, params, name)
    plan = _lay_out(order, roots, placeholders, params, n_features, target_shape, returns_list)
    plan.target_checks = checks
    return plan


def sub_plan(plan: Plan, roots: Sequence[int], n_features: int) -> Plan:
    """The plan of the graph below some of ``plan``'s roots (rows), which must read only its first
    ``n_features`` placeholders: the same recorded nodes, so the same numbers, laid out afresh.

    A causal cost over a sequence, recorded once for its longest length, gives the plan of every
    shorter length this way (the costs of the first P positions read tokens 0 … P only). Raises
    ``ValueError`` when the nodes below those roots read a later placeholder.
    """
    if plan.target_shape is not None:
        raise ValueError("sub_plan: only for a plan without targets")
    node_at = {row: node for node, row in plan.row_of.items()}
    placeholders = [node_at[row] for row in range(plan.n_features)]
    root_nodes = [node_at[row] for row in roots]
    order = topological_order(root_nodes)
    late = set(placeholders[n_features:]).intersection(order)
    if late:
        raise ValueError(
            f"sub_plan: the roots read {min(late, key=placeholders.index).label}, past x[{n_features - 1}]"
        )
    params = plan.scalars[: plan.n_params]
    return _lay_out(order, root_nodes, placeholders[:n_features], params, n_features, None, plan.returns_list)


def _lay_out(
    order: list[Value],
    roots: list[Value],
    placeholders: list[Value],
    params: Sequence[Value],
    n_features: int,
    target_shape: tuple[int, ...] | None,
    returns_list: bool,
) -> Plan:
    """Group the recorded nodes (``order``: every node below ``roots``, each after its inputs) into a plan."""
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
    is_row: dict[Value, bool] = dict.fromkeys(row_of, True)  # per sample: placeholders and every node
    for node in order:
        if node._rule is None:
            if node not in row_of and node not in scalar_of:
                scalar_of[node] = len(scalars)  # a constant
                scalars.append(node)
            depth[node] = 0
            is_row.setdefault(node, False)
            continue
        inputs = node._children
        depth[node] = node_depth = 1 + builtins.max(map(depth.__getitem__, inputs))
        is_row[node] = True
        kinds = tuple(map(is_row.__getitem__, inputs))
        buckets.setdefault((node_depth, id(node._rule), len(inputs), kinds), []).append(node)

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
    rule = nodes[0]._rule
    dot = _dot_form(rule, arity, kinds, nodes, row_of, scalar_of)
    select = None if dot is not None else _select_form(rule, arity, kinds, nodes, row_of, scalar_of)
    row_positions = tuple(p for p in range(arity) if kinds[p])
    scalar_positions = tuple(p for p in range(arity) if not kinds[p])
    if dot is not None or select is not None:  # their forms hold the indices; the per-position ones go unused
        row_index = np.empty((len(nodes), 0), dtype=np.intp)
        scalar_index = np.empty((len(nodes), 0), dtype=np.intp)
    else:
        row_index = _indices(nodes, row_positions, row_of)
        scalar_index = _indices(nodes, scalar_positions, scalar_of)
    return Group(
        rule=rule,
        depth=depth,
        start=start,
        stop=start + len(nodes),
        arity=arity,
        row_positions=row_positions,
        row_index=row_index,
        row_unique=tuple(len(np.unique(row_index[:, j])) == len(nodes) for j in range(row_index.shape[1])),
        all_rows_unique=_no_repeats(row_index),
        scalar_positions=scalar_positions,
        scalar_index=scalar_index,
        dot=dot,
        select=select,
        nodes=nodes,
    )


def _indices(nodes: list[Value], positions: Sequence[int], index_of: dict[Value, int]) -> np.ndarray:
    """(len(nodes), len(positions)): where each node's inputs at those positions are, rows or scalars."""
    if len(positions) == len(nodes[0]._children):
        flat = [index_of[v] for n in nodes for v in n._children]
    else:
        flat = [index_of[n._children[p]] for n in nodes for p in positions]
    return np.array(flat, dtype=np.intp).reshape(len(nodes), len(positions))


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
    weights = _indices(nodes, range(arity)[weights_part], row_of if weights_are_rows else scalar_of)
    inputs = _indices(nodes, range(arity)[inputs_part], row_of)
    bias_is_row = has_bias and kinds[-1]
    bias = None
    if has_bias:
        bias = _indices(nodes, (arity - 1,), row_of if bias_is_row else scalar_of)[:, 0]
    grid = None if weights_are_rows else _product_grid(weights, inputs)
    unique = (
        weights_are_rows and _no_repeats(weights),
        grid is None and _no_repeats(inputs),
        bias_is_row and _no_repeats(bias),
    )
    if grid is not None:
        weights = inputs = None
    return DotForm(weights, weights_are_rows, inputs, bias, bias_is_row, grid, unique)


def _product_grid(weights: np.ndarray, inputs: np.ndarray) -> ProductGrid | None:
    """The matrix product whose entries the nodes are, if they are each (weight row, input vector) pair once."""
    distinct_weights, weight_id = distinct_rows(weights)
    distinct_inputs, input_id = distinct_rows(inputs)
    m, positions = len(distinct_weights), len(distinct_inputs)
    entry = weight_id.ravel() * positions + input_id.ravel()
    if m * positions != len(entry) or not _no_repeats(entry):
        return None
    in_order = bool((entry == np.arange(len(entry))).all())
    return ProductGrid(
        distinct_weights, distinct_inputs, entry, _no_repeats(distinct_weights), _no_repeats(distinct_inputs), in_order
    )


def _select_form(rule: Rule, arity: int, kinds: tuple[bool, ...], nodes, row_of, scalar_of) -> SelectForm | None:
    """The gather form of a group of select nodes whose index is a row and whose entries are all of one kind."""
    if rule is not rules.SELECT or arity < 2 or not kinds[0] or len(set(kinds[1:])) != 1:
        return None
    entries_are_rows = kinds[1]
    index = _indices(nodes, (0,), row_of)[:, 0]
    entries = _indices(nodes, range(1, arity), row_of if entries_are_rows else scalar_of)
    return SelectForm(index, entries, entries_are_rows)


def distinct_rows(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D index array in order of first appearance, and each row's number among them."""
    number_of: dict[bytes, int] = {}
    firsts: list[int] = []
    ids = np.empty(len(array), dtype=np.intp)
    for i, row in enumerate(map(bytes, np.ascontiguousarray(array))):  # a row's bytes identify it
        number = number_of.get(row)
        if number is None:
            number = number_of[row] = len(firsts)
            firsts.append(i)
        ids[i] = number
    return array[firsts], ids


def _no_repeats(index: np.ndarray) -> bool:
    return len(np.unique(index)) == index.size
