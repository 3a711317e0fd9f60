"""How long the drawings take: build the Digraph, then render it with Graphviz's dot.

python bench/bench_viz.py
"""

from __future__ import annotations

import time

from autograd_tiny.nn import MLP, losses
from autograd_tiny.viz import draw_graph, draw_network, to_svg


def timed(label: str, make) -> None:
    start = time.perf_counter()
    digraph = make()
    built = time.perf_counter()
    svg = to_svg(digraph)
    done = time.perf_counter()
    print(f"{label:<44} build {built - start:6.3f} s   render {done - built:6.3f} s   {len(svg) / 1024:7.0f} KiB")


def main() -> None:
    big = MLP(2, [16, 16, 1], seed=0)
    trace = big.trace([0.3, -0.8])
    cost = losses.quadratic(trace.output, 1.0)
    cost.backward()
    small = MLP(2, [3, 1], seed=0)
    small_cost = losses.quadratic(small([0.3, -0.8]), 1.0)
    small_cost.backward()
    timed("draw_network, 2-16-16-1", lambda: draw_network(big, trace))
    timed("draw_network, 2-16-16-1, with ∂C/∂w labels", lambda: draw_network(big, trace, show_weight_grads=True))
    timed("draw_graph, 2-3-1 cost (one sample)", lambda: draw_graph(small_cost))
    timed("draw_graph, 2-16-16-1 cost (one sample)", lambda: draw_graph(cost))


if __name__ == "__main__":
    main()
