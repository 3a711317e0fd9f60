"""Recording fn's graph: call ``fn`` once on placeholder Values, refusing any read of their numbers
(``refusals.py``). (``nn``'s ``model.trace(x)`` is another thing: the z and a of one forward pass.)

While fn is recorded its target y is placeholders, whose numbers mean nothing, so code that would
check y's numbers (a loss of ``nn``: 0/1 labels, class indices) registers its check instead
(``check_at_replay``): the check runs on the real Y of the batch being recorded for, and the plan
keeps it to run on every later batch's Y before that batch is replayed.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..graph import topological_order
from ..indexing import NotAWholeNumberError
from ..microgpt import CUSTOM
from ..modes import switched
from ..value import Value
from .refusals import ONE_AT_A_TIME, depends_on, refusing_reads

TargetCheck = Callable[[np.ndarray], None]  # raises a ValueError naming a bad entry of Y (as Y[i] or Y[i, j])


@dataclass(slots=True)
class TargetChecks:
    """What the recording in progress knows of fn's target: its placeholders, the real targets of
    the batch it is recorded for (Y as the caller gave it, or None), and the checks registered."""

    sample: set[Value]  # every placeholder, x's and y's
    y: list[Value]  # y's placeholders, in the order of Y's columns
    batch: np.ndarray | None
    checks: list[TargetCheck] = field(default_factory=list)


_RECORDING = threading.local()  # .targets: the TargetChecks of the recording in progress on this thread


def check_at_replay(target: Any, check: TargetCheck, what: str = "the target", *, allow_derived: bool = False) -> bool:
    """Whether ``target`` (a Value, or a sequence of Values and numbers) must not have its numbers read
    because ``vectorize`` is recording fn on this thread and ``target`` depends on the sample.

    If ``target`` is fn's y as fn received it, ``check`` is registered in place of a check of its
    numbers (placeholders): it is called with the real targets, Y as given to ``batched(X, Y)`` (its
    own dtype; shape (n,) or (n, k)), at once for the batch being recorded for and then before every
    later batch is replayed, and raises a ValueError naming a bad entry as ``Y[i]`` or ``Y[i, j]``.

    A target worked out from the sample (``y * 2``, ``x``, a token ``tokens[t + 1]``, y's Values
    reordered) cannot be checked: it is a ValueError naming ``what``, unless ``allow_derived``, for a
    check whose failure cannot give silently wrong numbers (finite reals: a nan shows in the cost; class
    indices: ``select``'s replay refuses a bad one); then nothing is registered and True is returned.

    False when no recording is in progress on this thread, or ``target`` is a number or does not
    depend on the sample (constants, parameters): the caller reads its numbers.
    """
    recording = getattr(_RECORDING, "targets", None)
    if recording is None or not isinstance(target, Value | list | tuple):
        return False
    entries = [target] if isinstance(target, Value) else list(target)
    if not any(isinstance(v, Value) and depends_on(v, recording.sample) for v in entries):
        return False
    if len(entries) != len(recording.y) or any(v is not p for v, p in zip(entries, recording.y)):
        if allow_derived:
            return True
        raise ValueError(
            f"vectorize: {what} depends on the sample but is not fn's y as fn received it, so its numbers cannot "
            "be checked while fn is recorded: pass y itself (the Value y for a 1-D Y, the list y for a 2-D Y) and "
            "compute any other targets into Y before calling batched(X, Y)"
        )
    if recording.batch is not None:
        check(recording.batch)
    recording.checks.append(check)
    return True


def target_count(target_shape: tuple[int, ...] | None) -> int:
    """How many placeholders a target of this shape takes: none, one number, or a row of k."""
    return 0 if target_shape is None else 1 if target_shape == () else target_shape[0]


def record_graph(
    fn: Callable,
    n_features: int,
    target_shape: tuple[int, ...] | None,
    name: str = "fn",
    whole_numbers: tuple[bool, bool] = (False, False),
    batch_targets: np.ndarray | None = None,
) -> tuple[list[Value], bool, list[Value], list[TargetCheck]]:
    """Call ``fn`` on placeholders holding fixed random numbers, recording its graph.

    ``whole_numbers`` (for x, for y): placeholders that hold 0 instead, a valid choice for any
    ``select`` or ``embedding`` (token ids, class indices). ``batch_targets``: the real Y of the
    batch fn is recorded for, which the checks registered while recording (``check_at_replay``) see.
    Returns (the returned Values, whether fn returned a list, the placeholders x then y, those checks).
    """
    rng = np.random.default_rng(0)
    features = np.zeros(n_features) if whole_numbers[0] else rng.standard_normal(n_features)
    x = [Value(float(v), f"x[{i}]") for i, v in enumerate(features)]
    count = target_count(target_shape)
    numbers = np.zeros(count) if whole_numbers[1] else rng.standard_normal(count)
    targets = [Value(float(v), "y" if target_shape == () else f"y[{j}]") for j, v in enumerate(numbers)]
    y = None if target_shape is None else targets[0] if target_shape == () else targets
    target_checks = TargetChecks(set(x + targets), targets, batch_targets)
    with switched("recording", True), refusing_reads(x + targets, sys._getframe(), name):  # even under no_grad
        outer, _RECORDING.targets = getattr(_RECORDING, "targets", None), target_checks
        try:
            out = fn(x, y)
        except NotAWholeNumberError as err:
            raise NotAWholeNumberError(
                f"{err}. That number is a placeholder's, not one of your samples': vectorize records fn on "
                "placeholders holding random numbers unless X (for x) or Y (for y) is an integer array; to choose "
                "by x or y, pass them as integers (an int array of token ids or class indices), whose placeholders "
                "hold 0"
            ) from None
        finally:
            _RECORDING.targets = outer
        roots, returns_list = _roots_of(out, name)
        roots = [r if r._rule is not None else r + 0.0 for r in roots]  # a leaf returned as is becomes a node
    for node in topological_order(roots):
        if node._rule is CUSTOM:
            raise TypeError(
                f"vectorize: {name} built a node with given local derivatives (microgpt.Value); the replay "
                "needs each operation's rule on arrays: add it as a Rule in autograd_tiny/rules.py"
            )
    return roots, returns_list, x + targets, target_checks.checks


@contextmanager
def values_made(made: set) -> Iterator[None]:
    """Inside this block, every Value constructed (``Value.__init__``: the nodes and the constants
    fn writes, as ``Value(2.0)`` or the 1.0 of ``x + 1.0``) by this thread is added to ``made``."""
    recorder = threading.get_ident()

    def recording_init(self: Value, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if threading.get_ident() == recorder:
            made.add(self)

    with ONE_AT_A_TIME:
        original = Value.__init__
        Value.__init__ = recording_init
        try:
            yield
        finally:
            Value.__init__ = original


def refuse_leaves_from_outside(order: list[Value], made: set, params: Sequence[Value], name: str) -> None:
    """Refuse a leaf that ``fn`` used but that is neither a placeholder, a parameter, nor a constant made inside fn.

    ``order``: the recorded graph's nodes; ``made``: the Values constructed while fn was recorded
    (``values_made``), placeholders included. A leaf made before fn ran and left out of
    ``params`` (a forgotten weight) would keep ``grad == 0`` where ``backward()`` fills it, so
    this is an error, never a silent zero.
    """
    outside = {v for v in order if v._rule is None and v not in made}.difference(params)
    if not outside:
        return
    for node in order:
        for position, v in enumerate(node._children):
            if v in outside:
                what = repr(v.label) if v.label else f"an unlabelled Value holding {v.data!r}"
                uses = ", ".join(
                    u.label or (repr(u.data) if u._rule is None else f"({u.op} …)") for u in node._children
                )
                more = f" ({len(outside) - 1} more such Value(s) too)" if len(outside) > 1 else ""
                raise ValueError(
                    f"vectorize: {name} uses a Value made outside it that is not in params: {what}, input "
                    f"{position} of a '{node.op}' node over ({uses}){more}. Its gradient would stay 0. Add it to "
                    "params if it is a parameter; if it is a constant, write a plain number or create it inside "
                    f"{name}."
                )


def _short(node: Value) -> str:
    return node.label or (repr(node.data) if node._rule is None else f"({node.op} …)")


def _roots_of(out: Any, name: str) -> tuple[list[Value], bool]:
    if isinstance(out, Value):
        return [out], False
    if isinstance(out, Sequence) and out and all(isinstance(v, Value) for v in out):
        return list(out), True
    raise TypeError(f"vectorize: {name} must return a Value (a cost) or a list of Values, got {type(out).__name__}")
