"""The element ids of the drawings: one home for the contract between the SVGs and the explorer.

``draw_graph`` names the i-th value of the engine's topological order ``v{i}``; ``draw_network``
names neurons and weights by their (1-based) layer and indices. Graphviz writes each id on the
SVG group of its node or edge, so a script (the explorer's, a test's) finds an element with
``#id``. The text that shows a gradient has an id of its own: a table cell's id, which Graphviz
writes on a group around the cell as ``a_`` + id (it needs a tooltip to write it at all).
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd_tiny import Value


def value_names(nodes: Sequence[Value]) -> dict[Value, str]:
    """``v{i}`` for the i-th node of ``nodes`` (the engine's topological order, root last)."""
    return {node: f"v{i}" for i, node in enumerate(nodes)}


# --- draw_graph: ``name`` is a value's name from value_names ------------------------------
def value_group(name: str) -> str:
    """The group of the value's box."""
    return f"node_{name}"


def op_node(name: str) -> str:
    """The Graphviz node of the operation that made the value."""
    return f"op_{name}"


def op_group(name: str) -> str:
    """The group of the operation's circle."""
    return f"node_{op_node(name)}"


def input_edge(name: str, position: int) -> str:
    """The edge from the value's input number ``position`` (0-based) to its operation."""
    return f"edge_{name}_{position}"


def output_edge(name: str) -> str:
    """The edge from the value's operation to the value."""
    return f"edge_{name}_out"


def grad_cell(name: str) -> str:
    """The table cell (in the value's box) that shows its gradient (or δ)."""
    return f"grad_{name}"


# --- draw_network: layers 1 … L as in the equations, neurons and inputs 0-based ------------
def input_node(i: int) -> str:
    """The Graphviz node of input i."""
    return f"x{i}"


def input_group(i: int) -> str:
    """The group of input i's circle."""
    return f"input_{i}"


def neuron_node(layer: int, j: int) -> str:
    """The Graphviz node of neuron j of ``layer``."""
    return f"n{layer}_{j}"


def neuron_group(layer: int, j: int) -> str:
    """The group of neuron j of ``layer``."""
    return f"neuron_{layer}_{j}"


def z_cell(layer: int, j: int) -> str:
    """The table cell (in the neuron's circle) that shows its z."""
    return f"z_{layer}_{j}"


def a_cell(layer: int, j: int) -> str:
    """The table cell (in the neuron's circle) that shows its a = σ(z)."""
    return f"a_{layer}_{j}"


def delta_cell(layer: int, j: int) -> str:
    """The table cell (in the neuron's circle) that shows its δ."""
    return f"delta_{layer}_{j}"


def weight_edge(layer: int, j: int, i: int) -> str:
    """The edge of wˡⱼᵢ: from input (or neuron) i of layer l − 1 to neuron j of layer l."""
    return f"weight_{layer}_{j}_{i}"


# --- in the SVG ----------------------------------------------------------------------------
def svg_cell(cell_id: str) -> str:
    """The id Graphviz gives, in the SVG, to the group around a table cell with id ``cell_id``."""
    return f"a_{cell_id}"


# --- training_explorer: one page may show several runs, each with its own drawing -----------
def in_run(run: int, element_id: str) -> str:
    """The id of an element of run ``run``'s drawing (0-based), so that two drawings on one page
    keep their ids apart: ``run1-neuron_2_0``."""
    return f"run{run}-{element_id}"
