"""While ``vectorize`` records ``fn``, reading a sample's number refuses, naming the line that read it.

A recorded graph is replayed for every sample, so it must not depend on any sample's numbers:
``fn`` may build operations on the sample's Values but not read them (``.data``, ``float()``,
``int()``, ``bool()``, ``<``, ``<=``, ``>``, ``>=``, ``max``). ``refusing_reads`` installs, for
the length of the recording only, versions of those attributes on ``Value`` that raise
``DataDependentGraphError`` when code outside the engine reads a Value that depends on the
sample; the engine's own reads (computing each node's number) pass. The error names the statement
in fn that led to the read: the outermost frame outside the engine below the frame that called fn
(fn's own, or the user's code a wrapper of the engine calls), and the line that read the number
when that is another's (a library's). On exit ``Value`` is as it was.
Only the recording thread is checked, and one recording runs at a time (others wait): two threads
patching and restoring ``Value`` at once would leave it patched.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from ..graph import topological_order
from ..value import Value

ENGINE_PREFIX = "autograd_tiny."
NOT_ENGINE = ("autograd_tiny.nn", "autograd_tiny.viz", "autograd_tiny.cli")
READS = {"__float__": "float()", "__int__": "int()", "__index__": "int() / indexing", "__bool__": "bool()",
         "__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="}  # fmt: skip
WHOLE_NUMBER_READS = ("int()", "int() / indexing")  # choosing by a number: select is the way
CHOOSE = (
    "To choose by a per-sample whole number, use select(values, x[i]) or embedding(table, x[i]) with X (or Y) an "
    "integer array (token ids, class indices), whose placeholders hold 0 (README: vectorize, integer X or Y)"
)
BRANCH = "Express the branch with operations (relu, abs, …)"
SCALAR_ENGINE = "or call fn sample by sample (the scalar engine), or fit(..., engine='scalar')"


ONE_AT_A_TIME = threading.RLock()  # held while Value is patched; reentrant: fn may record inside a recording


class DataDependentGraphError(RuntimeError):
    """Raised while ``vectorize`` records a function whose graph would depend on each sample's numbers."""


Line = tuple[str, int]  # (file, line number)


def depends_on(value: Value, sample: set[Value]) -> bool:
    """Whether ``value``'s number depends on the ``sample`` (placeholders): one of them is in its graph."""
    return not sample.isdisjoint(topological_order(value))


def _in_engine(frame: FrameType) -> bool:
    module = frame.f_globals.get("__name__", "")
    return module.startswith(ENGINE_PREFIX) and not module.startswith(NOT_ENGINE)


def _reader(depth: int, caller: FrameType) -> tuple[Line, Line] | None:
    """Who read a number, ``depth`` frames up: (the line that read it, the line in fn that led there),
    or None when the engine itself read it. ``caller``: the frame that called fn; the line in fn is
    the outermost frame outside the engine below it."""
    frame = sys._getframe(depth + 1)
    if _in_engine(frame):
        return None
    read = in_fn = (frame.f_code.co_filename, frame.f_lineno)
    while frame is not None and frame is not caller:
        if not _in_engine(frame):
            in_fn = (frame.f_code.co_filename, frame.f_lineno)
        frame = frame.f_back
    return (read, in_fn) if frame is caller else (read, read)


@contextmanager
def refusing_reads(sample: Iterable[Value], caller: FrameType, name: str = "fn") -> Iterator[None]:
    """Inside this block, code outside the engine that reads the number of a Value depending on
    ``sample`` raises ``DataDependentGraphError`` naming the line in ``name`` (called from the frame
    ``caller``) that led to the read, and the line that read it if that is another's."""
    sample = set(sample)
    recorder = threading.get_ident()

    def check(value: Any, operation: str) -> None:
        if threading.get_ident() != recorder:
            return  # another thread's arithmetic, not fn's
        where = _reader(2, caller)
        if where is not None and isinstance(value, Value) and depends_on(value, sample):
            raise DataDependentGraphError(_message(name, operation, value, *where))

    with ONE_AT_A_TIME:
        slot = Value.__dict__["data"]  # the slot's own descriptor: reads and writes the number
        with _patched(slot, check):
            yield


@contextmanager
def _patched(slot: Any, check: Any) -> Iterator[None]:
    """``Value`` with ``.data``, ``float()``, ``<``, … calling ``check`` first, restored on exit."""

    def read_data(value: Value) -> float:
        check(value, ".data")
        return slot.__get__(value)

    def refusing(attribute: str, original: Any) -> Any:
        def method(self: Value, *args: Any) -> Any:
            check(self, READS[attribute])
            for other in args:
                check(other, READS[attribute])
            if original is not None:
                return original(self, *args)
            if attribute == "__bool__":
                return True  # as without the check: any object is true
            raise TypeError(f"'{type(self).__name__}' object cannot be interpreted as an integer")

        return method

    originals = {attribute: Value.__dict__.get(attribute) for attribute in READS}
    Value.data = property(read_data, slot.__set__)
    for attribute, original in originals.items():
        setattr(Value, attribute, refusing(attribute, original))
    try:
        yield
    finally:
        Value.data = slot
        for attribute, original in originals.items():
            if original is None:
                delattr(Value, attribute)
            else:
                setattr(Value, attribute, original)


def _message(name: str, operation: str, value: Value, read: Line, in_fn: Line) -> str:
    what = value.label or (f"a '{value.op}' node" if value.op else "an unlabelled leaf")
    where = "{}:{}".format(*read)
    if in_fn != read:  # a library's line read it: name the statement in fn too
        where += ", called from your {} at {}:{}".format(name, *in_fn)
    return (
        f"vectorize: {name} used {operation} on a recorded Value ({what}) at {where} while its graph was "
        "being recorded. Its result depends on each sample's numbers, so the graph's shape could differ from "
        "sample to sample; vectorize needs a data-independent graph (the same operations for every sample). "
        f"{CHOOSE if operation in WHOLE_NUMBER_READS else BRANCH}; {SCALAR_ENGINE}."
    )
