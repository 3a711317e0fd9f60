"""``autograd-tiny train``: train an MLP on a toy data set, recording it, and write the page that replays it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from autograd_tiny.nn import ACTIVATIONS, MLP, SGD, Adam, fit
from autograd_tiny.nn.losses import ALIASES, LOSSES, get_loss
from autograd_tiny.viz import training_explorer

from .arguments import counted, int_at_least, output_folder, positive_float, positive_int, random_seed
from .errors import Failure, UsageError
from .toy_data import DATASETS, MIN_SAMPLES

EXAMPLE = (
    "example: autograd-tiny train --dataset spiral --hidden 16,16 --activation tanh "
    "--loss binary_cross_entropy --epochs 500 --record 5 --out spiral.html"
)
OPTIMIZERS = {"adam": Adam, "sgd": SGD}
sample_count = int_at_least(MIN_SAMPLES, " (a point of each class)")  # an argparse type, as layer_sizes


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train an MLP on a toy data set and write the page that replays the run, δ in every neuron",
        description="Train an MLP on a toy data set with fit(..., record=K) and write training_explorer's "
        "page: the network with z, a and δ = ∂C/∂z in every neuron, the decision boundary, the cost, "
        "accuracy and ‖δˡ‖ per layer, epoch by epoch, in one self-contained HTML file.",
        epilog=EXAMPLE,
    )
    parser.add_argument("--dataset", choices=list(DATASETS), default="moons", help="default: moons")
    parser.add_argument("--samples", type=sample_count, default=200, help="training points (default 200)")
    parser.add_argument("--hidden", type=layer_sizes, default=[8, 8], help="hidden layer sizes (default 8,8)")
    parser.add_argument("--activation", choices=[a for a in ACTIVATIONS if a != "linear"], default="tanh",
                        help="of the hidden layers (default tanh)")  # fmt: skip
    parser.add_argument("--loss", choices=[*LOSSES, *ALIASES], default="binary_cross_entropy",
                        help="the cost, by its name in nn.losses or an old spelling (cross_entropy); it sets the "
                        "output layer (default binary_cross_entropy, sigmoid)")  # fmt: skip
    parser.add_argument("--optimizer", choices=list(OPTIMIZERS), default="adam", help="default: adam")
    parser.add_argument("--lr", type=positive_float, default=0.03, help="learning rate (default 0.03)")
    parser.add_argument("--epochs", type=positive_int, default=200, help="training epochs (default 200)")
    parser.add_argument("--record", type=positive_int, default=1, help="record every K-th epoch (default 1)")
    parser.add_argument("--seed", type=random_seed, default=0, help="seed for data and weights (default 0)")
    parser.add_argument("--out", type=Path, default=Path("training.html"), help="the page (default training.html)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def layer_sizes(text: str) -> list[int]:
    """An argparse type: comma-separated positive integers, 8,8."""
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected layer sizes like 8,8 (positive integers), got {text!r}")
    return sizes


def run(args: argparse.Namespace) -> int:
    if args.out.is_dir():
        raise UsageError(f"--out {args.out}: is a folder; give the name of the HTML file to write")
    output_folder(args.out.parent, given=args.out)  # before training, not after it
    loss = get_loss(args.loss)  # the one resolver of names and aliases
    X, y = DATASETS[args.dataset](args.samples, args.seed, loss.target_kind == "signed")
    outputs = 1
    if loss.target_kind == "index":  # one output per class, the class index as the target
        y, outputs = y.astype(int), int(y.max()) + 1
    sizes = [*args.hidden, outputs]
    model = MLP(2, sizes, activation=args.activation, output_activation=loss.output_activation, seed=args.seed)
    shape = "-".join(map(str, model.sizes))
    print(
        f"Training an MLP {shape} ({args.activation}, output {loss.output_activation}, {loss.name}) on "
        f"{args.dataset} ({len(X)} points) for {counted(args.epochs, 'epoch')}, recording every {args.record}"
    )
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), lr=args.lr)
    progress = not args.quiet and sys.stdout.isatty()
    history = fit(model, X, y, loss, optimizer, epochs=args.epochs, record=args.record, progress=progress)
    accuracy = "" if history.accuracy[-1] is None else f", training accuracy {history.accuracy[-1]:.1%}"
    print(f"final cost {history.loss[-1]:.4f}{accuracy}")
    title = f"Training, watched: {shape} {args.activation} on {args.dataset}, {loss.name}"
    path = training_explorer(history, args.out, title=title)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {len(history.recording.snapshots)} recorded epochs)")
    if not np.isfinite(history.loss[-1]):
        raise Failure(f"the cost is {history.loss[-1]} after training: lower --lr")
    return 0
