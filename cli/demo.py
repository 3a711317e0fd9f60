"""``autograd-tiny demo``: train a small MLP, check δ against the four equations, write the figures."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np

from autograd_tiny.atomic import write_atomic
from autograd_tiny.modes import no_grad
from autograd_tiny.nn import MLP, Adam, History, Loss, check_backprop, fit, losses, predict
from autograd_tiny.viz import backward_explorer, draw_graph, draw_network, save_svg, training_explorer

from .arguments import counted, output_folder, positive_int, random_seed
from .errors import Failure
from .toy_data import DATASETS

EXAMPLE = "example: autograd-tiny demo --dataset moons --epochs 100 --out demo-out"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="train a small MLP, check δ against the backprop equations, write the figures",
        description="Train an MLP on a toy data set, check every layer's δ against the four backprop "
        "equations, and write the computation graph, network diagram, loss curve, decision boundary, "
        "two step-by-step explorers of the backward pass and the replay of the training run (HTML).",
        epilog=EXAMPLE,
    )
    parser.add_argument("--dataset", choices=list(DATASETS), default="moons", help="default: moons")
    parser.add_argument("--epochs", type=positive_int, default=100, help="training epochs (default 100)")
    parser.add_argument("--seed", type=random_seed, default=0, help="seed for data and weights (default 0)")
    parser.add_argument("--out", type=Path, default=Path("demo-out"), help="output folder (default ./demo-out)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = output_folder(args.out)
    X, y = DATASETS[args.dataset](100, args.seed, False)
    loss = losses.binary_cross_entropy_with_logits
    progress = not args.quiet and sys.stdout.isatty()

    epochs = counted(args.epochs, "epoch")
    print(f"1. Training an MLP 2-16-16-1 (tanh) on {args.dataset} ({len(X)} points) for {epochs}")
    model = MLP(2, [16, 16, 1], activation="tanh", seed=args.seed)
    optimizer = Adam(model.parameters(), lr=0.05)
    history = fit(model, X, y, loss, optimizer, epochs=args.epochs, progress=progress, record=1)
    print(f"   final loss {history.loss[-1]:.4f}, training accuracy {history.accuracy[-1]:.1%}")

    print("\n2. δ from the graph (z.grad after backward) against δ from the four equations, on 8 samples")
    report = check_backprop(model, X[:8], y[:8], loss)
    print(_indent(str(report)))
    hardest = _hardest_sample(model, X, y, loss)
    print("\n   Each neuron's δ where the trained network is most wrong, so that δ is large enough to read:")
    single = check_backprop(model, X[[hardest]], y[[hardest]], loss)
    print(_indent(single.delta_table(name=f"the hardest training sample, #{hardest} (largest cost after training)")))

    print(f"\n3. Figures, in {out}")
    written = [*_write_graph_figures(out, X, y, args, loss), *_write_network_figures(out, model, X, y, loss)]
    written += _write_plots(out, model, X, y, history)
    title = f"Training, watched: 2-16-16-1 on {args.dataset}"
    written.append(training_explorer(history, out / "training.html", title=title))
    for path in written:
        print(f"   wrote {path}")
    if not report:
        raise Failure("check_backprop found a difference between the graph and the equations (see the table)")
    return 0 if np.isfinite(history.loss[-1]) else 1


def _write_graph_figures(out: Path, X: np.ndarray, y: np.ndarray, args: argparse.Namespace, loss: Loss) -> list[Path]:
    """One sample's cost through a small 2-3-1 network, every node readable, δ at each z:
    the static graph and the step-by-step explorer of its backward pass."""
    small = MLP(2, [3, 1], activation="tanh", seed=args.seed)
    fit(small, X, y, loss, Adam(small.parameters(), lr=0.05), epochs=min(args.epochs, 50), progress=False)
    trace = small.trace(X[0])
    cost = loss(trace.output, y[0])
    cost.label = "C"
    explorer = backward_explorer(cost, out / "backward.html")  # before backward: it replays the pass itself
    cost.backward()
    return [save_svg(draw_graph(cost), out / "graph.svg"), explorer]


def _hardest_sample(model: MLP, X: np.ndarray, y: np.ndarray, loss: Loss) -> int:
    """The index of the sample with the largest cost: where δ is largest."""
    with no_grad():
        costs = [loss(model(x), target).data for x, target in zip(X, y)]
    return costs.index(max(costs))


def _write_network_figures(out: Path, model: MLP, X: np.ndarray, y: np.ndarray, loss: Loss) -> list[Path]:
    """The trained network on its hardest sample (the largest cost), where δ is largest."""
    hardest = _hardest_sample(model, X, y, loss)
    model.zero_grad()
    trace = model.trace(X[hardest])
    cost = loss(trace.output, y[hardest])
    explorer = backward_explorer(cost, out / "backward-layers.html", model=model, trace=trace)
    cost.backward()
    return [save_svg(draw_network(model, trace), out / "network.svg"), explorer]


def _write_plots(out: Path, model: MLP, X: np.ndarray, y: np.ndarray, history: History) -> list[Path]:
    try:  # matplotlib is an optional dependency (the [demo] extra): imported only here, when present
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("   (matplotlib is not installed: no loss curve or decision boundary; pip install 'autograd-tiny[demo]')")
        return []

    def save(figure, name: str) -> Path:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        plt.close(figure)
        return write_atomic(out / name, buffer.getvalue())

    figure, axes = plt.subplots(figsize=(5, 3.2))
    axes.plot(range(1, len(history.loss) + 1), history.loss, color="#5e3c99")
    axes.set(xlabel="epoch", ylabel="mean cost", yscale="log", title="training loss")
    axes.grid(alpha=0.3)
    written = [save(figure, "loss.png")]

    pad = 0.5
    (x0, x1), (y0, y1) = (X[:, 0].min() - pad, X[:, 0].max() + pad), (X[:, 1].min() - pad, X[:, 1].max() + pad)
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 60))
    scores = predict(model, np.column_stack([grid_x.ravel(), grid_y.ravel()]))[:, 0].reshape(grid_x.shape)
    figure, axes = plt.subplots(figsize=(5, 4))
    axes.contourf(grid_x, grid_y, scores > 0, levels=[-0.5, 0.5, 1.5], colors=["#d8d4ea", "#fde0bb"])
    axes.contour(grid_x, grid_y, scores, levels=[0.0], colors="#333333", linewidths=1)
    for label, colour, marker in ((0.0, "#5e3c99", "o"), (1.0, "#e66101", "s")):
        axes.scatter(*X[y == label].T, c=colour, marker=marker, s=18, edgecolors="white", linewidths=0.4)
    axes.set(title="decision boundary (z = 0)", xlabel="x[0]", ylabel="x[1]")
    written.append(save(figure, "decision_boundary.png"))
    return written


def _indent(text: str) -> str:
    return "\n".join("   " + line for line in text.splitlines())
