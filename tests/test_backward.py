"""backward(): reverse topological order, accumulation, repeated calls, deep graphs."""

from __future__ import annotations

import sys

import pytest

import autograd_tiny as at
from autograd_tiny import Value


def test_square_by_self_multiplication_accumulates_both_uses():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_repeated_addition_accumulates_every_use():
    x = Value(3.0)
    (x + x + x).backward()
    assert x.grad == 3.0


def test_diamond_sums_both_paths():
    x = Value(2.0)
    a, b = x * 3.0, x.exp()
    (a * b).backward()
    # d/dx (3x · eˣ) = 3eˣ + 3x eˣ
    assert x.grad == pytest.approx(3 * b.data + 3 * 2.0 * b.data, rel=1e-15)


def test_backward_twice_accumulates_on_every_node_as_pytorch_does():
    x = Value(2.0)
    h = x * x
    y = h * 3.0
    y.backward()
    y.backward()
    assert (x.grad, h.grad, y.grad) == (24.0, 6.0, 2.0)


def test_backward_with_a_seed_gradient():
    x = Value(2.0)
    (x * 5.0).backward(0.5)
    assert x.grad == 2.5


def test_zero_grad_of_a_root_resets_the_whole_graph():
    x, w = Value(2.0), Value(3.0)
    y = (x * w).tanh()
    y.backward()
    at.zero_grad(y)
    assert [v.grad for v in at.topological_order(y)] == [0.0] * 4


def test_zero_grad_of_a_list_resets_exactly_those():
    x, w = Value(2.0), Value(3.0)
    y = x * w
    y.backward()
    at.zero_grad([x])
    assert (x.grad, w.grad, y.grad) == (0.0, 2.0, 1.0)


def test_zero_grad_rejects_non_values():
    with pytest.raises(TypeError, match="zero_grad needs Values, got float"):
        at.zero_grad([1.0])


def test_backward_needs_a_number_seed():
    with pytest.raises(TypeError, match="got str"):
        Value(1.0).backward("1")


def test_topological_order_puts_every_node_after_its_inputs_once():
    x = Value(1.0)
    a = x * 2.0
    y = a + a * x
    order = at.topological_order(y)
    position = {node: i for i, node in enumerate(order)}
    assert len(order) == len(set(order)) == 5  # x, the constant 2, a, a·x, y
    assert all(position[child] < position[node] for node in order for child in node.inputs)


@pytest.mark.parametrize("length", [200_000, pytest.param(1_000_000, marks=pytest.mark.slow)])
def test_a_long_chain_works_at_the_default_recursion_limit(length, cyclic_gc_paused):
    assert sys.getrecursionlimit() <= 1000 or True  # the engine must not depend on it
    x = Value(1.0)
    y = x
    for _ in range(length):
        y = y + 1.0
    y.backward()
    assert (x.grad, y.data) == (1.0, length + 1.0)
    at.zero_grad(y)  # iterative too
    assert x.grad == 0.0


def test_no_grad_computes_values_but_records_nothing():
    w = Value(2.0)
    with at.no_grad():
        y = w * 3.0
        w.data -= 0.5  # a parameter update
    assert (y.data, y.op, y.inputs, w.data) == (6.0, "", (), 1.5)
    z = w * 2.0
    assert z.inputs[0] is w  # recording is back on after the block


def test_no_grad_restores_recording_after_an_exception():
    with pytest.raises(RuntimeError), at.no_grad():
        raise RuntimeError("boom")
    assert (Value(1.0) * 2.0).op == "*"
