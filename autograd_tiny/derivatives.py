"""Derivatives without ``.grad``: ``grad``, forward mode (``jvp``), ``vjp`` and Jacobians.

All of them use the local derivatives each node stored when it was computed, through the
general reverse pass (``backward.reverse_pass``) or the forward-mode sweep below.

For f: ℝⁿ → ℝᵐ with Jacobian J (m × n):

- **Forward mode** carries a tangent alongside every node, in topological order:
  ṫ(node) = Σᵢ local_gradᵢ × ṫ(inputᵢ), the same local derivatives ``backward`` uses.
  One sweep gives J·t for one direction t; the whole J takes n sweeps (one per input).
- **Reverse mode** (``backward``'s pass) gives uᵀ·J for one weighting u of the outputs;
  the whole J takes m passes (one per output).

So forward mode is cheaper when there are few inputs and many outputs, reverse mode
(backpropagation) when there are many inputs (parameters) and one output (a cost).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .backward import reverse_pass
from .functions import direction, outputs, point_variables
from .graph import topological_order
from .value import Number, Value

if TYPE_CHECKING:
    import numpy as np


def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> list[Value]:
    """∂output/∂input for each of ``inputs``, without touching any ``.grad`` (as ``torch.autograd.grad``).

    An input that ``output`` does not depend on gets 0. With ``create_graph=True`` each
    gradient is a Value with its own graph, so it can be differentiated again (Hessians);
    otherwise each is a leaf Value holding the number.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad needs a Value output, got {type(output).__name__}")
    inputs = [inputs] if isinstance(inputs, Value) else list(inputs)
    for i, v in enumerate(inputs):
        if not isinstance(v, Value):
            raise TypeError(f"grad inputs[{i}] is a {type(v).__name__}, expected a Value")
    found = reverse_pass({output: Value(1.0) if create_graph else 1.0}, create_graph=create_graph, wrt=inputs)
    return [found[v] if create_graph and v in found else Value(found.get(v, 0.0)) for v in inputs]


def propagate(node: Value) -> None:
    """One node's step of the reverse pass, on ``.grad``: each input's grad += local_grad × node.grad
    (micrograd's ``_backward()``; ``backward()`` does it for every node, in reverse topological order)."""

    def add_shares(node: Value, node_grad: float, sent: list) -> None:
        for child, _, _, share, _ in sent:
            child.grad += share

    reverse_pass({node: node.grad}, order=[node], on_step=add_shares)


Value.propagate = propagate  # v.propagate(): attached here, so the core holds one reverse pass only


def push_tangents(roots: Sequence[Value], tangents: Mapping[Value, float]) -> dict[Value, float]:
    """The tangent of every node the roots depend on, given the tangents of some leaves.

    One forward sweep in topological order: each node's tangent is Σᵢ local_gradᵢ × ṫ(inputᵢ),
    over the inputs that carry a tangent. A node none of whose inputs carries one is constant
    in this direction and gets no entry (it counts as an exact 0, never as 0 · ∞).
    """
    found = dict(tangents)
    for node in topological_order(list(roots)):
        if not node._children or node in found:
            continue
        tangent = None
        for child, local_grad in zip(node._children, node._local_grads):
            child_tangent = found.get(child)
            if child_tangent is not None:
                share = local_grad * child_tangent
                tangent = share if tangent is None else tangent + share
        if tangent is not None:
            found[node] = tangent
    return found


def jvp(f: Callable[..., Any], primals: Sequence[Number], tangents: Sequence[Number]) -> tuple[Any, Any]:
    """``(f(primals), J·tangents)`` in one forward sweep, with no reverse pass (as ``jax.jvp``).

    ``f`` takes one Value per coordinate and returns a Value (then both results are floats)
    or a list of Values (then both are NumPy arrays of shape (m,)). A coordinate whose
    tangent is exactly 0 is left out of the sweep, as in ``jacobian``: ``jvp`` with a unit
    vector is exactly that column of J, even where another column holds inf (where JAX
    would give 0 · inf = nan).
    """
    import numpy as np

    xs = point_variables(primals)
    ys, single = outputs(f, xs)
    along = direction(tangents, len(xs), "tangents").tolist()
    found = push_tangents(ys, {x: t for x, t in zip(xs, along) if t != 0.0})  # a 0 tangent carries nothing
    values = np.array([y.data for y in ys])
    derivatives = np.array([float(found.get(y, 0.0)) for y in ys])
    return (float(values[0]), float(derivatives[0])) if single else (values, derivatives)


def vjp(f: Callable[..., Any], primals: Sequence[Number]) -> tuple[Any, Callable[[Any], np.ndarray]]:
    """``(f(primals), vjp_fn)`` as ``jax.vjp``: ``vjp_fn(u)`` is uᵀ·J, one reverse pass per call.

    ``u`` is a number when ``f`` returns one Value, else a sequence with one entry per output;
    an output weighted exactly 0 is left out, as in ``jacobian``. The graph is built once;
    each call of ``vjp_fn`` walks it backward again.
    """
    import numpy as np

    xs = point_variables(primals)
    ys, single = outputs(f, xs)

    def vjp_fn(cotangent: Any) -> np.ndarray:
        weights = direction(cotangent, len(ys), "the cotangent", of="f has {size} output(s)")
        seeds: dict[Value, float] = {}
        for y, weight in zip(ys, weights.tolist()):  # an output listed twice is weighted twice
            if weight != 0.0:  # a 0 weight asks nothing of that output
                seeds[y] = seeds.get(y, 0.0) + weight
        found = reverse_pass(seeds, wrt=xs)
        return np.array([float(found.get(x, 0.0)) for x in xs])

    values = np.array([y.data for y in ys])
    return (float(values[0]) if single else values), vjp_fn


def jacobian(
    f: Callable[..., Any], point: Sequence[Number], mode: Literal["reverse", "forward"] = "reverse"
) -> np.ndarray:
    """The Jacobian Jᵢⱼ = ∂fᵢ/∂xⱼ at ``point``, shape (outputs, inputs); one Value counts as one output.

    ``mode="reverse"``: one reverse pass per output (row by row). ``mode="forward"``: one
    tangent sweep per input (column by column). Both walk the same graph, built once, with
    the same local derivatives, and give the same matrix.
    """
    import numpy as np

    xs = point_variables(point)
    ys, _ = outputs(f, xs)
    if mode == "reverse":
        rows = []
        for y in ys:
            found = reverse_pass({y: 1.0}, wrt=xs)
            rows.append([float(found.get(x, 0.0)) for x in xs])
        return np.array(rows)
    if mode == "forward":
        columns = []
        for x in xs:
            found = push_tangents(ys, {x: 1.0})
            columns.append([float(found.get(y, 0.0)) for y in ys])
        return np.array(columns).T
    raise ValueError(f"mode must be 'reverse' or 'forward', got {mode!r}")
