"""The four backpropagation equations in NumPy, independent of the graph.

For a batch of n samples (rows), layers l = 1 … L with Wˡ of shape (nˡ, nˡ⁻¹):

    forward   zˡ = aˡ⁻¹ (Wˡ)ᵀ + bˡ,   aˡ = σˡ(zˡ),   a⁰ = x
    BP1       δᴸ = ∇ₐC ⊙ σ′(zᴸ)
    BP2       δˡ = (δˡ⁺¹ Wˡ⁺¹) ⊙ σ′(zˡ)          (row form of ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ))
    BP3       ∂C/∂bˡ = δˡ
    BP4       ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ                 (an outer product per sample)

Everything is per sample: C here is one sample's cost. ``check_backprop`` compares these
with the engine's gradients of the batch's mean cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import get_activation
from .losses import Loss, get_loss


@dataclass(frozen=True)
class BackpropResult:
    """Per layer (0-based lists over layers 1 … L), each array with one row per sample."""

    x: np.ndarray  # a⁰, (n, n⁰)
    z: list[np.ndarray]  # zˡ, (n, nˡ)
    a: list[np.ndarray]  # aˡ, (n, nˡ)
    delta: list[np.ndarray]  # δˡ = ∂C/∂zˡ, (n, nˡ)
    grad_b: list[np.ndarray]  # ∂C/∂bˡ, (n, nˡ)
    grad_W: list[np.ndarray]  # ∂C/∂Wˡ, (n, nˡ, nˡ⁻¹)


def forward(
    weights: Sequence[tuple[np.ndarray, np.ndarray]], activations: Sequence[str], x: Any
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The forward pass alone: ([z¹, …, zᴸ], [a⁰ = x, a¹, …, aᴸ]), one row per sample."""
    if len(activations) != len(weights):
        raise ValueError(f"forward got {len(weights)} layers but {len(activations)} activations")
    x = np.atleast_2d(np.asarray(x, dtype=float))
    if x.shape[1] != weights[0][0].shape[1]:
        raise ValueError(f"x has {x.shape[1]} features per sample, the first layer expects {weights[0][0].shape[1]}")
    zs, activations_out = [], [x]
    for (W, b), name in zip(weights, activations):
        z = activations_out[-1] @ W.T + b  # zˡ = Wˡ aˡ⁻¹ + bˡ, one row per sample
        zs.append(z)
        activations_out.append(get_activation(name).sigma(z))
    return zs, activations_out


def backprop(
    weights: Sequence[tuple[np.ndarray, np.ndarray]],
    activations: Sequence[str],
    x: Any,
    y: Any,
    loss: str | Loss,
    *,
    shortcut: bool = False,
) -> BackpropResult:
    """Forward pass, then BP1–BP4, for every sample of the batch ``x`` with targets ``y``.

    ``weights`` is [(W¹, b¹), …] as ``MLP.to_numpy()`` returns; ``activations`` one name per
    layer. With ``shortcut=True`` the softmax/cross-entropy and sigmoid/binary-cross-entropy
    pairs use δᴸ = a − y (σ′ cancels) instead of the general BP1; both agree to rounding.
    """
    loss = get_loss(loss)
    if len(activations) != len(weights):
        raise ValueError(f"backprop got {len(weights)} layers but {len(activations)} activations")
    sigmas = [get_activation(name) for name in activations]
    x = np.atleast_2d(np.asarray(x, dtype=float))
    zs, activations_out = forward(weights, activations, x)
    a_out = activations_out[-1]
    y = loss.prepare_targets(y, x.shape[0], a_out.shape[1])

    deltas: list[np.ndarray] = [np.empty(0)] * len(weights)
    if shortcut and loss.cancels_with == sigmas[-1].name:
        deltas[-1] = loss.shortcut_delta(a_out, y)  # δᴸ = a − y
    else:
        deltas[-1] = loss.gradient(a_out, y) * sigmas[-1].sigma_prime(zs[-1])  # BP1
    for l in range(len(weights) - 2, -1, -1):
        W_next = weights[l + 1][0]
        deltas[l] = (deltas[l + 1] @ W_next) * sigmas[l].sigma_prime(zs[l])  # BP2

    grad_b = [delta.copy() for delta in deltas]  # BP3
    grad_W = [np.einsum("nj,ni->nji", delta, a_prev) for delta, a_prev in zip(deltas, activations_out)]  # BP4
    return BackpropResult(x, zs, activations_out[1:], deltas, grad_b, grad_W)
