"""``autograd-tiny check-backprop FILE.py[:NAME] --sizes 2,3,1``: diagnose a learner's own backprop.

A command module: ``register(subparsers)`` adds the subcommand, ``run(args)`` runs it and
returns the exit status (0 right, 1 wrong, 2 when the learner's code cannot be used).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import sys
from pathlib import Path
from typing import Any

from autograd_tiny.nn import diagnose_backprop
from autograd_tiny.nn.diagnose import DIAGNOSED_LOSSES
from autograd_tiny.nn.losses import ALIASES

from .arguments import random_seed
from .errors import UsageError

EXAMPLE = "example: autograd-tiny check-backprop network.py:Network --sizes 2,3,3,1"
LOSSES = (*DIAGNOSED_LOSSES, *ALIASES)  # nn.losses' names (and their old spellings) that the diagnosis knows


class UnusableCode(UsageError):
    """The learner's file, name or object is not what the command needs: exit status 2."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check-backprop",
        help="check your own backprop(x, y) equation by equation (BP1–BP4) and name the mistake",
        description="Import YOUR module (this runs your code, as `python FILE.py` would, so only point it at "
        "code you trust), build NAME(sizes) (a class such as Nielsen's Network, with weights, biases and "
        "backprop(x, y)) or use NAME as a backprop(x, y) function (then the module must define `weights` and "
        "`biases`), and compare its gradients with the graph's from the output backwards: which of BP1–BP4 "
        "fails first, in which layer, and which classic mistake gives exactly your numbers. "
        "Exit status: 0 right, 1 wrong, 2 when the file or name cannot be used.",
        epilog=EXAMPLE,
    )
    parser.add_argument(
        "target", metavar="FILE.py[:NAME]", help="your module, and the class or function (default Network)"
    )
    parser.add_argument("--sizes", type=_sizes, help="layer sizes for NAME(sizes), e.g. 2,3,3,1 (needed for a class)")
    parser.add_argument(
        "--activation",
        default="sigmoid",
        help="sigmoid, tanh, relu or linear; or one per layer, comma-separated (default sigmoid)",
    )
    parser.add_argument("--loss", choices=LOSSES, default="quadratic", help="default: quadratic")
    parser.add_argument("--seed", type=random_seed, default=0, help="seed for the random samples (default 0)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    network, options = _learner(args)  # UnusableCode is a UsageError: main prints it and exits with 2
    activation = args.activation.split(",") if "," in args.activation else args.activation
    try:
        diagnosis = diagnose_backprop(network, activation=activation, loss=args.loss, seed=args.seed, **options)
    except (TypeError, ValueError) as err:
        raise UsageError(str(err)) from None
    print(diagnosis)
    return 0 if diagnosis else 1


def _learner(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    path_text, _, name = args.target.partition(":")
    name = name or "Network"
    module = _import(Path(path_text))
    if not hasattr(module, name):
        raise UnusableCode(f"{path_text} defines no {name!r}: expected a class like Network or a backprop function")
    obj = getattr(module, name)
    if inspect.isclass(obj):
        if args.sizes is None:
            raise UnusableCode(f"{name} is a class: give --sizes (e.g. --sizes 2,3,1) to build {name}(sizes)")
        try:
            network = obj(args.sizes)
        except Exception as err:  # the learner's constructor
            raise UnusableCode(f"{name}({args.sizes}) raised {type(err).__name__}: {err}") from None
        if not callable(getattr(network, "backprop", None)):
            raise UnusableCode(f"{name}({args.sizes}) has no backprop method: expected backprop(x, y)")
        return network, {}
    if callable(obj):
        weights, biases = getattr(module, "weights", None), getattr(module, "biases", None)
        if weights is None or biases is None:
            raise UnusableCode(f"{name} is a function: {path_text} must also define `weights` and `biases`")
        return obj, {"weights": weights, "biases": biases}
    raise UnusableCode(f"{name} is a {type(obj).__name__}: expected a class with backprop(x, y) or a function")


def _import(path: Path) -> Any:
    """Import the learner's file as a module, with its folder on sys.path (for its own imports)."""
    if not path.is_file():
        raise UnusableCode(f"{path} is not a file: expected FILE.py[:NAME]")
    spec = importlib.util.spec_from_file_location(f"_learner_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise UnusableCode(f"cannot import {path}: expected a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.resolve().parent))
    try:
        spec.loader.exec_module(module)
    except BaseException as err:  # their module: a SyntaxError, an ImportError, even sys.exit()
        if isinstance(err, KeyboardInterrupt):
            raise
        raise UnusableCode(f"cannot import {path}: {type(err).__name__}: {err}") from None
    finally:
        sys.path.remove(str(path.resolve().parent))
    return module


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected layer sizes like 2,3,1, got {text!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected at least two positive layer sizes like 2,3,1, got {text!r}")
    return sizes
