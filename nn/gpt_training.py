"""``train_gpt``: microgpt's training loop for ``GPT``, one document per step, with its Adam."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from tqdm import tqdm  # plain text bars: tqdm.auto warns in notebooks without ipywidgets

from .batched_training import check_engine
from .gpt import GPT
from .optim import Adam
from .train import History
from .validate import check_positive_int


def train_gpt(
    model: GPT,
    documents: Sequence[Sequence[int]],
    *,
    steps: int,
    lr: float = 0.01,
    betas: tuple[float, float] = (0.85, 0.99),
    eps: float = 1e-8,
    engine: str = "scalar",
    progress: bool = True,
    on_step: Callable[[int, float], None] | None = None,
) -> History:
    """Train ``model`` as microgpt does: step s reads ``documents[s % len(documents)]`` (token lists,
    for example ``CharTokenizer.encode``'s), builds its cost ``model.loss(tokens)``, runs backward and
    takes one Adam step (bias-corrected, ε outside the square root) with a learning rate decaying
    linearly from ``lr`` to 0: lrₛ = lr · (1 − s/steps).

    Returns a ``History`` whose ``loss`` lists each step's cost (before its update). ``progress=False``
    hides the bar; ``on_step(step, loss)`` is called after each step (to print or record).
    ``engine``: only ``"scalar"`` (a graph of Values per step) exists so far; ``"vectorized"`` and
    ``"auto"`` are refused with a ValueError until the replay of sequences lands.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"train_gpt needs an autograd_tiny.nn.GPT, got {type(model).__name__}")
    check_engine(engine)
    if engine != "scalar":
        raise ValueError(
            f"engine={engine!r}: train_gpt has only the scalar engine for now (engine='scalar'); "
            f"the vectorized replay of a GPT's graph is not available yet"
        )
    check_positive_int(steps, "steps")
    if isinstance(documents, str) or not isinstance(documents, Sequence) or not documents:
        raise ValueError("documents must be a non-empty list of token lists (e.g. [tokenizer.encode(name), …])")
    for i, document in enumerate(documents):
        try:
            model._check_tokens(document)
        except (TypeError, ValueError) as err:
            raise type(err)(f"documents[{i}]: {err}") from None
    optimizer = Adam(model.parameters(), lr=lr, betas=betas, eps=eps)
    history = History(unit="step")
    bar = tqdm(range(steps), desc="training", unit="step", disable=not progress, leave=True)
    with _cycle_collector_paused():
        for step in bar:
            loss = model.loss(documents[step % len(documents)])
            optimizer.zero_grad()
            loss.backward()
            optimizer.lr = lr * (1.0 - step / steps)
            optimizer.step()
            history.loss.append(loss.data)
            history.accuracy.append(None)
            bar.set_postfix(loss=f"{loss.data:.4f}")
            if on_step is not None:
                on_step(step, loss.data)
    return history


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A graph of Values holds no reference cycles (reference counting frees it when dropped), so
    Python's cycle collector finds nothing in it; paused, it no longer rescans the thousands of
    nodes each step creates (a quarter of a step's time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


__all__ = ["train_gpt"]
