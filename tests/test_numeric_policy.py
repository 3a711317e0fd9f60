"""IEEE results instead of Python exceptions, and detect_anomaly."""

from __future__ import annotations

import math

import pytest

import autograd_tiny as at
from autograd_tiny import Value

INF, NAN = math.inf, math.nan


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda: Value(0.0).log(), -INF),
        (lambda: Value(-1.0).log(), NAN),
        (lambda: Value(1000.0).exp(), INF),
        (lambda: Value(1.0) / 0.0, INF),
        (lambda: Value(-1.0) / 0.0, -INF),
        (lambda: Value(0.0) / 0.0, NAN),
        (lambda: Value(0.0) ** -1, INF),
        (lambda: Value(-8.0) ** (1 / 3), NAN),
        (lambda: Value(10.0) ** 400, INF),
        (lambda: Value(-1000.0).sigmoid(), 0.0),
        (lambda: Value(1000.0).sigmoid(), 1.0),
        (lambda: Value(NAN).relu(), NAN),
    ],
)
def test_forward_follows_ieee(expression, expected):
    assert same(expression().data, expected)


def test_backward_follows_ieee_where_python_would_raise():
    x = Value(0.0)
    x.log().backward()
    assert x.grad == INF
    y = Value(0.0)
    (1.0 / y).backward()
    assert y.grad == -INF  # −out/y = −(1/0)/0 = −inf


def test_anomaly_mode_names_the_forward_operation_and_its_inputs():
    x = Value(0.0, "x")
    with pytest.raises(FloatingPointError, match=r"forward pass: operation 'log' gave -inf from inputs x = 0\.0"):
        with at.detect_anomaly():
            x.log()


def test_anomaly_mode_names_the_backward_operation():
    x = Value(0.0, "x")
    y = (x * 1.0).relu() * x.exp()  # forward finite
    y = y + (x * x) ** 0.5  # sqrt(x²) at 0: derivative 0.5 · 0^(-0.5) = inf
    with pytest.raises(at.AnomalyError, match=r"backward pass: operation '\*\*'.*non-finite gradient"):
        with at.detect_anomaly():
            y.backward()


def test_anomaly_mode_is_off_by_default_and_restored():
    with at.detect_anomaly():
        pass
    assert Value(0.0).log().data == -INF


def test_zero_gradient_through_an_infinite_local_derivative_is_nan_as_in_pytorch():
    x = Value(0.0)
    y = x.log() * 0.0  # log's local derivative at 0 is inf; the gradient reaching it is 0
    y.backward()
    assert math.isnan(x.grad)


def test_zero_gradient_with_finite_local_derivatives_gives_zero():
    x, w = Value(-2.0), Value(3.0)
    (x * w).relu().backward()  # a dead relu: nothing flows back
    assert (x.grad, w.grad) == (0.0, 0.0)
