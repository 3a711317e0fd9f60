"""Drawings and explorers in Jupyter: shown inline, isolated, with the library's own errors."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import graphviz

from autograd_tiny.atomic import write_atomic

from .output import to_svg


class Drawing(graphviz.Digraph):
    """The ``graphviz.Digraph`` that ``draw_graph`` and ``draw_network`` return.

    In Jupyter it shows itself as SVG, rendered through ``to_svg``: without Graphviz's ``dot``
    the cell shows ``GraphvizMissingError`` with the install command, not graphviz's own
    ``ExecutableNotFound``. Everything else is a plain Digraph (``.source``, ``.render``, …).
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict[str, str]:
        return {"image/svg+xml": fit_width(to_svg(self))}

    def __repr__(self) -> str:
        """What the drawing holds, the same on every run (graphviz's own repr shows a memory address)."""
        statements = [line.strip() for line in self.body]
        edges = sum("->" in line for line in statements)
        shapes = sum(bool(_SHAPE.match(line)) and "->" not in line for line in statements)
        return f"<Drawing: {shapes} shapes, {edges} arrows; save_svg(drawing, path) writes it, .source is its DOT text>"


# `name [attributes]`: one shape (a Value's box, an operation's circle, a neuron), not the legend
_SHAPE = re.compile(r'^(?!(?:node|edge|graph|subgraph|legend)\b)("[^"]+"|[\w.]+) \[')


MAX_WIDTH_PT = 720  # 960 px: about the width of a notebook's output area on GitHub and in nbconvert's HTML


def fit_width(svg: str, max_width: float = MAX_WIDTH_PT) -> str:
    """The SVG shrunk to ``max_width`` points when it is wider (Graphviz writes its natural size in
    pt and a viewBox, so only the width and height attributes change); never enlarged. Viewers show
    a notebook's SVG inline or as an <img>, and neither shrinks it to the page by itself."""
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if size is None or float(size.group(1)) <= max_width:
        return svg
    width, height = float(size.group(1)), float(size.group(2))
    fitted = f'<svg width="{max_width:g}pt" height="{height * max_width / width:.2f}pt"'
    return svg[: size.start()] + fitted + svg[size.end() :]


class Explorer:
    """An explorer page held in memory, as ``backward_explorer(root)`` and ``training_explorer(history)``
    return it without a path.

    Displayed in Jupyter it runs inline inside an ``<iframe srcdoc=…>``, so its styles and its
    keyboard shortcuts stay inside it: typing in other cells is untouched, and several explorers
    in one notebook play independently. ``save(path)`` writes the same self-contained page.
    """

    __slots__ = ("height", "page", "steps", "title", "unit")

    def __init__(self, page: str, title: str, steps: int, height: int = 560, unit: str = "step") -> None:
        if isinstance(height, bool) or not isinstance(height, int) or height < 100:
            raise ValueError(f"height must be a whole number of pixels, at least 100, got {height!r}")
        self.page = page
        self.title = title
        self.steps = steps
        self.height = height
        self.unit = unit  # what a step is, for the repr: "step", "recorded epoch"

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` atomically and return the path."""
        return write_atomic(path, self.page)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" title="{html.escape(self.title)}" '
            f'sandbox="allow-scripts" style="width:100%;height:{int(self.height)}px;border:1px solid #bbb;'
            f'border-radius:4px"></iframe>'
        )

    def __repr__(self) -> str:
        steps = f"{self.steps} {self.unit}{'s' if self.steps != 1 else ''}"
        return f"<Explorer {self.title!r}: {steps}; .save(path) writes the page>"
