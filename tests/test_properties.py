"""Property tests: random expression graphs against finite differences (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd_tiny as at
from autograd_tiny import Value
from autograd_tiny.random_graphs import random_expression

from .conftest import central_difference

points = st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=3, max_size=3)


@given(seed=st.integers(0, 2**32 - 1), point=points, n_steps=st.integers(1, 10))
def test_random_graph_gradients_match_finite_differences(seed, point, n_steps):
    expression = random_expression(np.random.default_rng(seed), n_inputs=3, n_steps=n_steps)
    values = [Value(x) for x in point]
    output = expression(*values)
    assume(math.isfinite(output.data) and abs(output.data) < 1e4)
    output.backward()
    for i, v in enumerate(values):
        numeric = central_difference(expression, point, i, eps=1e-5)
        assert math.isclose(v.grad, numeric, rel_tol=1e-4, abs_tol=1e-5), (str(expression), i, v.grad, numeric)


@given(seed=st.integers(0, 2**32 - 1), point=points)
def test_backward_twice_doubles_every_gradient(seed, point):
    expression = random_expression(np.random.default_rng(seed), n_inputs=3, n_steps=6)
    values = [Value(x) for x in point]
    output = expression(*values)
    output.backward()
    once = [v.grad for v in values]
    output.backward()
    assert [v.grad for v in values] == [2 * g for g in once]


@given(a=st.floats(-1e3, 1e3), b=st.floats(-1e3, 1e3))
def test_forward_values_match_python_floats(a, b):
    x, y = Value(a), Value(b)
    assert (x + y).data == a + b
    assert (x * y).data == a * b
    assert (x - y).data == a - b
    assert (x.tanh()).data == math.tanh(a)


SPECIAL = st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan, 1e308, 1e-320])


@given(
    seed=st.integers(0, 2**32 - 1),
    point=st.lists(st.one_of(st.floats(-2.0, 2.0), SPECIAL), min_size=3, max_size=3),
)
def test_the_fast_backward_and_the_general_reverse_pass_agree(seed, point):
    """``accumulate_grads`` (backward's hot path) is ``reverse_pass`` specialised: same numbers, bit for bit."""
    from autograd_tiny.backward import reverse_pass

    expression = random_expression(np.random.default_rng(seed), n_inputs=3, n_steps=10)
    values = [Value(x) for x in point]
    output = expression(*values)
    general = reverse_pass({output: 1.0})
    output.backward()
    for node in at.topological_order(output):
        expected = general[node]
        assert node.grad == expected or (math.isnan(node.grad) and math.isnan(expected)), str(expression)
