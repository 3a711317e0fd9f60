"""Property tests: random expression graphs against finite differences (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd_tiny as at
from autograd_tiny import Value
from autograd_tiny.random_graphs import random_expression
from autograd_tiny.viz.backward_replay import replay

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


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@given(
    seed=st.integers(0, 2**32 - 1),
    point=st.lists(st.one_of(st.floats(-2.0, 2.0), SPECIAL), min_size=3, max_size=3),
)
def test_backward_and_the_general_reverse_pass_agree(seed, point):
    """backward()'s plain loop and reverse_pass (the general loop) give the same numbers, bit for bit,
    at every node, special values included."""
    from autograd_tiny.backward import reverse_pass

    expression = random_expression(np.random.default_rng(seed), n_inputs=3, n_steps=10)
    values = [Value(x) for x in point]
    output = expression(*values)
    general = reverse_pass({output: 1.0})
    output.backward()
    for node in at.topological_order(output):
        assert same(node.grad, general[node]), str(expression)


@given(seed=st.integers(0, 2**32 - 1), point=points)
def test_every_entry_point_gives_the_same_gradients(seed, point):
    """backward(), a second backward() (general loop, halved), grad(), grad(create_graph=True),
    backward(create_graph=True), vjp, jacobian in both modes, propagate() node by node and the
    explorer's step observer and its replay, grad() with respect to each input alone (pruned to the
    paths that reach it) and backward() under detect_anomaly all give ∂output/∂x for every input,
    bit for bit (forward mode, which adds the same terms in another order, to rounding)."""
    from autograd_tiny.backward import reverse_pass

    expression = random_expression(np.random.default_rng(seed), n_inputs=3, n_steps=8)
    values = [Value(x) for x in point]
    output = expression(*values)
    assume(all(math.isfinite(node.data) for node in at.topological_order(output)))
    output.backward()
    reference = [v.grad for v in values]
    answers = {"grad": [g.data for g in at.grad(output, values)]}
    answers["grad, create_graph"] = [g.data for g in at.grad(output, values, create_graph=True)]
    _, vjp_fn = at.vjp(lambda *xs: expression(*xs), point)
    answers["vjp"] = list(vjp_fn(1.0))
    answers["jacobian, reverse"] = list(at.jacobian(lambda *xs: expression(*xs), point)[0])
    forward_mode = at.jacobian(lambda *xs: expression(*xs), point, mode="forward")[0]  # sums in another order
    assert all(math.isclose(f, r, rel_tol=1e-9, abs_tol=1e-12) for f, r in zip(forward_mode, reference))
    output.backward()  # .grad already holds a pass: the general loop adds a second one
    answers["second backward / 2"] = [v.grad / 2 for v in values]
    at.zero_grad(output)
    output.backward(create_graph=True)
    answers["backward, create_graph"] = [v.grad_value.data if v.grad_value is not None else 0.0 for v in values]
    at.zero_grad(output)
    output.grad = 1.0
    for node in reversed(at.topological_order(output)):
        node.propagate()
    answers["propagate, node by node"] = [v.grad for v in values]
    watched: dict = {}
    reverse_pass({output: 1.0}, on_step=lambda node, g, sent: watched.__setitem__(node, g))
    answers["observer"] = [watched.get(v, 0.0) for v in values]
    final = {step.node: step.grad for step in replay(output)}
    answers["the explorer's replay"] = [final.get(v, 0.0) for v in values]
    # wrt one input at a time: shares go only along the paths that reach it (the others are pruned)
    answers["grad, wrt each input alone"] = [at.grad(output, [v])[0].data for v in values]
    at.zero_grad(output)
    try:
        with at.detect_anomaly():  # the general loop, every share shown to the watcher
            output.backward()
        answers["backward under detect_anomaly"] = [v.grad for v in values]
    except at.AnomalyError:  # only where some gradient on the way is inf or nan
        assert not all(map(math.isfinite, reverse_pass({output: 1.0}).values())), str(expression)
    for name, found in answers.items():
        assert all(map(same, found, reference)), (name, str(expression), found, reference)


@given(
    seed=st.integers(0, 2**32 - 1),
    n_leaves=st.integers(1, 6),
    n_nodes=st.integers(1, 25),
    n_roots=st.integers(1, 4),
)
def test_topological_order_lists_each_reachable_node_once_after_its_inputs(seed, n_leaves, n_nodes, n_roots):
    """On DAGs with shared inputs (products, dots and matrix rows over earlier nodes, as a network
    makes), from several roots: every node the roots reach, once, each after all of its inputs."""
    rng = np.random.default_rng(seed)
    nodes = [Value(float(i)) for i in range(n_leaves)]
    for _ in range(n_nodes):
        pick = lambda k: [nodes[i] for i in rng.integers(0, len(nodes), k)]  # noqa: E731
        kind = rng.integers(0, 3)
        if kind == 0:
            a, b = pick(2)
            nodes.append(a * b)
        elif kind == 1:
            k = int(rng.integers(1, 5))
            nodes.append(at.dot(pick(k), pick(k)))
        else:
            k = int(rng.integers(1, 4))
            nodes.extend(at.matvec([pick(k) for _ in range(int(rng.integers(1, 4)))], pick(k)))
    roots = [nodes[i] for i in rng.integers(0, len(nodes), n_roots)]
    reachable, stack = set(roots), list(roots)
    while stack:
        for child in stack.pop().inputs:
            if child not in reachable:
                reachable.add(child)
                stack.append(child)
    order = at.topological_order(roots)
    position = {node: i for i, node in enumerate(order)}
    assert len(order) == len(position) and set(order) == reachable
    assert all(position[child] < position[node] for node in order for child in node.inputs)
