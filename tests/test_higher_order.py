"""Higher-order gradients: create_graph, grad(), hessian, hvp, gradgradcheck."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd_tiny as at
from autograd_tiny import Value
from autograd_tiny.nn import MLP, losses
from autograd_tiny.random_graphs import random_expression


def second_derivative(f, x: float) -> float:
    v = Value(x)
    [first] = at.grad(f(v), [v], create_graph=True)
    [second] = at.grad(first, [v])
    return second.data


def sigma(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@pytest.mark.parametrize(
    ("name", "f", "x", "expected"),
    [
        ("tanh", lambda v: v.tanh(), 0.3, -2 * math.tanh(0.3) * (1 - math.tanh(0.3) ** 2)),
        ("sigmoid", lambda v: v.sigmoid(), 0.7, sigma(0.7) * (1 - sigma(0.7)) * (1 - 2 * sigma(0.7))),
        ("exp", lambda v: v.exp(), 1.3, math.exp(1.3)),
        ("log", lambda v: v.log(), 2.0, -1 / 4.0),
        ("x**3", lambda v: v**3, -1.5, 6 * -1.5),
        ("a/x", lambda v: 3.0 / v, 2.0, 2 * 3.0 / 2.0**3),
        ("relu", lambda v: v.relu(), 0.8, 0.0),
    ],
)
def test_second_derivatives_match_closed_forms(name, f, x, expected):
    assert second_derivative(f, x) == pytest.approx(expected, rel=1e-12, abs=1e-15), name


def test_second_derivatives_of_a_power_in_both_arguments():
    a, b = 1.7, 2.3
    H = at.hessian(lambda x, y: x**y, [a, b])
    expected = [
        [b * (b - 1) * a ** (b - 2), a ** (b - 1) * (1 + b * math.log(a))],
        [a ** (b - 1) * (1 + b * math.log(a)), a**b * math.log(a) ** 2],
    ]
    np.testing.assert_allclose(H, expected, rtol=1e-12)


def test_second_derivatives_of_a_quotient():
    a, b = 1.5, -0.8
    H = at.hessian(lambda x, y: x / y, [a, b])
    np.testing.assert_allclose(H, [[0.0, -1 / b**2], [-1 / b**2, 2 * a / b**3]], rtol=1e-12, atol=1e-15)


def test_third_derivative_of_x_to_the_fourth():
    x = Value(1.5)
    [d1] = at.grad(x**4, [x], create_graph=True)
    [d2] = at.grad(d1, [x], create_graph=True)
    [d3] = at.grad(d2, [x])
    assert (d1.data, d2.data, d3.data) == pytest.approx((4 * 1.5**3, 12 * 1.5**2, 24 * 1.5), rel=1e-14)


def test_backward_with_create_graph_keeps_grad_a_float_and_grad_value_a_graph():
    x = Value(0.5, "x")
    (x * x * x).backward(create_graph=True)
    assert x.grad == pytest.approx(0.75) and isinstance(x.grad, float)
    assert x.grad_value.data == pytest.approx(0.75) and x.grad_value.inputs
    x.grad_value.backward()  # d/dx 3x² = 6x, added to x.grad
    assert x.grad == pytest.approx(0.75 + 3.0)


def test_double_use_with_create_graph_accumulates():
    x = Value(3.0)
    [first] = at.grad(x * x, [x], create_graph=True)
    [second] = at.grad(first, [x])
    assert (first.data, second.data) == (6.0, 2.0)


def test_grad_leaves_every_grad_untouched():
    x, w = Value(2.0), Value(3.0)
    x.grad, w.grad = 10.0, 20.0
    y = (x * w).tanh()
    gx, gw = at.grad(y, [x, w])
    assert (x.grad, w.grad, y.grad) == (10.0, 20.0, 0.0)
    assert (gx.data, gw.data) == pytest.approx((3 * (1 - math.tanh(6) ** 2), 2 * (1 - math.tanh(6) ** 2)))


def test_grad_of_an_unrelated_input_is_zero():
    x, unrelated = Value(2.0), Value(5.0)
    gx, gu = at.grad(x * x, [x, unrelated])
    assert (gx.data, gu.data) == (4.0, 0.0)
    assert at.grad(x * x, [unrelated], create_graph=True)[0].data == 0.0


def test_grad_rejects_non_values():
    with pytest.raises(TypeError, match=r"grad inputs\[0\] is a float, expected a Value"):
        at.grad(Value(1.0) * 2, [1.0])


def test_hvp_equals_hessian_times_vector():
    def f(x, y, z):
        return (x * y).tanh() + z**3 * x

    point, v = [0.3, -0.7, 1.1], [1.0, 2.0, -0.5]
    np.testing.assert_allclose(at.hvp(f, point, v), at.hessian(f, point) @ v, rtol=1e-12)


def test_hvp_checks_the_vector_length():
    with pytest.raises(ValueError, match="v has 3 entries, the point has 2 coordinates"):
        at.hvp(lambda x, y: x * y, [1, 2], [1, 2, 3])


@given(seed=st.integers(0, 2**32 - 1), point=st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_random_graph_hessians_match_finite_differences_of_grad_and_are_symmetric(seed, point):
    expression = random_expression(np.random.default_rng(seed), n_inputs=3, n_steps=6)
    value = expression(*[Value(x) for x in point]).data
    assume(math.isfinite(value) and abs(value) < 1e3)
    H = at.hessian(expression, point)
    assume(np.all(np.isfinite(H)) and np.max(np.abs(H)) < 1e4)
    np.testing.assert_allclose(H, H.T, rtol=1e-9, atol=1e-10)
    result = at.gradgradcheck(expression, point, eps=1e-5, atol=1e-4, rtol=1e-3)
    assert result, str(result)


def test_hessian_of_an_mlp_cost_with_respect_to_its_weights():
    model = MLP(2, [2, 1], activation="tanh", seed=3)
    neurons = [n for layer in model.layers for n in layer.neurons]
    sizes = [len(n.w) + 1 for n in neurons]
    start = [p.data for p in model.parameters()]

    def cost(*params):
        i = 0
        for neuron, size in zip(neurons, sizes):
            neuron.w, neuron.b = list(params[i : i + size - 1]), params[i + size - 1]
            i += size
        return losses.quadratic(model([0.4, -0.9]), 0.25)

    H = at.hessian(cost, start)
    assert H.shape == (9, 9)
    np.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-13)
    assert at.gradgradcheck(cost, start, eps=1e-5, atol=1e-6, rtol=1e-4)


def test_gradgradcheck_fails_on_a_wrong_second_derivative(monkeypatch):
    from autograd_tiny import rules

    # 1 − out² evaluated through a float detour: right first derivative, zero second derivative.
    broken = rules.Rule("tanh", rules.TANH.forward, lambda out, a: (1.0 - float(out) ** 2,))
    monkeypatch.setattr(at.Value, "tanh", at.value._unary(broken))
    result = at.gradgradcheck(lambda x: x.tanh(), {"x": 0.5})
    assert not result and str(result).splitlines()[0].startswith("gradgradcheck FAILED")
    assert at.gradcheck(lambda x: x.tanh(), {"x": 0.5})  # first order still right
