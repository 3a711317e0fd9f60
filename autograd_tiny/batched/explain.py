"""``batched.explain()``: a vectorize plan in words, each group in matrix terms where it is a matrix operation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import rules
from ..table import Table
from .plan import distinct_rows
from .record import target_count

if TYPE_CHECKING:
    from ..value import Value
    from .plan import Group, Plan


def _name(node: Value) -> str:
    if node.label:
        return node.label
    return f"{node.data:g}" if node.is_leaf else f"({node.op} …)"


def _names(group: Group) -> str:
    """Which nodes: a layer when the nodes carry ``nn``'s layer marks (an MLP's; a GPT marks positions
    and blocks instead), else labels, else the first node's formula."""
    metas = [n.meta for n in group.nodes if n.meta]
    layers = {m.get("layer") for m in metas}
    roles = {m.get("role") for m in metas}
    if len(metas) == group.size and len(layers) == 1 and None not in layers and len(roles) == 1 and None not in roles:
        role = {"preactivation": "z", "activation": "a"}.get(next(iter(roles)), next(iter(roles)))
        return f"{role} of layer {next(iter(layers))}"
    labels = [n.label for n in group.nodes if n.label]
    if labels:
        return ", ".join(labels[:3]) + (", …" if len(labels) > 3 else "")
    first = group.nodes[0]
    shown = [_name(v) for v in first.inputs[:4]] + (["…"] if len(first.inputs) > 4 else [])
    formula = f"{first.op}({', '.join(shown)})"
    return formula if group.size == 1 else f"{formula}, …"


def _matrix_form(group: Group) -> str:
    g = group.size
    if group.dot is not None:
        return _dot_words(group)
    if group.select is not None:
        return _select_words(group)
    if group.rule is rules.LOGSUMEXP:
        return _logsumexp_words(group)
    name = group.rule.name
    if group.rule is rules.SUM:  # n-ary: each node combines its own inputs
        inputs = "1 input" if group.arity == 1 else f"{group.arity} inputs"
        return f"a {name} over {inputs} per node, on ({g} × n) arrays"
    if name == "dot":
        return f"dot with rows and scalars mixed on one side: the rule's forward on {group.arity} ({g} × n) arrays"
    if group.arity == 1:
        return f"{name} on a ({g} × n) array, elementwise"
    kinds = ["per sample" if p in group.row_positions else "scalar" for p in range(group.arity)]
    return f"'{name}' elementwise on ({g} × n) arrays (inputs: {', '.join(kinds)})"


def _dot_words(group: Group) -> str:
    """A group of dot nodes as the matrix product(s) whose entries it computes."""
    dot = group.dot
    preactivations = all(node.meta and node.meta.get("role") == "preactivation" for node in group.nodes)
    if dot.bias is None:
        bias, to_bias = "", ""
    elif dot.bias_is_row:  # each sample's own number (a GPT's residual stream): its gradient is passed on as it is
        bias, to_bias = " + a per-sample bias", ", δ to the bias" if preactivations else ", the gradient to the bias"
    else:  # a parameter or constant shared by the batch
        bias, to_bias = (
            " + bias",
            ", Σδ (BP3)" if preactivations else ", the gradient summed over the batch to the bias",
        )
    if dot.grid is not None:
        (m, k), positions = dot.grid.weights.shape, dot.grid.inputs.shape[0]
        backward = "Wᵀδ (BP2), δaᵀ (BP4)" if preactivations else "Wᵀ·gradient to A, gradient·Aᵀ to W"
        backward += to_bias
        if positions == 1:
            return f"one (n × {k})·({k} × {m}) product{bias}; backward: {backward}"
        return f"one ({m} × {k})·({k} × {positions}) product W·A per sample{bias}; backward: {backward}"
    weights, inputs = dot.per_node()
    g, k = weights.shape
    blocks = _product_blocks(weights, inputs)
    shapes = {shape for shape, _ in blocks}
    if len(shapes) == 1:
        ((m, p),) = shapes
        product = f"({m} × {k})·({k} × {p})"
        what = f"one {product} product" if len(blocks) == 1 else f"{len(blocks)} batched {product} products"
        full = len(blocks) * m * p
    else:
        sides = "per-sample vectors" if dot.weights_are_rows else "weight rows and input vectors"
        what = f"{len(blocks)} products of {k}-long {sides}"
        full = sum(m * p for (m, p), _ in blocks)
    used = "" if g == full else f", the {g} of their {full} entries the graph uses"
    return f"{what} per sample{used}{bias}, gathered by index arrays (einsum); backward: the same, transposed{to_bias}"


def _product_blocks(left: np.ndarray, right: np.ndarray) -> list[tuple[tuple[int, int], int]]:
    """Node i pairs left vector left[i] with right vector right[i]: the blocks of the pairing
    (connected sets of left and right vectors, e.g. attention's heads) as ((lefts, rights), entries)."""
    _, left_id = distinct_rows(left)
    _, right_id = distinct_rows(right)
    left_id, right_id = left_id.ravel(), right_id.ravel() + int(left_id.max()) + 1
    parent = list(range(int(right_id.max()) + 1))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in zip(left_id.tolist(), right_id.tolist()):
        parent[root(a)] = root(b)
    blocks: dict[int, list] = {}
    for a, b in zip(left_id.tolist(), right_id.tolist()):
        lefts, rights, entries = blocks.setdefault(root(a), [set(), set(), 0])
        lefts.add(a)
        rights.add(b)
        blocks[root(a)][2] = entries + 1
    return [((len(lefts), len(rights)), entries) for lefts, rights, entries in blocks.values()]


def _logsumexp_words(group: Group) -> str:
    """A group of logsumexp nodes as ``execute`` runs it: its inputs stacked once, reduced along the input axis."""
    k, scalars = group.arity, len(group.scalar_positions)
    stack = f"a logsumexp over {'1 input' if k == 1 else f'{k} inputs'} per node, as one ({group.size} × {k} × n) stack"
    if not scalars:
        return f"{stack}; backward: softmax × gradient, one scatter to the inputs"
    which = "its inputs all" if scalars == k else f"{scalars} of its inputs"
    rows = "" if scalars == k else ", one scatter to the per-sample inputs"
    return (
        f"{stack} ({which} scalars, broadcast over the batch); backward: softmax × gradient{rows}, "
        "summed over the batch for the scalars"
    )


def _select_words(group: Group) -> str:
    select = group.select
    g, m = select.entries.shape
    indices = len(np.unique(select.index))
    if select.entries_are_rows:
        return f"picks 1 of {m} per-sample numbers by a per-sample index, {g} times; backward adds into the one picked"
    columns = len(distinct_rows(select.entries)[0])
    return (
        f"row lookup: for each of {indices} per-sample index(es), a row of a ({m} × {columns}) table (one gather); "
        "backward adds into the rows used (np.add.at)"
    )


def describe_plan(plan: Plan, extra: Plan | None = None) -> str:
    nodes = sum(group.size for group in plan.groups)
    placeholders = plan.n_features + target_count(plan.target_shape)
    constants = len(plan.scalars) - plan.n_params
    inputs = "x" if plan.target_shape is None else "x and y"
    lines = [
        f"vectorize plan: {nodes} operation nodes per sample, replayed as {len(plan.groups)} groups "
        f"({placeholders} placeholders for {inputs}, {plan.n_params} parameters and {constants} constant(s) "
        f"broadcast over the batch; plan indices {plan.nbytes:,} bytes).",
        "Forward runs the groups top to bottom, each as a few NumPy calls over the whole batch (n samples);",
        "backward runs them bottom to top, each sending its gradient ∂C/∂node × the rule's local derivatives to its",
        "inputs (at a pre-activation z that gradient is δ = ∂C/∂z).",
        "",
    ]
    rows = [
        (str(group.depth), f"{group.size} {group.rule.name}", _names(group), _matrix_form(group))
        for group in plan.groups
    ]
    lines.append(Table.of(("depth", "nodes", "which", "as arrays"), rows, align="rlll").text())
    if extra is not None:
        extra_nodes = sum(group.size for group in extra.groups)
        lines.append(
            f"extra (parameters only): {extra_nodes} nodes in {len(extra.groups)} groups, replayed once per "
            "call (not per sample) and added to the mean cost."
        )
    return "\n".join(lines)
