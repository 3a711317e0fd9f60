"""``vectorize``: record one sample's scalar graph once, replay it over a whole batch with NumPy.

A model's graph has the same shape for every sample: only the numbers at the inputs change.
So ``fn(x, y)`` is recorded once, with placeholder Values for one sample's features ``x`` and
target ``y``, and the recorded nodes become a *plan*:

- every node that depends on the sample is a row of an array of shape (rows, batch): row r,
  column i holds that node's number for sample i;
- parameters and constants are scalars, broadcast over the batch;
- nodes at the same depth with the same operation (and the same kinds of inputs) form a
  *group*, evaluated by one call of the rule's forward on arrays of shape (group size, batch).
  A group of ``dot`` nodes that is every entry of a matrix product is that product, W·A + b;
  any other is one gathered product over index arrays; a group of ``select`` nodes with a
  per-sample index is one gather (``plan.py``, ``execute.py``).

The backward pass walks the groups in reverse: each group's rows of ∂C/∂node (a gradient
per node and sample) are multiplied by the rule's local derivatives, evaluated on the same
arrays, and added to the rows of the group's inputs; a parameter's share is summed over the
batch. The rule table (``rules.py``) is the one source of each operation's forward value and
local derivatives: the same ``local_grads`` runs on floats in the scalar engine and on arrays
here. All array arithmetic runs under ``np.errstate(all="ignore")``, so inf and nan come out
per sample, silently, as on floats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..value import Value
from .execute import Workspace, backward, current_scalars, forward, numbers
from .explain import describe_plan
from .plan import Plan, build_plan
from .record import check_at_replay
from .refusals import DataDependentGraphError
from .sequences import SequenceReplay, vectorize_sequences


class Batched:
    """``fn`` replayed over batches: call it as ``batched(X, Y)``; see ``vectorize``."""

    def __init__(self, fn: Callable, params: Sequence[Value], extra: Callable[[], Value] | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"vectorize: fn must be callable, got {type(fn).__name__}")
        if extra is not None and not callable(extra):
            raise TypeError(f"vectorize: extra must be a function of no arguments, got {type(extra).__name__}")
        if isinstance(params, Value):
            params = [params]
        self.fn = fn
        self.params = list(params)
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"vectorize: params[{i}] is a {type(p).__name__}, expected a Value")
        self.extra = extra
        self.plan: Plan | None = None
        self.extra_plan: Plan | None = None
        self.last_mean_cost = float("nan")  # the last call's (1/n) Σᵢ fn(xᵢ, yᵢ), without ``extra``
        self._last_values: np.ndarray | None = None
        self._workspace, self._extra_workspace = Workspace(), Workspace()

    # the inputs
    def _arrays(self, X: Any, Y: Any) -> tuple[np.ndarray, np.ndarray | None]:
        whole_numbers = (_is_whole(X), Y is not None and _is_whole(Y))
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as err:
            raise ValueError(f"vectorize: X must be numbers of shape (n, features): {err}") from None
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"vectorize: X must have shape (n, features) with n ≥ 1, got shape {X.shape}")
        given_Y = None
        if Y is not None:
            try:
                given_Y, Y = np.asarray(Y), np.asarray(Y, dtype=float)
            except (TypeError, ValueError) as err:
                raise ValueError(f"vectorize: Y must be numbers of shape (n,) or (n, outputs): {err}") from None
            if Y.ndim not in (1, 2) or Y.shape[0] != X.shape[0]:
                raise ValueError(
                    f"vectorize: Y must have shape ({X.shape[0]},) or ({X.shape[0]}, outputs) for X of shape "
                    f"{X.shape}, got shape {Y.shape}"
                )
        target_shape = None if Y is None else Y.shape[1:]
        if self.plan is None:  # the checks of Y that fn's losses register run on this Y as fn is recorded
            self.plan = build_plan(
                self.fn, self.params, X.shape[1], target_shape, whole_numbers=whole_numbers, batch_targets=given_Y
            )
            return X, Y
        if (X.shape[1], target_shape) != (self.plan.n_features, self.plan.target_shape):
            raise ValueError(
                f"vectorize: fn was recorded for samples of {self.plan.n_features} features and targets of shape "
                f"{_shape_words(self.plan.target_shape)}; got {X.shape[1]} features and targets of shape "
                f"{_shape_words(target_shape)}"
            )
        for check in self.plan.target_checks:  # before the replay: Y's numbers as the losses in fn expect them
            check(given_Y)
        return X, Y

    def forward(self, X: Any, Y: Any = None) -> np.ndarray:
        """fn's returned Value(s) for every sample, without gradients: shape (n,), or (n, k) for a list of k."""
        X, Y = self._arrays(X, Y)
        plan = self.plan
        with np.errstate(all="ignore"):
            values, _ = forward(plan, X, Y, current_scalars(plan, numbers(self.params)), self._workspace)
        self._last_values = values
        out = values[plan.roots].T
        return out if plan.returns_list else out[:, 0]

    def __call__(self, X: Any, Y: Any = None) -> float:
        """The mean cost over the batch (+ the ``extra`` term); adds its gradient to every ``p.grad``."""
        X, Y = self._arrays(X, Y)
        plan = self.plan
        if plan.returns_list:
            raise TypeError("vectorize: fn returned a list of Values; batched(X, Y) needs one cost (use .forward)")
        n = X.shape[0]
        param_numbers = numbers(self.params)
        scalar_values = current_scalars(plan, param_numbers)
        with np.errstate(all="ignore"):  # inf and nan per sample, silently, as on floats
            values, saved = forward(plan, X, Y, scalar_values, self._workspace)
            seed = np.full(n, 1.0 / n)
            scalar_grads = backward(plan, values, saved, scalar_values, seed, plan.roots[0], self._workspace)
            cost = self.last_mean_cost = float(np.sum(values[plan.roots[0]]) * (1.0 / n))
            if self.extra is not None:
                extra_cost, extra_grads = self._extra_term(param_numbers)
                scalar_grads[: plan.n_params] += extra_grads
                cost += extra_cost
        self._last_values = values
        for p, g in zip(self.params, scalar_grads[: plan.n_params].tolist()):
            p.grad += g
        return cost

    def _extra_term(self, param_numbers: np.ndarray) -> tuple[float, np.ndarray]:
        """The parameter-only term's value and its gradient for each parameter: a plan replayed once.
        (Called under the caller's ``np.errstate``.)"""
        if self.extra_plan is None:
            self.extra_plan = build_plan(lambda x, y: self.extra(), self.params, 0, None, name="extra")
        plan = self.extra_plan
        scalar_values = current_scalars(plan, param_numbers)
        values, saved = forward(plan, np.empty((1, 0)), None, scalar_values, self._extra_workspace)
        grads = backward(plan, values, saved, scalar_values, np.ones(1), plan.roots[0], self._extra_workspace)
        return float(values[plan.roots[0], 0]), grads[: plan.n_params]

    def batch_values(self, nodes: Sequence[Value]) -> np.ndarray:
        """The last call's numbers of ``nodes`` (Values ``fn`` built while it was recorded), shape (n, len(nodes))."""
        if self._last_values is None or self.plan is None:
            raise RuntimeError("vectorize: call batched(X, Y) or batched.forward(X) first")
        try:
            rows = [self.plan.row_of[v] for v in nodes]
        except KeyError:
            raise ValueError("vectorize: batch_values needs nodes that fn built while it was recorded") from None
        return self._last_values[rows].T

    def describe(self) -> str:
        """The recorded plan in words (what ``explain`` prints)."""
        if self.plan is None:
            raise RuntimeError("vectorize: nothing recorded yet: the graph is recorded on the first batched(X, Y) call")
        return describe_plan(self.plan, self.extra_plan)

    def explain(self) -> None:
        """Print the recorded plan: nodes per sample, how they were grouped, each group in matrix terms."""
        print(self.describe())


def _is_whole(array: Any) -> bool:
    """Integers (token ids, class indices): recorded with placeholders holding 0, a valid index for ``select``."""
    return np.issubdtype(np.asarray(array).dtype, np.integer)


def _shape_words(shape: tuple[int, ...] | None) -> str:
    return "none" if shape is None else "(n,)" if shape == () else f"(n, {shape[0]})"


def vectorize(
    fn: Callable[[list[Value], Any], Value], params: Sequence[Value], *, extra: Callable[[], Value] | None = None
) -> Batched:
    """Record ``fn(x, y)``'s graph for one sample and return ``batched(X, Y)``, its replay over a batch.

    ``fn(x, y)``: a per-sample cost built from Values: ``x`` one sample's features (a list of
    Values), ``y`` its target (a Value, or a list of Values for a 2-D ``Y``); it may use the
    ``params`` (Values shared by all samples) and constants. It is recorded on the first call,
    with placeholders, and must build the same operations for every sample: reading a recorded
    Value's number (``.data``, a comparison, ``max``, ``bool()``, ``float()``, ``int()``) raises
    ``DataDependentGraphError`` naming the file and line (``batched.batch_values(nodes)`` reads
    the recorded nodes' numbers after each batch).

    A loss of ``nn.losses`` takes y as it is (``loss(model(x), y)``). It cannot read y's numbers
    while fn is recorded, so it registers its check of targets (``check_at_replay``), which runs on
    the real Y of the first batch and of every later one before it is replayed: a bad Y (a 2 among
    0/1 labels, a nan, float class indices) is the loss's ValueError naming ``Y[i]``.

    ``batched(X, Y)`` (X of shape (n, features), Y of shape (n,) or (n, outputs)) returns the
    mean cost C = (1/n) Σᵢ fn(xᵢ, yᵢ) and adds ∂C/∂p to every ``p.grad``, the numbers the scalar
    graph of the whole batch would give.

    ``extra``: a term that depends only on the parameters (an L2 penalty), a function of no
    arguments returning a Value, e.g. ``extra=lambda: 1e-4 * at.sum([p * p for p in params])``.
    It is recorded once too (so it must build the same operations whatever the parameters'
    numbers), evaluated once per call, not per sample, and added to the cost:
    C = (1/n) Σᵢ fn(xᵢ, yᵢ) + extra().

    ``batched.forward(X, Y)`` gives fn's value(s) per sample, without gradients;
    ``batched.explain()`` prints the plan.

    A Value that fn uses but that is neither in ``params``, nor a placeholder, nor a constant
    made inside fn is an error naming it (its gradient would silently stay 0). Integer ``X``
    or ``Y`` (token ids, class indices) may choose with ``select(values, x[i])`` or
    ``embedding(table, x[i])``: their placeholders hold 0 while recording, and each replayed
    index must be a whole number in range. For sequences of different lengths see
    ``vectorize_sequences``.
    """
    return Batched(fn, params, extra)


__all__ = [
    "Batched",
    "DataDependentGraphError",
    "SequenceReplay",
    "check_at_replay",
    "vectorize",
    "vectorize_sequences",
]
