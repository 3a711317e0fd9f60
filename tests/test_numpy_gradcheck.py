"""check_gradient: hand-written NumPy gradients against central differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_tiny import GradientCheck, check_gradient
from autograd_tiny.numpy_gradcheck import reading


def softmax_loss(W, X, y):
    scores = X @ W
    scores = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def softmax_loss_grad(W, X, y):
    scores = X @ W
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return X.T @ p / len(y)


RNG = np.random.default_rng(0)
X, Y = RNG.normal(size=(6, 4)), RNG.integers(0, 3, 6)


def test_a_right_gradient_passes_with_a_tiny_relative_error():
    W = RNG.normal(size=(4, 3))
    result = check_gradient(lambda w: softmax_loss(w, X, Y), lambda w: softmax_loss_grad(w, X, Y), W)
    assert result and isinstance(result, GradientCheck)
    assert result.size == 12 and len(result.worst) == 5
    assert result.max_rel_error < 1e-7
    assert str(result).startswith("check_gradient passed: 12 entries against central differences (ε = 1e-06)")
    assert "good" in str(result)


def test_a_wrong_gradient_fails_and_shows_the_worst_entry_first():
    W = RNG.normal(size=(4, 3))

    def forgot_the_mean(w):
        return softmax_loss_grad(w, X, Y) * len(Y)

    result = check_gradient(lambda w: softmax_loss(w, X, Y), forgot_the_mean, W)
    assert not result
    worst = result.worst[0]
    # the analytic side is exactly 6× the numeric one: relative error (6n − n)/(6n + n) = 5/7
    assert worst.rel_error == pytest.approx(5 / 7, rel=1e-5)
    assert worst.reading == "wrong"
    assert [e.rel_error for e in result.worst] == sorted((e.rel_error for e in result.worst), reverse=True)
    assert "FAILED" in str(result) and "<table>" in result._repr_html_()
    assert repr(result) == f"GradientCheck(passed=False, max_rel_error={result.max_rel_error:.2e})"


def test_the_entry_index_is_reported_in_the_arrays_shape():
    x = np.zeros((2, 3, 2))

    def grad(v):
        g = 2 * v
        g[1, 2, 0] += 1.0  # one wrong entry
        return g

    result = check_gradient(lambda v: float(np.sum(v**2)), grad, x)
    assert not result and result.worst[0].index == (1, 2, 0)
    assert result.worst[0].analytic == 1.0 and result.worst[0].numeric == pytest.approx(0.0, abs=1e-9)


def test_the_callers_array_is_not_changed_and_f_gets_copies():
    x = np.array([1.0, 2.0])
    seen = []

    def f(v):
        seen.append(v)
        return float(v @ v)

    check_gradient(f, lambda v: 2 * v, x)
    assert x.tolist() == [1.0, 2.0] and all(v is not x for v in seen)


@pytest.mark.parametrize(
    ("f", "grad_f", "x", "match"),
    [
        (lambda v: v, lambda v: v, np.ones(3), "f\\(x\\) must be one number, got an array of shape \\(3,\\)"),
        (lambda v: v.sum(), lambda v: np.ones(2), np.ones(3), "grad_f\\(x\\) has shape \\(2,\\), expected \\(3,\\)"),
        (lambda v: np.log(v).sum(), lambda v: 1 / v, np.zeros(2), "f\\(x\\) is -inf, not a finite number"),
        (lambda v: v.sum(), lambda v: v, np.array([np.nan]), "x contains nan"),
    ],
)
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_bad_input_is_a_clear_error(f, grad_f, x, match):
    with pytest.raises(ValueError, match=match):
        check_gradient(f, grad_f, x)


def test_readings_follow_cs231n():
    assert [reading(r) for r in (1e-9, 1e-7, 1e-5, 1e-3, 0.5)] == [
        "good",
        "good",
        "ok only at kinks",
        "suspicious",
        "wrong",
    ]


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=6), st.floats(0.5, 2.0))
def test_right_gradients_of_smooth_functions_always_pass(values, scale):
    x = np.array(values)
    result = check_gradient(
        lambda v: float(np.sum(np.tanh(scale * v) ** 2)),
        lambda v: 2 * np.tanh(scale * v) * (1 - np.tanh(scale * v) ** 2) * scale,
        x,
    )
    assert result, str(result)
    wrong = check_gradient(lambda v: float(np.sum(v**3)), lambda v: 3 * v**2 + 1e-3, x)
    assert not wrong


def test_the_engine_package_imports_neither_nn_nor_viz():
    import subprocess
    import sys

    code = (
        "import sys, autograd_tiny\n"
        "print(sorted(m for m in sys.modules if m.startswith(('autograd_tiny.nn', 'autograd_tiny.viz'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_non_finite_gradient_entry_fails_as_wrong_and_none_is_named():
    f = lambda w: float(np.sum(w**2))  # noqa: E731
    for bad in (np.nan, np.inf):
        result = check_gradient(f, lambda w, bad=bad: np.array([bad, 2 * w[1]]), np.array([1.0, 2.0]))
        assert not result and result.worst[0].index == (0,) and result.worst[0].reading == "wrong"
    with pytest.raises(TypeError, match=r"grad_f\(x\) returned None"):
        check_gradient(f, lambda w: None, np.array([1.0]))
    with pytest.raises(TypeError, match=r"f\(x\) returned None"):
        check_gradient(lambda w: None, lambda w: w, np.array([1.0]))
    with pytest.raises(ValueError, match="x has no entries"):
        check_gradient(f, lambda w: 2 * w, np.array([]))


def test_the_verdict_is_the_entries_comparisons(monkeypatch):
    """check_gradient decides nothing itself: every entry is a Comparison (tolerance "check_gradient",
    scale |a| + |n|) and the result passes exactly when they all do."""
    from autograd_tiny.comparison import Comparison

    x = np.array([0.3, -1.2, 2.0])
    result = check_gradient(lambda v: float(np.sum(np.sin(v))), np.cos, x)
    assert result and all(e.comparison.tolerance.name == "check_gradient" for e in result.worst)
    assert all(e.comparison.scale == abs(e.analytic) + abs(e.numeric) for e in result.worst)
    monkeypatch.setattr(Comparison, "passed", property(lambda self: self.abs_error == 0.0))
    assert not check_gradient(lambda v: float(np.sum(np.sin(v))), np.cos, x)


def test_a_passing_entry_prints_no_rounding_noise_and_keeps_its_reading():
    """A large gradient passes on its relative error: its absolute error (about 1e-3 here, noise) prints
    as "> 1e-08", the numbers to the bound's digit (3.3: units); the reading is CS231n's, from the relative error."""
    x = np.array([12.0])
    result = check_gradient(lambda v: float(np.exp(v[0])), lambda v: np.exp(v), x)
    (row,) = str(result).splitlines()[2:]
    assert result and row.split() == ["[0]", "162755", "162755", ">", "1e-08", "≤", "1e-05", "good"]
    assert "worst relative error ≤ 1e-05 (good)" in result.message
    wrong = check_gradient(lambda v: float(np.exp(v[0])), lambda v: 2 * np.exp(v), x)
    assert wrong.worst[0].comparison.error_cells() == ("1.63e+05", "3.33e-01") and wrong.worst[0].reading == "wrong"
