"""Rendering a drawing to SVG, and the one clear error when Graphviz is missing."""

from __future__ import annotations

import os
from pathlib import Path

import graphviz

from autograd_tiny.atomic import write_atomic

INSTALL_HINT = (
    "Graphviz's 'dot' program is not installed or not on PATH. Install it: "
    "'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS), "
    "'conda install graphviz', or see https://graphviz.org/download/. "
    "The DOT source is still available as digraph.source."
)


class GraphvizMissingError(RuntimeError):
    """Graphviz's ``dot`` executable is needed to render, and it was not found."""


def to_svg(digraph: graphviz.Digraph) -> str:
    """Render with Graphviz's ``dot`` and return the SVG text."""
    if not isinstance(digraph, graphviz.Graph | graphviz.Digraph):
        raise TypeError(f"expected a graphviz.Digraph (from draw_graph or draw_network), got {type(digraph).__name__}")
    try:
        return digraph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise GraphvizMissingError(INSTALL_HINT) from None


def save_svg(digraph: graphviz.Digraph, path: str | os.PathLike) -> Path:
    """Render ``digraph`` and write the SVG to ``path`` atomically; returns the path."""
    return write_atomic(path, to_svg(digraph))
