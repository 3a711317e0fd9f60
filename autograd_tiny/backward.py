"""The chain rule, once per node from the output back to the leaves, written twice.

Walk the nodes in reverse topological order: when a node is reached, every node that uses it
has been visited, so its gradient ∂C/∂node is complete; it sends ``local_grad × gradient`` to
each input, where the shares add up. ``backward`` is that walk in its plainest form, microgpt's
loop over the local derivatives stored in each node. ``reverse_pass`` is the same walk with
what other uses need as parameters: gradients in a dict (``grad()``, ``vjp``), built as Values
(``create_graph``), pruned to paths that reach some nodes (``wrt``), watched step by step (the
explorer, ``propagate()``). A property test holds the two, and every entry point, equal on random graphs.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .graph import topological_order
from .modes import modes

if TYPE_CHECKING:
    from .value import Value

_grad_of = operator.attrgetter("grad")
# on_step(node, gradient, sent): sent lists (input, position, local_grad, share, input's running sum)
StepObserver = Callable[["Value", Any, list[tuple["Value", int, Any, Any, Any]]], None]


def backward(root: Value, seed: float) -> None:
    """Add ∂root/∂node × seed to ``node.grad`` for every node ``root`` depends on.

    The loop is microgpt's. It reads each node's complete gradient from ``.grad``, so it runs
    only on a graph whose ``.grad`` are all 0; otherwise (a second ``backward()``, where each
    node must pass on this pass's gradient only) and under a watcher (``detect_anomaly``) the
    general loop computes this pass's gradients apart and adds them.
    """
    order = topological_order(root)
    if modes.watcher is not None or any(map(_grad_of, order)):
        for node, node_grad in reverse_pass({root: seed}, order=order).items():
            node.grad += node_grad
        return
    root.grad = seed
    for node in reversed(order):
        if not node._children:
            continue  # a leaf: nothing to pass on
        grad = node.grad  # complete: every node that uses this one has sent its share
        if grad == 0.0 and all(map(math.isfinite, node._local_grads)):
            continue  # 0 × a finite local derivative adds nothing (behind a dead relu, a satisfied hinge)
        for child, local_grad in zip(node._children, node._local_grads):
            child.grad += local_grad * grad


def reverse_pass(
    seeds: Mapping[Value, Any],
    *,
    create_graph: bool = False,
    wrt: Collection[Value] | None = None,
    on_step: StepObserver | None = None,
    order: Sequence[Value] | None = None,
) -> dict[Value, Any]:
    """∂(Σ seed·root)/∂node for every node the roots depend on, in a dict; no ``.grad`` is touched.

    ``seeds`` maps each root to its seed (several roots: a vector-Jacobian product). With
    ``create_graph`` each node's rule computes its local derivatives again on Values, so each
    gradient is a Value with a graph of its own; otherwise the stored floats are used. With
    ``wrt``, shares go only along paths that lead to those nodes (nothing is computed, or
    checked for anomalies, on the way to constants no one asked about). ``on_step(node,
    gradient, sent)`` is called per node, in order. ``order`` walks only the given nodes
    (default: all, topologically); the dict then also holds the shares sent beyond them.
    """
    order = topological_order(list(seeds)) if order is None else order
    needed = _leading_to(order, wrt) if wrt is not None else None
    watcher = modes.watcher
    found: dict[Value, Any] = dict(seeds)
    for node in reversed(order):
        if node not in found:
            continue  # pruned: it leads to none of ``wrt``
        node_grad = found[node]
        local = node._rule.local_grads(node, *node._children) if create_graph and node._children else node._local_grads
        sent = []
        for position, (child, local_grad) in enumerate(zip(node._children, local)):
            if needed is not None and child not in needed:
                continue
            if watcher is not None:
                watcher.share(node, child, local_grad, node_grad)
            share = local_grad * node_grad
            found[child] = share if child not in found else found[child] + share
            sent.append((child, position, local_grad, share, found[child]))
        if on_step is not None:
            on_step(node, node_grad, sent)
    return found


def _leading_to(order: Sequence[Value], targets: Iterable[Value]) -> set[Value]:
    """The nodes of ``order`` from which some target can be reached (the targets included)."""
    needed = set(targets)
    for node in order:  # inputs come first, so one forward sweep suffices
        if node not in needed and any(child in needed for child in node._children):
            needed.add(node)
    return needed
