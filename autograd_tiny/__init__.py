"""autograd-tiny: a scalar reverse-mode autodiff engine for seeing and verifying backpropagation.

>>> from autograd_tiny import Value
>>> x = Value(2.0, "x")
>>> y = x * x + 3 * x
>>> y.backward()
>>> x.grad  # dy/dx = 2x + 3
7.0
"""

from typing import TYPE_CHECKING, Any

from . import value_html  # noqa: F401 - attaches Value._repr_html_
from .anomaly import AnomalyError, detect_anomaly
from .derivatives import grad, jacobian, jvp, vjp
from .gradcheck import GradcheckEntry, GradcheckError, GradcheckResult, gradcheck, gradgradcheck
from .graph import topological_order
from .hessian import hessian, hvp
from .indexing import embedding, select
from .modes import no_grad
from .nary import dot, logsumexp, matvec, sum, zero_grad
from .value import Notes, Value

# Loaded on first use (PEP 562's module __getattr__), so that `import autograd_tiny` loads neither NumPy nor
# importlib.metadata: the scalar engine runs without them, and a training loop's cycle collector walks every
# object they bring, each full pass. Each name and the module it comes from; NumPy comes with these modules.
_LAZY = {
    "DataDependentGraphError": "batched",
    "check_at_replay": "batched",
    "vectorize": "batched",
    "vectorize_sequences": "batched",
    "GradientCheck": "numpy_gradcheck",
    "check_gradient": "numpy_gradcheck",
}
if TYPE_CHECKING:  # for type checkers and editors, which do not run __getattr__
    from .batched import DataDependentGraphError, check_at_replay, vectorize, vectorize_sequences
    from .numpy_gradcheck import GradientCheck, check_gradient

    __version__: str


if not TYPE_CHECKING:  # type checkers see the names above, and so still flag a misspelt one

    def __getattr__(name: str) -> Any:
        """``__version__`` and the names of ``_LAZY``, loaded on first access and then kept as attributes."""
        import importlib

        if name == "__version__":
            from importlib.metadata import PackageNotFoundError, version

            try:
                value = version("autograd-tiny")
            except PackageNotFoundError:  # running from a source tree that was never installed
                value = "0.0.0+unknown"
        elif name in _LAZY:
            value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    """Every name of the package, the lazy ones included (for ``dir()`` and tab completion)."""
    return sorted({*globals(), *__all__})


__all__ = [
    "AnomalyError",
    "DataDependentGraphError",
    "GradcheckEntry",
    "GradcheckError",
    "GradcheckResult",
    "GradientCheck",
    "Notes",
    "Value",
    "__version__",
    "check_at_replay",
    "check_gradient",
    "detect_anomaly",
    "dot",
    "embedding",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "hvp",
    "jacobian",
    "jvp",
    "logsumexp",
    "matvec",
    "no_grad",
    "select",
    "sum",
    "topological_order",
    "vectorize",
    "vectorize_sequences",
    "vjp",
    "zero_grad",
]
