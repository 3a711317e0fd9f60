"""vectorize benchmark: one recorded graph replayed over a batch, against hand-written NumPy, the
scalar engine and micrograd 0.1.0, all measured in the same run.

1. micrograd's demo step (MLP 2-16-16-1 ReLU, 100 moons points, mean hinge + 1e-4 L2, SGD),
   from the same weights in every engine; the first step's gradients are compared before timing.
2. How the time per step grows with the batch (10 … 10,000) and the width (16, 64, 256).
3. The memory of the recorded plan for the demo model.
4. Real data: fit on scikit-learn's digits (64-30-10 sigmoid, batches of 10, 30 epochs).

    python bench/bench_vectorize.py       # needs: pip install micrograd==0.1.0 scikit-learn
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc

# Every engine on one core, as the scalar ones run: a BLAS spreading small products over threads
# only adds noise on a shared machine. Set before NumPy loads its BLAS.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402

# The demo workload, its weights and the peers, shared with the engine bench (next to this file).
from bench_engine import BinaryMLP, DotMLP, MicroValue, NumpyStep, demo_step, interleaved_rates, two_moons  # noqa: E402

import autograd_tiny as at  # noqa: E402
from autograd_tiny.batched.plan import build_plan  # noqa: E402
from autograd_tiny.table import Table  # noqa: E402

DEMO = [2, 16, 16, 1]


class VectorizedStep:
    """The demo step through ``vectorize``: per-sample hinge recorded once, L2 as ``extra``, SGD."""

    def __init__(self, sizes: list[int], X: np.ndarray, y: np.ndarray) -> None:
        self.model = DotMLP(at.Value, sizes)
        self.params = self.model.parameters()
        self.X, self.y = X, y
        self.batched = at.vectorize(lambda x, t: (1 + -t * self.model(x)).relu(), self.params, extra=self.penalty)

    def penalty(self) -> at.Value:
        return 1e-4 * at.sum([p * p for p in self.params])

    def __call__(self, k: int) -> float:
        for p in self.params:
            p.grad = 0.0
        loss = self.batched(self.X, self.y)
        learning_rate = 1.0 - 0.9 * min(k, 100) / 100
        for p in self.params:
            p.data -= learning_rate * p.grad
        return loss


def numpy_gradients(step: NumpyStep) -> np.ndarray:
    """The NumPy step's first gradients, flattened in the Value models' parameter order."""
    from autograd_tiny.nn import backprop

    result = backprop(step.params, step.activations, step.X, step.y, "hinge")
    flat = []
    for (W, b), grad_W, grad_b in zip(step.params, result.grad_W, result.grad_b):
        gW, gb = grad_W.mean(axis=0) + 2e-4 * W, grad_b.mean(axis=0) + 2e-4 * b
        for j in range(len(b)):
            flat.extend([*gW[j], gb[j]])
    return np.array(flat)


def check_first_gradients(X: np.ndarray, y: np.ndarray) -> float:
    """Every engine's first-step gradients from the same weights; returns the largest relative difference."""
    grads = {}
    for name, value_class, model_class, total in [
        ("micrograd", MicroValue, BinaryMLP, sum),
        ("scalar dot", at.Value, DotMLP, at.sum),
    ]:
        model = model_class(value_class, DEMO)
        demo_step(model, value_class, X, y, 0, total=total)
        grads[name] = np.array([p.grad for p in model.parameters()])
    vectorized = VectorizedStep(DEMO, X, y)
    vectorized(0)
    grads["vectorized"] = np.array([p.grad for p in vectorized.params])
    grads["numpy"] = numpy_gradients(NumpyStep(DEMO, X, y))
    reference = grads["scalar dot"]
    scale = np.max(np.abs(reference))
    worst = max(float(np.max(np.abs(g - reference))) / scale for g in grads.values())
    if worst > 1e-12:
        sys.exit(f"bench_vectorize: first-step gradients differ by {worst:.2e} (relative): not the same work")
    return worst


def seconds_per_step(step, budget: float = 0.3) -> float:
    """Best of several timed runs, each at least ``budget`` seconds long (at least one step)."""
    best = float("inf")
    for _ in range(5):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < budget:
            step(count + 1)
            count += 1
        best = min(best, (time.perf_counter() - start) / count)
    return best


def growth_table(batches: list[int], widths: list[int], scalar_limit: float) -> str:
    """Seconds per step for each (width, batch). The array engines are timed first, in a fresh
    process heap: after the scalar engine has churned through millions of small objects, the C
    allocator hands large blocks back to the system and faults them in again, and NumPy code that
    allocates big temporaries at every step (as ``nn.backprop`` does) slows down several-fold."""
    cells = [(width, n) for width in widths for n in batches]
    array_times = {}
    for width, n in cells:
        X, y = two_moons(n)
        sizes = [2, width, width, 1]
        array_times[width, n] = (
            seconds_per_step(VectorizedStep(sizes, X, y)),
            seconds_per_step(NumpyStep(sizes, X, y)),
        )
    rows = []
    per_sample: dict[int, float] = {}
    for width, n in cells:
        vectorized, numpy_time = array_times[width, n]
        estimate = per_sample.get(width, 0.0) * n
        if estimate <= scalar_limit:
            X, y = two_moons(n)
            dot_model = DotMLP(at.Value, [2, width, width, 1])
            scalar = seconds_per_step(lambda k, m=dot_model, X=X, y=y: demo_step(m, at.Value, X, y, k, total=at.sum))
            per_sample[width] = scalar / n
            scalar_text = f"{scalar * 1e3:,.1f}"
            gc.collect()
        else:
            scalar = estimate
            scalar_text = f"~{scalar * 1e3:,.0f} (linear est.)"
        rows.append(
            (
                f"2-{width}-{width}-1",
                f"{n:,}",
                f"{vectorized * 1e3:,.2f}",
                f"{numpy_time * 1e3:,.2f}",
                scalar_text,
                f"{vectorized / numpy_time:.1f}x",
                f"{scalar / vectorized:,.0f}x",
            )
        )
    header = ("model", "batch", "vectorize ms", "NumPy ms", "scalar dot ms", "vectorize/NumPy", "scalar/vectorize")
    return Table.of(header, rows).text()


def plan_memory(X: np.ndarray, y: np.ndarray) -> tuple[int, int]:
    """(bytes of the plan's index arrays, bytes allocated while recording and planning, tracemalloc)."""
    step = VectorizedStep(DEMO, X[:1], y[:1])
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    step.batched.plan = build_plan(step.batched.fn, step.params, 2, ())
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return step.batched.plan.nbytes, used


def digits_run() -> tuple[float, float]:
    from autograd_tiny.nn import MLP, SGD, datasets, fit, predict

    X_train, y_train, X_test, y_test = datasets.digits(one_hot=True)
    model = MLP(64, [30, 10], "sigmoid", "sigmoid", seed=0)
    start = time.perf_counter()
    fit(model, X_train, y_train, "binary_cross_entropy", SGD(model.parameters(), lr=0.5), 30, 10, progress=False)
    elapsed = time.perf_counter() - start
    accuracy = float(np.mean(np.argmax(predict(model, X_test), axis=1) == np.argmax(y_test, axis=1)))
    return elapsed, accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of about a second per engine (default 5)")
    parser.add_argument("--scalar-limit", type=float, default=2.0, help="longest scalar step to time, in s")
    parser.add_argument("--quick", action="store_true", help="smaller growth table (batches up to 1,000)")
    args = parser.parse_args()

    batches = [10, 100, 1_000] if args.quick else [10, 100, 1_000, 10_000]
    growth = growth_table(batches, [16, 64, 256], args.scalar_limit)  # first: see growth_table

    X, y = two_moons(100)
    worst = check_first_gradients(X, y)
    steps = {
        "micrograd 0.1.0": lambda k: demo_step(micro, MicroValue, X, y, k),
        "autograd-tiny, scalar dot": lambda k: demo_step(dot_model, at.Value, X, y, k, total=at.sum),
        "autograd-tiny, vectorize": VectorizedStep(DEMO, X, y),
        "NumPy, the four equations": NumpyStep(DEMO, X, y),
    }
    micro, dot_model = BinaryMLP(MicroValue, DEMO), DotMLP(at.Value, DEMO)
    for step in steps.values():
        step(0)
    rates = interleaved_rates(steps, args.rounds)
    vectorized = rates["autograd-tiny, vectorize"]

    print(f"micrograd demo step (MLP 2-16-16-1 ReLU, 100 moons, hinge + 1e-4 L2, SGD), {args.rounds} rounds")
    print(f"first-step gradients of all four engines agree to {worst:.1e} (relative to the largest)")
    rows = []
    for name, engine_rates in rates.items():
        ratio = statistics.median(v / r for v, r in zip(vectorized, engine_rates))
        rows.append(
            (
                name,
                f"{statistics.median(engine_rates):,.0f}",
                f"{1e3 / statistics.median(engine_rates):.3f}",
                f"{ratio:.2f}x" if ratio >= 1 else f"1/{1 / ratio:.2f}",
            )
        )
    print(Table.of(("engine", "steps/s", "ms/step", "vectorize's speed relative"), rows).text())
    print()

    print("time per step as the batch and the width grow (scalar dot timed up to --scalar-limit, then estimated)")
    print(growth)
    print()

    index_bytes, recorded_bytes = plan_memory(X, y)
    print(
        f"plan of the demo model: {index_bytes:,} bytes of index arrays; {recorded_bytes:,} bytes allocated while "
        "recording and planning (tracemalloc, the recorded nodes kept for explain() included)"
    )
    print()
    elapsed, accuracy = digits_run()
    print(
        f"digits (64-30-10 sigmoid, binary cross-entropy, SGD lr 0.5, batches of 10, 30 epochs, 1,348 train / "
        f"449 test): fit {elapsed:.2f} s, test accuracy {accuracy:.1%}"
    )


if __name__ == "__main__":
    main()
