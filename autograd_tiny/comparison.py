"""One way to compare gradients: yours against a reference, with the absolute and relative error,
the tolerance rule, the verdict, and the one formatter every report prints an error with.

The rule: yours agrees with the reference when |yours − reference| ≤ atol + rtol · scale, where
the scale is |reference| for one number and max |reference| for an array (normwise), unless the
caller names another (``check_gradient`` uses |yours| + |reference|, CS231n's). The relative
error is |yours − reference| / scale (0 when both are 0, inf when only the scale is).

Printing: an error within its bound (``atol`` for the absolute, ``rtol`` for the relative) prints
as "≤ bound". Its digits would be rounding noise, which differs between NumPy builds and CPUs, so
a report of agreeing gradients reads the same on every machine; an error beyond its bound prints
with three significant digits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    """A named tolerance: |yours − reference| ≤ atol + rtol · scale."""

    name: str  # what it is for ("gradcheck", "check_backprop", …)
    rtol: float
    atol: float

    def __str__(self) -> str:
        return f"|yours − reference| ≤ {self.atol:g} + {self.rtol:g}·scale"


@dataclass(frozen=True)
class Comparison:
    """Yours against the reference: the largest absolute error, the relative error, the verdict."""

    yours: Any
    reference: Any
    abs_error: float
    rel_error: float
    scale: float
    tolerance: Tolerance

    @classmethod
    def of(cls, yours: Any, reference: Any, tolerance: Tolerance, scale: float | None = None) -> Comparison:
        """Compare numbers or arrays of the same shape (arrays normwise: the largest error)."""
        mine, theirs = np.asarray(yours, dtype=float), np.asarray(reference, dtype=float)
        with np.errstate(all="ignore"):
            errors = np.where(np.isfinite(mine), np.abs(mine - theirs), np.inf)  # a nan or inf of yours is wrong
        abs_error = float(np.max(errors, initial=0.0))
        if scale is None:
            scale = float(np.max(np.abs(theirs), initial=0.0))
        rel_error = abs_error / scale if scale > 0 else (0.0 if abs_error == 0 else math.inf)
        return cls(yours, reference, abs_error, rel_error, scale, tolerance)

    @property
    def passed(self) -> bool:
        bound = self.tolerance.atol + self.tolerance.rtol * self.scale
        return math.isfinite(self.abs_error) and self.abs_error <= bound

    def __bool__(self) -> bool:
        return self.passed

    def error_cells(self) -> tuple[str, str]:
        """The absolute and the relative error as a report prints them (see ``format_error``)."""
        return format_error(self.abs_error, self.tolerance.atol), format_error(self.rel_error, self.tolerance.rtol)

    @property
    def verdict(self) -> str:
        return "ok" if self.passed else "FAIL"


class ComparedDerivative:
    """A report's row reads its ``comparison`` (set by the row's dataclass): the analytic derivative is
    yours, the numeric one the reference (a finite difference), and the errors between them."""

    comparison: Comparison

    @property
    def analytic(self) -> float:
        return self.comparison.yours

    @property
    def numeric(self) -> float:
        return self.comparison.reference

    @property
    def abs_error(self) -> float:
        return self.comparison.abs_error

    @property
    def rel_error(self) -> float:
        return self.comparison.rel_error


def format_error(error: float, bound: float) -> str:
    """An error for a report: "≤ bound" within the bound (its digits are rounding noise), else 3 digits."""
    return f"≤ {bound:.0e}" if error <= bound else f"{error:.2e}"


__all__ = ["ComparedDerivative", "Comparison", "Tolerance", "format_error"]
