"""A nan or inf in the data is refused before anything runs, by where it is (0-based, as the caller
indexes it): fit would otherwise train every weight to nan without a word."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_tiny.nn import MLP, SGD, check_backprop, datasets, fit, losses, predict


def data_with(X_entries=(), y_entries=()):
    X, y = datasets.two_moons(12, seed=0)
    for index, value in X_entries:
        X[index] = value
    for index, value in y_entries:
        y[index] = value
    return X, y


@pytest.mark.parametrize("engine", ["scalar", "vectorized"])
@pytest.mark.parametrize(
    ("X_entries", "y_entries", "match"),
    [
        ([((2, 1), np.nan)], [], r"^X must be finite numbers: X\[2, 1\] is nan$"),
        ([((2, 1), np.nan), ((7, 0), -np.inf)], [], r"X\[2, 1\] is nan, X\[7, 0\] is -inf$"),
        (
            [((r, 0), np.inf) for r in (3, 4, 5, 9)],
            [],
            r"X\[3, 0\] is inf, X\[4, 0\] is inf, X\[5, 0\] is inf \(4 entries, in rows 3, 4, 5, 9\)",
        ),
        ([], [(4, np.inf)], r"^binary_cross_entropy_with_logits targets must be finite numbers: y\[4\] is inf$"),
    ],
    ids=["one-nan-in-X", "two-in-X", "many-in-X", "inf-in-y"],
)
def test_fit_refuses_nan_and_inf_by_position_and_leaves_the_weights_alone(engine, X_entries, y_entries, match):
    X, y = data_with(X_entries, y_entries)
    model = MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=match):
        fit(
            model,
            X,
            y,
            "binary_cross_entropy_with_logits",
            SGD(model.parameters(), lr=0.1),
            epochs=2,
            progress=False,
            engine=engine,
        )
    assert [p.data for p in model.parameters()] == before
    assert all(p.grad == 0.0 for p in model.parameters())


@pytest.mark.parametrize("engine", ["scalar", "vectorized"])
def test_predict_refuses_nan_by_position(engine):
    X, _ = data_with([((5, 0), np.nan)])
    with pytest.raises(ValueError, match=r"^X must be finite numbers: X\[5, 0\] is nan$"):
        predict(MLP(2, [3, 1], seed=0), X, engine=engine)


def test_a_one_dimensional_X_is_named_as_it_was_given():
    with pytest.raises(ValueError, match=r"X\[1\] is nan$"):
        predict(MLP(1, [1], seed=0), [0.5, np.nan, 1.0])


def test_check_backprop_refuses_nan_in_its_samples_by_position():
    X, y = data_with([((0, 1), np.nan)])
    with pytest.raises(ValueError, match=r"X\[0, 1\] is nan"):
        check_backprop(MLP(2, [3, 1], seed=0), X, y, "binary_cross_entropy_with_logits")
    X, _ = data_with()
    Y = np.zeros((len(X), 2))
    Y[6, 1] = np.nan
    with pytest.raises(ValueError, match=r"^quadratic targets must be finite numbers: y\[6, 1\] is nan$"):
        check_backprop(MLP(2, [3, 2], seed=0), X, Y, "quadratic")


def test_one_samples_cost_names_a_nan_target_as_given():
    model = MLP(2, [2], seed=0)
    outputs = model([0.5, 0.5])
    with pytest.raises(ValueError, match=r"^quadratic target must be finite numbers: target\[1\] is nan$"):
        losses.quadratic(outputs, [0.0, np.nan])
    with pytest.raises(ValueError, match=r"^mse target must be a finite number, got inf$"):
        losses.mse(MLP(2, [1], seed=0)([0.5, 0.5]), np.inf)
