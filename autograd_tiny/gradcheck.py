"""Check the engine's gradients against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .comparison import ComparedDerivative, Comparison, Tolerance
from .modes import no_grad
from .table import Report, Table
from .value import Number, Value


@dataclass(frozen=True)
class GradcheckEntry(ComparedDerivative):
    """One input's comparison: the engine's (analytic) derivative against finite differences."""

    label: str
    comparison: Comparison  # yours: the engine's derivative; reference: the finite difference

    @property
    def ok(self) -> bool:
        return self.comparison.passed


class GradcheckError(AssertionError):
    """Raised by ``gradcheck(..., raise_on_failure=True)``; the message is the result table."""


@dataclass(frozen=True, repr=False)
class GradcheckResult(Report):
    """Truthy when every input agrees; ``str()`` is a readable table, an HTML table in Jupyter."""

    entries: tuple[GradcheckEntry, ...]
    atol: float
    rtol: float
    title: str = "gradcheck"

    def __bool__(self) -> bool:
        return all(entry.ok for entry in self.entries)

    @property
    def max_abs_error(self) -> float:
        return max((e.abs_error for e in self.entries), default=0.0)

    @property
    def max_rel_error(self) -> float:
        return max((e.rel_error for e in self.entries), default=0.0)

    def heading(self) -> str:
        verdict = "passed" if self else "FAILED"
        return f"{self.title} {verdict} (|engine − finite diff.| ≤ {self.atol:g} + {self.rtol:g}·|finite diff.|)"

    def table(self) -> Table:
        rows = [
            (e.label, *e.comparison.value_cells(), *e.comparison.error_cells(), e.comparison.verdict)
            for e in self.entries
        ]
        return Table.of(("input", "engine", "finite diff.", "abs error", "rel error", ""), rows, align="lrrrrl")


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Number] | Mapping[str, Number],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    *,
    raise_on_failure: bool = False,
) -> GradcheckResult:
    """Compare ``f``'s gradient from ``backward`` with central finite differences.

    ``f`` takes one Value per input and returns one Value. ``inputs`` are numbers, or a
    mapping from names to numbers (the names label the Values and the table rows).
    Input i passes when |analytic − numeric| ≤ atol + rtol·|numeric|, with
    numeric = (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps).
    """
    tolerance = Tolerance("gradcheck", rtol, atol)  # |analytic − numeric| ≤ atol + rtol·|numeric|
    labels, points = _labelled_points(inputs)
    values = [Value(x, label) for x, label in zip(points, labels)]
    output = _call(f, values)
    output.backward()

    entries = []
    for i, (label, value) in enumerate(zip(labels, values)):
        numeric = (_evaluate(f, points, i, eps) - _evaluate(f, points, i, -eps)) / (2 * eps)
        entries.append(GradcheckEntry(label, Comparison.of(value.grad, numeric, tolerance)))
    return _result(entries, tolerance, raise_on_failure)


def _result(entries: list[GradcheckEntry], tolerance: Tolerance, raise_on_failure: bool) -> GradcheckResult:
    result = GradcheckResult(tuple(entries), tolerance.atol, tolerance.rtol, tolerance.name)
    if raise_on_failure and not result:
        raise GradcheckError(str(result))
    return result


def _labelled_points(inputs: Sequence[Number] | Mapping[str, Number]) -> tuple[list[str], list[float]]:
    if isinstance(inputs, Mapping):
        labels, raw = list(inputs.keys()), list(inputs.values())
    else:
        raw = list(inputs)
        labels = [f"x{i}" for i in range(len(raw))]
    if not raw:
        raise ValueError("gradcheck needs at least one input")
    points = []
    for label, x in zip(labels, raw):
        try:
            points.append(Value(x).data)
        except TypeError as err:
            raise TypeError(f"gradcheck input {label}: {err}") from None
    return labels, points


def _call(f: Callable[..., Value], values: list[Value]) -> Value:
    output = f(*values)
    if not isinstance(output, Value):
        raise TypeError(f"gradcheck: f must return one Value, got {type(output).__name__}")
    return output


def _evaluate(f: Callable[..., Value], points: list[float], index: int, shift: float) -> float:
    shifted = list(points)
    shifted[index] += shift
    with no_grad():
        return _call(f, [Value(x) for x in shifted]).data


def gradgradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Number] | Mapping[str, Number],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    *,
    raise_on_failure: bool = False,
) -> GradcheckResult:
    """Second derivatives from the engine (``hessian``) against central finite differences
    of the engine's own first derivatives: ∂²f/∂xᵢ∂xⱼ ≈ (∂f/∂xᵢ(x + eps·eⱼ) − ∂f/∂xᵢ(x − eps·eⱼ)) / 2eps.

    Same result object and table as ``gradcheck``, one row per pair (i, j).
    """
    from .hessian import hessian

    tolerance = Tolerance("gradgradcheck", rtol, atol)
    labels, points = _labelled_points(inputs)
    analytic = hessian(f, points)

    def first_derivatives(at: list[float]) -> list[float]:
        values = [Value(x) for x in at]
        _call(f, values).backward()
        return [v.grad for v in values]

    entries = []
    for j in range(len(points)):
        plus, minus = list(points), list(points)
        plus[j] += eps
        minus[j] -= eps
        column = [(a - b) / (2 * eps) for a, b in zip(first_derivatives(plus), first_derivatives(minus))]
        for i, numeric in enumerate(column):
            label = f"∂²/∂{labels[i]}∂{labels[j]}"
            entries.append(GradcheckEntry(label, Comparison.of(float(analytic[i, j]), numeric, tolerance)))
    return _result(entries, tolerance, raise_on_failure)
