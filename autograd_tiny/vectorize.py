"""``vectorize``: record one sample's scalar graph once, replay it over a whole batch with NumPy.

A model's graph has the same shape for every sample: only the numbers at the inputs change.
So ``fn(x, y)`` is traced once, with placeholder Values for one sample's features ``x`` and
target ``y``, and the recorded nodes become a *plan*:

- every node that depends on the sample is a row of an array of shape (rows, batch): row r,
  column i holds that node's number for sample i;
- parameters and constants are scalars, broadcast over the batch;
- nodes at the same depth with the same operation (and the same kinds of inputs) form a
  *group*, evaluated by one call of the rule's forward on arrays of shape (group size, batch).
  A group of ``dot`` nodes reading the same inputs is a matrix product W·A + b.

The backward pass walks the groups in reverse: each group's rows of ∂C/∂node (a ``delta``
per node and sample) are multiplied by the rule's local derivatives, evaluated on the same
arrays, and added to the rows of the group's inputs; a parameter's share is summed over the
batch. The rule table (``rules.py``) is the one source of each operation's forward value and
local derivatives: the same ``local_grads`` runs on floats in the scalar engine and on arrays
here. All array arithmetic runs under ``np.errstate(all="ignore")``, so inf and nan come out
per sample, silently, as on floats.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import rules
from .graph import topological_order
from .modes import modes
from .rules import Rule
from .value import Value


class DataDependentGraphError(RuntimeError):
    """The traced function's graph depends on the sample's numbers, so it cannot be replayed."""


class Placeholder(Value):
    """One sample's feature or target while ``fn`` is traced: its number is not known yet.

    Anything that would let the graph's shape depend on that number raises
    ``DataDependentGraphError``: comparisons, ``bool``, ``float``, ``int``.
    """

    __slots__ = ()

    def _refuse(self, operation: str) -> None:
        refuse_while_tracing(operation, self)

    def __lt__(self, other: Any) -> bool:
        self._refuse("<")

    def __le__(self, other: Any) -> bool:
        self._refuse("<=")

    def __gt__(self, other: Any) -> bool:
        self._refuse(">")

    def __ge__(self, other: Any) -> bool:
        self._refuse(">=")

    def __bool__(self) -> bool:
        self._refuse("bool()")

    def __float__(self) -> float:
        self._refuse("float()")

    def __int__(self) -> int:
        self._refuse("int()")

    def __index__(self) -> int:
        self._refuse("int() / indexing")


def refuse_while_tracing(operation: str, value: Value) -> None:
    """Raise the error that says ``operation`` on a traced Value would make the graph data-dependent."""
    name = value.label or ("a placeholder" if isinstance(value, Placeholder) else f"a '{value.op}' node")
    raise DataDependentGraphError(
        f"vectorize: fn used {operation} on a traced Value ({name}) while its graph was being recorded. "
        "Its result depends on each sample's numbers, so the graph's shape could differ from sample to "
        "sample; vectorize needs a data-independent graph (the same operations for every sample). "
        "Use the scalar engine for this function, or express the branch with operations (relu, abs, …)."
    )


@contextmanager
def _tracing():
    recording, tracing = modes.recording, modes.tracing
    modes.recording, modes.tracing = True, True
    try:
        yield
    finally:
        modes.recording, modes.tracing = recording, tracing


# --- the plan ----------------------------------------------------------------------------
@dataclass(slots=True)
class DotForm:
    """A group of ``dot`` nodes z = W·a + b: weights and bias are scalars, the inputs are rows.

    ``shared`` when every node reads the same input rows (a layer of an MLP): one matrix product.
    """

    weights: np.ndarray  # (g, k) scalar indices
    inputs: np.ndarray  # (g, k) row indices; (k,) when shared
    bias: np.ndarray | None  # (g,) scalar indices
    shared: bool
    inputs_unique: bool  # no row appears twice in `inputs`: a plain += scatters the gradient


@dataclass(slots=True)
class Group:
    """Nodes at the same depth with the same rule and input kinds; their outputs are rows start:stop."""

    rule: Rule
    depth: int
    start: int
    stop: int
    arity: int
    row_positions: tuple[int, ...]  # input positions read from rows (per-sample numbers)
    row_index: np.ndarray  # (g, len(row_positions))
    row_unique: tuple[bool, ...]  # per row position: no row repeats within the group
    all_rows_unique: bool  # no row repeats anywhere in row_index
    scalar_positions: tuple[int, ...]  # input positions read from scalars (parameters, constants)
    scalar_index: np.ndarray  # (g, len(scalar_positions))
    dot: DotForm | None
    nodes: list[Value]  # the traced nodes (for explain)

    @property
    def size(self) -> int:
        return self.stop - self.start


@dataclass(slots=True)
class Plan:
    """The recorded graph of one sample, laid out for batches."""

    n_features: int
    target_shape: tuple[int, ...] | None  # () a number, (k,) a list, None: fn takes no target
    rows: int  # per-sample rows: placeholders first, then each group's outputs
    groups: list[Group]
    scalars: list[Value]  # parameters first, then constants (read afresh at every call)
    n_params: int
    roots: list[int]  # rows of the returned Value(s)
    returns_list: bool
    row_of: dict[Value, int]  # traced node → row (for ``batch_values``)

    @property
    def nbytes(self) -> int:
        """Bytes of the plan's index arrays."""
        total = 0
        for g in self.groups:
            total += g.row_index.nbytes + g.scalar_index.nbytes
            if g.dot is not None:
                total += g.dot.weights.nbytes + g.dot.inputs.nbytes + (0 if g.dot.bias is None else g.dot.bias.nbytes)
        return total


def target_count(target_shape: tuple[int, ...] | None) -> int:
    """How many placeholders a target of this shape takes: none, one number, or a row of k."""
    return 0 if target_shape is None else 1 if target_shape == () else target_shape[0]


def _trace(
    fn: Callable, n_features: int, target_shape: tuple[int, ...] | None, sign: float
) -> tuple[Any, list[Placeholder]]:
    """Call ``fn`` on placeholders holding fixed random numbers (times ``sign``), recording its graph."""
    rng = np.random.default_rng(0)
    x = [Placeholder(sign * float(v), f"x[{i}]") for i, v in enumerate(rng.standard_normal(n_features))]
    numbers = rng.standard_normal(target_count(target_shape))
    targets = [Placeholder(sign * float(v), "y" if target_shape == () else f"y[{j}]") for j, v in enumerate(numbers)]
    y = None if target_shape is None else targets[0] if target_shape == () else targets
    with _tracing():
        out = fn(x, y)
    return out, x + targets


def _roots(out: Any) -> tuple[list[Value], bool]:
    if isinstance(out, Value):
        return [out], False
    if isinstance(out, Sequence) and out and all(isinstance(v, Value) for v in out):
        return list(out), True
    raise TypeError(f"vectorize: fn must return a Value (a cost) or a list of Values, got {type(out).__name__}")


def _signature(roots: list[Value], placeholders: list[Placeholder], params: Sequence[Value]) -> list:
    """The graph's shape, with every constant's number: equal for two traces iff they replay alike."""
    index = {}
    for i, p in enumerate(placeholders):
        index[p] = ("x", i)
    for i, p in enumerate(params):
        index.setdefault(p, ("p", i))
    shape = []
    for node in topological_order(roots):
        if node not in index:
            index[node] = len(shape)
        entry = node.data.hex() if node._rule is None and index[node] == len(shape) else node._rule
        shape.append((entry, tuple(index[v] for v in node._inputs)))
    return [*shape, tuple(index[r] for r in roots)]


def build_plan(fn: Callable, params: Sequence[Value], n_features: int, target_shape: tuple[int, ...] | None) -> Plan:
    """Trace ``fn`` and lay out the plan.

    ``fn`` is traced twice, on placeholder numbers of opposite signs: a branch on a Value's
    ``.data`` (which no Value method sees) then usually records two different graphs, and is refused.
    """
    out, placeholders = _trace(fn, n_features, target_shape, sign=1.0)
    roots, returns_list = _roots(out)
    again, placeholders_again = _trace(fn, n_features, target_shape, sign=-1.0)
    again_roots, _ = _roots(again)
    if _signature(roots, placeholders, params) != _signature(again_roots, placeholders_again, params):
        raise DataDependentGraphError(
            "vectorize: fn recorded a different graph for different sample numbers (it reads a traced Value's "
            "number, e.g. `.data`, to choose an operation or a constant); vectorize needs a data-independent "
            "graph. Use the scalar engine for this function."
        )
    roots = [r if r._rule is not None else r + 0.0 for r in roots]  # a leaf returned as is becomes a row

    param_slot = {}
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"vectorize: params[{i}] is a {type(p).__name__}, expected a Value")
        if p._rule is not None:
            raise ValueError(f"vectorize: params[{i}] ({p.label or p.op}) is not a leaf; parameters must be leaves")
        param_slot.setdefault(p, i)
    scalars: list[Value] = list(params)
    scalar_of: dict[Value, int] = dict(param_slot)
    row_of: dict[Value, int] = {p: i for i, p in enumerate(placeholders)}

    depth: dict[Value, int] = {}
    buckets: dict[tuple, list[Value]] = {}
    for node in topological_order(roots):
        if node._rule is None:
            if node not in row_of and node not in scalar_of:
                scalar_of[node] = len(scalars)  # a constant
                scalars.append(node)
            depth[node] = 0
            continue
        depth[node] = 1 + builtins.max(depth[v] for v in node._inputs)
        kinds = tuple(v in row_of or v._rule is not None for v in node._inputs)
        rule = node._rule
        buckets.setdefault((depth[node], id(rule), len(node._inputs), kinds), []).append(node)

    groups: list[Group] = []
    row = len(placeholders)
    for (node_depth, _, arity, kinds), nodes in sorted(buckets.items(), key=lambda item: item[0][0]):
        for node in nodes:
            row_of[node] = row
            row += 1
        groups.append(_group(nodes, node_depth, arity, kinds, row - len(nodes), row_of, scalar_of))
    return Plan(
        n_features=n_features,
        target_shape=target_shape,
        rows=row,
        groups=groups,
        scalars=scalars,
        n_params=len(params),
        roots=[row_of[r] for r in roots],
        returns_list=returns_list,
        row_of=row_of,
    )


def _group(
    nodes: list[Value], depth: int, arity: int, kinds: tuple[bool, ...], start: int, row_of: dict, scalar_of: dict
) -> Group:
    row_positions = tuple(p for p in range(arity) if kinds[p])
    scalar_positions = tuple(p for p in range(arity) if not kinds[p])
    row_index = np.array([[row_of[n._inputs[p]] for p in row_positions] for n in nodes], dtype=np.intp)
    row_index = row_index.reshape(len(nodes), len(row_positions))
    scalar_index = np.array([[scalar_of[n._inputs[p]] for p in scalar_positions] for n in nodes], dtype=np.intp)
    scalar_index = scalar_index.reshape(len(nodes), len(scalar_positions))
    row_unique = tuple(len(set(row_index[:, j].tolist())) == len(nodes) for j in range(len(row_positions)))
    rule = nodes[0]._rule
    return Group(
        rule=rule,
        depth=depth,
        start=start,
        stop=start + len(nodes),
        arity=arity,
        row_positions=row_positions,
        row_index=row_index,
        row_unique=row_unique,
        all_rows_unique=len(set(row_index.ravel().tolist())) == row_index.size,
        scalar_positions=scalar_positions,
        scalar_index=scalar_index,
        dot=_dot_form(rule, arity, kinds, nodes, row_of, scalar_of),
        nodes=nodes,
    )


def _dot_form(rule: Rule, arity: int, kinds: tuple[bool, ...], nodes, row_of, scalar_of) -> DotForm | None:
    """The matrix form of a dot group whose weights (or inputs) are all scalars and the others all rows."""
    if rule is not rules.DOT or arity < 2:
        return None
    k = arity // 2
    has_bias = arity % 2 == 1
    if has_bias and kinds[-1]:
        return None
    if not any(kinds[:k]) and all(kinds[k : 2 * k]):
        scalar_part, row_part = slice(0, k), slice(k, 2 * k)
    elif all(kinds[:k]) and not any(kinds[k : 2 * k]):
        scalar_part, row_part = slice(k, 2 * k), slice(0, k)  # dot(a, w): the same product
    else:
        return None
    weights = np.array([[scalar_of[v] for v in n._inputs[scalar_part]] for n in nodes], dtype=np.intp)
    inputs = np.array([[row_of[v] for v in n._inputs[row_part]] for n in nodes], dtype=np.intp)
    bias = np.array([scalar_of[n._inputs[-1]] for n in nodes], dtype=np.intp) if has_bias else None
    shared = bool((inputs == inputs[0]).all())
    if shared:
        inputs = inputs[0]
    unique = len(set(inputs.ravel().tolist())) == inputs.size
    return DotForm(weights, inputs, bias, shared, unique)


# --- replay ---------------------------------------------------------------------------------
def _scatter_rows(grads: np.ndarray, index: np.ndarray, share: np.ndarray, unique: bool) -> None:
    if unique:
        grads[index] += share
    else:
        np.add.at(grads, index, share)


def _operands(group: Group, values: np.ndarray, scalar_values: np.ndarray) -> list:
    operands: list = [None] * group.arity
    if group.row_positions:
        gathered = values[group.row_index]  # (g, positions, batch)
        for j, p in enumerate(group.row_positions):
            operands[p] = gathered[:, j]
    if group.scalar_positions:
        picked = scalar_values[group.scalar_index]  # (g, positions)
        for j, p in enumerate(group.scalar_positions):
            operands[p] = picked[:, j : j + 1]  # (g, 1): broadcast over the batch
    return operands


def _finite(*arrays: np.ndarray) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


def forward(plan: Plan, X: np.ndarray, Y: np.ndarray | None, scalar_values: np.ndarray) -> tuple[np.ndarray, list]:
    """Every row's number for every sample; returns (values, what backward needs per group)."""
    n = X.shape[0]
    values = np.empty((plan.rows, n))
    values[: plan.n_features] = X.T
    if Y is not None:
        values[plan.n_features : plan.n_features + target_count(plan.target_shape)] = Y.reshape(n, -1).T
    saved: list = []
    for group in plan.groups:
        dot = group.dot
        if dot is not None and dot.shared:
            W = scalar_values[dot.weights]
            A = values[dot.inputs]
            if _finite(W, A):  # BLAS may skip zeros, so IEEE 0·inf goes through the rule instead
                out = W @ A
                if dot.bias is not None:
                    out += scalar_values[dot.bias][:, None]
                values[group.start : group.stop] = out
                saved.append((W, A))
                continue
        if group.rule is rules.SUM and not group.scalar_positions:  # row sums, in the rule's order
            values[group.start : group.stop] = values[group.row_index].sum(axis=1)
            saved.append(None)
            continue
        operands = _operands(group, values, scalar_values)
        forward_rule = group.rule.array_forward or group.rule.forward
        values[group.start : group.stop] = forward_rule(*operands)
        saved.append(operands)
    return values, saved


def backward(
    plan: Plan, values: np.ndarray, saved: list, scalar_values: np.ndarray, seed: np.ndarray, root: int
) -> np.ndarray:
    """∂(Σᵢ seedᵢ · rootᵢ)/∂scalar for every scalar (parameters first), summed over the batch."""
    grads = np.zeros_like(values)
    grads[root] = seed
    scalar_grads = np.zeros(len(plan.scalars))
    for group, kept in zip(reversed(plan.groups), reversed(saved)):
        delta = grads[group.start : group.stop]  # ∂C/∂node for each node of the group and each sample
        dot = group.dot
        if dot is not None and dot.shared and isinstance(kept, tuple):
            W, A = kept
            if _finite(delta):
                # BP2: ∂C/∂a = Wᵀδ;  BP4: ∂C/∂W = δ aᵀ (summed over the batch);  BP3: ∂C/∂b = Σ δ.
                _scatter_rows(grads, dot.inputs, W.T @ delta, dot.inputs_unique)
                np.add.at(scalar_grads, dot.weights, delta @ A.T)
                if dot.bias is not None:
                    np.add.at(scalar_grads, dot.bias, delta.sum(axis=1))
                continue
            kept = _operands(group, values, scalar_values)
        if kept is None:  # a sum of rows: every local derivative is 1, so each input receives δ
            _scatter_rows(grads, group.row_index, delta[:, None, :], group.all_rows_unique)
            continue
        out = values[group.start : group.stop]
        local = group.rule.local_grads(out, *kept)
        for j, p in enumerate(group.row_positions):
            _scatter_rows(grads, group.row_index[:, j], local[p] * delta, group.row_unique[j])
        for j, p in enumerate(group.scalar_positions):
            share = local[p] * delta
            np.add.at(scalar_grads, group.scalar_index[:, j], np.sum(share, axis=1) if np.ndim(share) else share)
    return scalar_grads


def _current_scalars(plan: Plan) -> np.ndarray:
    return np.fromiter((v.data for v in plan.scalars), dtype=float, count=len(plan.scalars))


# --- the public callable ----------------------------------------------------------------------
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

    # the inputs
    def _arrays(self, X: Any, Y: Any) -> tuple[np.ndarray, np.ndarray | None]:
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as err:
            raise ValueError(f"vectorize: X must be numbers of shape (n, features): {err}") from None
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"vectorize: X must have shape (n, features) with n ≥ 1, got shape {X.shape}")
        if Y is not None:
            try:
                Y = np.asarray(Y, dtype=float)
            except (TypeError, ValueError) as err:
                raise ValueError(f"vectorize: Y must be numbers of shape (n,) or (n, outputs): {err}") from None
            if Y.ndim not in (1, 2) or Y.shape[0] != X.shape[0]:
                raise ValueError(
                    f"vectorize: Y must have shape ({X.shape[0]},) or ({X.shape[0]}, outputs) for X of shape "
                    f"{X.shape}, got shape {Y.shape}"
                )
        target_shape = None if Y is None else Y.shape[1:]
        if self.plan is None:
            self.plan = build_plan(self.fn, self.params, X.shape[1], target_shape)
        elif (X.shape[1], target_shape) != (self.plan.n_features, self.plan.target_shape):
            raise ValueError(
                f"vectorize: fn was traced for samples of {self.plan.n_features} features and targets of shape "
                f"{_shape_words(self.plan.target_shape)}; got {X.shape[1]} features and targets of shape "
                f"{_shape_words(target_shape)}"
            )
        return X, Y

    def forward(self, X: Any, Y: Any = None) -> np.ndarray:
        """fn's returned Value(s) for every sample, without gradients: shape (n,), or (n, k) for a list of k."""
        X, Y = self._arrays(X, Y)
        plan = self.plan
        with np.errstate(all="ignore"):
            values, _ = forward(plan, X, Y, _current_scalars(plan))
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
        scalar_values = _current_scalars(plan)
        with np.errstate(all="ignore"):
            values, saved = forward(plan, X, Y, scalar_values)
            costs = values[plan.roots[0]]
            scalar_grads = backward(plan, values, saved, scalar_values, np.full(n, 1.0 / n), plan.roots[0])
        self._last_values = values
        cost = self.last_mean_cost = float(np.sum(costs) * (1.0 / n))
        if self.extra is not None:
            extra_cost, extra_grads = self._extra_term()
            scalar_grads[: plan.n_params] += extra_grads
            cost += extra_cost
        for p, g in zip(self.params, scalar_grads[: plan.n_params].tolist()):
            p.grad += g
        return cost

    def _extra_term(self) -> tuple[float, np.ndarray]:
        """The parameter-only term's value and its gradient for each parameter: a plan replayed once."""
        if self.extra_plan is None:
            self.extra_plan = build_plan(lambda x, y: self.extra(), self.params, 0, None)
        plan = self.extra_plan
        scalar_values = _current_scalars(plan)
        with np.errstate(all="ignore"):
            values, saved = forward(plan, np.empty((1, 0)), None, scalar_values)
            grads = backward(plan, values, saved, scalar_values, np.ones(1), plan.roots[0])
        return float(values[plan.roots[0], 0]), grads[: plan.n_params]

    def batch_values(self, nodes: Sequence[Value]) -> np.ndarray:
        """The last call's numbers of traced nodes (Values that ``fn`` built while traced), shape (n, len(nodes))."""
        if self._last_values is None or self.plan is None:
            raise RuntimeError("vectorize: call batched(X, Y) or batched.forward(X) first")
        try:
            rows = [self.plan.row_of[v] for v in nodes]
        except KeyError:
            raise ValueError("vectorize: batch_values needs nodes recorded while fn was traced") from None
        return self._last_values[rows].T

    def describe(self) -> str:
        """The recorded plan in words (what ``explain`` prints)."""
        from .vectorize_explain import describe_plan

        if self.plan is None:
            raise RuntimeError("vectorize: nothing recorded yet: the graph is traced on the first batched(X, Y) call")
        return describe_plan(self.plan)

    def explain(self) -> None:
        """Print the recorded plan: nodes per sample, how they were grouped, each group in matrix terms."""
        print(self.describe())


def _shape_words(shape: tuple[int, ...] | None) -> str:
    return "none" if shape is None else "(n,)" if shape == () else f"(n, {shape[0]})"


def vectorize(
    fn: Callable[[list[Value], Any], Value], params: Sequence[Value], *, extra: Callable[[], Value] | None = None
) -> Batched:
    """Record ``fn(x, y)``'s graph for one sample and return ``batched(X, Y)``, its replay over a batch.

    ``fn(x, y)``: a per-sample cost built from Values: ``x`` one sample's features (a list of
    Values), ``y`` its target (a Value, or a list of Values for a 2-D ``Y``); it may use the
    ``params`` (Values shared by all samples) and constants. It is traced on the first call,
    with placeholders, and must build the same operations for every sample: a comparison,
    ``bool()``, ``float()`` or ``int()`` on a traced Value raises ``DataDependentGraphError``.
    Tracing calls ``fn`` twice, on placeholders of opposite signs; the plan is the first call's
    graph (``batched.batch_values(nodes)`` reads that call's nodes after each batch).

    ``batched(X, Y)`` (X of shape (n, features), Y of shape (n,) or (n, outputs)) returns the
    mean cost C = (1/n) Σᵢ fn(xᵢ, yᵢ) and adds ∂C/∂p to every ``p.grad``, the numbers the scalar
    graph of the whole batch would give.

    ``extra``: a term that depends only on the parameters (an L2 penalty), a function of no
    arguments returning a Value, e.g. ``extra=lambda: 1e-4 * at.sum([p * p for p in params])``.
    It is traced once too (so it must build the same operations whatever the parameters'
    numbers), evaluated once per call, not per sample, and added to the cost:
    C = (1/n) Σᵢ fn(xᵢ, yᵢ) + extra().

    ``batched.forward(X, Y)`` gives fn's value(s) per sample, without gradients;
    ``batched.explain()`` prints the plan.
    """
    return Batched(fn, params, extra)


__all__ = ["Batched", "DataDependentGraphError", "Placeholder", "vectorize"]
