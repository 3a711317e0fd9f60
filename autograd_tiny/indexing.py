"""Choosing by a whole number: ``select(values, i)`` is ``values[i]``, ``embedding(table, i)`` is ``table[i]``.

With a plain ``int`` index both are Python indexing: the chosen Values themselves, no new node
(microgpt's ``wte[token_id]``). With a ``Value`` index (a token id that ``vectorize`` replays
per sample) each chosen number is a ``select`` node whose inputs are the index and every
candidate, so the graph is the same whatever the index holds: the replay gathers the chosen
entries for each sample and sends each gradient back to the entry that sample chose
(``np.add.at``). Either way the numbers and gradients are the same:

    ∂ select(v, i)/∂vₖ = 1 if k = i else 0,    ∂ select(v, i)/∂i = 0.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence

from . import rules
from .nary import _as_values
from .value import Number, Value, apply


class NotAWholeNumberError(ValueError):
    """A Value index that holds no whole number in range (``vectorize`` adds what it recorded)."""


def _whole_number(index: int | Value, size: int, what: str) -> int:
    """The index as an int in 0 … size − 1, or a clear error naming what it indexes."""
    if isinstance(index, Value):
        number = index.data
        name = f"index {index.label!r}" if index.label else "the index Value"
        if not (math.isfinite(number) and number == int(number) and 0 <= number < size):
            raise NotAWholeNumberError(f"{what}: {name} holds {number!r}; expected a whole number from 0 to {size - 1}")
        return int(number)
    if isinstance(index, bool):
        raise TypeError(f"{what}: the index is a bool; expected an int or a Value holding a whole number")
    try:
        position = operator.index(index)
    except TypeError:
        raise TypeError(
            f"{what}: the index is a {type(index).__name__}; expected an int or a Value holding a whole number"
        ) from None
    if not 0 <= position < size:
        raise IndexError(f"{what}: index {position} is out of range; expected 0 to {size - 1}")
    return position


def select(values: Sequence[Value | Number], index: int | Value) -> Value:
    """``values[index]``: with an int, that Value itself; with a Value index, a ``select`` node.

    The node's inputs are the index then every candidate; its local derivatives are 1 for
    the chosen candidate, 0 for the others and 0 for the index. Use a Value index where the
    choice must stay out of the graph's shape (a token id or a target class under
    ``vectorize``); its number must be a whole number from 0 to len(values) − 1.
    """
    candidates = _as_values(values, "select(values)")
    if not candidates:
        raise ValueError("select: values is empty; there is nothing to choose from")
    position = _whole_number(index, len(candidates), "select")
    if not isinstance(index, Value):
        return candidates[position]
    return apply(rules.SELECT, (index, *candidates))


def embedding(table: Sequence[Sequence[Value | Number]], index: int | Value) -> list[Value]:
    """Row ``index`` of ``table`` (rows of equal length, e.g. a GPT's token embeddings ``wte``).

    With an int, the row's Values themselves (``list(table[index])``); with a Value index,
    one ``select`` node per column, so ``vectorize`` can replay it for any token.
    """
    table = list(table)
    if not table:
        raise ValueError("embedding: the table has no rows")
    width = len(table[0])
    for i, row in enumerate(table):
        if len(row) != width:
            raise ValueError(f"embedding: table[{i}] has {len(row)} entries, table[0] has {width}")
    position = _whole_number(index, len(table), "embedding")
    if not isinstance(index, Value):  # only the chosen row is read (and checked), as Python indexing would
        return list(_as_values(table[position], f"embedding table[{position}]"))
    rows = [_as_values(row, f"embedding table[{i}]") for i, row in enumerate(table)]
    return [apply(rules.SELECT, (index, *column)) for column in zip(*rows)]


__all__ = ["embedding", "select"]
