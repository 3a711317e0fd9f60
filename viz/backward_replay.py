"""A recorded replay of ``backward``: the engine's own pass, step by step.

``replay`` runs the engine's one reverse pass (``autograd_tiny.backward.reverse_pass``) and
records what it does at every node: the complete gradient it reached and the share it sent
to each input. The explorer embeds the record, so its last step holds the gradients
``backward`` computes by construction, not by a second implementation of the chain rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd_tiny import Value
from autograd_tiny.backward import reverse_pass


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
    steps: list[Step] = []
    received: dict[Value, list[Contribution]] = {}

    def record(node: Value, node_grad: float, sent: list) -> None:
        step = Step(node, node_grad, received.pop(node, []))
        for child, position, local, amount, running in sent:
            contribution = Contribution(node, child, position, float(local), node_grad, amount, running)
            step.sent.append(contribution)
            received.setdefault(child, []).append(contribution)
        steps.append(step)

    reverse_pass({root: float(seed)}, on_step=record)
    return steps
