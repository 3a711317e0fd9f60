"""What recording a training run costs, and how heavy its page is.

1. The demo's training (MLP 2-16-16-1 tanh, 100 two-moons points, binary cross-entropy on logits,
   Adam 0.05: the scalar engine) with and without ``record=1``, in alternating rounds; the
   overhead is the median over rounds of (recorded − plain) / plain. Target: at most 25%.
2. The page of the issue's budget (2-16-16-1, 200 epochs, 200 samples, every epoch recorded):
   its size (target under 3 MB) and, when Chromium and Playwright are there, the time to open it
   in headless Chromium (target under 2 s).

python bench/bench_training.py [--epochs 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from autograd_tiny.nn import MLP, Adam, datasets, fit, losses
from autograd_tiny.nn.recording import Recorder
from autograd_tiny.viz import training_explorer


def demo_training(epochs: int, record: int | None) -> float:
    X, y = datasets.two_moons(n=100, seed=0)
    model = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    optimizer = Adam(model.parameters(), lr=0.05)
    start = time.perf_counter()
    fit(model, X, y, "binary_cross_entropy_with_logits", optimizer, epochs=epochs, record=record, progress=False)
    return time.perf_counter() - start


def overhead(epochs: int, rounds: int) -> None:
    print(f"1. The demo's training, {epochs} epochs, plain and with record=1 ({rounds} rounds, alternating)")
    ratios = []
    for k in range(rounds):
        plain = demo_training(epochs, None)
        recorded = demo_training(epochs, 1)
        ratios.append((recorded - plain) / plain)
        print(f"   round {k + 1}: plain {plain:6.2f} s   record=1 {recorded:6.2f} s   overhead {ratios[-1]:+6.1%}")
    print(f"   median overhead of record=1: {statistics.median(ratios):+.1%} (target ≤ 25%)")
    # the same, less noisy on a shared machine: one snapshot's time against one epoch's
    X, y = datasets.two_moons(n=100, seed=0)
    model = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    loss = losses.binary_cross_entropy_with_logits
    recorder = Recorder(model, X, loss.prepare_targets(y, len(X), 1), loss, 1, 50, None)
    start = time.perf_counter()
    for epoch in range(50):
        recorder.take(epoch)
    snapshot = (time.perf_counter() - start) / 50
    epoch = min(demo_training(5, None) for _ in range(3)) / 5
    print(
        f"   one snapshot {snapshot * 1e3:.2f} ms, one epoch {epoch * 1e3:.1f} ms: record=1 adds {snapshot / epoch:.1%}"
    )


def page(folder: Path) -> Path:
    X, y = datasets.two_moons(n=200, seed=0)
    model = MLP(2, [16, 16, 1], activation="tanh", output_activation="sigmoid", seed=0)
    start = time.perf_counter()
    history = fit(model, X, y, "binary_cross_entropy", Adam(model.parameters(), lr=0.02), epochs=200, record=1,
                  progress=False)  # fmt: skip
    trained = time.perf_counter()
    path = training_explorer(history, folder / "training.html")
    written = time.perf_counter()
    recording = history.recording
    print(
        f"\n2. The page of 2-16-16-1, 200 epochs, {len(recording.probe_rows)} samples "
        f"({len(recording.snapshots)} snapshots; trained vectorized in {trained - start:.1f} s, "
        f"written in {written - trained:.2f} s)"
    )
    print(f"   size {path.stat().st_size / 1e6:.2f} MB (target < 3 MB)")
    return path


def open_time(path: Path, repeats: int = 3) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("   (Playwright is not installed: no open time)")
        return
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        print("   (Chromium is not installed: no open time)")
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        for k in range(repeats):
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            tab.goto(path.as_uri())  # returns after the load event: the script has drawn the first epoch
            tab.wait_for_selector("[data-delta]", state="attached")
            wall = time.perf_counter() - start
            load_end = tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            print(f"   open {k + 1}: {wall:.2f} s until drawn (load event at {load_end / 1000:.2f} s) (target < 2 s)")
            tab.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    overhead(args.epochs, args.rounds)
    with tempfile.TemporaryDirectory() as folder:
        open_time(page(Path(folder)))


if __name__ == "__main__":
    main()
