"""Seeds: every nn function that draws random numbers takes its seed through ``validate.rng``, so a
bad one is refused with the same message everywhere (never NumPy's own error from inside)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_tiny.nn import GPT, MLP, SGD, datasets, diagnose_backprop, fit, losses
from autograd_tiny.nn.validate import random_generator

from . import learner_zoo as zoo

X4, Y4 = datasets.xor()


def _fit_one_epoch(seed: object) -> None:
    model = MLP(2, [1], seed=0)
    fit(model, X4, Y4, losses.mse, SGD(model.parameters(), lr=0.1), epochs=1, seed=seed, progress=False)


DRAWS = {
    "MLP": lambda seed: MLP(2, [3, 1], seed=seed),
    "two_moons": lambda seed: datasets.two_moons(seed=seed),
    "xor": lambda seed: datasets.xor(seed=seed),
    "circles": lambda seed: datasets.circles(seed=seed),
    "spiral": lambda seed: datasets.spiral(seed=seed),
    "regression_curve": lambda seed: datasets.regression_curve(seed=seed),
    "digits": lambda seed: datasets.digits(seed=seed),
    "GPT": lambda seed: GPT(27, seed=seed),
    "GPT.sample": lambda seed: GPT(5, n_embd=4, n_head=1, block_size=4, seed=0).sample(1, seed=seed),
    "fit": lambda seed: _fit_one_epoch(seed),
    "diagnose_backprop": lambda seed: diagnose_backprop(zoo.Network([2, 3, 1]), seed=seed),
}


@pytest.mark.parametrize("draw", DRAWS.values(), ids=DRAWS.keys())
@pytest.mark.parametrize(
    "seed, error, message",
    [
        (-1, ValueError, r"^seed must be an int ≥ 0, a numpy Generator or None, got -1$"),
        ("a", TypeError, r"^seed must be an int ≥ 0, a numpy Generator or None, got str: 'a'$"),
        (1.5, TypeError, r"got float: 1.5$"),
        (True, TypeError, r"got bool: True$"),  # True is an int to Python, and no seed
    ],
)
def test_a_bad_seed_is_refused_by_every_function_that_draws(draw, seed, error, message):
    with pytest.raises(error, match=message):
        draw(seed)


def test_rng_names_the_argument_and_gives_numpys_generator_for_a_good_seed():
    with pytest.raises(ValueError, match=r"^init_seed must be an int ≥ 0, a numpy Generator or None, got -3$"):
        random_generator(-3, "init_seed")
    drawn = random_generator(np.int64(7)).integers(1000, size=5)
    assert drawn.tolist() == np.random.default_rng(7).integers(1000, size=5).tolist()
    generator = np.random.default_rng(1)
    assert random_generator(generator) is generator  # a Generator is used as is: its stream goes on
    assert isinstance(random_generator(None), np.random.Generator)


def test_the_same_seed_gives_the_same_numbers_through_the_helper():
    first, second = MLP(2, [3, 1], seed=np.int64(4)).to_numpy(), MLP(2, [3, 1], seed=4).to_numpy()
    assert all(np.array_equal(a, b) for pair in zip(first, second) for a, b in zip(*pair))
    assert np.array_equal(datasets.spiral(seed=5)[0], datasets.spiral(seed=np.int64(5))[0])
    gpts = [GPT(5, n_embd=4, n_head=1, seed=seed).state_dict()["wte"] for seed in (np.int64(3), 3)]
    assert np.array_equal(*gpts)
