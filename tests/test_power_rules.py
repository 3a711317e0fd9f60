"""Exact derivatives of powers where the general formula reads 0 · ∞, and anomaly mode in
second-order work. Exact values, no PyTorch needed (tests/test_torch_edge_cases.py compares
the same cases, and many more, with PyTorch float64)."""

from __future__ import annotations

import math

import pytest

import autograd_tiny as at
from autograd_tiny import Value

from .conftest import derivatives_along


@pytest.mark.parametrize("x", [0.0, -0.0, 1e-320, 2.0])
def test_every_derivative_of_x_to_the_zero_is_zero(x):
    assert derivatives_along(lambda v: v**0, [x], [0, 0, 0]) == [1.0, 0.0, 0.0, 0.0]
    assert derivatives_along(lambda v: v ** Value(0.0), [x], [0, 0, 0]) == [1.0, 0.0, 0.0, 0.0]


def test_higher_derivatives_of_low_powers_at_zero_are_exact():
    assert derivatives_along(lambda v: v**1, [0.0], [0, 0]) == [0.0, 1.0, 0.0]
    assert derivatives_along(lambda v: v**2, [0.0], [0, 0, 0]) == [0.0, 0.0, 2.0, 0.0]
    assert derivatives_along(lambda v: v**3, [0.0], [0, 0, 0]) == [0.0, 0.0, 0.0, 6.0]


@pytest.mark.parametrize("y", [0.5, 2.0, 1e308])
def test_zero_to_a_positive_power_has_zero_exponent_derivative(y):
    base, exponent = Value(0.0), Value(y)
    (base**exponent).backward()
    assert exponent.grad == 0.0
    exponent = Value(y)
    (0.0**exponent).backward()  # through __rpow__
    assert exponent.grad == 0.0


def test_mixed_derivative_of_a_power_at_exponent_zero_keeps_its_graph():
    # ∂/∂b (b·aᵇ⁻¹) = aᵇ⁻¹ (1 + b ln a) = 1/a at b = 0 (PyTorch's mask gives 0 here)
    assert derivatives_along(lambda a, b: a**b, [1.5, 0.0], [0, 1]) == pytest.approx([1.0, 0.0, 1 / 1.5], rel=1e-15)


def test_the_general_formula_still_holds_away_from_the_special_points():
    a, b = Value(1.5), Value(2.5)
    (a**b).backward()
    assert a.grad == pytest.approx(2.5 * 1.5**1.5, rel=1e-15)
    assert b.grad == pytest.approx(1.5**2.5 * math.log(1.5), rel=1e-15)


@pytest.mark.parametrize(
    ("f", "point"),
    [(lambda x: x**2, [-1.0]), (lambda x: x**2, [0.0]), (lambda x: x**3, [-2.0]), (lambda x, y: x**3 * y, [-2.0, 0.5])],
)
def test_anomaly_mode_is_quiet_in_second_order_work_where_nothing_is_wrong(f, point):
    with at.detect_anomaly():
        h = at.hessian(f, point)
        v = at.hvp(f, point, [1.0] * len(point))
        assert at.gradgradcheck(f, point)
    assert h == pytest.approx(at.hessian(f, point))
    assert v == pytest.approx(h @ ([1.0] * len(point)))


def test_anomaly_mode_still_reports_a_non_finite_gradient_that_reaches_an_input():
    x = Value(-1.0, "x")
    y = Value(2.0, "y")
    with pytest.raises(at.AnomalyError, match=r"operation '\*\*'.*to input y"):
        with at.detect_anomaly():
            at.grad(x**y, [y])  # ∂/∂y (−1)² = 1 · ln(−1) = nan: asked for, so reported


def test_grad_does_not_look_at_inputs_no_one_asked_about():
    x, y = Value(-1.0, "x"), Value(2.0, "y")
    with at.detect_anomaly():
        (dx,) = at.grad(x**y, [x])  # ∂/∂y would be nan (ln of a negative number); not asked for
    assert dx.data == -2.0
