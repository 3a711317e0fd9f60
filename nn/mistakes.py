"""The classic mistakes in a hand-written backprop, each as the equation it gets wrong.

A mistake is recognised by recomputing δ (or ∂C/∂W) *with the mistake applied* and seeing
that it matches the learner's numbers, never by guessing from the size of the error. Rows
are samples, as in ``nn.backprop``; ``layer`` is a 0-based index into its per-layer lists
(layer l = index + 1 in the equations):

    BP1   δᴸ = ∇ₐC ⊙ σ′(zᴸ)
    BP2   δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)       row form: (δˡ⁺¹ Wˡ⁺¹) ⊙ σ′(zˡ)
    BP4   ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation
from .backprop import BackpropResult
from .losses import Loss


@dataclass(frozen=True)
class Mistake:
    id: str
    hint: str  # what the learner's numbers match, in one sentence ({l}, {next}, {prev}, {layer} filled in)
    variants: tuple[tuple[str, str], ...] = ()  # (variant, hint) where one id covers two slips


CATALOGUE: dict[str, Mistake] = {
    m.id: m
    for m in (
        Mistake(
            "missing_sigma_prime",
            "Your numbers match δ computed without the factor ⊙ σ′(z{l}): multiply by σ′(z{l}).",
        ),
        Mistake(
            "sigma_prime_of_activation",
            "Your numbers match δ computed with σ′(a{l}) instead of σ′(z{l}): σ was applied twice; "
            "pass σ′ the pre-activation z{l}.",
        ),
        Mistake(
            "wrong_sign",
            "Your numbers are the right δ{l} with the opposite sign: the output error is a − y, not y − a.",
        ),
        Mistake(
            "wrong_weight_layer",
            "Your numbers match δ computed with W{l} instead of W{next}: δ{l} = ((W{next})ᵀ δ{next}) ⊙ σ′(z{l}).",
            variants=(
                (
                    "untransposed",
                    "Your numbers match δ computed with W{next} δ{next}, without the transpose: "
                    "δ{l} = ((W{next})ᵀ δ{next}) ⊙ σ′(z{l}).",
                ),
            ),
        ),
        Mistake(
            "wrong_activation_layer",
            "Your numbers match δ{l} (a{l})ᵀ: the weights of layer {layer} multiply the previous layer's "
            "activations, so use a{prev}.",
        ),
        Mistake(
            "transposed_outer_product",
            "Your numbers match a{prev} (δ{l})ᵀ, the outer product the wrong way round: ∂C/∂W{l} = δ{l} (a{prev})ᵀ.",
        ),
        Mistake(
            "cost_mismatch",
            "Your numbers match the output error of the other cost: {other}.",
        ),
        Mistake(
            "sigma_prime_of_wrong_layer",
            "Your numbers match δ computed with σ′(z{next}) instead of σ′(z{l}): use this layer's pre-activation.",
        ),
    )
}


@dataclass(frozen=True)
class Numbers:
    """Everything the mistaken equations need, from one run of ``nn.backprop`` (the right equations)."""

    result: BackpropResult
    weights: Sequence[np.ndarray]  # Wˡ, (nˡ, nˡ⁻¹)
    sigmas: Sequence[Activation]
    loss: Loss
    y: np.ndarray  # targets as ``loss.prepare_targets`` returns them

    def activation_before(self, layer: int) -> np.ndarray:
        """aˡ⁻¹ for the layer at 0-based ``layer`` (a⁰ = x)."""
        return self.result.x if layer == 0 else self.result.a[layer - 1]


def output_delta_mistakes(numbers: Numbers) -> Iterator[tuple[str, str, np.ndarray]]:
    """δᴸ computed with each BP1 mistake, as (mistake id, variant, δᴸ with one row per sample)."""
    r, sigma, loss = numbers.result, numbers.sigmas[-1], numbers.loss
    z, a = r.z[-1], r.a[-1]
    grad_a = loss.gradient(a, numbers.y)
    yield "missing_sigma_prime", "", grad_a  # δᴸ = ∇ₐC
    yield "sigma_prime_of_activation", "", grad_a * sigma.sigma_prime(a)  # δᴸ = ∇ₐC ⊙ σ′(aᴸ)
    yield "wrong_sign", "", -r.delta[-1]  # δᴸ = (y − a) ⊙ …
    if loss.name == "quadratic":
        yield "cost_mismatch", "", a - numbers.y  # the cross-entropy shortcut with the quadratic cost
    elif loss.name == "binary_cross_entropy":
        yield "cost_mismatch", "", (a - numbers.y) * sigma.sigma_prime(z)  # the quadratic cost's δᴸ


def hidden_delta_mistakes(numbers: Numbers, layer: int) -> Iterator[tuple[str, str, np.ndarray]]:
    """δˡ computed with each BP2 mistake from the right δˡ⁺¹ (``layer`` is 0-based, not the last)."""
    r, sigma = numbers.result, numbers.sigmas[layer]
    z, a, delta_next = r.z[layer], r.a[layer], r.delta[layer + 1]
    W, W_next = numbers.weights[layer], numbers.weights[layer + 1]
    back = delta_next @ W_next  # (Wˡ⁺¹)ᵀ δˡ⁺¹
    yield "missing_sigma_prime", "", back
    yield "sigma_prime_of_activation", "", back * sigma.sigma_prime(a)
    if W.shape == W_next.shape:
        yield "wrong_weight_layer", "", (delta_next @ W) * sigma.sigma_prime(z)  # (Wˡ)ᵀ δˡ⁺¹
    if W_next.shape[0] == W_next.shape[1]:
        yield "wrong_weight_layer", "untransposed", (delta_next @ W_next.T) * sigma.sigma_prime(z)  # Wˡ⁺¹ δˡ⁺¹
    if r.z[layer + 1].shape == z.shape:
        for sigma_used in dict.fromkeys((sigma, numbers.sigmas[layer + 1])):  # either layer's σ′, on zˡ⁺¹
            yield "sigma_prime_of_wrong_layer", "", back * sigma_used.sigma_prime(r.z[layer + 1])


def weight_gradient_mistakes(numbers: Numbers, layer: int) -> Iterator[tuple[str, str, np.ndarray]]:
    """∂C/∂Wˡ computed with each BP4 mistake from the right δˡ, one (nˡ, nˡ⁻¹) matrix per sample."""
    delta, a, a_prev = numbers.result.delta[layer], numbers.result.a[layer], numbers.activation_before(layer)
    if a.shape == a_prev.shape:
        yield "wrong_activation_layer", "", np.einsum("nj,ni->nji", delta, a)  # δˡ (aˡ)ᵀ
    if delta.shape == a_prev.shape:
        yield "transposed_outer_product", "", np.einsum("nj,ni->nji", a_prev, delta)  # aˡ⁻¹ (δˡ)ᵀ


def hint(mistake: str, variant: str, layer: int, loss: Loss) -> str:
    """The catalogue's sentence for ``mistake`` (and ``variant``, "" for the main one) in 1-based ``layer``."""
    other = (
        "δᴸ = a − y is the cross-entropy shortcut; with the quadratic cost δᴸ = (a − y) ⊙ σ′(zᴸ)"
        if loss.name == "quadratic"
        else "(a − y) ⊙ σ′(zᴸ) is the quadratic cost's δᴸ; with cross-entropy σ′ cancels and δᴸ = a − y"
    )
    entry = CATALOGUE[mistake]
    text = dict(entry.variants).get(variant, entry.hint)
    return text.format(
        l=superscript(layer), next=superscript(layer + 1), prev=superscript(layer - 1), layer=layer, other=other
    )


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: int) -> str:
    """3 → '³', as layer numbers are written in the equations."""
    return str(number).translate(_SUPERSCRIPT)
