"""autograd_tiny.viz: computation graphs and network diagrams as SVG (Graphviz), with δ at
every pre-activation, and self-contained HTML pages that replay a backward pass or a recorded
training run. It reads graphs and never changes them."""

from .explorer import backward_explorer
from .graph_drawing import GraphTooLargeError, draw_graph
from .inline import Drawing, Explorer
from .network import draw_network
from .output import GraphvizMissingError, save_svg, to_svg
from .training import training_explorer

__all__ = [
    "Drawing",
    "Explorer",
    "GraphTooLargeError",
    "GraphvizMissingError",
    "backward_explorer",
    "draw_graph",
    "draw_network",
    "save_svg",
    "to_svg",
    "training_explorer",
]
