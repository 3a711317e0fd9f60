"""One way to compare gradients: yours against a reference, with the absolute and relative error,
the tolerance rule, the verdict, and the one formatter every report prints an error with.

The rule: yours agrees with the reference when |yours − reference| ≤ atol + rtol · scale, where
the scale is |reference| for one number and max |reference| for an array (normwise), unless the
caller names another (``check_gradient`` uses |yours| + |reference|, CS231n's). The relative
error is |yours − reference| / scale (0 when both are 0, inf when only the scale is).

Printing (``Comparison.error_cells`` and ``Comparison.value_cells``, the one formatter every report
uses): a passing comparison prints no digits below its tolerance, since those are rounding noise
that differs between NumPy builds, BLAS libraries and CPUs, so a report of agreeing gradients
reads the same on every machine.

- Errors of a passing comparison print as their bounds: the absolute error as "≤ atol" when it is
  within atol, else as "> atol"; the relative error as "≤ rtol" when it is within rtol, else as
  "> rtol". A "> bound" on a passing row says that the other term carried the verdict (the
  rule is the sum atol + rtol · scale): "> 1e-05" next to "≤ 1e-04" is a large gradient within its
  relative tolerance. A reference that is zero to within atol (scale ≤ atol) has no relative error
  worth reading (noise over noise: 0/0 on one machine, 1e-18/1e-18 on another), so it prints "—".
- Errors of a failing comparison print with three significant digits (both exceed their bounds).
- The two numbers of a passing comparison print down to the leading digit of the bound
  atol + rtol · scale and no further (rounded there; "0" when smaller); a failing comparison's
  print with ten significant digits, so that the difference shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


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
        import numpy as np  # loaded when a gradient is checked, not with the engine

        mine, theirs = np.asarray(yours, dtype=float), np.asarray(reference, dtype=float)
        with np.errstate(all="ignore"):
            errors = np.where(np.isfinite(mine), np.abs(mine - theirs), np.inf)  # a nan or inf of yours is wrong
        abs_error = float(np.max(errors, initial=0.0))
        if scale is None:
            scale = float(np.max(np.abs(theirs), initial=0.0))
        if not math.isfinite(abs_error):
            rel_error = abs_error  # inf (or nan): no scale makes it small
        else:
            rel_error = abs_error / scale if scale > 0 else (0.0 if abs_error == 0 else math.inf)
        return cls(yours, reference, abs_error, rel_error, scale, tolerance)

    @property
    def bound(self) -> float:
        """atol + rtol · scale: the largest absolute error that passes."""
        return self.tolerance.atol + self.tolerance.rtol * self.scale

    @property
    def passed(self) -> bool:
        return math.isfinite(self.abs_error) and self.abs_error <= self.bound

    def __bool__(self) -> bool:
        return self.passed

    @property
    def fraction_of_bound(self) -> float:
        """abs error / bound: how much of its tolerance the comparison uses (above 1 it fails)."""
        if not math.isfinite(self.abs_error):
            return math.inf
        if self.bound > 0:
            return self.abs_error / self.bound
        return 0.0 if self.abs_error == 0 else math.inf

    def error_cells(self) -> tuple[str, str]:
        """The absolute and the relative error as a report prints them (the rule is the module's docstring)."""
        atol, rtol = self.tolerance.atol, self.tolerance.rtol
        if not self.passed:
            return f"{self.abs_error:.2e}", f"{self.rel_error:.2e}"
        return _against(self.abs_error, atol), "—" if self.scale <= atol else _against(self.rel_error, rtol)

    def value_cells(self) -> tuple[str, str]:
        """Yours and the reference (numbers) as a report prints them: a passing comparison's down to the
        leading digit of its bound, a failing one's with ten significant digits."""
        if not self.passed:
            return f"{float(self.yours):.10g}", f"{float(self.reference):.10g}"
        return _to_the_digit_of(float(self.yours), self.bound), _to_the_digit_of(float(self.reference), self.bound)

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


def worst(comparisons: Iterable[Comparison]) -> Comparison:
    """The comparison that uses the most of its tolerance: a failing one whenever any fails."""
    return max(comparisons, key=lambda c: c.fraction_of_bound)


def _against(error: float, bound: float) -> str:
    """A passing comparison's error, said against its own term's bound (its digits are rounding noise)."""
    return f"≤ {_exactly(bound)}" if error <= bound else f"> {_exactly(bound)}"


def _exactly(bound: float) -> str:
    """``bound`` in the fewest significant digits that give it back exactly: 1e-05, 1.5e-04, 2.5e-06."""
    return next(text for digits in range(17) if float(text := f"{bound:.{digits}e}") == bound)


def _to_the_digit_of(x: float, resolution: float) -> str:
    """``x`` rounded to the leading digit of ``resolution``: digits below it are within the tolerance."""
    if not (math.isfinite(x) and math.isfinite(resolution) and resolution > 0):
        return f"{x:.10g}"
    place = math.floor(math.log10(resolution))
    rounded = round(x, -place)
    if rounded == 0:
        return "0"
    digits = math.floor(math.log10(abs(rounded))) - place + 1
    return f"{rounded:.{min(max(digits, 1), 17)}g}"


__all__ = ["ComparedDerivative", "Comparison", "Tolerance", "worst"]
