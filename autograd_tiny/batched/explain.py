"""``batched.explain()``: a vectorize plan in words, each group in matrix terms where it is a matrix operation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..table import Table
from .record import target_count

if TYPE_CHECKING:
    from ..value import Value
    from .plan import Group, Plan


def _name(node: Value) -> str:
    if node.label:
        return node.label
    return f"{node.data:g}" if node.is_leaf else f"({node.op} …)"


def _names(group: Group) -> str:
    """Which nodes: a layer when the nodes carry ``nn``'s marks, else labels, else the first node's formula."""
    metas = [n.meta for n in group.nodes if n.meta]
    layers = {m.get("layer") for m in metas}
    roles = {m.get("role") for m in metas}
    if len(metas) == group.size and len(layers) == 1 and len(roles) == 1:
        role = {"preactivation": "z", "activation": "a"}.get(next(iter(roles)), next(iter(roles)))
        return f"{role} of layer {next(iter(layers))}"
    labels = [n.label for n in group.nodes if n.label]
    if labels:
        return ", ".join(labels[:3]) + (", …" if len(labels) > 3 else "")
    first = group.nodes[0]
    formula = f"{first.op}({', '.join(_name(v) for v in first.inputs)})"
    return formula if group.size == 1 else f"{formula}, …"


def _matrix_form(group: Group) -> str:
    g = group.size
    dot = group.dot
    if dot is not None:
        k = dot.weights.shape[1]
        bias = " + bias" if dot.bias is not None else ""
        if dot.shared:
            return f"one (n × {k})·({k} × {g}) product{bias}; backward: Wᵀδ (BP2), δaᵀ (BP4), Σδ (BP3)"
        return f"{g} different rows of {k} weights · inputs, one einsum over (n × {g} × {k}){bias}"
    name = group.rule.name
    if name == "sum":
        return f"a sum over {group.arity} inputs, on ({g} × n) arrays"
    if group.arity == 1:
        return f"{name} on a ({g} × n) array, elementwise"
    kinds = ["per sample" if p in group.row_positions else "scalar" for p in range(group.arity)]
    return f"'{name}' elementwise on ({g} × n) arrays (inputs: {', '.join(kinds)})"


def describe_plan(plan: Plan, extra: Plan | None = None) -> str:
    nodes = sum(group.size for group in plan.groups)
    placeholders = plan.n_features + target_count(plan.target_shape)
    constants = len(plan.scalars) - plan.n_params
    lines = [
        f"vectorize plan: {nodes} operation nodes per sample, replayed as {len(plan.groups)} groups "
        f"({placeholders} placeholders for x and y, {plan.n_params} parameters and {constants} constant(s) "
        f"broadcast over the batch; plan indices {plan.nbytes:,} bytes).",
        "Forward runs the groups top to bottom, each as a few NumPy calls over the whole batch (n samples);",
        "backward runs them bottom to top, each sending δ = ∂C/∂node × the rule's local derivatives to its inputs.",
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
