"""Random expression graphs, for checking gradients against an oracle.

A recipe is a list of steps; each step applies one operation to earlier nodes (inputs
or results of earlier steps), so subexpressions are shared. Every operation is written
with operators and methods only (``a.tanh()``, ``a * b``), so the same recipe runs on
Values and, in the tests, on PyTorch tensors. Each operation keeps its inputs in a range
where it is smooth, so finite differences are a fair oracle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# name -> (number of operands, function of the operands). ``total`` and ``weighted``
# stand for the backend's n-ary sum and dot. Together they use every rule of the table
# (tests/test_operation_lists.py checks it).
SMOOTH_OPS: dict[str, tuple[int, Callable[..., Any]]] = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "div": (2, lambda a, b: a / (1.5 + b * b)),
    "neg": (1, lambda a: -a),
    "tanh": (1, lambda a: a.tanh()),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "exp": (1, lambda a: a.tanh().exp()),
    "log": (1, lambda a: (1.0 + a * a).log()),
    "sin": (1, lambda a: a.sin()),
    "cos": (1, lambda a: a.cos()),
    "sqrt": (1, lambda a: (0.25 + a * a).sqrt()),
    # The kinks sit at odd points (tanh(a) = 0.3183, a = −0.2718) that the inputs, the other
    # operations' special values (0, 0.5, 1, …) and each other never hit exactly.
    "abs": (1, lambda a: (a.tanh() - 0.3183).abs()),
    "relu": (1, lambda a: (a + 0.2718).relu() + a),
    "square": (1, lambda a: a**2),
    "cube": (1, lambda a: a.tanh() ** 3),
    "rpow": (1, lambda a: 2.0 ** a.tanh()),
    "pow": (2, lambda a, b: (1.5 + a.sigmoid()) ** b.tanh()),
}


@dataclass(frozen=True)
class Step:
    op: str
    operands: tuple[int, ...]  # indices into the list of nodes so far


@dataclass(frozen=True)
class RandomExpression:
    """A recipe for a random expression of ``n_inputs`` inputs."""

    n_inputs: int
    steps: tuple[Step, ...]

    def __call__(
        self, *inputs: Any, total: Callable[[Sequence], Any] | None = None, weighted: Callable | None = None
    ) -> Any:
        """Evaluate on ``inputs`` (Values by default; pass ``total``/``weighted`` for other backends)."""
        if total is None or weighted is None:
            from .nary import dot, sum

            total, weighted = total or sum, weighted or dot
        nodes = list(inputs)
        for step in self.steps:
            args = [nodes[i] for i in step.operands]
            if step.op == "sum":
                nodes.append(total(args))
            elif step.op == "dot":
                half = len(args) // 2
                nodes.append(weighted(args[:half], args[half:]))
            else:
                nodes.append(SMOOTH_OPS[step.op][1](*args))
        return total(nodes[-3:]) if len(nodes) > 1 else nodes[0]

    def __str__(self) -> str:
        names = [f"x{i}" for i in range(self.n_inputs)]
        for step in self.steps:
            names.append(f"{step.op}({', '.join(names[i] for i in step.operands)})")
        return names[-1]


def random_expression(rng: np.random.Generator, n_inputs: int = 3, n_steps: int = 8) -> RandomExpression:
    """A random recipe: each step picks an operation and operands among the earlier nodes."""
    names = [*SMOOTH_OPS, "sum", "dot"]
    steps = []
    for k in range(n_steps):
        available = n_inputs + k
        op = names[rng.integers(len(names))]
        if op in ("sum", "dot"):
            arity = int(rng.integers(1, 4)) * (2 if op == "dot" else 1)
        else:
            arity = SMOOTH_OPS[op][0]
        operands = tuple(int(i) for i in rng.integers(available, size=arity))
        steps.append(Step(op, operands))
    return RandomExpression(n_inputs, tuple(steps))
