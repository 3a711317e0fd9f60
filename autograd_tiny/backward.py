"""The reverse pass: the chain rule, applied once per node from the output back to the leaves.

Walk the nodes in reverse topological order. When a node is reached, every node that uses
it has already been visited, so its gradient ∂C/∂node is complete; it sends
``local_grad × gradient`` to each of its inputs, where the shares add up.

``reverse_pass`` is that walk, once, for every use: ``grad()``, ``backward(create_graph=True)``,
``vjp``/``jacobian`` and the explorer's step-by-step replay. ``accumulate_grads`` is the same
walk specialised for the first-order ``backward()`` into ``.grad``, the engine's hot path;
a property test asserts that the two agree on random graphs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .graph import topological_order
from .modes import AnomalyError, modes

if TYPE_CHECKING:
    from .value import Value

# on_step(node, gradient, sent): sent lists (input, position, local_grad, share, input's running sum)
StepObserver = Callable[["Value", Any, list[tuple["Value", int, Any, Any, Any]]], None]


def reverse_pass(
    seeds: Mapping[Value, Any],
    *,
    create_graph: bool = False,
    wrt: Collection[Value] | None = None,
    on_step: StepObserver | None = None,
) -> dict[Value, Any]:
    """∂(Σ seed·root)/∂node for every node the roots depend on, in a dict; no ``.grad`` is touched.

    ``seeds`` maps each root to its seed (1 for a scalar cost; several roots give a
    vector-Jacobian product). With ``create_graph`` the rules run on Values, so every
    gradient is a Value with a graph of its own (and can be differentiated again);
    otherwise they run on floats. With ``wrt``, gradients are sent only along paths that
    lead to those nodes: nothing is computed, or checked for anomalies, on the way to
    constants that no one asked about. ``on_step`` is called once per node, in order,
    with its complete gradient and the shares it sent.
    """
    order = topological_order(list(seeds))
    needed = _leading_to(order, wrt) if wrt is not None else None
    pending: dict[Value, Any] = dict(seeds)
    found: dict[Value, Any] = {}
    for node in reversed(order):
        if node not in pending:
            continue  # pruned: it leads to none of ``wrt``
        node_grad = found[node] = pending.pop(node)
        if node._rule is None:
            local = ()  # a leaf: nothing to send
        elif create_graph:
            local = node._rule.local_grads(node, *node._inputs)
        else:
            local = float_local_grads(node)
        sent = []
        for position, (child, local_grad) in enumerate(zip(node._inputs, local)):
            if needed is not None and child not in needed:
                continue
            if modes.anomaly:
                check_share(node, child, float(local_grad), float(node_grad))
            share = local_grad * node_grad
            previous = pending.get(child)
            pending[child] = share if previous is None else previous + share
            if on_step is not None:
                sent.append((child, position, local_grad, share, pending[child]))
        if on_step is not None:
            on_step(node, node_grad, sent)
    return found


def accumulate_grads(root: Value, seed: float) -> None:
    """``reverse_pass({root: seed})`` on floats, with each gradient added to ``node.grad``.

    The same walk as ``reverse_pass``, with the numbers summed in ``.grad`` itself instead
    of a dict; whatever earlier passes left there is set aside first and added back at the
    end. This is the hot path of training, so ``float_local_grads`` is inlined and a node
    whose gradient is exactly 0 sends nothing when its local derivatives are finite (a dead
    relu, a satisfied hinge), which changes no result.
    """
    order = topological_order(root)
    earlier = [node.grad for node in order]
    set_aside = any(earlier)
    if set_aside:
        for node in order:
            node.grad = 0.0
    root.grad = seed
    anomaly, isfinite = modes.anomaly, math.isfinite
    for node in reversed(order):
        rule = node._rule
        if rule is None:
            continue
        node_grad = node.grad  # ∂root/∂node, complete: all its consumers came first
        inputs = node._inputs
        try:
            local = rule.local_grads(node.data, *[v.data for v in inputs])
        except ArithmeticError:  # e.g. 1/x at x = 0 in log's derivative
            local = ieee_local_grads(node)
        if anomaly:
            for child, local_grad in zip(inputs, local):
                check_share(node, child, local_grad, node_grad)
        if node_grad == 0.0 and all(map(isfinite, local)):
            continue
        for child, local_grad in zip(inputs, local):
            child.grad += local_grad * node_grad
    if set_aside:
        for node, grad_before in zip(order, earlier):
            node.grad += grad_before


def propagate(node: Value) -> None:
    """One node's step of the reverse pass, on ``.grad``: each input's grad += local_grad × node.grad.

    ``accumulate_grads`` is this step for every node in reverse topological order; by hand,
    node by node, it is micrograd's ``_backward()``.
    """
    if node._rule is None:
        return  # a leaf has no inputs to send to
    node_grad = node.grad
    for child, local_grad in zip(node._inputs, float_local_grads(node)):
        if modes.anomaly:
            check_share(node, child, local_grad, node_grad)
        child.grad += local_grad * node_grad


def float_local_grads(node: Value) -> tuple:
    """``node``'s local derivatives on its numbers, with IEEE results where Python floats would raise."""
    try:
        return node._rule.local_grads(node.data, *[v.data for v in node._inputs])
    except ArithmeticError:
        return ieee_local_grads(node)


def ieee_local_grads(node: Value) -> tuple[float, ...]:
    """``node``'s local derivatives in NumPy float64, which gives inf/nan where Python floats raise."""
    with np.errstate(all="ignore"):
        local = node._rule.local_grads(np.float64(node.data), *[np.float64(v.data) for v in node._inputs])
    return tuple(float(g) for g in local)


def _leading_to(order: Sequence[Value], targets: Iterable[Value]) -> set[Value]:
    """The nodes of ``order`` from which some target can be reached (the targets included)."""
    needed = set(targets)
    for node in order:  # inputs come first, so one forward sweep suffices
        if node not in needed and any(child in needed for child in node._inputs):
            needed.add(node)
    return needed


# --- detect_anomaly ----------------------------------------------------------------------
def describe(values: Iterable[Value]) -> str:
    return ", ".join(f"{v.label or '<unlabelled>'} = {v.data!r}" for v in values)


def check_share(node: Value, child: Value, local_grad: float, node_grad: float) -> None:
    """Under detect_anomaly: raise if ``node`` sends a non-finite gradient to ``child``."""
    if not math.isfinite(local_grad * node_grad):
        raise AnomalyError(
            f"detect_anomaly: backward pass: operation '{node.op}' "
            f"({node.label or '<unlabelled>'} = {node.data!r}, inputs {describe(node._inputs)}) "
            f"sent a non-finite gradient to input {child.label or '<unlabelled>'}: "
            f"local derivative {local_grad!r} × grad {node_grad!r}"
        )
