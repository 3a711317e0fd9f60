"""microgpt's training step on microgpt's own Value and on ``autograd_tiny.Value``, in the same run.

Workload: microgpt's GPT (1 layer, 16 embedding dimensions, 4 heads, block size 16) on the
names it trains on, one name per step: forward (the document's loss), backward, Adam. The
model code is the yardstick's (``microgpt_yardstick.py``) and takes the Value class as an
argument, so both engines run the same lines on the same weights and the same names.

    python bench/bench_microgpt.py [names.txt] [--rounds 7] [--steps 10]

The names come from ``autograd_tiny.nn.datasets.names()`` when the package ships them, else
from the given file (default: ../shared/data/names.txt, the first found above the repository).

Each engine trains in a process of its own (``workers.py``), as a user runs microgpt: the
yardstick's process imports only the standard library (microgpt has no dependencies), ours
imports ``autograd_tiny``. Python's cycle collector, at its defaults as users run it, takes about two
thirds of a step on both engines, and each of its full collections walks every object in the
process; in one shared process each engine's collections would also walk the other's model
and graph, and the ratio would depend on what else lives there. Each process runs microgpt's
loop, in which the previous step's graph stays referenced until the next step's loss replaces
it. The processes take turns by rounds (all of a round's steps in one, then in the other; the
order alternates), not at every step, where each would start every step with the other's data
in the CPU's caches, which a user's run never does. Each times itself in CPU time; each round's
ratio is ours / the yardstick's. Prints ms per step (forward, backward and all of it), the
ratio's median and maximum over rounds, bytes per graph node (tracemalloc) and checks that both
engines computed the same losses.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # NumPy's idle BLAS threads spin and count as CPU time

# A worker process imports only this module's imports and its engine's; the driver's own tools
# (argparse, subprocess, statistics, ...) are imported inside its functions.
import sys
import time
import tracemalloc
from typing import TYPE_CHECKING

import microgpt_yardstick
from microgpt_yardstick import YardstickValue, adam_update, document_loss, init_state, parameters
from workers import Worker, serve

if TYPE_CHECKING:
    from pathlib import Path

CLOCK = time.process_time  # CPU time of the worker's own process
LOSS_TOLERANCE = 1e-9  # relative: we divide where the yardstick multiplies by a power −1 and dot/sum add in
# another order, so the last bits differ (and grow a little over training steps)
ENGINES = {  # name printed -> the engine's name in the worker's command line
    "microgpt-style yardstick": "yardstick",
    "autograd_tiny.Value": "ours",
    "  with dot and sum nodes": "ours-dot-sum",
}


def load_names(path: Path | None = None) -> list[str]:
    """The training names: the package's copy when it ships one, else the file at ``path``."""
    from pathlib import Path

    if path is None:
        try:
            from autograd_tiny.nn.datasets import names  # shipped by a later version of the package
        except ImportError:
            near = [folder / "shared" / "data" / "names.txt" for folder in Path(__file__).resolve().parents]
            path = next((p for p in near if p.is_file()), near[0])
        else:
            return list(names())
    if not path.is_file():
        sys.exit(f"bench_microgpt: no names file at {path}; pass its path as the first argument")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def value_class(engine: str) -> type:
    """The engine's Value class. ``ours-dot-sum`` also makes each ``linear`` row of the model one
    ``autograd_tiny.dot`` node and each sum of Values one ``sum`` node: the few lines a microgpt
    user changes to get n-ary nodes."""
    if engine == "yardstick":
        return YardstickValue
    import builtins

    import autograd_tiny as at

    if engine == "ours-dot-sum":

        def value_sum(items):
            items = list(items)
            return at.sum(items) if items and isinstance(items[0], at.Value) else builtins.sum(items)

        microgpt_yardstick.linear = lambda x, w: [at.dot(row, x) for row in w]
        microgpt_yardstick.sum = value_sum
    elif engine != "ours":
        raise ValueError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES.values())}")
    return at.Value


class Trainer:
    """One Value class training microgpt's GPT, one step per document, each part timed."""

    def __init__(self, value_class: type, vocab_size: int, seed: int) -> None:
        self.state = init_state(value_class, vocab_size, seed=seed)
        self.params = parameters(self.state)
        self.m, self.v = [0.0] * len(self.params), [0.0] * len(self.params)
        self.steps = 0
        self.loss = None

    def step(self, tokens: list[int], num_steps: int) -> dict[str, float]:
        """One training step as microgpt's loop runs it; its CPU seconds by part, and its loss."""
        t0 = CLOCK()
        self.loss = document_loss(self.state, tokens)  # the previous step's graph goes when its loss is replaced
        t1 = CLOCK()
        self.loss.backward()
        t2 = CLOCK()
        adam_update(self.params, self.m, self.v, self.steps, num_steps)
        t3 = CLOCK()
        self.steps += 1
        return {"forward": t1 - t0, "backward": t2 - t1, "step": t3 - t0, "loss": self.loss.data}

    def answer(self, request: dict) -> dict:
        """A worker's answer to the driver: ``{"memory": tokens}`` or ``{"step": tokens, "of": n}``."""
        if "memory" in request:
            per_node, created = bytes_per_node(self, request["memory"])
            return {"bytes_per_node": per_node, "nodes": created}
        return self.step(request["step"], request["of"])


def graph_nodes(root) -> list:
    """Every node of ``root``'s graph (both classes keep their inputs in ``_children``)."""
    seen, stack, nodes = {id(root)}, [root], [root]
    while stack:
        for child in stack.pop()._children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
                nodes.append(child)
    return nodes


def bytes_per_node(trainer: Trainer, tokens: list[int]) -> tuple[float, int]:
    """Memory that one document's graph allocates (tracemalloc), per node it created; and that count."""
    import gc

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = document_loss(trainer.state, tokens)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    created = len(graph_nodes(loss)) - len(trainer.params)
    return used / created, created


def main() -> None:
    import argparse
    import random
    import statistics
    from pathlib import Path

    from microgpt_yardstick import encode

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="?", type=Path, help="names file (default: the package's, else ../shared)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds, each a ratio (default 7)")
    parser.add_argument("--steps", type=int, default=10, help="training steps per engine per round (default 10)")
    args = parser.parse_args()

    names = load_names(args.names)
    alphabet = sorted(set("".join(names)))
    docs = [encode(name, alphabet) for name in random.Random(42).sample(names, args.rounds * args.steps)]
    workers = [Worker(name, __file__, engine, len(alphabet) + 1, 42) for name, engine in ENGINES.items()]
    yardstick, ours, nary = workers
    memory = {w.name: w.ask({"memory": docs[0]}) for w in workers}
    if yardstick.imported("numpy"):
        sys.exit("bench_microgpt: the yardstick's process imported NumPy, which microgpt never does")
    num_steps = args.rounds * args.steps
    parts = ("forward", "backward", "step")
    per_round = {w.name: {part: [] for part in parts} for w in workers}  # ms per step, one entry per round
    losses = {w.name: [] for w in workers}
    for k in range(args.rounds):
        seconds = {w.name: dict.fromkeys(parts, 0.0) for w in workers}
        for worker in workers if k % 2 == 0 else workers[::-1]:  # take turns by rounds
            for tokens in docs[k * args.steps : (k + 1) * args.steps]:
                answer = worker.ask({"step": tokens, "of": num_steps})
                losses[worker.name].append(answer["loss"])
                for part in parts:
                    seconds[worker.name][part] += answer[part]
        for w in workers:
            for part in parts:
                per_round[w.name][part].append(1e3 * seconds[w.name][part] / args.steps)
    for w in workers:
        w.close()

    def median(worker: Worker, part: str) -> float:
        return statistics.median(per_round[worker.name][part])

    def ratios(part: str, worker: Worker = ours) -> list[float]:
        return [a / b for a, b in zip(per_round[worker.name][part], per_round[yardstick.name][part])]

    reference = losses[yardstick.name]
    worst = max(abs(a - b) / abs(b) for w in (ours, nary) for a, b in zip(losses[w.name], reference))
    print(
        f"microgpt training step (1 layer, 16 dims, 4 heads, one name per step), {args.rounds} rounds of "
        f"{args.steps} steps, each engine in its own process, gc at defaults"
    )
    header = f"{'engine':<26} {'forward':>9} {'backward':>9} {'step':>9} {'bytes/node':>11} {'nodes':>7}"
    print(f"{header}  (CPU ms, median)")
    for w in workers:
        print(
            f"{w.name:<26} {median(w, 'forward'):>9.2f} {median(w, 'backward'):>9.2f} {median(w, 'step'):>9.2f} "
            f"{memory[w.name]['bytes_per_node']:>11.1f} {memory[w.name]['nodes']:>7,}"
        )
    print()
    memory_ratio = memory[ours.name]["bytes_per_node"] / memory[yardstick.name]["bytes_per_node"]
    print(
        f"ours / yardstick per step: median {statistics.median(ratios('step')):.3f}x, max {max(ratios('step')):.3f}x "
        f"over rounds; forward {statistics.median(ratios('forward')):.3f}x, backward "
        f"{statistics.median(ratios('backward')):.3f}x; memory per node {memory_ratio:.3f}x"
    )
    speedup = statistics.median(1 / r for r in ratios("step", nary))
    print(f"with dot and sum nodes: {speedup:.1f}x faster per step than the yardstick (median over rounds)")
    same = worst <= LOSS_TOLERANCE
    verdict = "yes" if same else "NO"
    print(f"same losses: {verdict} (largest relative difference {worst:.1e}, tolerance {LOSS_TOLERANCE:g})")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:  # a worker: --serve ENGINE VOCAB_SIZE SEED
        engine, vocab_size, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        serve(lambda: Trainer(value_class(engine), vocab_size, seed).answer)
    else:
        main()
