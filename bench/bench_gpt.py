"""GPT benchmark: autograd_tiny.nn.GPT's scalar graph (and train_gpt's default, the replay) against the
microgpt-style yardstick, in the same run.

Workload: microgpt's configuration (vocabulary 27, one layer, n_embd 16, 4 heads, block 16), its
initial weights (``init_state(seed=42)``), the names shuffled as microgpt shuffles them, one name
per step: forward, backward, one Adam step with the learning rate decaying to 0. Both engines
train on the same documents from the same weights (the first losses are checked to agree), so
their time per position (a step costs about its document's length) compares like for like.

    python bench/bench_gpt.py [--steps 40] [--rounds 5]

Rows: the yardstick as microgpt runs (Python's garbage collector at its defaults); the yardstick
with the cycle collector paused (the same pause ``train_gpt`` makes, to show how much of the ratio
that is); ``train_gpt(engine="scalar")``; train_gpt's loop written out with the collector at its
defaults; and ``train_gpt``'s default engine, the replay of the graph (``vectorize_sequences``),
timed apart as one call of ``--replay-steps`` steps from microgpt's initial weights (a call records
its plans, 0.2–0.5 s, which would swamp a round of 40 steps; the recording is included). Prints
ms per step and per position, nodes per step and the peak memory of one step (tracemalloc), and
each ratio to the yardstick, round by round, median. The target's figure (issue 21: at least 15x) is
the loop with the collector at its defaults against the yardstick at its defaults, both as a user
runs them; the rows with the collector paused show how much of each time is the collector's.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import autograd_tiny as at
from autograd_tiny.nn import GPT, Adam, CharTokenizer, datasets, train_gpt


def _load_yardstick():
    """bench/microgpt_yardstick.py, loaded by path (the bench folder is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "microgpt_yardstick", Path(__file__).with_name("microgpt_yardstick.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


yardstick = _load_yardstick()

CONFIG = {"n_layer": 1, "n_embd": 16, "block_size": 16}
N_HEAD = 4
TARGET = 15.0  # issue 21: our scalar step at least 15x the yardstick per position


def documents(n: int) -> list[list[int]]:
    """The names in microgpt's shuffled order (random.seed(42), random.shuffle), the first n, as tokens."""
    names = datasets.names()
    random.Random(42).shuffle(names)
    tokenizer = CharTokenizer(datasets.names())
    return [tokenizer.encode(name) for name in names[:n]]


def yardstick_run(state, docs: list[list[int]], *, pause_gc: bool) -> float:
    """microgpt's loop over ``docs``, one per step; returns the seconds it took."""
    params = yardstick.parameters(state)
    m, v = [0.0] * len(params), [0.0] * len(params)
    enabled = gc.isenabled()
    if pause_gc:
        gc.disable()
    start = time.perf_counter()
    for step, tokens in enumerate(docs):
        loss = yardstick.document_loss(state, tokens, n_head=N_HEAD)
        loss.backward()
        yardstick.adam_update(params, m, v, step, len(docs))
    del loss
    elapsed = time.perf_counter() - start
    if enabled:
        gc.enable()
    return elapsed


def ours_run(model: GPT, docs: list[list[int]], engine: str = "scalar") -> float:
    """train_gpt over ``docs``, one per step: by default on the graph of Values; returns the seconds it took."""
    start = time.perf_counter()
    train_gpt(model, docs, steps=len(docs), engine=engine, progress=False)
    return time.perf_counter() - start


def ours_loop_gc_on(model: GPT, docs: list[list[int]]) -> float:
    """train_gpt's loop written out with the public API, the cycle collector left at its defaults."""
    optimizer = Adam(model.parameters(), lr=0.01, betas=(0.85, 0.99), eps=1e-8)
    start = time.perf_counter()
    for step, tokens in enumerate(docs):
        loss = model.loss(tokens)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 0.01 * (1.0 - step / len(docs))
        optimizer.step()
    del loss
    return time.perf_counter() - start


def count_nodes(root) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for child in getattr(node, "_inputs", None) or getattr(node, "_children", ()):
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def peak_step_memory(step) -> float:
    """Peak bytes allocated while one step's graph is built and differentiated (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=40, help="steps (names) per round and engine (default 40)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; engines take turns in each (default 5)")
    parser.add_argument("--replay-steps", type=int, default=400, help="steps of the replay's one call (default 400)")
    args = parser.parse_args()

    docs = documents(args.steps * args.rounds)
    vocab = CharTokenizer(datasets.names()).vocab_size
    state = yardstick.init_state(yardstick.YardstickValue, vocab, seed=42, **CONFIG)
    model = GPT.from_state_dict(state, n_head=N_HEAD)
    reference = yardstick.document_loss(state, docs[0], n_head=N_HEAD).data
    ours = model.loss(docs[0]).data
    if abs(ours - reference) > 1e-12 * abs(reference):
        sys.exit(f"bench_gpt: nn.GPT's first loss {ours!r}, the yardstick's {reference!r}: not the same work")

    typical = sorted(docs, key=len)[len(docs) // 2]
    nodes = {
        "yardstick": count_nodes(yardstick.document_loss(state, typical, n_head=N_HEAD)),
        "ours": count_nodes(model.loss(typical)),
    }

    def yardstick_step():
        yardstick.document_loss(state, typical, n_head=N_HEAD).backward()

    def ours_step():
        model.loss(typical).backward()

    memory = {"yardstick": peak_step_memory(yardstick_step), "ours": peak_step_memory(ours_step)}
    model.zero_grad()
    for p in yardstick.parameters(state):
        p.grad = 0

    names = (
        "yardstick, gc at defaults (as microgpt runs)",
        "yardstick, cycle collector paused",
        "nn.GPT, train_gpt scalar (collector paused)",
        "nn.GPT, the same loop, gc at defaults",
    )
    seconds: dict[str, list[float]] = {name: [] for name in names}
    positions = []
    for r in range(args.rounds):
        chunk = docs[r * args.steps : (r + 1) * args.steps]
        positions.append(sum(min(CONFIG["block_size"], len(d) - 1) for d in chunk))
        seconds[names[0]].append(yardstick_run(state, chunk, pause_gc=False))
        gc.collect()
        seconds[names[1]].append(yardstick_run(state, chunk, pause_gc=True))
        gc.collect()
        seconds[names[2]].append(ours_run(model, chunk))
        gc.collect()
        seconds[names[3]].append(ours_loop_gc_on(model, chunk))
        gc.collect()

    replay_docs = documents(args.replay_steps)
    fresh = GPT.from_state_dict(yardstick.init_state(yardstick.YardstickValue, vocab, seed=42, **CONFIG), n_head=N_HEAD)
    replay_seconds = ours_run(fresh, replay_docs, engine="auto")
    replay_positions = sum(min(CONFIG["block_size"], len(d) - 1) for d in replay_docs)

    peer = seconds[names[0]]
    target = names[3]  # issue 21's figure: our scalar step as a user runs it, against the yardstick as microgpt runs
    print(
        f"microgpt step (vocab {vocab}, n_layer 1, n_embd 16, 4 heads, block 16), one name per step, "
        f"{args.rounds} rounds of {args.steps} names ({statistics.mean(positions) / args.steps:.1f} positions/step)"
    )
    print(f"{'engine':<48} {'ms/step':>8} {'ms/position':>12} {'vs yardstick':>13}  (median over rounds; per round)")
    for name, times in seconds.items():
        per_step = statistics.median(t / args.steps * 1e3 for t in times)
        per_position = statistics.median(t / p * 1e3 for t, p in zip(times, positions))
        ratios = [p / t for p, t in zip(peer, times)]  # the same names in the same round: the ratio per position
        rounds = " ".join(f"{r:.1f}x" for r in ratios)
        mark = "  <- target" if name == target else ""
        median = statistics.median(ratios)
        print(f"{name:<48} {per_step:>8.1f} {per_position:>12.2f} {median:>12.1f}x  ({rounds}){mark}")
    per_position = replay_seconds / replay_positions
    ratio = statistics.median(t / p for t, p in zip(peer, positions)) / per_position
    name = "nn.GPT, train_gpt default: the replay (*)"
    print(f"{name:<48} {replay_seconds / args.replay_steps * 1e3:>8.2f} {per_position * 1e3:>12.3f} {ratio:>12.1f}x")
    print(
        f"(*) one call of {args.replay_steps} steps on the first {args.replay_steps} shuffled names "
        f"({replay_positions / args.replay_steps:.1f} positions/step), plan recording included; "
        "its ratio is per position against the yardstick's median"
    )
    print()
    print(f"one step's graph on a {len(typical) - 2}-letter name ({len(typical) - 1} positions)")
    print(f"{'':<20} {'nodes':>8} {'peak memory':>12}")
    for key, label in (("yardstick", "yardstick"), ("ours", "nn.GPT")):
        print(f"{label:<20} {nodes[key]:>8,} {memory[key] / 1e6:>9.1f} MB")
    print(f"{'ratio':<20} {nodes['yardstick'] / nodes['ours']:>7.1f}x {memory['yardstick'] / memory['ours']:>11.1f}x")
    target_ratio = statistics.median(p / t for p, t in zip(peer, seconds[target]))
    verdict = "met" if target_ratio >= TARGET else "MISSED"
    print(
        f"target (issue 21): nn.GPT's scalar step, the loop with gc at its defaults, at least {TARGET:.0f}x the "
        f"yardstick with gc at its defaults, per position: median {target_ratio:.1f}x, {verdict}"
    )
    print(f"(autograd-tiny {at.__version__}; the replay's target is 50x)")


if __name__ == "__main__":
    main()
