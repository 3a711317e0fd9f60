"""The ``autograd-tiny`` command line: ``demo``, ``draw`` and ``gradcheck``.

Usage errors exit with 2, failures with 1; messages go to stderr, without a traceback.
The commands use only the library's public API.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, check_backprop_command

EXAMPLES = {
    "demo": "example: autograd-tiny demo --dataset moons --epochs 100 --out demo-out",
    "draw": 'example: autograd-tiny draw "tanh(w*x + b)" --var w=-3 --var x=2 --var b=6.88 -o n.svg --html n.html',
    "gradcheck": "example: autograd-tiny gradcheck --quick",
}


class UsageError(Exception):
    """Bad input from the user: exit status 2."""


class Failure(Exception):
    """Something the command could not do: exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-tiny",
        description="See and verify backpropagation with a scalar autodiff engine.",
        epilog="\n".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="train a small MLP, check δ against the backprop equations, write the figures",
        description="Train an MLP on a toy data set, check every layer's δ against the four backprop "
        "equations, and write the computation graph, network diagram, loss curve, decision boundary and "
        "two step-by-step explorers of the backward pass (HTML).",
        epilog=EXAMPLES["demo"],
    )
    demo.add_argument("--dataset", choices=["moons", "xor", "circles"], default="moons", help="default: moons")
    demo.add_argument("--epochs", type=_positive_int, default=100, help="training epochs (default 100)")
    demo.add_argument("--seed", type=int, default=0, help="seed for data and weights (default 0)")
    demo.add_argument("--out", type=Path, default=Path("demo-out"), help="output folder (default ./demo-out)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(run=run_demo)

    draw = commands.add_parser(
        "draw",
        help="draw the graph of a formula after backward, and print each variable's gradient",
        description="Build the graph of a formula (numbers, variables, + - * / **, parentheses, "
        "exp log tanh sigmoid relu), run backward from it, print every variable's value and gradient, "
        "and write the graph as SVG.",
        epilog=EXAMPLES["draw"],
    )
    draw.add_argument("expression", metavar="EXPR", help='a formula, e.g. "tanh(w*x + b)"')
    draw.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="a variable's value")
    draw.add_argument("-o", "--output", type=Path, default=Path("expression.svg"), help="default: expression.svg")
    draw.add_argument("--local-grads", action="store_true", help="label edges with local derivatives ∂out/∂in")
    draw.add_argument("--html", type=Path, metavar="FILE", help="also write the step-by-step backward explorer")
    draw.set_defaults(run=run_draw)

    check = commands.add_parser(
        "gradcheck",
        help="run the built-in gradient-check suite",
        description="Check every engine operation and random expression graphs against finite "
        "differences, and MLPs with every activation and cost against the four backprop equations.",
        epilog=EXAMPLES["gradcheck"],
    )
    check.add_argument("--quick", action="store_true", help="a smaller suite that runs in a second or so")
    check.set_defaults(run=run_gradcheck)

    check_backprop_command.register(commands)
    commands.choices["check-backprop"].set_defaults(run=check_backprop_command.run)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


# --- demo -------------------------------------------------------------------------------
def run_demo(args: argparse.Namespace) -> int:
    import numpy as np

    from .nn import MLP, Adam, check_backprop, fit, losses

    out = _output_folder(args.out)
    X, y = _dataset(args.dataset, args.seed)
    loss = losses.binary_cross_entropy_with_logits
    progress = not args.quiet and sys.stdout.isatty()

    print(f"1. Training an MLP 2-16-16-1 (tanh) on {args.dataset} ({len(X)} points) for {args.epochs} epochs")
    model = MLP(2, [16, 16, 1], activation="tanh", seed=args.seed)
    history = fit(model, X, y, loss, Adam(model.parameters(), lr=0.05), epochs=args.epochs, progress=progress)
    print(f"   final loss {history.loss[-1]:.4f}, training accuracy {history.accuracy[-1]:.1%}")

    print("\n2. δ from the graph (z.grad after backward) against δ from the four equations, on 8 samples")
    report = check_backprop(model, X[:8], y[:8], loss)
    print(_indent(str(report)))
    print(_indent(report.delta_table(sample=0)))

    print(f"\n3. Figures, in {out}")
    written = [*_write_graph_figures(out, X, y, args, loss), *_write_network_figures(out, model, X, y, loss)]
    written += _write_plots(out, model, X, y, history)
    for path in written:
        print(f"   wrote {path}")
    if not report:
        raise Failure("check_backprop found a difference between the graph and the equations (see the table)")
    return 0 if np.isfinite(history.loss[-1]) else 1


def _dataset(name: str, seed: int):
    from .nn import datasets

    if name == "xor":
        return datasets.xor(n=100, noise=0.1, seed=seed)
    if name == "circles":
        return datasets.circles(n=100, seed=seed)
    return datasets.two_moons(n=100, seed=seed)


def _output_folder(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Failure(f"cannot create the output folder {path}: {err.strerror}") from None
    return path


def _write_graph_figures(out: Path, X, y, args, loss) -> list[Path]:
    """One sample's cost through a small 2-3-1 network, every node readable, δ at each z:
    the static graph and the step-by-step explorer of its backward pass."""
    from .nn import MLP, Adam, fit
    from .viz import backward_explorer, draw_graph, save_svg

    small = MLP(2, [3, 1], activation="tanh", seed=args.seed)
    fit(small, X, y, loss, Adam(small.parameters(), lr=0.05), epochs=min(args.epochs, 50), progress=False)
    trace = small.trace(X[0])
    cost = loss(trace.output, y[0])
    cost.label = "C"
    explorer = backward_explorer(cost, out / "backward.html")  # before backward: it replays the pass itself
    cost.backward()
    return [save_svg(draw_graph(cost), out / "graph.svg"), explorer]


def _write_network_figures(out: Path, model, X, y, loss) -> list[Path]:
    """The trained network on its hardest sample (the largest cost), where δ is largest."""
    from .modes import no_grad
    from .viz import backward_explorer, draw_network, save_svg

    with no_grad():
        costs = [loss(model(x), target).data for x, target in zip(X, y)]
    hardest = costs.index(max(costs))
    model.zero_grad()
    trace = model.trace(X[hardest])
    cost = loss(trace.output, y[hardest])
    explorer = backward_explorer(cost, out / "backward-layers.html", model=model, trace=trace)
    cost.backward()
    return [save_svg(draw_network(model, trace), out / "network.svg"), explorer]


def _write_plots(out: Path, model, X, y, history) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("   (matplotlib is not installed: no loss curve or decision boundary; pip install 'autograd-tiny[demo]')")
        return []
    import io

    import numpy as np

    from .atomic import write_atomic
    from .nn import predict

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


# --- draw -------------------------------------------------------------------------------
def run_draw(args: argparse.Namespace) -> int:
    from . import Value
    from .expression import ExpressionError, build, variable_names
    from .viz import draw_graph, save_svg

    values = _parse_vars(args.var)
    try:
        names = variable_names(args.expression)
        variables = {name: Value(values[name], name) for name in names if name in values}
        result = build(args.expression, variables)
    except ExpressionError as err:
        raise UsageError(str(err)) from None
    unused = sorted(set(values) - set(names))
    if unused:
        print(f"note: --var {', '.join(unused)} not used by the formula", file=sys.stderr)
    result.label = result.label or "f"
    if args.html is not None:
        from .viz import backward_explorer

        explorer = backward_explorer(result, args.html)
    result.backward()
    print(f"f = {args.expression} = {result.data:.10g}")
    print(f"{'variable':<10} {'value':>14} {'∂f/∂variable':>16}")
    for name in names:
        print(f"{name:<10} {variables[name].data:>14.10g} {variables[name].grad:>16.10g}")
    print(f"wrote {save_svg(draw_graph(result, show_local_grads=args.local_grads), args.output)}")
    if args.html is not None:
        print(f"wrote {explorer}")
    return 0


def _parse_vars(items: list[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise UsageError(f"--var {item!r}: expected NAME=VALUE, for example --var x=2.5")
        try:
            values[name] = float(text)
        except ValueError:
            raise UsageError(f"--var {item!r}: {text!r} is not a number") from None
    return values


# --- gradcheck --------------------------------------------------------------------------
def run_gradcheck(args: argparse.Namespace) -> int:
    from . import selfcheck

    results = selfcheck.run(quick=args.quick)
    print(selfcheck.table(results))
    return 0 if all(r.passed for r in results) else 1


def _indent(text: str) -> str:
    return "\n".join("   " + line for line in text.splitlines())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from .viz import GraphvizMissingError

    try:
        return args.run(args)
    except UsageError as err:
        print(f"autograd-tiny {args.command}: error: {err}", file=sys.stderr)
        return 2
    except (Failure, GraphvizMissingError) as err:
        print(f"autograd-tiny {args.command}: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"autograd-tiny {args.command}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"autograd-tiny {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
