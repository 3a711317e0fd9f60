"""Forward mode against reverse mode: count the passes each needs for a whole Jacobian.

For f: ℝⁿ → ℝᵐ, forward mode gets one column of J per sweep (n sweeps), reverse mode one
row per pass (m passes). A cost of many parameters (n large, m = 1) is reverse mode's case,
which is why training uses backpropagation; a curve of one parameter (n = 1, m large) is
forward mode's.

    python examples/forward_vs_reverse.py
"""

from __future__ import annotations

import time

import numpy as np

import autograd_tiny as at
from autograd_tiny import derivatives


def cost(*weights: at.Value) -> at.Value:
    """ℝ¹⁰⁰ → ℝ: a smooth cost of 100 parameters."""
    return at.sum([(w - 0.1 * i).tanh() ** 2 for i, w in enumerate(weights)])


def curve(t: at.Value) -> list[at.Value]:
    """ℝ → ℝ¹⁰⁰: 100 points along a spiral, all from one parameter t."""
    return [(t * (1 + 0.01 * k)).sin() * (0.1 * k) for k in range(100)]


def count_passes(f, point, mode: str) -> tuple[np.ndarray, int, float]:
    """The Jacobian, how many sweeps (forward) or passes (reverse) it took, and the time."""
    counted = {"forward": derivatives.push_tangents, "reverse": derivatives.reverse_pass}
    original = counted[mode]
    calls = 0

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    setattr(derivatives, original.__name__, counting)
    try:
        start = time.perf_counter()
        jacobian = at.jacobian(f, point, mode=mode)
        return jacobian, calls, time.perf_counter() - start
    finally:
        setattr(derivatives, original.__name__, original)


def main() -> None:
    print(f"{'function':<24}{'mode':<9}{'J shape':>10}{'passes':>8}{'seconds':>10}")
    for name, f, point in [("cost: R^100 -> R", cost, np.linspace(-1, 1, 100)), ("curve: R -> R^100", curve, [0.7])]:
        results = {mode: count_passes(f, point, mode) for mode in ("forward", "reverse")}
        for mode, (jacobian, passes, seconds) in results.items():
            print(f"{name:<24}{mode:<9}{jacobian.shape!s:>10}{passes:>8}{seconds:>10.4f}")
        assert np.allclose(results["forward"][0], results["reverse"][0], rtol=1e-12, atol=1e-15)
    print("Both modes give the same matrix; the cheaper one needs one pass.")


if __name__ == "__main__":
    main()
