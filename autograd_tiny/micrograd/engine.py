"""``Value`` under micrograd's module name, answering to micrograd's names.

It is autograd-tiny's own ``Value``; importing this module gives every Value micrograd's
``_prev`` (the inputs as a set), ``_op`` (the operation's symbol) and ``_backward()`` (this
node's step of the chain rule), so micrograd's lecture code runs on it unchanged.
"""

from __future__ import annotations

from ..value import Value


def _prev(self: Value) -> frozenset[Value]:
    """The inputs as a set, as micrograd has them (a frozenset: the graph cannot be changed through it)."""
    return frozenset(self._children)


def _op(self: Value) -> str:
    """The operation's symbol, "" for a leaf (same as ``op``)."""
    return self.op


def _backward(self: Value) -> None:
    """micrograd's name for ``propagate()``: this node's local chain rule, once."""
    self.propagate()


Value._prev = property(_prev)
Value._op = property(_op)
Value._backward = _backward

__all__ = ["Value"]
