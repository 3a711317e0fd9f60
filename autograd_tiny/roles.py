"""What a node means in a neural network: the ``role`` that ``nn`` writes into ``Value.meta``
and ``viz`` reads. The engine itself never looks at it.

Each member is a ``str``, so ``meta["role"] == "preactivation"`` holds too. Beside the role,
``nn`` writes ``layer`` (1-based, as in the equations) and ``neuron`` (0-based) on every node
of a neuron, ``input`` on a weight (the index i of wˡⱼᵢ), and ``index`` on an input xᵢ. On a
GPT's nodes (``nn.GPT``) it writes ``position``, ``block`` (``("embedding",)``, ``("attention", l)``,
``("mlp", l)``, ``("lm_head",)``, ``("loss",)``) and ``head``; a pre-activation there is an
attention score, an MLP z or a logit; its parameters carry ``matrix`` (microgpt's key), ``row``, ``column``.
"""

from __future__ import annotations

from enum import Enum

from .value import Value


class Role(str, Enum):
    INPUT = "input"  # xᵢ, a component of the sample
    WEIGHT = "weight"  # wˡⱼᵢ
    BIAS = "bias"  # bˡⱼ
    PRODUCT = "product"  # wˡⱼᵢ aˡ⁻¹ᵢ, in a neuron built from binary operations (fused=False)
    PARTIAL_SUM = "partial_sum"  # bˡⱼ + Σ of the first products, in the same
    PREACTIVATION = "preactivation"  # zˡⱼ = Σᵢ wˡⱼᵢ aˡ⁻¹ᵢ + bˡⱼ, where grad is δˡⱼ = ∂C/∂zˡⱼ
    ACTIVATION = "activation"  # aˡⱼ = σ(zˡⱼ)

    def __str__(self) -> str:
        return self.value


def role_of(node: Value) -> Role | None:
    """The role ``nn`` gave a Value, or None (a Value outside a network, or no mark)."""
    role = node.meta.get("role") if node.meta else None
    try:
        return Role(role) if role is not None else None
    except ValueError:
        return None
