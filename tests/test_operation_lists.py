"""Adding an operation is one rule plus one Value method: every other list of operations is
derived from ``rules.RULES`` or checked against it here, so none can silently miss one."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny import Value, rules
from autograd_tiny.arrays import array_forward
from autograd_tiny.cli.expression import FUNCTIONS, build
from autograd_tiny.cli.selfcheck import OPERATIONS
from autograd_tiny.random_graphs import SMOOTH_OPS, random_expression

EVERY_RULE = set(rules.RULES)


def arity(rule: rules.Rule) -> int | None:
    """How many inputs the operation takes (its local derivatives' parameters after ``out``); None if n-ary."""
    parameters = list(inspect.signature(rule.local_grads).parameters.values())[1:]
    return None if any(p.kind is p.VAR_POSITIONAL for p in parameters) else len(parameters)


def rules_used(output: Value) -> set:
    return {node._rule for node in at.topological_order(output) if node._rule is not None}


def test_the_table_lists_every_rule_once():
    assert len(rules.RULES) == len(EVERY_RULE)
    assert {rules.SIN, rules.COS, rules.SQRT, rules.ABS} <= EVERY_RULE


def test_every_one_input_function_is_allowed_in_formulas():
    functions = {r.name for r in rules.RULES if arity(r) == 1} - {"neg"}  # neg is written -x
    assert set(FUNCTIONS) == functions
    for name in FUNCTIONS:
        result = build(f"{name}(x) + 1", {"x": Value(0.25)})
        assert rules_used(result) == {rules.ADD, next(r for r in rules.RULES if r.name == name)}


def test_the_self_check_exercises_every_rule():
    used = set()
    for f, points in OPERATIONS.values():
        used |= rules_used(f(*[Value(x) for x in points[0]]))
    assert used == EVERY_RULE


def test_random_graphs_can_use_every_rule():
    used = set()
    for arity, f in SMOOTH_OPS.values():
        used |= rules_used(f(*[Value(0.5)] * arity))
    rng = np.random.default_rng(0)
    for _ in range(200):
        used |= rules_used(random_expression(rng)(Value(0.1), Value(0.2), Value(0.3)))
    assert used == EVERY_RULE


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.name)
def test_every_rule_has_an_array_form(rule):
    """The batched replay needs each forward on arrays: NumPy's form (``arrays.py``) or ``forward`` itself."""
    forward = array_forward(rule)
    inputs = [np.array([0.5, 1.5]) for _ in range(arity(rule) or 3)]
    expected = [rule.forward(*[float(x[i]) for x in inputs]) for i in range(2)]
    # NumPy's vectorised exp, log, tanh… and the C library's each round within a few ulp: not the same bits
    assert np.asarray(forward(*inputs)).tolist() == pytest.approx(expected, rel=1e-13)
