"""gradcheck: passes on correct gradients, fails readably on a wrong one."""

from __future__ import annotations

import math

import pytest

import autograd_tiny as at
from autograd_tiny import Value, rules


def test_gradcheck_passes_on_a_correct_function_and_reports_each_input():
    result = at.gradcheck(lambda w, x: (w * x).tanh() + w.log(), {"w": 1.5, "x": -0.7})
    assert result
    assert [e.label for e in result.entries] == ["w", "x"]
    assert all(e.abs_error < 1e-8 for e in result.entries)
    # d/dw [tanh(wx) + ln w] = x(1 − tanh²(wx)) + 1/w
    assert result.entries[0].analytic == pytest.approx(-0.7 * (1 - math.tanh(-1.05) ** 2) + 1 / 1.5, rel=1e-14)


def test_gradcheck_labels_positional_inputs_x0_x1():
    result = at.gradcheck(lambda a, b: a * b, [2.0, 3.0])
    assert [(e.label, e.analytic) for e in result.entries] == [("x0", 3.0), ("x1", 2.0)]


@pytest.fixture
def wrong_tanh(monkeypatch):
    """Break tanh's local derivative (1 - out² becomes 1 - out) to show gradcheck bites."""
    broken = rules.Rule("tanh", rules.TANH.forward, lambda out, a: (1.0 - out,))
    monkeypatch.setattr(at.Value, "tanh", at.value._unary(broken))


def test_gradcheck_fails_on_a_wrong_derivative_with_a_readable_table(wrong_tanh):
    result = at.gradcheck(lambda x: x.tanh(), {"x": 0.5})
    assert not result
    text = str(result)
    assert text.splitlines()[0].startswith("gradcheck FAILED")
    assert "input" in text and "engine" in text and "finite diff." in text
    row = text.splitlines()[2]
    assert row.startswith("x ") and row.endswith("FAIL")


def test_gradcheck_can_raise_with_the_table(wrong_tanh):
    with pytest.raises(at.GradcheckError, match=r"(?s)gradcheck FAILED.*x0 .*FAIL"):
        at.gradcheck(lambda x: x.tanh(), [0.5], raise_on_failure=True)


def test_gradcheck_table_when_passing():
    text = str(at.gradcheck(lambda x: x * x, {"x": 3.0}))
    lines = text.splitlines()
    assert lines[0].startswith("gradcheck passed")
    assert lines[2].split()[:2] == ["x", "6"]
    assert lines[2].endswith("ok")


def test_gradcheck_rejects_a_function_that_does_not_return_a_value():
    with pytest.raises(TypeError, match="f must return one Value, got float"):
        at.gradcheck(lambda x: 1.0, [1.0])


def test_gradcheck_rejects_bad_inputs():
    with pytest.raises(ValueError, match="at least one input"):
        at.gradcheck(lambda: Value(1.0), [])
    with pytest.raises(TypeError, match="gradcheck input x0: Value needs a real number"):
        at.gradcheck(lambda x: x, ["a"])
