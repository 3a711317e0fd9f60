"""autograd_tiny.viz: computation graphs and network diagrams as SVG (Graphviz), with δ at
every pre-activation. It reads graphs and never changes them."""

from .explorer import backward_explorer
from .graph_drawing import GraphTooLargeError, draw_graph
from .inline import Drawing, Explorer
from .network import draw_network
from .output import GraphvizMissingError, save_svg, to_svg

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
]
