"""The n-ary ``logsumexp`` rule: ln Σ e^{xᵢ}, local derivatives softmax(x), stable at any scale.

Against PyTorch float64 (values and derivatives to the third order) at large, small and mixed
inputs, where a naive ln Σ e^{xᵢ} overflows or underflows.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny import Value, rules
from autograd_tiny.arrays import logsumexp_array

POINTS = {
    "moderate": [0.3, -1.2, 2.0],
    "large": [1000.0, 999.0, 995.5],  # e^1000 overflows
    "small": [-1000.0, -1001.5, -1003.0],  # e^-1000 underflows to 0
    "mixed": [700.0, -700.0, 0.0],
    "two equal": [5.0, 5.0],
    "one": [-3.25],
}


def test_value_and_softmax_derivatives_by_hand():
    xs = [Value(x) for x in (1.0, 2.0, 3.0)]
    out = at.logsumexp(xs)
    assert out.data == pytest.approx(3.0 + math.log(math.exp(-2.0) + math.exp(-1.0) + 1.0), rel=1e-15)
    out.backward()
    e = np.exp([1.0, 2.0, 3.0])
    assert [x.grad for x in xs] == pytest.approx((e / e.sum()).tolist(), rel=1e-15)


def test_large_and_small_inputs_neither_overflow_nor_underflow():
    assert at.logsumexp([1000.0, 1000.0]).data == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    assert at.logsumexp([-1000.0, -1000.0]).data == pytest.approx(-1000.0 + math.log(2.0), rel=1e-15)
    xs = [Value(-1000.0), Value(-1000.0 + math.log(3.0))]
    at.logsumexp(xs).backward()
    assert [x.grad for x in xs] == pytest.approx([0.25, 0.75], rel=1e-12)


def test_infinities_and_nan_as_ieee_and_pytorch_have_them():
    assert at.logsumexp([math.inf, 1.0]).data == math.inf
    assert at.logsumexp([-math.inf, -math.inf]).data == -math.inf
    assert at.logsumexp([-math.inf, 2.0]).data == 2.0
    assert math.isnan(at.logsumexp([math.nan, 1.0]).data)
    assert math.isnan(at.logsumexp([1.0, math.nan]).data)


def test_needs_at_least_one_value_and_says_which_is_not_a_number():
    with pytest.raises(ValueError, match="logsumexp needs at least one value"):
        at.logsumexp([])
    with pytest.raises(TypeError, match=r"logsumexp\(values\)\[1\]"):
        at.logsumexp([Value(1.0), "2"])


def test_the_array_form_matches_the_float_form_at_every_scale():
    for point in POINTS.values():
        columns = [np.array([x, x - 1.0, -x]) for x in point]
        expected = [rules.LOGSUMEXP.forward(*[float(c[i]) for c in columns]) for i in range(3)]
        assert logsumexp_array(*columns).tolist() == pytest.approx(expected, rel=1e-15)


def _torch_derivatives(point, path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install torch==2.13.0 to enable")
    xs = torch.tensor(point, dtype=torch.float64, requires_grad=True)
    current = torch.logsumexp(xs, 0)
    found = [current.item()]
    for index in path:
        (grad,) = torch.autograd.grad(current, xs, create_graph=True)
        current = grad[index]
        found.append(current.item())
    return found


def _our_derivatives(point, path):
    xs = [Value(x) for x in point]
    current = at.logsumexp(xs)
    found = [current.data]
    for index in path:
        current = at.grad(current, [xs[index]], create_graph=True)[0]
        found.append(current.data)
    return found


@pytest.mark.parametrize("name", POINTS)
def test_derivatives_to_the_third_order_match_pytorch(name):
    point = POINTS[name]
    k = len(point)
    for path in {(0, 0, 0), (0, (1 % k), 0), (k - 1, 0, (2 % k))}:
        ours, theirs = _our_derivatives(point, path), _torch_derivatives(point, path)
        assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-300), (path, ours, theirs)
        assert all(math.isfinite(d) for d in ours)
