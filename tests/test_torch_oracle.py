"""The same random graphs against PyTorch in float64 (skipped when torch is not installed).

Enable with: .venv/bin/pip install torch==2.13.0
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd_tiny import Value
from autograd_tiny.random_graphs import random_expression

torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install torch==2.13.0 to enable")


def torch_total(xs):
    return torch.stack(list(xs)).sum()


def torch_weighted(ws, xs):
    return torch.stack([w * x for w, x in zip(ws, xs)]).sum()


@given(
    seed=st.integers(0, 2**32 - 1),
    point=st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=3, max_size=3),
)
def test_random_graph_gradients_match_pytorch(seed, point):
    expression = random_expression(np.random.default_rng(seed), n_inputs=3, n_steps=8)
    values = [Value(x) for x in point]
    output = expression(*values)
    assume(math.isfinite(output.data) and abs(output.data) < 1e6)
    output.backward()
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    torch_output = expression(*tensors, total=torch_total, weighted=torch_weighted)
    torch_output.backward()
    assert output.data == pytest.approx(torch_output.item(), rel=1e-12)
    for v, t in zip(values, tensors):
        expected = 0.0 if t.grad is None else float(t.grad)
        assert v.grad == pytest.approx(expected, rel=1e-9, abs=1e-12), str(expression)


def test_relu_at_zero_matches_pytorch():
    x = Value(0.0)
    x.relu().backward()
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    t.relu().backward()
    assert x.grad == float(t.grad)
