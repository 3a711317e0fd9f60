"""micrograd's API on autograd-tiny's engine: change the import lines of micrograd code and keep going.

    from autograd_tiny.micrograd.engine import Value          # was: from micrograd.engine import Value
    from autograd_tiny.micrograd.nn import Neuron, Layer, MLP  # was: from micrograd.nn import ...

The classes behave as micrograd 0.1.0's (constructors, weight initialisation order, ReLU
hidden layers, reprs), and the Values they build are this engine's, so ``draw_graph``, the
backward explorer and every check work on them.
"""

from . import engine, nn

__all__ = ["engine", "nn"]
