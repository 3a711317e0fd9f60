"""How a Value shows itself in Jupyter: one table row with its label, number, gradient and how
it was computed. Attached to ``Value`` from here, so the core does not know about notebooks.

No graph is drawn (a cost's graph can have thousands of nodes): ``autograd_tiny.viz.draw_graph(v)``
draws it on request.
"""

from __future__ import annotations

from .table import Table
from .value import Value

INFIX = ("+", "-", "*", "/", "**")


def value_html(value: Value) -> str:
    """The Value as an HTML table of one row: label, data, grad, "computed as"."""
    names = [child.label or (f"{child.data:g}" if child.is_leaf else "·") for child in value.inputs]
    if value.is_leaf:
        operation = "leaf"
    elif len(names) == 2 and value.op in INFIX:
        operation = f"{names[0]} {value.op} {names[1]}"
    else:
        operation = f"{value.op}({', '.join(names)})"
    row = (value.label, f"{value.data:.6g}", f"{value.grad:.6g}", operation)
    return Table.of(("Value", "data", "grad", "computed as"), [row], align="lrrl").html()


Value._repr_html_ = value_html
