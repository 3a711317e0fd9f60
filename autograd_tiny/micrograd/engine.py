"""``Value`` under micrograd's module name. It is autograd-tiny's own ``Value``, which also
answers to micrograd's ``_prev``, ``_op`` and ``_backward()``."""

from ..value import Value

__all__ = ["Value"]
