"""One small table formatter for every report: plain text for ``print``, HTML for Jupyter.

Every result object that shows rows of numbers (``gradcheck``, ``check_backprop``, the
self-check, the backprop diagnosis) builds a ``Table`` and prints it, so their columns
line up the same way and an HTML view comes for free.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """Rows of already formatted cells under a header.

    ``align`` has one letter per column: ``"l"`` (left) or ``"r"`` (right); by default the
    first column is left-aligned and the others right-aligned, as numbers read best.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str = ""

    def __post_init__(self) -> None:
        width = len(self.header)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table row {i} has {len(row)} cells, the header has {width}")
        if self.align and (len(self.align) != width or set(self.align) - {"l", "r"}):
            raise ValueError(f"align needs one of 'l'/'r' per column ({width}), got {self.align!r}")

    @classmethod
    def of(cls, header: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> Table:
        """A table from any sequences; each cell is turned into text with ``str``."""
        return cls(tuple(map(str, header)), tuple(tuple(map(str, row)) for row in rows), align)

    @property
    def alignment(self) -> str:
        return self.align or "l" + "r" * (len(self.header) - 1)

    def text(self, indent: str = "") -> str:
        """The table as lines of text, columns separated by two spaces."""
        everything = (self.header, *self.rows)
        widths = [max(len(row[i]) for row in everything) for i in range(len(self.header))]

        def line(row: tuple[str, ...]) -> str:
            cells = (c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, self.alignment))
            return (indent + "  ".join(cells)).rstrip()

        return "\n".join(line(row) for row in everything)

    def html(self) -> str:
        """The table as an HTML ``<table>``; every cell is escaped."""
        style = {"l": "text-align:left", "r": "text-align:right"}

        def cells(tag: str, row: tuple[str, ...]) -> str:
            return "".join(f'<{tag} style="{style[a]}">{html.escape(c)}</{tag}>' for c, a in zip(row, self.alignment))

        body = "".join(f"<tr>{cells('td', row)}</tr>" for row in self.rows)
        return f"<table><thead><tr>{cells('th', self.header)}</tr></thead><tbody>{body}</tbody></table>"

    def __str__(self) -> str:
        return self.text()


class Report:
    """A result shown as a heading over a ``Table``: ``str()`` for ``print``, an HTML table in
    Jupyter, and a one-line ``repr``. Subclasses say what the heading and the table are (a
    table without rows is left out) and may indent the table's text with ``indent``."""

    indent = ""

    def heading(self) -> str:
        raise NotImplementedError

    def table(self) -> Table:
        raise NotImplementedError

    def __str__(self) -> str:
        table = self.table()
        return f"{self.heading()}\n{table.text(self.indent)}" if table.rows else self.heading()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.heading()}>"

    def _repr_html_(self) -> str:
        table = self.table()
        return f"<p>{html.escape(self.heading())}</p>{table.html() if table.rows else ''}"

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """IPython in a terminal (and a notebook's text/plain) shows the table itself."""
        printer.text(str(self))


class TableText(Report, str):
    """A ``Report`` that is also its own text: a plain ``str`` to code that wants one (``print``,
    ``.splitlines()``), an HTML table in Jupyter. ``delta_table`` returns one."""

    def __new__(cls, heading: str, table: Table) -> TableText:
        text = str.__new__(cls, f"{heading}\n{table.text()}")
        text._heading, text._table = heading, table
        return text

    def heading(self) -> str:
        return self._heading

    def table(self) -> Table:
        return self._table
