"""Walks over the graph of Values, all iterative: a graph a million nodes deep is fine."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .value import Value


def topological_order(roots: Value | Iterable[Value]) -> list[Value]:
    """Every Value that ``roots`` depend on, each once, every node after all of its inputs.

    ``backward`` walks this list in reverse, so a node's gradient is complete before it
    is passed on to its inputs. Depth-first with an explicit stack of (node, iterator over
    its inputs): a node is finished, and appended, once its iterator is exhausted, or at once
    if all its inputs are seen already (a leaf; a matrix's row whose inputs earlier rows reached).
    """
    order: list[Value] = []
    seen: set = set()
    for root in [roots] if hasattr(roots, "_children") else roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root._children))]
        while stack:
            node, inputs = stack[-1]
            for child in inputs:
                if child not in seen:
                    seen.add(child)
                    if seen.issuperset(child._children):  # in a DAG, a seen input is finished
                        order.append(child)
                        continue
                    stack.append((child, iter(child._children)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order
