"""jvp, vjp and jacobian: forward and reverse mode from the same rules, against each other,
finite differences, a published example and (when installed) PyTorch's torch.func."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd_tiny as at
from autograd_tiny.random_graphs import random_expression


def jax_example(x0, x1, x2):
    """JAX's documentation example: f(x) = [x₀, 5x₂, 4x₁² − 2x₂, x₂ sin x₀]."""
    return [x0, 5 * x2, 4 * x1**2 - 2 * x2, x2 * x0.sin()]


JAX_JACOBIAN = np.array([[1, 0, 0], [0, 0, 5], [0, 16, -2], [3 * math.cos(1), 0, math.sin(1)]])


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_the_jax_documentation_example(mode):
    assert at.jacobian(jax_example, [1.0, 2.0, 3.0], mode=mode) == pytest.approx(JAX_JACOBIAN, rel=1e-15)
    assert at.jacobian(jax_example, [1.0, 2.0, 3.0], mode=mode)[3, 0] == pytest.approx(1.6209069, rel=1e-7)


def test_jvp_is_a_column_combination_and_vjp_a_row_combination():
    values, tangent = at.jvp(jax_example, [1.0, 2.0, 3.0], [1.0, -1.0, 0.5])
    assert values == pytest.approx([1.0, 15.0, 10.0, 3 * math.sin(1)])
    assert tangent == pytest.approx(JAX_JACOBIAN @ [1.0, -1.0, 0.5], rel=1e-15)
    _, vjp_fn = at.vjp(jax_example, [1.0, 2.0, 3.0])
    assert vjp_fn([0.0, 1.0, 2.0, -1.0]) == pytest.approx(np.array([0.0, 1.0, 2.0, -1.0]) @ JAX_JACOBIAN, rel=1e-15)
    assert vjp_fn([1.0, 0.0, 0.0, 0.0]) == pytest.approx(JAX_JACOBIAN[0])  # the graph is walked again


def test_one_output_gives_floats_and_a_one_row_jacobian():
    f = lambda x, y: x * y.exp()  # noqa: E731
    value, tangent = at.jvp(f, [2.0, 0.0], [1.0, 1.0])
    assert (value, tangent) == (2.0, 3.0)  # ∂/∂x = e^y = 1, ∂/∂y = x e^y = 2
    value, vjp_fn = at.vjp(f, [2.0, 0.0])
    assert value == 2.0 and list(vjp_fn(2.0)) == [2.0, 4.0]
    assert at.jacobian(f, [2.0, 0.0]).shape == (1, 2)


def test_forward_mode_composes_with_create_graph_into_the_hessian():
    f = lambda x, y: x**2 * y + y.sin() * x  # noqa: E731
    gradient = lambda x, y: at.grad(f(x, y), [x, y], create_graph=True)  # noqa: E731
    assert at.jacobian(gradient, [1.0, 2.0], mode="forward") == pytest.approx(at.hessian(f, [1.0, 2.0]), rel=1e-15)


def test_an_output_that_ignores_the_inputs_has_zero_derivatives():
    jacobian = at.jacobian(lambda x, y: [x * 0.0 + 3.0, 7.0, y], [1.0, 2.0], mode="forward")
    assert jacobian.tolist() == [[0.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    assert at.jacobian(lambda x, y: [x * 0.0 + 3.0, 7.0, y], [1.0, 2.0]).tolist() == jacobian.tolist()


def test_forward_mode_treats_an_untouched_input_as_exactly_constant():
    # log′(0) = inf, but the column for y never carries a tangent through x: 1, not 0 · inf = nan
    assert at.jacobian(lambda x, y: x.log() + y, [0.0, 1.0], mode="forward").tolist() == [[math.inf, 1.0]]
    # jvp and vjp leave exactly-0 entries out the same way: a unit vector gives exactly that
    # column or row of J (JAX would give 0 · inf = nan here)
    assert at.jvp(lambda x, y: x.log() + y, [0.0, 1.0], [0.0, 1.0])[1] == 1.0
    _, vjp_fn = at.vjp(lambda x, y: [x.log(), y], [0.0, 1.0])
    assert vjp_fn([0.0, 1.0]).tolist() == [0.0, 1.0]
    assert vjp_fn([0.0, 0.0]).tolist() == [0.0, 0.0]


@given(seed=st.integers(0, 2**32 - 1), point=st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_both_modes_agree_with_each_other_and_with_finite_differences(seed, point):
    rng = np.random.default_rng(seed)
    expressions = [random_expression(rng, n_inputs=3, n_steps=6) for _ in range(2)]
    f = lambda *xs: [e(*xs) for e in expressions]  # noqa: E731
    values = np.array([v.data for v in f(*[at.Value(x) for x in point])])
    assume(np.all(np.isfinite(values)) and np.all(np.abs(values) < 1e6))
    reverse = at.jacobian(f, point, mode="reverse")
    forward = at.jacobian(f, point, mode="forward")
    assert forward == pytest.approx(reverse, rel=1e-12, abs=1e-12)
    eps = 1e-6
    for j in range(3):
        plus, minus = list(point), list(point)
        plus[j] += eps
        minus[j] -= eps
        column = (at.jvp(f, plus, [0, 0, 0])[0] - at.jvp(f, minus, [0, 0, 0])[0]) / (2 * eps)
        assert reverse[:, j] == pytest.approx(column, rel=1e-4, abs=1e-5)


def test_errors_say_what_was_expected():
    with pytest.raises(ValueError, match="tangents has 2 entries, the point has 3 coordinates"):
        at.jvp(jax_example, [1.0, 2.0, 3.0], [1.0, 0.0])
    with pytest.raises(ValueError, match=r"the cotangent has 3 entries, f has 4 output\(s\)"):
        at.vjp(jax_example, [1.0, 2.0, 3.0])[1]([1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"the cotangent has 2 entries, f has 1 output\(s\)"):
        at.vjp(lambda x, y: x * y, [1.0, 2.0])[1]([2.0, 3.0])
    with pytest.raises(ValueError, match="mode must be 'reverse' or 'forward', got 'sideways'"):
        at.jacobian(jax_example, [1.0, 2.0, 3.0], mode="sideways")
    with pytest.raises(TypeError, match="f must return a Value or a list of Values, got str"):
        at.jacobian(lambda x: "x", [1.0])
    with pytest.raises(TypeError, match=r"f's output \[1\] is a str"):
        at.jacobian(lambda x: [x, "y"], [1.0])
    with pytest.raises(ValueError, match="at least one coordinate"):
        at.jvp(lambda: at.Value(1.0), [], [])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: at.jacobian(lambda x: x, None), "the point must be a sequence of real numbers, got NoneType"),
        (lambda: at.hessian(lambda a: a * a, "12"), "the point must be a sequence of real numbers, got str"),
        (lambda: at.jvp(lambda a, b: a * b, [1.0, 2.0], ["1", "0"]), r"tangents\[0\] must be a real number, got str"),
        (lambda: at.jvp(lambda a: a, [1.0], None), "tangents must be a sequence of real numbers, got NoneType"),
        (lambda: at.vjp(lambda a: a, [1.0])[1](None), "the cotangent must be a sequence of real numbers"),
        (lambda: at.hvp(lambda a: a * a, [1.0], [None]), r"v\[0\] must be a real number, got NoneType"),
        (lambda: at.jacobian(lambda x: x, [10**400]), "too large for a float"),
        (lambda: at.jacobian(lambda x: [x, {"y": 1}], [1.0]), r"f's output \[1\] is a dict"),
        (lambda: at.jacobian(lambda x: {"y": x}, [1.0]), "f must return a Value or a list of Values, got dict"),
        (lambda: at.hessian(lambda a, b: a * b, [1.0]), r"f\(a, b\) cannot take the point's 1 coordinates"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


def test_numpy_scalars_of_any_precision_are_numbers():
    assert at.jacobian(lambda x: [np.float32(2.0) * x, np.float64(3.0)], [np.float32(1.5)]).tolist() == [[2.0], [0.0]]


def test_against_torch_func():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install torch==2.13.0 to enable")
    point = [0.3, -1.2, 0.7]
    expression = random_expression(np.random.default_rng(7), n_inputs=3, n_steps=12)
    total = lambda xs: torch.stack(list(xs)).sum()  # noqa: E731
    weighted = lambda ws, xs: torch.stack([w * x for w, x in zip(ws, xs)]).sum()  # noqa: E731

    def torch_f(x):
        return torch.stack(
            [expression(*x, total=total, weighted=weighted), torch.sin(x[0]) * x[2], x[1].abs().sqrt() + x[0].cos()]
        )

    def ours(*x):
        return [expression(*x), x[0].sin() * x[2], x[1].abs().sqrt() + x[0].cos()]

    x = torch.tensor(point, dtype=torch.float64)
    expected = torch.func.jacrev(torch_f)(x).numpy()
    assert at.jacobian(ours, point) == pytest.approx(expected, rel=1e-12)
    assert at.jacobian(ours, point, mode="forward") == pytest.approx(expected, rel=1e-12)
    tangent = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    _, expected_jvp = torch.func.jvp(torch_f, (x,), (tangent,))
    assert at.jvp(ours, point, tangent.tolist())[1] == pytest.approx(expected_jvp.numpy(), rel=1e-12)
