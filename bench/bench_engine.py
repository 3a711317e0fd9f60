"""Engine benchmark: autograd-tiny against micrograd 0.1.0, measured in the same run.

Workload: micrograd's own demo step. An MLP 2-16-16-1 with ReLU, 100 two-moons points,
mean hinge loss + 1e-4 L2; one step = forward over all points, zero grads, backward,
SGD update. Python's garbage collector stays at its defaults, as users run it.

    python bench/bench_engine.py            # needs: pip install micrograd

Prints each figure and its ratio to micrograd's.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import statistics
import sys
import time
import tracemalloc

import numpy as np

import autograd_tiny as at

try:
    from micrograd.engine import Value as MicroValue
except ImportError:  # pragma: no cover - the bench says how to get the peer
    sys.exit("bench_engine: the peer is missing; install it with: pip install micrograd==0.1.0")


def two_moons(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """n points on two interleaved half circles, labels ±1 (as micrograd's demo uses)."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = np.arange(n) % 2 == 0
    x = np.where(upper, np.cos(t), 1 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    points = np.stack([x, y], axis=1) + rng.normal(0, 0.1, (n, 2))
    return points, np.where(upper, -1.0, 1.0)


def micrograd_weights(sizes: list[int], seed: int = 1337) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(W, b), …] drawn as micrograd's Neuron draws them: uniform(−1, 1) weights, zero biases.
    Every engine in the bench starts from these, so every engine computes the same numbers."""
    rng = random.Random(seed)
    return [
        (np.array([[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)]), np.zeros(nout))
        for nin, nout in itertools.pairwise(sizes)
    ]


class BinaryMLP:
    """micrograd's nn.MLP, line for line, over any Value class: binary `*` and `+` nodes."""

    def __init__(self, value_class, sizes: list[int], seed: int = 1337) -> None:
        self.layers = []
        for i, (W, b) in enumerate(micrograd_weights(sizes, seed)):
            neurons = [([value_class(float(w)) for w in row], value_class(float(bias))) for row, bias in zip(W, b)]
            self.layers.append((neurons, i != len(sizes) - 2))

    def __call__(self, x):
        for neurons, nonlinear in self.layers:
            outs = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in neurons]
            x = [o.relu() for o in outs] if nonlinear else outs
        return x[0]

    def parameters(self):
        return [p for neurons, _ in self.layers for w, b in neurons for p in [*w, b]]


class DotMLP(BinaryMLP):
    """The same network with one `dot` node per neuron and n-ary `sum` nodes."""

    def __call__(self, x):
        for neurons, nonlinear in self.layers:
            outs = [at.dot(w, x, b) for w, b in neurons]
            x = [o.relu() for o in outs] if nonlinear else outs
        return x[0]


class PackageMLP:
    """autograd_tiny.nn.MLP (dot neurons, labelled and marked nodes), in micrograd's demo shape."""

    def __init__(self, sizes: list[int], seed: int = 1337) -> None:
        from autograd_tiny.nn import MLP

        activations = ["relu"] * (len(sizes) - 2) + ["linear"]
        self.model = MLP.from_numpy(micrograd_weights(sizes, seed), activations)

    def __call__(self, x):
        return self.model(x)[0]

    def parameters(self):
        return self.model.parameters()


class NumpyStep:
    """The same step with the four backprop equations in NumPy (autograd_tiny.nn.backprop), batched."""

    def __init__(self, sizes: list[int], X, y, seed: int = 1337) -> None:
        self.params = micrograd_weights(sizes, seed)
        self.activations = ["relu"] * (len(sizes) - 2) + ["linear"]
        self.X, self.y = X, y

    def __call__(self, k: int) -> None:
        from autograd_tiny.nn import backprop

        result = backprop(self.params, self.activations, self.X, self.y, "hinge")
        learning_rate = 1.0 - 0.9 * min(k, 100) / 100
        for (W, b), grad_W, grad_b in zip(self.params, result.grad_W, result.grad_b):
            W -= learning_rate * (grad_W.mean(axis=0) + 2e-4 * W)  # mean hinge + 1e-4 Σ w²
            b -= learning_rate * (grad_b.mean(axis=0) + 2e-4 * b)


def demo_step(model, value_class, X, y, k: int, total=sum):
    """One micrograd demo step; returns the loss (the root of the step's graph)."""
    inputs = [[value_class(float(a)) for a in row] for row in X]
    scores = [model(row) for row in inputs]
    losses = [(1 + -float(yi) * score).relu() for yi, score in zip(y, scores)]
    data_loss = total(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * total(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    for p in model.parameters():
        p.grad = 0.0
    loss.backward()
    learning_rate = 1.0 - 0.9 * min(k, 100) / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return loss


def count_nodes(root) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for child in getattr(node, "_children", None) or getattr(node, "_prev", ()):
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def interleaved_rates(steps: dict, rounds: int) -> dict[str, list[float]]:
    """Steps per second of each engine, measured in ``rounds`` rounds that take turns.

    In each round every engine runs for about a second (at least one step), so a burst of
    machine noise lands on all of them alike; ratios are taken round by round. Each turn
    ends with a full collection, timed, so no engine is charged for another's garbage.
    """
    rates: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(rounds):
        for name, make_step in steps.items():
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < 1.0:
                make_step(count + 1)
                count += 1
            gc.collect()  # each engine pays for collecting its own garbage, inside its own time
            rates[name].append(count / (time.perf_counter() - start))
    return rates


def bytes_per_node(value_class, n: int = 100_000) -> float:
    """Memory of a chain y = y * w of n multiplications, per node (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    w = value_class(1.0000001)
    y = value_class(1.0)
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(n):
        y = y * w
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del y
    return used / n


def deep_chain_backward(n: int) -> str:
    x = at.Value(0.5, "x")
    y = x
    for _ in range(n):
        y = y * 1.0
    start = time.perf_counter()
    y.backward()
    return f"ok in {time.perf_counter() - start:.2f} s (x.grad = {x.grad})"


def micrograd_deep_chain(n: int) -> str:
    y = MicroValue(0.5)
    for _ in range(n):
        y = y * 1.0
    try:
        y.backward()
    except RecursionError:
        return f"RecursionError at {n:,} nodes"
    return "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of about a second per engine (default 5)")
    parser.add_argument("--chain", type=int, default=1_000_000, help="length of the deep chain (default 1,000,000)")
    args = parser.parse_args()

    X, y = two_moons(100)
    peer = BinaryMLP(MicroValue, [2, 16, 16, 1])
    ours_binary = BinaryMLP(at.Value, [2, 16, 16, 1])
    ours_dot = DotMLP(at.Value, [2, 16, 16, 1])
    ours_nn = PackageMLP([2, 16, 16, 1])

    steps = {
        "micrograd 0.1.0": lambda k: demo_step(peer, MicroValue, X, y, k),
        "autograd-tiny, binary ops": lambda k: demo_step(ours_binary, at.Value, X, y, k),
        "autograd-tiny, dot neurons": lambda k: demo_step(ours_dot, at.Value, X, y, k, total=at.sum),
        "autograd-tiny, nn.MLP": lambda k: demo_step(ours_nn, at.Value, X, y, k, total=at.sum),
    }
    nodes, first_loss = {}, {}
    for name, make_step in steps.items():  # warm-up; keep numbers only, so no graph stays alive
        loss = make_step(0)
        nodes[name], first_loss[name] = count_nodes(loss), loss.data
        del loss
    reference = first_loss["micrograd 0.1.0"]
    for name, value in first_loss.items():  # the same weights, so the same first loss everywhere
        if abs(value - reference) > 1e-9 * abs(reference):
            sys.exit(f"bench_engine: {name} computed loss {value!r}, micrograd {reference!r}: not the same work")
    gc.collect()
    steps["NumPy, the four equations (batched)"] = NumpyStep([2, 16, 16, 1], X, y)
    nodes["NumPy, the four equations (batched)"] = 0
    rates = interleaved_rates(steps, args.rounds)
    peer = rates["micrograd 0.1.0"]
    peer_bytes = bytes_per_node(MicroValue)
    ours_bytes = bytes_per_node(at.Value)

    print(f"micrograd demo step (MLP 2-16-16-1 ReLU, 100 moons, hinge + L2), gc at defaults, {args.rounds} rounds")
    print(f"{'engine':<36} {'nodes':>8} {'steps/s':>9} {'vs micrograd':>13}  (median over rounds)")
    for name, engine_rates in rates.items():
        ratio = statistics.median(r / p for r, p in zip(engine_rates, peer))
        shown = f"{nodes[name]:>8,}" if nodes[name] else f"{'-':>8}"
        print(f"{name:<36} {shown} {statistics.median(engine_rates):>9.2f} {ratio:>12.1f}x")
    print()
    print("memory of a chain of 100,000 multiplications y = y * w (tracemalloc)")
    print(f"{'micrograd 0.1.0':<34} {peer_bytes:>8.0f} bytes/node")
    print(f"{'autograd-tiny':<34} {ours_bytes:>8.0f} bytes/node ({ours_bytes / peer_bytes:.2f}x micrograd's)")
    print()
    print(f"backward on a chain of {args.chain:,} nodes at recursion limit {sys.getrecursionlimit()}")
    print(f"{'micrograd 0.1.0':<34} {micrograd_deep_chain(args.chain)}")
    print(f"{'autograd-tiny':<34} {deep_chain_backward(args.chain)}")


if __name__ == "__main__":
    main()
