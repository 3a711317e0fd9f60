"""fit(..., record=k): the snapshots hold the weights the training really had, and the cost,
accuracy and ‖δˡ‖ at them are the engine's (one graph per sample, as check_backprop reads δ)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_tiny.nn import MLP, SGD, Adam, datasets, fit, losses
from autograd_tiny.nn.recording import probe_rows


def train(epochs: int, record: int | None = None, **kwargs):
    X, y = datasets.two_moons(24, seed=3)
    model = MLP(2, [4, 3, 1], activation="tanh", seed=1)
    history = fit(model, X, y, "binary_cross_entropy_with_logits", Adam(model.parameters(), lr=0.05), epochs=epochs,
                  progress=False, record=record, **kwargs)  # fmt: skip
    return model, history, X, y


def test_snapshots_after_every_kth_epoch_and_the_last_hold_the_weights_of_those_epochs():
    model, history, _, _ = train(7, record=3)
    recording = history.recording
    assert recording.epochs == [0, 3, 6, 7]
    initial = MLP(2, [4, 3, 1], activation="tanh", seed=1).to_numpy()
    for (W, b), (W0, b0) in zip(recording.snapshot(0).params, initial):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)
    for epochs in (3, 6):
        trained, _, _, _ = train(epochs)  # the same run, stopped there
        for (W, b), (W1, b1) in zip(recording.snapshot(epochs).params, trained.to_numpy()):
            assert np.array_equal(W, W1) and np.array_equal(b, b1)
    for (W, b), (W1, b1) in zip(recording.snapshot(7).params, model.to_numpy()):
        assert np.array_equal(W, W1) and np.array_equal(b, b1)
    assert "4 recorded" in repr(history) and "epochs 0, 3, 6, 7" in repr(recording)


def test_recording_changes_nothing_in_the_training():
    plain, plain_history, _, _ = train(4)
    recorded, recorded_history, _, _ = train(4, record=1)
    assert plain_history.loss == recorded_history.loss
    for (W, b), (W1, b1) in zip(plain.to_numpy(), recorded.to_numpy()):
        assert np.array_equal(W, W1) and np.array_equal(b, b1)
    assert plain_history.recording is None


def test_cost_accuracy_and_delta_norms_at_a_snapshot_are_the_engines():
    _, history, X, y = train(5, record=1, probe=[0, 5, 7, 11])
    recording = history.recording
    loss = losses.binary_cross_entropy_with_logits
    for epoch in (0, 2, 5):
        snapshot = recording.snapshot(epoch)
        model = recording.model(epoch)
        traces = [model.trace(x) for x in X]
        costs = [loss(trace.output, target) for trace, target in zip(traces, y)]
        assert snapshot.cost == pytest.approx(np.mean([c.data for c in costs]), abs=1e-12)
        outputs = np.array([[a.data for a in trace.output] for trace in traces])
        assert snapshot.accuracy == np.mean((outputs[:, 0] > 0) == (y > 0.5))
        norms = np.zeros(3)
        for row in recording.probe_rows:
            costs[row].backward()  # each sample's own cost: δ = ∂Cₓ/∂z
            norms += [np.linalg.norm(traces[row].delta(l)) for l in range(3)]
        assert snapshot.delta_norms == pytest.approx(norms / len(recording.probe_rows), abs=1e-12)
    # full batch: the cost measured during epoch e + 1 is the cost at the weights after e epochs
    assert [s.cost for s in recording.snapshots[:-1]] == pytest.approx(history.loss, abs=1e-12)


def test_probe_samples_default_to_at_most_200_spread_over_the_data():
    assert list(probe_rows(None, 5)) == [0, 1, 2, 3, 4]
    rows = probe_rows(200, 1000)
    assert len(rows) == 200 and rows[0] == 0 and rows[-1] == 999 and np.all(np.diff(rows) > 0)
    assert list(probe_rows(3, 9)) == [0, 4, 8]
    assert list(probe_rows([4, 1], 9)) == [4, 1]
    X, y = datasets.two_moons(300, seed=0)
    model = MLP(2, [2, 1], seed=0)
    history = fit(model, X, y, "quadratic", SGD(model.parameters(), 0.1), epochs=1, record=1, progress=False)
    assert len(history.recording.probe_rows) == 200 and history.recording.probe_X.shape == (200, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"record": 0}, "record must be a positive integer, got 0"),
        ({"record": True}, "record must be a positive integer, got True"),
        ({"record": 1, "probe": 0}, "probe must be a positive integer, got 0"),
        ({"record": 1, "probe": [3, 24]}, r"probe rows must be between 0 and 23 \(X has 24 samples\)"),
        ({"record": 1, "probe": [0.5]}, "probe must be a number of samples or a non-empty list of row indices"),
        ({"record": 1, "probe": []}, "probe must be a number of samples or a non-empty list of row indices"),
        ({"probe": 10}, r"probe= chooses the samples of a recording: pass record=k too"),
    ],
)
def test_bad_record_or_probe_is_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train(1, **kwargs)


def test_an_epoch_that_was_not_recorded_is_named_with_the_recorded_ones():
    _, history, _, _ = train(4, record=2)
    with pytest.raises(ValueError, match=r"epoch 3 was not recorded: the recorded epochs are 0, 2, 4"):
        history.recording.model(3)


def test_decision_threshold_follows_the_cost():
    _, history, _, _ = train(1, record=1)
    assert history.recording.decision_threshold == 0.0  # logits: class 1 where z > 0
    X, y = datasets.two_moons(10, seed=0)
    model = MLP(2, [2, 1], output_activation="sigmoid", seed=0)
    history = fit(model, X, y, "quadratic", SGD(model.parameters(), 0.1), epochs=1, record=1, progress=False)
    assert history.recording.decision_threshold == 0.5  # a regression cost: the middle of the targets
    model = MLP(2, [2, 2], seed=0)
    history = fit(model, X, y.astype(int), "softmax_cross_entropy", SGD(model.parameters(), 0.1), epochs=1, record=1,
                  progress=False)  # fmt: skip
    assert history.recording.decision_threshold is None  # several outputs: the largest wins


def test_spiral_is_two_arms_a_half_turn_apart():
    X, y = datasets.spiral(200, noise=0.0)
    assert X.shape == (200, 2) and list(y[:4]) == [0.0, 1.0, 0.0, 1.0] and y.mean() == 0.5
    assert np.allclose(X[1::2], -X[0::2])  # arm 1 is arm 0 turned by π
    radii = np.linalg.norm(X[0::2], axis=1)
    assert np.all(np.diff(radii) > 0) and radii[-1] < 1.0
    assert np.array_equal(datasets.spiral(50, seed=4)[0], datasets.spiral(50, seed=4)[0])
    _, signed = datasets.spiral(10, signed=True)
    assert set(signed) == {-1.0, 1.0}
    with pytest.raises(ValueError, match="turns must be a positive number, got 0"):
        datasets.spiral(10, turns=0)
