"""``autograd-tiny gpt``: train microgpt's GPT on the names, sample names, check δ, draw one position's graph.

(Named ``gpt_demo`` so that no two modules of the project share a name: ``nn/gpt.py`` is the model.)"""

from __future__ import annotations

import argparse
import io
import random
import sys
from pathlib import Path

from tqdm import tqdm

from autograd_tiny.atomic import write_atomic
from autograd_tiny.nn import GPT, CharTokenizer, History, check_gpt_backprop, datasets, train_gpt
from autograd_tiny.viz import backward_explorer, draw_graph, save_svg

from .arguments import counted, output_folder, positive_float, positive_int, random_seed
from .errors import Failure, UsageError

EXAMPLE = "example: autograd-tiny gpt --steps 1000 --out gpt-out"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gpt",
        help="train microgpt's GPT on 32,033 names, sample names, check δ, draw one position's graph",
        description="Train a GPT built from Values (microgpt's architecture) on makemore's names, one name per "
        "step with Adam, printing the loss every so often; then sample names, check the graph's δ against "
        "the formulas in NumPy on one name, and write the drawings of one position's graph.",
        epilog=EXAMPLE,
    )
    parser.add_argument("--steps", type=positive_int, default=1000, help="training steps, one name each (default 1000)")
    parser.add_argument("--n-embd", type=positive_int, default=16, help="embedding width (default 16)")
    parser.add_argument("--n-layer", type=positive_int, default=1, help="transformer layers (default 1)")
    parser.add_argument("--n-head", type=positive_int, default=4, help="attention heads (default 4)")
    parser.add_argument("--block-size", type=positive_int, default=16, help="longest context (default 16)")
    parser.add_argument(
        "--seed", type=random_seed, default=42, help="seed for the shuffle, weights and samples (default 42)"
    )
    parser.add_argument("--samples", type=positive_int, default=10, help="names to sample (default 10)")
    parser.add_argument("--temperature", type=positive_float, default=0.5, help="sampling temperature (default 0.5)")
    parser.add_argument("--out", type=Path, default=Path("gpt-out"), help="output folder (default ./gpt-out)")
    parser.add_argument("--engine", choices=("auto", "vectorized", "scalar"), default="auto",
                        help="train_gpt's engine: the replay of the graph with NumPy (auto, vectorized) or a graph "
                        "of Values per step (scalar); the same losses (default auto)")  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.n_embd % args.n_head:
        raise UsageError(f"--n-embd {args.n_embd} must be a multiple of --n-head {args.n_head}")
    out = output_folder(args.out)
    names = datasets.names()
    tokenizer = CharTokenizer(names)
    random.Random(args.seed).shuffle(names)  # as microgpt shuffles its documents
    documents = [tokenizer.encode(name) for name in names]
    model = GPT(tokenizer.vocab_size, n_layer=args.n_layer, n_embd=args.n_embd, n_head=args.n_head,
                block_size=args.block_size, seed=args.seed)  # fmt: skip
    progress = not args.quiet and sys.stderr.isatty()
    every = max(1, args.steps // 10)

    sizes = f"n_layer {args.n_layer}, n_embd {args.n_embd}, n_head {args.n_head}, block_size {args.block_size}"
    print(f"1. Training a GPT of {len(model.parameters()):,} parameters ({sizes}) on {len(names):,} names,")
    how = "a graph of Values per step" if args.engine == "scalar" else "the replay of its graph with NumPy"
    print(f"   one name per step, for {counted(args.steps, 'step')} (engine {args.engine}: {how})")

    def report(step: int, loss: float) -> None:
        if (step + 1) % every == 0 or step == 0:
            tqdm.write(f"   step {step + 1:>{len(str(args.steps))}}/{args.steps}  loss {loss:.4f}")

    history = train_gpt(model, documents, steps=args.steps, engine=args.engine, progress=progress, on_step=report)
    tail = history.loss[-min(50, len(history.loss)) :]
    mean = sum(tail) / len(tail)
    print(f"   mean loss over the last {counted(len(tail), 'step')}: {mean:.4f} (from {history.loss[0]:.4f})")

    print(f"\n2. {counted(args.samples, 'name')} sampled at temperature {args.temperature}:")
    for name in model.sample(args.samples, temperature=args.temperature, seed=args.seed, tokenizer=tokenizer):
        print(f"   {name or '(empty: BOS came first)'}")

    name = names[0]
    print(f"\n3. δ from the graph against δ by hand in NumPy, on {name!r}")
    check = check_gpt_backprop(model, tokenizer.encode(name))
    print("\n".join("   " + line for line in str(check).splitlines()))

    print(f"\n4. Figures, in {out}")
    for path in _write_figures(out, model, tokenizer.encode(name), history):
        print(f"   wrote {path}")
    if not check:
        raise Failure("check_gpt_backprop found a difference between the graph and the formulas (see the table)")
    return 0


def _write_figures(out: Path, model: GPT, tokens: list[int], history: History) -> list[Path]:
    """One position's graph (position 1: it attends to two positions) as an explorer played block by block
    and as a drawing, one head of it, and the loss curve."""
    model.zero_grad()
    trace = model.trace(tokens)
    position = min(1, trace.n_positions - 1)
    explorer = backward_explorer(trace.loss, out / "backward.html", model=model, trace=trace, position=position)
    trace.loss.backward()
    written = [
        explorer,
        save_svg(draw_graph(trace.loss, position=position, max_nodes=5000), out / "position.svg"),
        save_svg(draw_graph(trace.loss, position=position, block="attention", layer=0, head=0), out / "head.svg"),
    ]
    try:  # matplotlib is optional (the [demo] extra)
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("   (matplotlib is not installed: no loss curve; pip install 'autograd-tiny[demo]')")
        return written
    figure, axes = plt.subplots(figsize=(5, 3.2))
    axes.plot(range(1, len(history.loss) + 1), history.loss, color="#b2abd2", linewidth=0.6, label="per step")
    window = max(1, len(history.loss) // 20)
    if len(history.loss) >= window:
        smooth = [sum(history.loss[i - window : i]) / window for i in range(window, len(history.loss) + 1)]
        axes.plot(range(window, len(history.loss) + 1), smooth, color="#5e3c99", label=f"mean of {window}")
    axes.set(xlabel="step (one name each)", ylabel="cost", title="GPT training loss")
    axes.legend()
    axes.grid(alpha=0.3)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    written.append(write_atomic(out / "loss.png", buffer.getvalue()))
    return written
