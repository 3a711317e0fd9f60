"""A 2-2-1 sigmoid network, quadratic cost, one sample: δ at every z, by hand.

The numbers can be checked with a pocket calculator:
    W¹ = [[0.15, 0.20], [0.25, 0.30]], b¹ = [0.35, 0.35], W² = [[0.40, 0.45]], b² = [0.60]
    x = [0.05, 0.10], y = 0.01, C = ½(a² − y)²
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_tiny.nn import MLP, losses


def sigma(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def sigma_prime(z: float) -> float:
    return sigma(z) * (1.0 - sigma(z))


@pytest.fixture
def network():
    W1, b1 = np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35])
    W2, b2 = np.array([[0.40, 0.45]]), np.array([0.60])
    return MLP.from_numpy([(W1, b1), (W2, b2)], ["sigmoid", "sigmoid"])


def test_forward_pass_by_hand(network):
    trace = network.trace([0.05, 0.10])
    z1 = [0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.25 * 0.05 + 0.30 * 0.10 + 0.35]
    assert [z.data for z in trace.z[0]] == pytest.approx([0.3775, 0.3925], rel=1e-15)
    a1 = [sigma(z) for z in z1]
    z2 = 0.40 * a1[0] + 0.45 * a1[1] + 0.60
    assert trace.z[1][0].data == pytest.approx(z2, rel=1e-15)
    assert trace.output[0].data == pytest.approx(0.7513650695523157, rel=1e-12)


def test_delta_at_every_preactivation_equals_the_equations(network):
    trace = network.trace([0.05, 0.10])
    losses.quadratic(trace.output, 0.01).backward()

    z1 = [0.3775, 0.3925]
    a1 = [sigma(z) for z in z1]
    z2 = 0.40 * a1[0] + 0.45 * a1[1] + 0.60
    a2 = sigma(z2)
    delta2 = (a2 - 0.01) * sigma_prime(z2)  # BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ), ∇ₐC = a − y
    delta1 = [0.40 * delta2 * sigma_prime(z1[0]), 0.45 * delta2 * sigma_prime(z1[1])]  # BP2

    assert trace.delta(1) == pytest.approx([delta2], rel=1e-14)
    assert trace.delta(0) == pytest.approx(delta1, rel=1e-14)
    assert delta2 == pytest.approx(0.1384985616, rel=1e-9)  # a number to check by hand
    assert delta1 == pytest.approx([0.013367920423, 0.014996075489], rel=1e-10)


def test_weight_and_bias_gradients_follow_bp3_and_bp4(network):
    trace = network.trace([0.05, 0.10])
    losses.quadratic(trace.output, 0.01).backward()
    out = network.layers[1].neurons[0]
    a1 = [a.data for a in trace.a[0]]
    delta2 = trace.delta(1)[0]
    assert out.b.grad == delta2  # BP3
    assert [w.grad for w in out.w] == pytest.approx([delta2 * a1[0], delta2 * a1[1]], rel=1e-15)  # BP4
    hidden = network.layers[0].neurons[1]
    assert [w.grad for w in hidden.w] == pytest.approx([trace.delta(0)[1] * 0.05, trace.delta(0)[1] * 0.10], rel=1e-14)
