"""A training run, recorded: ``fit(..., record=k)`` keeps the weights after every k-th epoch.

A ``Recording`` holds, for the initial weights (epoch 0), the weights after epochs k, 2k, …
and after the last epoch, one ``Snapshot``: every layer's (Wˡ, bˡ), the mean cost and the
accuracy on the whole training set at those weights, and the speed of learning of each layer,
mean ‖δˡ‖ over the probe samples. The probe samples (by default up to 200 training samples,
evenly spread over X) are those whose z, a and δ = ∂C/∂z the training explorer shows: it runs
their forward and backward pass itself from the recorded weights, so the file stays small.

Everything a snapshot holds is measured at its weights, with no graph: the forward pass and
δ by the four equations (``nn.backprop``), the cost by the cost's own graph on the outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd_tiny import Value, no_grad

from .backprop import backprop, forward
from .losses import Loss
from .module import MLP
from .validate import check_positive_int

DEFAULT_PROBES = 200


@dataclass(frozen=True)
class Snapshot:
    """The network after ``epoch`` epochs (0: the initial weights)."""

    epoch: int
    params: list[tuple[np.ndarray, np.ndarray]]  # [(W¹, b¹), …], as MLP.to_numpy() returns
    cost: float  # the mean cost over the training set at these weights (without an L2 penalty)
    accuracy: float | None  # the training accuracy at these weights (None for a regression cost)
    delta_norms: list[float]  # per layer 1 … L: the mean over the probe samples of ‖δˡ‖ (Euclidean)


@dataclass(repr=False)
class Recording:
    """What ``fit(..., record=k)`` recorded: one ``Snapshot`` per recorded epoch, with what is
    needed to rebuild the network at any of them and to replay the probe samples through it."""

    sizes: list[int]  # n⁰, n¹, …, nᴸ
    activations: list[str]  # one per layer
    loss: Loss
    every: int  # k: a snapshot after every k-th epoch (and after the last)
    probe_rows: np.ndarray  # the probe samples' row indices in X
    probe_X: np.ndarray  # (n_probes, n⁰)
    probe_targets: np.ndarray  # prepared as the cost wants them: rows of k numbers, or class indices
    snapshots: list[Snapshot] = field(default_factory=list)

    @property
    def epochs(self) -> list[int]:
        """The recorded epochs: 0, k, 2k, …, the last."""
        return [snapshot.epoch for snapshot in self.snapshots]

    @property
    def decision_threshold(self) -> float | None:
        """With one output: the value of aᴸ that separates the two classes (the cost's own, or for
        a regression cost the middle of the targets' range). None with several outputs (argmax)."""
        if self.sizes[-1] != 1:
            return None
        if self.loss.decision_threshold is not None:
            return self.loss.decision_threshold
        return float(self.probe_targets.min() + self.probe_targets.max()) / 2

    def snapshot(self, epoch: int) -> Snapshot:
        """The snapshot of ``epoch``; a ValueError naming the recorded epochs if there is none."""
        for snapshot in self.snapshots:
            if snapshot.epoch == epoch:
                return snapshot
        raise ValueError(f"epoch {epoch!r} was not recorded: the recorded epochs are {_epochs_text(self.epochs)}")

    def model(self, epoch: int) -> MLP:
        """A new MLP with the weights after ``epoch`` epochs, for the engine to run."""
        return MLP.from_numpy(self.snapshot(epoch).params, self.activations)

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.sizes))
        return (
            f"Recording(MLP {sizes}, {self.loss.name}, epochs {_epochs_text(self.epochs)}, "
            f"{len(self.probe_rows)} probe samples)"
        )


def _epochs_text(epochs: list[int]) -> str:
    return ", ".join(map(str, epochs)) if len(epochs) <= 6 else f"{epochs[0]}, {epochs[1]}, …, {epochs[-1]}"


class Recorder:
    """Takes the snapshots during ``fit``: ``due(epoch)`` says whether to, ``take(epoch)`` does."""

    def __init__(
        self, model: MLP, X: np.ndarray, targets: np.ndarray, loss: Loss, every: int, epochs: int, probe: Any
    ) -> None:
        check_positive_int(every, "record")
        if not isinstance(model, MLP):
            raise TypeError(f"record= needs an MLP (it keeps the weights layer by layer), got {type(model).__name__}")
        self.model, self.X, self.targets, self.epochs = model, X, targets, epochs
        self.every = every
        rows = probe_rows(probe, len(X))
        self.recording = Recording(
            sizes=model.sizes,
            activations=model.activations,
            loss=loss,
            every=every,
            probe_rows=rows,
            probe_X=X[rows].copy(),
            probe_targets=targets[rows].copy(),
        )

    def due(self, epoch: int) -> bool:
        return epoch % self.every == 0 or epoch == self.epochs

    def take(self, epoch: int) -> None:
        recording = self.recording
        params = self.model.to_numpy()
        outputs = forward(params, recording.activations, self.X)[1][-1]  # every sample, for C and the accuracy
        with no_grad():  # the cost's own graph on each output row: one formula for C, the engine's
            costs = [recording.loss.cost([Value(a) for a in row], t) for row, t in zip(outputs.tolist(), self.targets)]
        probes = backprop(params, recording.activations, recording.probe_X, recording.probe_targets, recording.loss)
        norms = [float(np.linalg.norm(delta, axis=1).mean()) for delta in probes.delta]
        recording.snapshots.append(
            Snapshot(
                epoch=epoch,
                params=params,
                cost=float(np.mean([c.data for c in costs])),
                accuracy=recording.loss.accuracy(outputs, self.targets),
                delta_norms=norms,
            )
        )


def probe_rows(probe: int | Sequence[int] | None, n_samples: int) -> np.ndarray:
    """The rows of X to probe: ``probe`` evenly spread rows (all when there are fewer), or the
    given row indices."""
    if probe is None:
        probe = DEFAULT_PROBES
    if isinstance(probe, int | np.integer) and not isinstance(probe, bool):
        check_positive_int(probe, "probe")
        if probe >= n_samples:
            return np.arange(n_samples)
        return np.unique(np.linspace(0, n_samples - 1, probe).round().astype(int))
    try:
        rows = np.asarray(probe)
    except (TypeError, ValueError):
        rows = np.asarray([])
    if rows.ndim != 1 or rows.size == 0 or not np.issubdtype(rows.dtype, np.integer):
        raise ValueError(f"probe must be a number of samples or a non-empty list of row indices of X, got {probe!r}")
    if rows.min() < 0 or rows.max() >= n_samples:
        raise ValueError(f"probe rows must be between 0 and {n_samples - 1} (X has {n_samples} samples), got {probe!r}")
    return rows.astype(int)
