"""``vectorize_sequences``: a cost over token sequences of any length (a GPT's), replayed with NumPy.

A plan is recorded for a number of positions P (fn recorded on P + 1 token placeholders) and
kept: a later document of that length reuses it. With ``max_positions`` and a cost per position,
fn is recorded once, for ``max_positions``, and the plan of a shorter length P is laid out from the
nodes below the first P costs (``sub_plan``): the same nodes, so the same numbers, for a fraction
of a recording's time. Two ways to serve documents of different lengths:

- ``plan_lengths=None`` (the default): one plan per number of positions, recorded the first
  time a document of that length comes. Each document replays exactly its own graph.
- ``plan_lengths=[8, 16]``: a document of n positions runs on the smallest plan with P ≥ n,
  its tokens padded with 0; the padded positions' costs are seeded with 0 in the backward pass.
  This is exact when fn is causal (the cost at position t reads only tokens 0 … t + 1, as a
  GPT's masked attention does): the first n positions' numbers are then the ones the
  document's own graph gives, and the padded positions send back exactly 0 (0 × a finite
  local derivative) to every parameter. Each plan records, for each position's cost, the last
  token it reads, and a document it would not be exact for is refused.

The cost of a batch of documents is the mean over documents of each document's mean cost
over its positions: C = (1/B) Σ_d (1/n_d) Σ_{t < n_d} cost_{d,t}, microgpt's loss for B = 1.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from ..value import Value
from .execute import Workspace, backward, forward, numbers
from .explain import describe_plan
from .plan import Plan, build_plan, sub_plan


class SequenceReplay:
    """``fn(tokens)`` replayed over documents (lists of token ids); see ``vectorize_sequences``."""

    def __init__(
        self,
        fn: Callable[[list[Value]], Value | list[Value]],
        params: Sequence[Value],
        *,
        plan_lengths: Sequence[int] | None = None,
        max_positions: int | None = None,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"vectorize_sequences: fn must be callable, got {type(fn).__name__}")
        self.fn = fn
        self.params = list(params)
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"vectorize_sequences: params[{i}] is a {type(p).__name__}, expected a Value")
        if plan_lengths is not None:
            plan_lengths = sorted({int(n) for n in plan_lengths})
            if not plan_lengths or plan_lengths[0] < 1:
                raise ValueError(f"vectorize_sequences: plan_lengths must be positive numbers, got {plan_lengths}")
        if max_positions is not None and max_positions < 1:
            raise ValueError(f"vectorize_sequences: max_positions must be at least 1, got {max_positions}")
        if max_positions is not None and plan_lengths is not None and plan_lengths[-1] > max_positions:
            raise ValueError(
                f"vectorize_sequences: plan_lengths {plan_lengths} go past max_positions={max_positions}, the most "
                "positions a document keeps"
            )
        self.plan_lengths = plan_lengths
        self.max_positions = max_positions
        self.plans: dict[int, Plan] = {}  # number of positions → its plan
        self.recordings = 0  # how many times fn was recorded (each plan of its own: one call of fn)
        self.recording_seconds = 0.0  # time spent recording fn and laying out plans, in total
        self._longest: Plan | None = None  # with max_positions: the plan of the longest documents
        self._last_read: dict[int, np.ndarray] = {}
        self._constants: dict[int, np.ndarray] = {}
        self._workspaces: dict[int, Workspace] = {}

    @property
    def traces(self) -> int:
        """The former name of ``recordings`` (kept so that code written for it still runs)."""
        return self.recordings

    def plan_for(self, positions: int) -> Plan:
        """The plan that serves documents of ``positions`` positions (recorded on first use)."""
        size = self._size_for(positions)
        if size not in self.plans:
            self._record(size)
        return self.plans[size]

    def _size_for(self, positions: int) -> int:
        if self.plan_lengths is None:
            return positions
        fitting = [p for p in self.plan_lengths if p >= positions]
        if not fitting:
            raise ValueError(
                f"vectorize_sequences: a document of {positions} positions is longer than the largest of "
                f"plan_lengths {self.plan_lengths}"
            )
        return fitting[0]

    def _record(self, positions: int) -> None:
        """The plan for ``positions``: laid out from the recording of the longest documents when fn returns
        one cost per position and ``max_positions`` is given (one recording serves every length), else recorded."""
        start = time.perf_counter()
        if self.max_positions is not None and self._longest is None:
            self._longest = self._recorded(self.max_positions)
        plan = None
        if self._longest is not None:
            if positions == self.max_positions:
                plan = self._longest
            elif self._longest.returns_list:
                try:
                    plan = sub_plan(self._longest, self._longest.roots[:positions], positions + 1)
                except ValueError:  # the first costs read later tokens: fn is not causal, record this length
                    plan = None
        if plan is None:
            plan = self._recorded(positions)
        self.plans[positions] = plan
        self._last_read[positions] = _last_token_read(plan)
        self._constants[positions] = numbers(plan.scalars[plan.n_params :])
        self._workspaces[positions] = Workspace()
        self.recording_seconds += time.perf_counter() - start

    def _recorded(self, positions: int) -> Plan:
        plan = build_plan(
            lambda x, _: self.fn(x), self.params, positions + 1, None, name="fn", whole_numbers=(True, False)
        )
        self.recordings += 1
        if plan.returns_list and len(plan.roots) != positions:
            raise ValueError(
                f"vectorize_sequences: fn returned {len(plan.roots)} costs for {positions + 1} tokens; expected "
                f"{positions}, one per predicted position (or one Value, the document's cost)"
            )
        if not plan.returns_list and self.plan_lengths is not None:
            raise TypeError(
                "vectorize_sequences: with plan_lengths, fn must return one cost per position (a list of Values), "
                "so that the padded positions can be left out"
            )
        return plan

    def value_and_grad(
        self, documents: Sequence[Sequence[int]], param_numbers: np.ndarray | None = None
    ) -> tuple[float, np.ndarray]:
        """(C, ∂C/∂params as an array) for a batch of documents; no ``p.grad`` is touched.

        ``param_numbers``: the parameters' numbers to use (an optimiser's array), by default
        their Values' current ``data``.
        """
        documents = self._documents(documents)
        if param_numbers is None:
            param_numbers = numbers(self.params)
        elif np.shape(param_numbers) == (len(self.params),):
            param_numbers = np.asarray(param_numbers, dtype=float)
        else:
            raise ValueError(
                f"vectorize_sequences: param_numbers has shape {np.shape(param_numbers)}, expected "
                f"({len(self.params)},), one number per parameter"
            )
        by_plan: dict[int, list[np.ndarray]] = {}
        for tokens in documents:
            by_plan.setdefault(self._size_for(len(tokens) - 1), []).append(tokens)
        cost, grads = 0.0, np.zeros(len(self.params))
        weight = 1.0 / len(documents)
        for size, members in by_plan.items():
            plan = self.plan_for(size)
            X = np.zeros((len(members), size + 1))
            positions = np.array([len(tokens) - 1 for tokens in members])
            for i, tokens in enumerate(members):
                X[i, : len(tokens)] = tokens
            self._check_exact(size, positions)
            scalar_values = np.concatenate([param_numbers, self._constants[size]])
            with np.errstate(all="ignore"):  # inf and nan per document, silently, as on floats
                values, saved = forward(plan, X, None, scalar_values, self._workspaces[size])
                if plan.returns_list:  # seed each document's first n positions with weight / n, the rest 0
                    roots = np.array(plan.roots)
                    seeds = (np.arange(size)[:, None] < positions) * (weight / positions)
                    cost += float(np.sum(values[roots] * seeds))
                else:
                    roots, seeds = plan.roots[0], np.full(len(members), weight)
                    cost += float(np.sum(values[roots]) * weight)
                grads += backward(plan, values, saved, scalar_values, seeds, roots, self._workspaces[size])[
                    : plan.n_params
                ]
        return cost, grads

    def __call__(self, documents: Sequence[Sequence[int]]) -> float:
        """C for a batch of documents; adds ∂C/∂p to every ``p.grad`` (as ``backward()`` adds)."""
        cost, grads = self.value_and_grad(documents)
        for p, g in zip(self.params, grads.tolist()):
            p.grad += g
        return cost

    def _documents(self, documents: Sequence[Sequence[int]]) -> list[np.ndarray]:
        if isinstance(documents, np.ndarray) and documents.ndim == 2:
            documents = list(documents)
        if not isinstance(documents, Sequence | np.ndarray) or not len(documents):
            raise ValueError("vectorize_sequences: documents must be a non-empty list of token lists")
        checked = []
        for d, tokens in enumerate(documents):
            array = np.asarray(tokens)
            if array.ndim != 1 or array.size < 2 or not np.issubdtype(array.dtype, np.integer):
                raise ValueError(
                    f"vectorize_sequences: documents[{d}] must be a list of at least 2 int token ids, got "
                    f"{array.size} item(s) of type {array.dtype}"
                )
            if self.max_positions is not None:
                array = array[: self.max_positions + 1]  # as microgpt: at most block_size positions
            checked.append(array)
        return checked

    def _check_exact(self, size: int, positions: np.ndarray) -> None:
        """A padded document's costs must not read a padded token (fn must be causal)."""
        last_read = self._last_read[size]
        for n in np.unique(positions[positions < size]).tolist():
            late = np.flatnonzero(last_read[:n] > n)
            if late.size:
                t = int(late[0])
                raise ValueError(
                    f"vectorize_sequences: fn's cost at position {t} reads token {int(last_read[t])}, past the end of "
                    f"a document of {n + 1} tokens padded to {size + 1}: padding is exact only for a causal fn (the "
                    "cost at position t reads tokens 0 … t + 1). Use plan_lengths=None (one plan per length)."
                )

    def describe(self, positions: int) -> str:
        """The plan for documents of ``positions`` positions, in words (recorded if need be)."""
        return describe_plan(self.plan_for(positions))

    def explain(self, positions: int) -> None:
        """Print the plan for documents of ``positions`` positions."""
        print(self.describe(positions))


def _last_token_read(plan: Plan) -> np.ndarray:
    """For each root, the largest token placeholder it depends on (−1: none)."""
    last = np.full(plan.rows, -1, dtype=np.intp)
    last[: plan.n_features] = np.arange(plan.n_features)
    for group in plan.groups:
        reads = [group.row_index]
        if group.dot is not None:
            dot = group.dot
            weights, inputs = dot.per_node()
            reads = [inputs, weights] if dot.weights_are_rows else [inputs]
            reads += [dot.bias[:, None]] if dot.bias_is_row else []
        elif group.select is not None:
            reads = [group.select.index[:, None]] + ([group.select.entries] if group.select.entries_are_rows else [])
        columns = [last[index].reshape(group.size, -1) for index in reads if index.size]
        if columns:
            last[group.start : group.stop] = np.concatenate(columns, axis=1).max(axis=1)
    return last[plan.roots]


def vectorize_sequences(
    fn: Callable[[list[Value]], Value | list[Value]],
    params: Sequence[Value],
    *,
    plan_lengths: Sequence[int] | None = None,
    max_positions: int | None = None,
) -> SequenceReplay:
    """Record ``fn(tokens)``'s graph once per document length and replay it with NumPy.

    ``fn(tokens)``: ``tokens`` a list of Values holding token ids (whole numbers; choose rows
    with ``embedding(table, token)`` and targets with ``select(values, token)``), returning
    the cost of each predicted position (a list of len(tokens) − 1 Values) or the document's
    cost (one Value). ``params``: every parameter fn uses (a Value fn uses but that is not
    listed is an error). ``replay(documents)`` returns C = (1/B) Σ_d (1/n_d) Σ_t cost_{d,t} for
    B documents of n_d positions and adds ∂C/∂p to every ``p.grad``; ``replay.value_and_grad``
    returns the gradient as an array instead. ``max_positions`` cuts longer documents (a GPT's
    block size); ``plan_lengths`` pads documents to a few recorded lengths (see the module's
    docstring for when that is exact). ``replay.plans`` and ``replay.recording_seconds`` tell
    how many plans were recorded and how long that took.
    """
    return SequenceReplay(fn, params, plan_lengths=plan_lengths, max_positions=max_positions)


__all__ = ["SequenceReplay", "vectorize_sequences"]
