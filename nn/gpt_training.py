"""``train_gpt``: microgpt's training loop for ``GPT``, one document per step, with its Adam; each
step's cost and gradient from the replay of the GPT's graph (``vectorize_sequences``) or from a
graph of Values."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from tqdm import tqdm  # plain text bars: tqdm.auto warns in notebooks without ipywidgets

import autograd_tiny as at

from .batched_training import check_engine
from .gpt import GPT
from .optim import Adam
from .train import History
from .validate import check_positive_int, is_token_id


def train_gpt(
    model: GPT,
    documents: Sequence[Sequence[int]],
    *,
    steps: int,
    lr: float = 0.01,
    betas: tuple[float, float] = (0.85, 0.99),
    eps: float = 1e-8,
    engine: str = "auto",
    batch_size: int = 1,
    progress: bool = True,
    on_step: Callable[[int, float], None] | None = None,
) -> History:
    """Train ``model`` as microgpt does: step s reads ``documents[s % len(documents)]`` (token lists,
    for example ``CharTokenizer.encode``'s), computes its cost ``model.loss(tokens)`` and its gradient
    and takes one Adam step (bias-corrected, ε outside the square root) with a learning rate decaying
    linearly from ``lr`` to 0: lrₛ = lr · (1 − s/steps).

    ``engine``: ``"auto"`` (the default) and ``"vectorized"`` replay the GPT's graph with NumPy
    (``vectorize_sequences``: one recording at the block size, a plan per document length), ``"scalar"``
    builds each step's graph of Values. They give the same losses (to 1e-10 relative over 100
    steps); at microgpt's size the replay is about 7× faster (``bench/bench_gpt.py``). ``"auto"``
    falls back to the scalar engine for a model whose graph depends on its numbers (a subclass that
    reads a token's number with ``int(token)`` or ``.data``); ``"vectorized"`` then fails with a
    ValueError naming the line.

    ``batch_size`` > 1 trains on that many documents per step (step s reads documents s·B … s·B + B − 1,
    cyclically) and minimises their mean cost: a different training from microgpt's one name per step,
    with a less noisy gradient and B times the work per step.

    Returns a ``History`` whose ``loss`` lists each step's cost (before its update). ``progress=False``
    hides the bar; ``on_step(step, loss)`` is called after each step (to print or record). With the
    replay the parameters live in an array during training and are written back to the model's
    Values at the end (and before each ``on_step`` call).
    """
    if not isinstance(model, GPT):
        raise TypeError(f"train_gpt needs an autograd_tiny.nn.GPT, got {type(model).__name__}")
    check_engine(engine)
    check_positive_int(steps, "steps")
    check_positive_int(batch_size, "batch_size")
    if on_step is not None and not callable(on_step):
        raise TypeError(f"on_step must be a function on_step(step, loss) or None, got {type(on_step).__name__}")
    optimizer = Adam(model.parameters(), lr=lr, betas=betas, eps=eps)  # checks lr, betas, eps before any step
    if isinstance(documents, str) or not isinstance(documents, Sequence) or not documents:
        raise ValueError("documents must be a non-empty list of token lists (e.g. [tokenizer.encode(name), …])")
    if is_token_id(documents[0]):
        raise TypeError(
            f"documents must be a list of token lists, got one token list {documents!r:.60}: "
            f"pass [tokens] to train on one document"
        )
    checked = []
    for i, document in enumerate(documents):
        try:
            checked.append(model._check_tokens(document))
        except (TypeError, ValueError) as err:
            raise type(err)(f"documents[{i}]: {err}") from None
    step_cost = _ScalarStep(model, optimizer) if engine == "scalar" else _ReplayStep(model, optimizer, engine)
    history = History(unit="step")
    bar = tqdm(range(steps), desc="training", unit="step", disable=not progress, leave=True)
    with _cycle_collector_paused():
        for step in bar:
            batch = [checked[(step * batch_size + i) % len(checked)] for i in range(batch_size)]
            optimizer.lr = lr * (1.0 - step / steps)
            loss = step_cost(batch)
            history.loss.append(loss)
            history.accuracy.append(None)
            bar.set_postfix(loss=f"{loss:.4f}")
            if on_step is not None:
                step_cost.write_back()
                on_step(step, loss)
    step_cost.write_back()
    return history


class _ScalarStep:
    """One step with the scalar engine: the batch's mean cost as a graph of Values, backward, Adam."""

    def __init__(self, model: GPT, optimizer: Adam) -> None:
        self.model, self.optimizer = model, optimizer

    def __call__(self, batch: list[list[int]]) -> float:
        losses = [self.model.loss(tokens) for tokens in batch]
        loss = losses[0] if len(losses) == 1 else at.sum(losses) * (1.0 / len(losses))
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.data

    def write_back(self) -> None:
        """Nothing to do: the scalar engine updates the Values themselves."""


class _ReplayStep:
    """One step through the replay: the parameters as an array, the gradient from ``vectorize_sequences``."""

    def __init__(self, model: GPT, optimizer: Adam, engine: str) -> None:
        self.model, self.optimizer, self.engine = model, optimizer, engine
        self.replay = at.vectorize_sequences(
            lambda tokens: model.trace(tokens).position_losses, optimizer.params, max_positions=model.block_size
        )
        self.numbers = optimizer.gather()[0]
        self.scalar: _ScalarStep | None = None

    def __call__(self, batch: list[list[int]]) -> float:
        if self.scalar is not None:
            return self.scalar(batch)
        try:
            loss, g = self.replay.value_and_grad(batch, self.numbers)
        except at.DataDependentGraphError as err:
            if self.engine == "vectorized":
                raise ValueError(
                    f"train_gpt(engine='vectorized') cannot replay this model (engine='scalar' or 'auto' can): {err}"
                ) from None
            self.write_back()
            self.scalar = _ScalarStep(self.model, self.optimizer)  # engine="auto": the scalar engine from here
            return self.scalar(batch)
        self.numbers = self.optimizer.update(self.numbers, g)
        return loss

    def write_back(self) -> None:
        if self.scalar is None:
            self.optimizer.write_back(self.numbers)


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
