"""autograd-tiny: a scalar reverse-mode autodiff engine for seeing and verifying backpropagation.

>>> from autograd_tiny import Value
>>> x = Value(2.0, "x")
>>> y = x * x + 3 * x
>>> y.backward()
>>> x.grad  # dy/dx = 2x + 3
7.0
"""

from importlib.metadata import PackageNotFoundError, version

from . import value_html  # noqa: F401 - attaches Value._repr_html_
from .anomaly import AnomalyError, detect_anomaly
from .batched import DataDependentGraphError, check_at_replay, vectorize, vectorize_sequences
from .derivatives import grad, jacobian, jvp, vjp
from .gradcheck import GradcheckEntry, GradcheckError, GradcheckResult, gradcheck, gradgradcheck
from .graph import topological_order
from .hessian import hessian, hvp
from .indexing import embedding, select
from .modes import no_grad
from .nary import dot, logsumexp, matvec, sum, zero_grad
from .numpy_gradcheck import GradientCheck, check_gradient
from .value import Notes, Value

try:
    __version__ = version("autograd-tiny")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

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
