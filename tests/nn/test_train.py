"""fit, optimisers and data sets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_tiny import Value
from autograd_tiny.nn import GPT, MLP, SGD, Adam, datasets, fit, predict


def test_fit_reaches_95_percent_on_two_moons():
    X, y = datasets.two_moons(100, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    history = fit(
        model, X, y, "binary_cross_entropy_with_logits", Adam(model.parameters(), lr=0.05), epochs=30, progress=False
    )
    assert history.accuracy[-1] >= 0.95
    assert history.loss[-1] < history.loss[0]
    assert len(history.loss) == len(history.accuracy) == 30


def test_fit_solves_xor():
    X, y = datasets.xor()
    model = MLP(2, [4, 1], seed=0)
    history = fit(
        model, X, y, "binary_cross_entropy_with_logits", Adam(model.parameters(), lr=0.1), epochs=150, progress=False
    )
    assert history.accuracy[-1] == 1.0
    assert list((predict(model, X)[:, 0] > 0).astype(float)) == [0.0, 1.0, 1.0, 0.0]


def test_fit_is_deterministic_for_a_seed_with_minibatches():
    X, y = datasets.circles(40, seed=1)
    runs = []
    for _ in range(2):
        model = MLP(2, [5, 1], seed=3)
        runs.append(
            fit(
                model,
                X,
                y,
                "binary_cross_entropy_with_logits",
                SGD(model.parameters(), lr=0.5, momentum=0.9),
                epochs=3,
                batch_size=8,
                seed=5,
                progress=False,
            ).loss
        )
    assert runs[0] == runs[1]


def test_fit_regression_has_no_accuracy():
    X, y = datasets.regression_curve(20)
    model = MLP(1, [8, 1], seed=0)
    history = fit(model, X, y, "mse", Adam(model.parameters(), lr=0.02), epochs=30, progress=False)
    assert history.accuracy == [None] * 30 and history.loss[-1] < history.loss[0]


def test_fit_shows_a_progress_bar_with_loss_and_accuracy(capsys):
    X, y = datasets.xor()
    model = MLP(2, [2, 1], seed=0)
    fit(model, X, y, "binary_cross_entropy_with_logits", SGD(model.parameters(), lr=0.1), epochs=2)
    err = capsys.readouterr().err
    assert "training" in err and "loss=" in err and "acc=" in err


def test_fit_rejects_bad_arguments():
    X, y = datasets.xor()
    model = MLP(2, [1], seed=0)
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        fit(model, X, y, "hinge", opt, epochs=0, progress=False)
    with pytest.raises(ValueError, match=r"hinge targets must be in \[-1.0, 1.0\]"):
        fit(model, X, y, "hinge", opt, epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"targets have shape \(3,\), expected \(4, 1\)"):
        fit(model, X, y[:3], "mse", opt, epochs=1, progress=False)


def test_sgd_step_with_and_without_momentum():
    p = Value(1.0)
    p.grad = 0.5
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.1 * 0.5 - 0.1 * (0.9 * 0.5 + 0.5))


def test_adam_first_step_moves_by_lr():
    p = Value(1.0)
    p.grad = 123.0
    Adam([p], lr=0.01).step()
    assert p.data == pytest.approx(0.99, rel=1e-9)


def test_optimizer_zero_grad_and_bad_arguments():
    p = Value(1.0)
    p.grad = 3.0
    SGD([p], lr=0.1).zero_grad()
    assert p.grad == 0.0
    with pytest.raises(ValueError, match="lr must be a positive number, got -1"):
        SGD([p], lr=-1)
    with pytest.raises(TypeError, match=r"params\[0\] is a float, expected a Value"):
        Adam([1.0])


@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_optimizers_name_a_model_or_a_value_given_for_its_parameters(optimizer):
    needs = rf"^{optimizer.__name__} needs the parameters, an iterable of Values"
    for model in (MLP(2, [1], seed=0), GPT(5, n_embd=4, n_head=1, seed=0)):
        kind = type(model).__name__
        with pytest.raises(TypeError, match=rf"{needs}: pass model.parameters\(\), not the {kind} itself$"):
            optimizer(model, lr=0.1)
    with pytest.raises(TypeError, match=rf"{needs}, got one Value\(data=1.0, grad=0.0\): pass it in a list, \[p\]$"):
        optimizer(Value(1.0), lr=0.1)
    with pytest.raises(TypeError, match=rf"{needs}, got float: 0.5$"):
        optimizer(0.5, lr=0.1)
    with pytest.raises(TypeError, match=rf"^{optimizer.__name__} params\[1\] is a str, expected a Value$"):
        optimizer([Value(1.0), "w"], lr=0.1)
    assert len(optimizer((p for p in [Value(1.0), Value(2.0)]), lr=0.1).params) == 2  # any iterable, a generator too


@pytest.mark.parametrize("make", [datasets.two_moons, datasets.circles])
def test_classification_data_sets_are_deterministic_and_balanced(make):
    X1, y1 = make(50, seed=3)
    X2, y2 = make(50, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert X1.shape == (50, 2) and set(y1) == {0.0, 1.0} and y1.sum() == 25
    assert set(make(10, seed=0, signed=True)[1]) == {-1.0, 1.0}


def test_xor_and_regression_curve():
    X, y = datasets.xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]
    X, y = datasets.regression_curve(30, noise=0.0)
    assert X.shape == (30, 1) and np.allclose(y, np.sin(X[:, 0]))


def test_data_set_size_must_be_valid():
    with pytest.raises(ValueError, match="n must be an integer ≥ 2, got 1"):
        datasets.two_moons(1)


def _loop_adam(data, grads_per_step, lr, betas, eps):
    """Adam as a loop over the parameters, one at a time (the formula the array form must reproduce)."""
    beta1, beta2 = betas
    data, m, v = list(data), [0.0] * len(data), [0.0] * len(data)
    for t, grads in enumerate(grads_per_step, start=1):
        c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t
        for i, g in enumerate(grads):
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * (g * g)
            data[i] -= lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)
    return data


def _loop_sgd(data, grads_per_step, lr, momentum):
    data, velocity = list(data), [0.0] * len(data)
    for grads in grads_per_step:
        for i, g in enumerate(grads):
            velocity[i] = momentum * velocity[i] + g
            data[i] -= lr * velocity[i]
    return data


@pytest.mark.parametrize("kind", ["adam", "sgd"])
def test_array_optimisers_give_exactly_the_numbers_of_the_per_parameter_loop(kind):
    rng = np.random.default_rng(0)
    start = rng.normal(size=300).tolist()
    grads_per_step = [(rng.normal(size=300) * 10.0 ** rng.integers(-8, 3, size=300)).tolist() for _ in range(6)]
    params = [Value(x) for x in start]
    optimizer = Adam(params, lr=0.01, betas=(0.85, 0.99), eps=1e-8) if kind == "adam" else SGD(params, 0.1, 0.9)
    for grads in grads_per_step:
        for p, g in zip(params, grads):
            p.grad = g
        optimizer.step()
    expected = (
        _loop_adam(start, grads_per_step, 0.01, (0.85, 0.99), 1e-8)
        if kind == "adam"
        else _loop_sgd(start, grads_per_step, 0.1, 0.9)
    )
    assert [p.data for p in params] == expected  # bit for bit
