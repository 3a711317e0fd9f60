"""GPT replay benchmark: microgpt's training step on ``nn.GPT`` through ``vectorize_sequences`` (the
replay ``train_gpt`` trains through), against the microgpt-style yardstick (microgpt's own scalar
engine) and a hand-written NumPy GPT, in the same run.

microgpt's configuration (27 tokens, 16 dimensions, 4 heads, one layer, block size 16), one
document per step, the first 200 names, 400 steps, Adam, from the same initial weights:

1. the first step's loss and gradients agree in all three engines before anything is timed;
2. time per position (a step costs about its document's length), the replay's plan recording
   included: the replay runs all 400 steps from a fresh plan cache; the yardstick, much slower,
   runs the first ``--yardstick-steps`` steps, on the same documents;
3. ms per position and per step (CPU time: on a shared machine, wall time measures the neighbours),
   plan recording time and how many plans a 1,000-step run on the first 1,000 names records (one
   trace of the longest length, 16 positions, laid out once per document length), peak memory
   (tracemalloc);
4. one plan per length against padding to 16 or to 8 or 16 positions (both exact).

    python bench/bench_gpt_replay.py          # about a minute, most of it the yardstick
"""

from __future__ import annotations

import argparse
import gc
import os
import time
import tracemalloc
from pathlib import Path

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # every engine on one core, as the scalar ones run

import microgpt_yardstick as yardstick  # noqa: E402
import numpy as np  # noqa: E402
from numpy_gpt import NumpyGPT, adam_step  # noqa: E402

import autograd_tiny as at  # noqa: E402
from autograd_tiny.nn import GPT  # noqa: E402
from autograd_tiny.table import Table  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NAMES_FILES = [REPO.parent / "shared" / "data" / "names.txt", REPO.parents[1] / "shared" / "data" / "names.txt"]
SEED = 42


def load_names(path: str | None) -> list[str]:
    candidates = [Path(path)] if path else NAMES_FILES
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text().split()
    raise SystemExit(f"names.txt not found (looked at {', '.join(map(str, candidates))}); pass --names-file")


class Replay:
    """The replay's training: nn.GPT on the yardstick's weights, its per-position costs replayed as
    ``train_gpt`` replays them (a plan cache), the parameters as one array, Adam on arrays."""

    def __init__(self, steps: int, plan_lengths: list[int] | None = None) -> None:
        self.model = GPT.from_state_dict(yardstick.init_state(at.Value, 27, seed=SEED), n_head=4)
        params = self.model.parameters()
        self.replay = at.vectorize_sequences(
            lambda tokens: self.model.trace(tokens).position_losses,
            params,
            max_positions=self.model.block_size,
            plan_lengths=plan_lengths,
        )
        self.theta = np.array([p.data for p in params])
        self.m, self.v, self.steps = np.zeros_like(self.theta), np.zeros_like(self.theta), steps
        self.recording = 0.0  # CPU seconds spent recording plans (inside the steps' time)

    def step(self, step: int, tokens: list[int]) -> float:
        before = len(self.replay.plans)
        start = time.process_time()
        self.replay.plan_for(min(16, len(tokens) - 1))  # recorded on first use, as value_and_grad would
        if len(self.replay.plans) > before:
            self.recording += time.process_time() - start
        loss, grads = self.replay.value_and_grad([tokens], self.theta)
        adam_step(self.theta, grads, self.m, self.v, step, self.steps)
        return loss


class NumpySteps:
    def __init__(self, steps: int) -> None:
        state = yardstick.init_state(float, 27, seed=SEED)
        self.theta = np.array(yardstick.parameters(state))
        self.model = NumpyGPT(27)
        self.m, self.v, self.steps = np.zeros_like(self.theta), np.zeros_like(self.theta), steps

    def step(self, step: int, tokens: list[int]) -> float:
        loss, grads = self.model.loss_and_grad(self.theta, tokens)
        adam_step(self.theta, grads, self.m, self.v, step, self.steps)
        return loss


class YardstickSteps:
    def __init__(self, steps: int) -> None:
        self.state = yardstick.init_state(yardstick.YardstickValue, 27, seed=SEED)
        self.params = yardstick.parameters(self.state)
        self.m, self.v, self.steps = [0.0] * len(self.params), [0.0] * len(self.params), steps

    def step(self, step: int, tokens: list[int]) -> float:
        loss = yardstick.document_loss(self.state, tokens)
        loss.backward()
        yardstick.adam_update(self.params, self.m, self.v, step, self.steps)
        return loss.data


def run(engine, documents: list[list[int]], steps: int) -> tuple[float, list[float]]:
    start = time.process_time()  # CPU time: the machine may be shared, and every engine runs on one core
    losses = [engine.step(s, documents[s % len(documents)]) for s in range(steps)]
    return time.process_time() - start, losses


def positions(documents: list[list[int]], steps: int) -> int:
    return sum(min(16, len(documents[s % len(documents)]) - 1) for s in range(steps))


def check_first_step(documents: list[list[int]]) -> float:
    """The three engines' first loss and gradients, from the same weights: the largest relative difference."""
    tokens = documents[0]
    replay, numpy_steps, reference = Replay(1), NumpySteps(1), YardstickSteps(1)
    loss, grads = replay.replay.value_and_grad([tokens], replay.theta)
    numpy_loss, numpy_grads = numpy_steps.model.loss_and_grad(numpy_steps.theta, tokens)
    reference_loss = yardstick.document_loss(reference.state, tokens)
    reference_loss.backward()
    reference_grads = np.array([p.grad for p in reference.params])
    scale = np.abs(reference_grads).max()
    return max(
        abs(loss - reference_loss.data) / reference_loss.data,
        abs(numpy_loss - reference_loss.data) / reference_loss.data,
        np.abs(grads - reference_grads).max() / scale,
        np.abs(numpy_grads - reference_grads).max() / scale,
    )


def peak_memory(make, documents: list[list[int]], steps: int) -> int:
    """Peak bytes allocated (tracemalloc) while building ``make()`` and running ``steps`` steps."""
    tracemalloc.start()
    engine = make()
    for s in range(steps):
        engine.step(s, documents[s % len(documents)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--names", type=int, default=200, help="train on the first N names")
    parser.add_argument("--yardstick-steps", type=int, default=40)
    parser.add_argument("--long-steps", type=int, default=1000, help="the run whose plans are counted")
    parser.add_argument("--names-file", default=None)
    args = parser.parse_args()

    names = load_names(args.names_file)
    alphabet = sorted(set("".join(names)))
    documents = [yardstick.encode(name, alphabet) for name in names[: args.names]]
    print(f"first step, largest relative difference between the three engines: {check_first_step(documents):.1e}")

    replay = Replay(args.steps)
    replay_seconds, replay_losses = run(replay, documents, args.steps)
    numpy_steps = NumpySteps(args.steps)
    numpy_seconds, numpy_losses = run(numpy_steps, documents, args.steps)
    reference = YardstickSteps(args.steps)
    reference_seconds, reference_losses = run(reference, documents, args.yardstick_steps)
    gc.disable()  # microgpt runs with the collector on; paused, its cyclic garbage costs nothing
    try:
        paused_seconds, _ = run(YardstickSteps(args.steps), documents, args.yardstick_steps)
    finally:
        gc.enable()
    agree = max(abs(a - b) / b for a, b in zip(replay_losses, reference_losses))
    agree_numpy = max(abs(a - b) / b for a, b in zip(replay_losses, numpy_losses))

    replay_positions = positions(documents, args.steps)
    reference_positions = positions(documents, args.yardstick_steps)
    per_position = {
        "yardstick": reference_seconds / reference_positions,
        "replay": replay_seconds / replay_positions,
        "numpy": numpy_seconds / replay_positions,
    }
    recorded = replay.recording
    recording = f"{recorded:.2f} s: {replay.replay.recordings} recording, {len(replay.replay.plans)} plans"
    rows = [
        ("microgpt-style yardstick", args.yardstick_steps, f"{1e3 * per_position['yardstick']:.2f}",
         f"{1e3 * reference_seconds / args.yardstick_steps:.1f}", "", "1×"),
        ("yardstick, cycle collector paused", args.yardstick_steps,
         f"{1e3 * paused_seconds / reference_positions:.2f}", f"{1e3 * paused_seconds / args.yardstick_steps:.1f}", "",
         f"{reference_seconds / paused_seconds:.1f}×"),
        ("replay, plan recording included", args.steps, f"{1e3 * per_position['replay']:.3f}",
         f"{1e3 * replay_seconds / args.steps:.2f}", recording,
         f"**{per_position['yardstick'] / per_position['replay']:.0f}×**"),
        ("replay, without the recording", args.steps, f"{1e3 * (replay_seconds - recorded) / replay_positions:.3f}",
         f"{1e3 * (replay_seconds - recorded) / args.steps:.2f}", "",
         f"{per_position['yardstick'] * replay_positions / (replay_seconds - recorded):.0f}×"),
        ("NumPy by hand (bench/numpy_gpt.py)", args.steps, f"{1e3 * per_position['numpy']:.3f}",
         f"{1e3 * numpy_seconds / args.steps:.2f}", "", f"{per_position['yardstick'] / per_position['numpy']:.0f}×"),
    ]  # fmt: skip
    print(f"\nmicrogpt's step, one document per step, first {args.names} names ({replay_positions} positions in "
          f"{args.steps} steps); losses, max relative difference: replay vs yardstick {agree:.1e}, "
          f"vs NumPy {agree_numpy:.1e}")  # fmt: skip
    header = ("engine", "steps", "ms/position", "ms/step", "plans recorded", "speed vs yardstick")
    print(Table.of(header, rows, align="lrrrrr").text())
    print(f"replay / NumPy by hand: {per_position['replay'] / per_position['numpy']:.1f}× the time (recording "
          f"included), {(replay_seconds - recorded) / numpy_seconds:.1f}× without; against the yardstick with its "
          f"collector paused, the replay is {paused_seconds / reference_positions / per_position['replay']:.0f}× "
          "faster (recording included)")  # fmt: skip

    print("\none plan per length, or padded to a few lengths (both exact; recording included)")
    rows = []
    for plan_lengths in (None, [16], [8, 16]):
        seconds = []
        for _ in range(3):
            variant = Replay(args.steps, plan_lengths)
            seconds.append(run(variant, documents, args.steps)[0])
        what = "one plan per length" if plan_lengths is None else f"padded to {' or '.join(map(str, plan_lengths))}"
        rows.append(
            (what, len(variant.replay.plans), f"{variant.recording:.2f}", f"{1e3 * min(seconds) / args.steps:.2f}")
        )
    print(Table.of(("replay", "plans", "recording (s)", "ms/step (best of 3)"), rows, align="lrrr").text())

    long_documents = [yardstick.encode(name, alphabet) for name in names[: args.long_steps]]
    long = Replay(args.long_steps)
    long_seconds, _ = run(long, long_documents, args.long_steps)
    print(f"\n{args.long_steps} steps on the first {args.long_steps} names: {long_seconds:.1f} s, of which recording "
          f"{long.recording:.1f} s: {long.replay.recordings} recording of 16 positions, laid out as "
          f"{len(long.replay.plans)} plans, one per document length "
          f"({sorted(long.replay.plans)} positions)")  # fmt: skip

    longest = max(documents, key=len)
    memory = [
        ("replay: record the plan of the longest name, one step", peak_memory(lambda: Replay(1), [longest], 1)),
        ("replay: 400 steps, every plan recorded", peak_memory(lambda: Replay(args.steps), documents, args.steps)),
        ("yardstick: one step on the longest name", peak_memory(lambda: YardstickSteps(1), [longest], 1)),
        ("NumPy by hand: one step on the longest name", peak_memory(lambda: NumpySteps(1), [longest], 1)),
    ]
    print("\npeak memory (tracemalloc, parameters and model state included)")
    print(Table.of(("run", "MB"), [(what, f"{peak / 1e6:.1f}") for what, peak in memory], align="lr").text())


if __name__ == "__main__":
    main()
