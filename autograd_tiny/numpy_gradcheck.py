"""check_gradient: a hand-written NumPy gradient against central differences (the twin of ``gradcheck``).

For f: array → number and the learner's ``grad_f``, every entry i is compared with

    numeric_i = (f(x + ε eᵢ) − f(x − ε eᵢ)) / 2ε

by CS231n's relative error |a − n| / (|a| + |n|) (0 where both are 0), read as they read it:
≤ 1e-7 good; ≤ 1e-4 fine only where f has kinks (ReLU, max); ≤ 1e-2 suspicious; above, wrong.
Each entry is a ``Comparison`` with the tolerance "check_gradient" and that scale, |a| + |n|; the
verdict is theirs, and the table prints them with the one formatter (``autograd_tiny.comparison``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .comparison import ComparedDerivative, Comparison, Tolerance
from .table import Report, Table

READINGS = ((1e-7, "good"), (1e-4, "ok only at kinks"), (1e-2, "suspicious"), (np.inf, "wrong"))


@dataclass(frozen=True)
class GradientEntry(ComparedDerivative):
    index: tuple[int, ...]
    comparison: Comparison  # yours: grad_f(x)[index]; reference: the central difference; scale |a| + |n|

    @property
    def reading(self) -> str:
        return reading(self.rel_error)


@dataclass(frozen=True)
class GradientCheck(Report):
    """Truthy when every entry's |grad_f − central diff.| ≤ ``atol`` + ``rtol``·(|grad_f| + |central diff.|),
    the verdict of each entry's ``Comparison`` (tolerance "check_gradient").

    ``worst`` holds the entries with the largest relative errors, worst first.
    """

    worst: tuple[GradientEntry, ...]
    size: int
    max_rel_error: float
    max_abs_error: float
    passed: bool
    rtol: float
    atol: float
    eps: float

    def __bool__(self) -> bool:
        return self.passed

    @property
    def message(self) -> str:
        verdict = "passed" if self else "FAILED"
        return (
            f"check_gradient {verdict}: {self.size} entries against central differences (ε = {self.eps:g}); "
            f"worst relative error {self.worst[0].comparison.error_cells()[1]} ({reading(self.max_rel_error)}); "
            f"pass: |a − n| ≤ {self.atol:g} + {self.rtol:g}·(|a| + |n|)"
        )

    def table(self) -> Table:
        header = ("entry", "grad_f", "central diff.", "abs error", "rel error", "reading")
        rows = [
            (
                str(list(e.index)),
                *e.comparison.value_cells(),
                *e.comparison.error_cells(),
                e.reading,
            )
            for e in self.worst
        ]
        return Table.of(header, rows, align="lrrrrl")

    indent = "  "

    def heading(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"GradientCheck(passed={self.passed}, max_rel_error={self.max_rel_error:.2e})"


def reading(rel_error: float) -> str:
    """CS231n's reading of a relative error."""
    return next((text for bound, text in READINGS if rel_error <= bound), "wrong")  # nan: wrong too


def check_gradient(
    f: Callable[[np.ndarray], Any],
    grad_f: Callable[[np.ndarray], Any],
    x: Any,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    show: int = 5,
) -> GradientCheck:
    """Compare ``grad_f(x)`` with central differences of the scalar function ``f`` at ``x`` (any shape).

    ``x`` is copied to float64; f sees perturbed copies and never the caller's array. The
    default ``rtol`` 1e-5 sits between "good" and "suspicious": with ε = 1e-6 a smooth float64
    function gives 1e-8 or better. ``atol`` forgives entries where both sides are noise around 0
    (the central difference's rounding is about 1e-16 · |f| / ε).
    """
    x = np.array(x, dtype=float)
    if x.size == 0:
        raise ValueError("check_gradient: x has no entries, so there is nothing to check")
    if not np.all(np.isfinite(x)):
        raise ValueError("check_gradient: x contains nan or inf")
    if not eps > 0:
        raise ValueError(f"check_gradient: eps must be positive, got {eps!r}")
    _scalar(f, x, "f(x)")
    gradient = grad_f(x.copy())
    if gradient is None:
        raise TypeError(
            "check_gradient: grad_f(x) returned None, expected an array shaped like x (did it forget return?)"
        )
    analytic = np.asarray(gradient, dtype=float)
    if analytic.shape != x.shape:
        raise ValueError(f"grad_f(x) has shape {analytic.shape}, expected {x.shape} (the shape of x)")

    numeric = np.empty_like(x)
    for index in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[index] = x[index] + eps
        above = _scalar(f, shifted, "f(x + ε)")
        shifted[index] = x[index] - eps
        below = _scalar(f, shifted, "f(x − ε)")
        numeric[index] = (above - below) / (2 * eps)

    tolerance = Tolerance("check_gradient", rtol, atol)
    scale = np.abs(analytic) + np.abs(numeric)  # CS231n's: the relative error is |a − n| / (|a| + |n|)
    comparisons = {
        index: Comparison.of(float(analytic[index]), float(numeric[index]), tolerance, scale=float(scale[index]))
        for index in np.ndindex(x.shape)
    }
    by_relative_error = sorted(comparisons.items(), key=lambda item: -item[1].rel_error)  # stable: index order
    worst = tuple(GradientEntry(index, comparison) for index, comparison in by_relative_error[: max(show, 1)])
    return GradientCheck(
        worst,
        x.size,
        max(c.rel_error for c in comparisons.values()),
        max(c.abs_error for c in comparisons.values()),
        all(c.passed for c in comparisons.values()),
        rtol,
        atol,
        eps,
    )


def _scalar(f: Callable[[np.ndarray], Any], x: np.ndarray, what: str) -> float:
    result = f(x.copy())
    if result is None:
        raise TypeError(f"check_gradient: {what} returned None, expected one number (did f forget return?)")
    value = np.asarray(result, dtype=float)
    if value.size != 1:
        raise ValueError(f"check_gradient: {what} must be one number, got an array of shape {value.shape}")
    value = float(value.reshape(()))
    if not np.isfinite(value):
        raise ValueError(f"check_gradient: {what} is {value}, not a finite number")
    return value


__all__ = ["GradientCheck", "GradientEntry", "check_gradient"]
