"""Training: the batch's mean cost as one graph, ``fit`` (mini-batch training with a progress bar)
and ``predict``; and ``as_samples``, the check of a batch of inputs they and ``check_backprop`` share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm import tqdm  # plain text bars: tqdm.auto warns in notebooks without ipywidgets

import autograd_tiny as at

from . import batched_training, display
from .losses import Loss, get_loss, l2
from .module import MLP, Trace
from .optim import Optimizer
from .recording import Recorder, Recording
from .validate import check_finite, check_positive_int, random_generator


def as_samples(X: Any, nin: int) -> np.ndarray:
    """The batch of inputs as an (n, nin) float array, n ≥ 1 (a 1-D array is n samples when nin = 1),
    every entry finite (a ValueError names the first nan or inf, as ``X[2, 1]``)."""
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"X must be numbers: {err}") from None
    check_finite(X, "X")
    if X.ndim == 1 and nin == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] != nin or X.shape[0] == 0:
        raise ValueError(f"X has shape {X.shape}, expected (n_samples, {nin}) with n_samples ≥ 1")
    return X


def batch_cost(model: MLP, X: Any, Y: Any, loss: str | Loss) -> tuple[at.Value, list[Trace]]:
    """C = (1/n) Σ C(xᵢ, yᵢ) as one graph, with the trace of every sample's forward pass."""
    loss = get_loss(loss)
    X = as_samples(X, model.nin)
    targets = loss.prepare_targets(Y, len(X), model.sizes[-1])
    traces = [model.trace(x) for x in X]
    costs = [loss.cost(trace.output, target) for trace, target in zip(traces, targets)]  # targets checked above
    return at.sum(costs) * (1.0 / len(costs)), traces


@dataclass(repr=False)
class History:
    """Per epoch (``fit``) or per step (``train_gpt``; ``unit`` says which): the mean cost and, for
    classification costs, the training accuracy (both measured on the forward passes of that epoch,
    before each update). With ``fit(..., record=k)``, ``recording`` holds the weights after every
    k-th epoch (``autograd_tiny.viz.training_explorer`` replays it). In Jupyter it shows a small
    curve of the cost and a table."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)
    unit: str = "epoch"
    recording: Recording | None = None

    _repr_html_ = display.history_html

    def __repr__(self) -> str:
        if not self.loss:
            return f"History(no {self.unit}s)"
        accuracy = "" if self.accuracy[-1] is None else f", accuracy {self.accuracy[-1]:.1%}"
        recorded = "" if self.recording is None else f", {len(self.recording.snapshots)} recorded"
        return (
            f"History({len(self.loss)} {self.unit}s: cost {self.loss[0]:.4g} → {self.loss[-1]:.4g}{accuracy}{recorded})"
        )


def fit(
    model: MLP,
    X: Any,
    y: Any,
    loss: str | Loss,
    optimizer: Optimizer,
    epochs: int,
    batch_size: int | None = None,
    seed: int | None = 0,
    *,
    alpha: float = 0.0,
    progress: bool = True,
    engine: str = "auto",
    record: int | None = None,
    probe: int | Sequence[int] | None = None,
) -> History:
    """Train ``model`` on (X, y) for ``epochs`` passes over the data.

    Each epoch shuffles the samples (with ``seed``) into batches of ``batch_size`` (all at
    once when None); for each batch: zero the gradients, build the mean cost (+ α Σ p² when
    ``alpha`` > 0), backward, ``optimizer.step()``. ``progress=False`` hides the bar.

    ``engine``: ``"scalar"`` builds each sample's graph of Values; ``"vectorized"`` records the
    graph once and replays it over each batch with NumPy (``autograd_tiny.vectorize``);
    ``"auto"`` (default) is vectorized when the loss allows (``loss.vectorizable``).

    ``record=k`` keeps the initial weights and those after every k-th epoch and after the last
    in ``history.recording`` (a ``Recording``), each with the training cost and accuracy at those
    weights and each layer's mean ‖δˡ‖ over the ``probe`` samples: a number of training samples
    (default: up to 200, evenly spread over X) or a list of row indices of X.
    """
    check_positive_int(epochs, "epochs")
    if batch_size is not None:
        check_positive_int(batch_size, "batch_size")
    loss = get_loss(loss)
    X = as_samples(X, model.nin)
    targets = loss.prepare_targets(y, len(X), model.sizes[-1])  # fail early on bad targets
    batch_size = len(X) if batch_size is None else batch_size
    rng = random_generator(seed)
    params = model.parameters()
    vectorized_step = batched_training.training_step(model, loss, engine, alpha)  # None: the scalar engine
    history = History()
    if record is None and probe is not None:
        raise ValueError("probe= chooses the samples of a recording: pass record=k too (record=1 keeps every epoch)")
    recorder = None if record is None else Recorder(model, X, targets, loss, record, epochs, probe)
    if recorder is not None:
        recorder.take(0)
    bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=not progress, leave=True)
    for epoch in bar:
        order = rng.permutation(len(X))
        total, outputs = 0.0, np.empty((len(X), model.sizes[-1]))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            if vectorized_step is not None:
                cost, outputs[batch] = vectorized_step(X[batch], targets[batch])
            else:
                cost, outputs[batch] = _scalar_step(model, X[batch], targets[batch], loss, params, alpha)
            total += cost * len(batch)
            optimizer.step()
        history.loss.append(total / len(X))
        history.accuracy.append(loss.accuracy(outputs, targets))
        postfix = {"loss": f"{history.loss[-1]:.4f}"}
        if history.accuracy[-1] is not None:
            postfix["acc"] = f"{history.accuracy[-1]:.1%}"
        bar.set_postfix(postfix)
        if recorder is not None and recorder.due(epoch):
            recorder.take(epoch)
    if recorder is not None:
        history.recording = recorder.recording
    return history


def _scalar_step(
    model: MLP, X: np.ndarray, targets: np.ndarray, loss: Loss, params: list, alpha: float
) -> tuple[float, list[list[float]]]:
    """One batch on the scalar engine: backward on the mean cost (+ α Σ p²), adding ∂C/∂p to every
    ``p.grad``; returns (the mean cost without the penalty, the outputs aᴸ of each sample)."""
    cost, traces = batch_cost(model, X, targets, loss)
    mean_cost = cost.data
    if alpha > 0:
        cost = cost + l2(params, alpha)
    cost.backward()
    return mean_cost, [[a.data for a in trace.output] for trace in traces]


def predict(model: MLP, X: Any, *, engine: str = "auto") -> np.ndarray:
    """The model's outputs for every sample, as an (n, k) array (no graph is kept).

    ``engine="scalar"`` runs each sample through Values; otherwise the forward half of a
    vectorized replay computes them all at once.
    """
    X = as_samples(X, model.nin)
    if batched_training.check_engine(engine) != "scalar":
        return batched_training.vectorized_predict(model, X)
    with at.no_grad():
        return np.array([[a.data for a in model(x)] for x in X])
