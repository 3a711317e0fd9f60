"""check_backprop: the graph's δ, ∂C/∂W, ∂C/∂b agree with the four equations, and the check bites."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_tiny.nn import MLP, BackpropCheck, activations, backprop, check_backprop, losses


@given(
    widths=st.lists(st.integers(1, 8), min_size=1, max_size=4),
    activation=st.sampled_from(["tanh", "sigmoid", "relu", "linear"]),
    cost=st.sampled_from(sorted(losses.LOSSES)),
    n_samples=st.sampled_from([1, 3]),
    seed=st.integers(0, 2**16),
)
def test_check_backprop_passes_for_random_mlps(widths, activation, cost, n_samples, seed):
    loss = losses.get_loss(cost)
    rng = np.random.default_rng(seed)
    nin = int(rng.integers(1, 5))
    model = MLP(nin, widths, activation=activation, output_activation=loss.output_activation, seed=seed)
    X = rng.normal(0, 1, (n_samples, nin))
    report = check_backprop(model, X, loss.random_targets(rng, n_samples, widths[-1]), cost)
    assert report, str(report)


def test_fused_and_unfused_models_give_identical_gradients():
    X, Y = np.array([[0.3, -0.7], [1.1, 0.4]]), np.array([1.0, 0.0])
    grads = []
    for fused in (True, False):
        model = MLP(2, [3, 1], output_activation="sigmoid", seed=4, fused=fused)
        assert check_backprop(model, X, Y, "binary_cross_entropy")
        grads.append([p.grad for p in model.parameters()])
    assert grads[0] == pytest.approx(grads[1], rel=1e-14, abs=1e-17)


def _broken_activation(monkeypatch, name, sigma_prime):
    broken = dataclasses.replace(activations.ACTIVATIONS[name], sigma_prime=sigma_prime)
    monkeypatch.setitem(activations.ACTIVATIONS, name, broken)


def test_check_fails_when_the_equations_use_a_wrong_sigma_prime(monkeypatch):
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    X, Y = np.array([[0.5, -0.2], [0.1, 0.9]]), np.array([0.3, -0.4])
    assert check_backprop(model, X, Y, "quadratic")
    _broken_activation(monkeypatch, "tanh", lambda z: 1.0 - np.tanh(z))  # should be 1 − tanh²
    report = check_backprop(model, X, Y, "quadratic")
    assert not report
    assert "check_backprop FAILED" in str(report) and "FAIL" in str(report).splitlines()[2]


def test_check_fails_when_the_equations_use_a_wrong_cost_gradient(monkeypatch):
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    X, Y = np.array([[0.5, -0.2]]), np.array([0.3])
    monkeypatch.setattr(losses.Quadratic, "gradient", lambda self, a, y: 2 * (a - y))  # should be a − y
    report = check_backprop(model, X, Y, "quadratic")
    assert not report
    assert report.layers[-1].delta.rel_error == pytest.approx(0.5, rel=1e-9)


@pytest.mark.parametrize(
    ("cost", "output_activation"), [("binary_cross_entropy", "sigmoid"), ("softmax_cross_entropy", "linear")]
)
def test_the_sigma_prime_cancellation_shortcut_equals_the_general_formula(cost, output_activation):
    rng = np.random.default_rng(3)
    k = 3
    model = MLP(2, [4, k], output_activation=output_activation, seed=3)
    X = rng.normal(0, 1, (5, 2))
    Y = rng.integers(0, k, 5) if cost == "softmax_cross_entropy" else rng.integers(0, 2, (5, k))
    general = backprop(model.to_numpy(), model.activations, X, Y, cost)
    shortcut = backprop(model.to_numpy(), model.activations, X, Y, cost, shortcut=True)
    np.testing.assert_allclose(shortcut.delta[-1], general.delta[-1], rtol=1e-12, atol=1e-15)
    a = shortcut.a[-1] if cost == "binary_cross_entropy" else losses.softmax(shortcut.z[-1])
    y = Y if cost == "binary_cross_entropy" else losses.one_hot(Y, k)
    np.testing.assert_array_equal(shortcut.delta[-1], a - y)


def test_backprop_returns_per_sample_arrays_of_the_right_shapes():
    model = MLP(3, [4, 2], seed=0)
    result = backprop(model.to_numpy(), model.activations, np.ones((5, 3)), np.zeros((5, 2)), "mse")
    assert [d.shape for d in result.delta] == [(5, 4), (5, 2)]
    assert [g.shape for g in result.grad_W] == [(5, 4, 3), (5, 2, 4)]
    assert [g.shape for g in result.grad_b] == [(5, 4), (5, 2)]


def test_delta_table_lists_graph_and_equation_values_per_neuron():
    model = MLP(2, [2, 1], output_activation="sigmoid", seed=1)
    report = check_backprop(model, [[0.5, 0.5]], [1.0], "quadratic")
    lines = report.delta_table(0).splitlines()
    assert lines[2].split()[0] == "z[1][0]" and lines[-1].split()[0] == "z[2][0]"
    _, graph, equations, *difference, verdict = lines[-1].split()
    assert graph == equations and difference == ["≤", "1e-14"] and verdict == "ok"
    bound = 1e-14 + 1e-10 * report.layers[-1].delta.scale  # the check's tolerance at the layer's scale
    assert abs(float(graph) - report.layers[-1].delta_graph[0][0]) <= bound


def test_delta_table_prints_no_rounding_noise_and_shows_a_real_difference():
    """δ from the graph and from the equations that differ by rounding print the same text on every
    machine (to the leading digit of the bound, the difference as "≤ atol"); a difference beyond the
    tolerance prints ten significant digits and its own three."""

    model = MLP(2, [3, 1], activation="tanh", seed=1)
    report = check_backprop(model, [[0.5, -0.3], [0.1, 0.9]], [1.0, 0.0], "quadratic")
    text = str(report.delta_table(0))

    def with_graph_delta(change) -> BackpropCheck:
        first = report.layers[0]
        layer = dataclasses.replace(first, delta_graph=change(first.delta_graph.copy()))
        return dataclasses.replace(report, layers=(layer, *report.layers[1:]))

    noisy = with_graph_delta(lambda d: d * (1 + 4e-16))
    assert str(noisy.delta_table(0)) == text  # the noise is not printed
    for line in text.splitlines()[2:]:
        assert len(line.split()[1].lstrip("-").replace("0.", "").lstrip("0")) <= 12, line  # not 16 digits

    def off(d):
        d[0, 1] += 1e-6
        return d

    row = str(with_graph_delta(off).delta_table(0)).splitlines()[3].split()
    expected = report.layers[0].delta_equations[0][1]
    assert row == ["z[1][1]", f"{expected + 1e-6:.10g}", f"{expected:.10g}", "1.00e-06", "FAIL"]


def test_check_backprop_rejects_bad_shapes():
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match=r"X has shape \(1, 3\), expected \(n_samples, 2\)"):
        check_backprop(model, [[1, 2, 3]], [1.0], "quadratic")
    with pytest.raises(ValueError, match=r"quadratic targets have shape \(2,\), expected \(1, 1\)"):
        check_backprop(model, [[1, 2]], [1.0, 2.0], "quadratic")
    with pytest.raises(ValueError, match="unknown loss 'cross': expected one of"):
        check_backprop(model, [[1, 2]], [1.0], "cross")
