"""A recorded replay of ``backward``: the engine's own order and numbers, step by step.

``backward`` walks ``reversed(topological_order(root))``; at each node the gradient is
complete, and it sends local derivative × gradient to each input. This module repeats that
walk with the engine's ``topological_order`` and ``local_grads()`` and records every step,
without touching the graph. The explorer embeds the record; its last step holds exactly the
gradients ``backward`` computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd_tiny import Value, topological_order


@dataclass
class Contribution:
    source: Value  # the node that sends
    target: Value  # one of its inputs
    position: int  # which input of source (0-based)
    local: float  # ∂source/∂target
    grad: float  # the sender's (final) gradient
    amount: float  # local × grad
    running: float  # the target's running sum after adding it


@dataclass
class Step:
    node: Value
    grad: float  # final: every consumer has sent its share
    received: list[Contribution] = field(default_factory=list)
    sent: list[Contribution] = field(default_factory=list)


def replay(root: Value, seed: float = 1.0) -> list[Step]:
    """Every step of ``root.backward(seed)``, in the engine's order, on a fresh pass."""
    running: dict[Value, float] = {root: float(seed)}
    received: dict[Value, list[Contribution]] = {}
    steps = []
    for node in reversed(topological_order(root)):
        step = Step(node, running.get(node, 0.0), received.pop(node, []))
        for position, (child, local) in enumerate(zip(node.inputs, node.local_grads())):
            amount = local * step.grad
            running[child] = running.get(child, 0.0) + amount
            contribution = Contribution(node, child, position, local, step.grad, amount, running[child])
            step.sent.append(contribution)
            received.setdefault(child, []).append(contribution)
        steps.append(step)
    return steps
