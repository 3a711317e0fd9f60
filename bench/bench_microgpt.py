"""microgpt's training step on microgpt's own Value and on ``autograd_tiny.Value``, in the same run.

Workload: microgpt's GPT (1 layer, 16 embedding dimensions, 4 heads, block size 16) on the
names it trains on, one name per step: forward (the document's loss), backward, Adam. The
model code is the yardstick's (``microgpt_yardstick.py``) and takes the Value class as an
argument, so both engines run the same lines on the same weights and the same names.

    python bench/bench_microgpt.py [names.txt] [--rounds 7] [--steps 20]

The names come from ``autograd_tiny.nn.datasets.names()`` when the package ships them, else
from the given file (default: ../shared/data/names.txt, the first found above the repository). The engines
take turns at every step and are timed in CPU time, so other work on the machine lands on both
alike; each round's ratio is ours / the yardstick's. Python's garbage collector stays at its
defaults, as users run it (in microgpt most of the forward pass's time is its collections).
Prints ms per step (forward, backward and all of it, freeing the graph included), the
ratio's median and maximum over rounds, bytes per graph node (tracemalloc) and checks that
both engines computed the same losses.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # NumPy's idle BLAS threads spin and count as CPU time

import argparse
import builtins
import contextlib
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import microgpt_yardstick
from microgpt_yardstick import YardstickValue, adam_update, document_loss, encode, init_state, parameters

import autograd_tiny as at

REPOSITORY = Path(__file__).resolve().parent.parent
CLOCK = time.process_time  # CPU time: other processes on a shared machine do not count against either engine
LOSS_TOLERANCE = 1e-9  # relative: we divide where the yardstick multiplies by a power −1 and dot/sum add in
# another order, so the last bits differ (and grow a little over training steps)


def load_names(path: Path | None) -> list[str]:
    """The training names: the package's copy when it ships one, else the file at ``path``."""
    if path is None:
        try:
            from autograd_tiny.nn.datasets import names  # shipped by a later version of the package
        except ImportError:
            near = [folder / "shared" / "data" / "names.txt" for folder in REPOSITORY.parents]
            path = next((p for p in near if p.is_file()), near[0])
        else:
            return list(names())
    if not path.is_file():
        sys.exit(f"bench_microgpt: no names file at {path}; pass its path as the first argument")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def value_sum(items):
    """microgpt's ``sum`` as one ``autograd_tiny.sum`` node when it adds Values (else the built-in)."""
    items = list(items)
    return at.sum(items) if items and isinstance(items[0], at.Value) else builtins.sum(items)


@contextlib.contextmanager
def with_dot_and_sum():
    """The model with each ``linear`` row one ``autograd_tiny.dot`` node and each sum one ``sum`` node:
    the few lines a microgpt user changes to get n-ary nodes."""
    model = vars(microgpt_yardstick)
    saved = model["linear"]
    model["linear"] = lambda x, w: [at.dot(row, x) for row in w]
    model["sum"] = value_sum
    try:
        yield
    finally:
        model["linear"] = saved
        del model["sum"]


class Engine:
    """One Value class training microgpt's GPT, one step per document, each part timed."""

    def __init__(self, name: str, value_class, vocab_size: int, seed: int, model=contextlib.nullcontext) -> None:
        self.name, self.value_class, self.model = name, value_class, model
        self.state = init_state(value_class, vocab_size, seed=seed)
        self.params = parameters(self.state)
        self.m, self.v = [0.0] * len(self.params), [0.0] * len(self.params)
        self.steps = 0
        self.losses: list[float] = []
        self.forward = self.backward = self.total = 0.0  # seconds in the current round

    def step(self, tokens: list[int], num_steps: int) -> None:
        t0 = CLOCK()
        with self.model():
            loss = document_loss(self.state, tokens)
        t1 = CLOCK()
        loss.backward()
        t2 = CLOCK()
        adam_update(self.params, self.m, self.v, self.steps, num_steps)
        self.losses.append(loss.data)
        del loss
        gc.collect(0)  # each engine frees its own graph inside its own time (microgpt's is held by a
        # reference cycle, its recursive sort's closure, until a collection: the next engine's, else)
        self.forward += t1 - t0
        self.backward += t2 - t1
        self.total += CLOCK() - t0
        self.steps += 1


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


def bytes_per_node(engine: Engine, tokens: list[int]) -> tuple[float, int]:
    """Memory that one document's graph allocates (tracemalloc), per node it created; and that count."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    with engine.model():
        loss = document_loss(engine.state, tokens)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    created = len(graph_nodes(loss)) - len(engine.params)
    return used / created, created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="?", type=Path, help="names file (default: the package's, else ../shared)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds, each a ratio (default 7)")
    parser.add_argument("--steps", type=int, default=10, help="training steps per engine per round (default 10)")
    args = parser.parse_args()

    names = load_names(args.names)
    alphabet = sorted(set("".join(names)))
    docs = [encode(name, alphabet) for name in random.Random(42).sample(names, args.rounds * args.steps)]
    vocab_size = len(alphabet) + 1
    engines = [
        Engine("microgpt-style yardstick", YardstickValue, vocab_size, seed=42),
        Engine("autograd_tiny.Value", at.Value, vocab_size, seed=42),
        Engine("  with dot and sum nodes", at.Value, vocab_size, seed=42, model=with_dot_and_sum),
    ]
    yardstick, ours, nary = engines
    probe = docs[0]
    memory = {e.name: bytes_per_node(e, probe) for e in engines}
    num_steps = args.rounds * args.steps
    per_round = {e.name: {"forward": [], "backward": [], "step": []} for e in engines}
    for k in range(args.rounds):
        for i, tokens in enumerate(docs[k * args.steps : (k + 1) * args.steps]):
            for engine in engines if i % 2 == 0 else engines[::-1]:  # take turns at every step
                engine.step(tokens, num_steps)
        for e in engines:
            for part, seconds in (("forward", e.forward), ("backward", e.backward), ("step", e.total)):
                per_round[e.name][part].append(1e3 * seconds / args.steps)
            e.forward = e.backward = e.total = 0.0

    def median(engine: Engine, part: str) -> float:
        return statistics.median(per_round[engine.name][part])

    def ratios(part: str, engine: Engine = ours) -> list[float]:
        return [a / b for a, b in zip(per_round[engine.name][part], per_round[yardstick.name][part])]

    worst = max(abs(a - b) / abs(b) for e in (ours, nary) for a, b in zip(e.losses, yardstick.losses))
    print(
        f"microgpt training step (1 layer, 16 dims, 4 heads, one name per step), {args.rounds} rounds of "
        f"{args.steps} steps, gc at defaults"
    )
    header = f"{'engine':<26} {'forward':>9} {'backward':>9} {'step':>9} {'bytes/node':>11} {'nodes':>7}"
    print(f"{header}  (CPU ms, median)")
    for e in engines:
        per_node, created = memory[e.name]
        print(
            f"{e.name:<26} {median(e, 'forward'):>9.2f} {median(e, 'backward'):>9.2f} "
            f"{median(e, 'step'):>9.2f} {per_node:>11.1f} {created:>7,}"
        )
    print()
    print(
        f"ours / yardstick per step: median {statistics.median(ratios('step')):.3f}x, max {max(ratios('step')):.3f}x "
        f"over rounds; forward {statistics.median(ratios('forward')):.3f}x, backward "
        f"{statistics.median(ratios('backward')):.3f}x; "
        f"memory per node {memory[ours.name][0] / memory[yardstick.name][0]:.3f}x"
    )
    speedup = statistics.median(1 / r for r in ratios("step", nary))
    print(f"with dot and sum nodes: {speedup:.1f}x faster per step than the yardstick (median over rounds)")
    same = worst <= LOSS_TOLERANCE
    verdict = "yes" if same else "NO"
    print(f"same losses: {verdict} (largest relative difference {worst:.1e}, tolerance {LOSS_TOLERANCE:g})")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
