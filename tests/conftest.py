"""Shared oracles for the test suite, its Hypothesis profiles, and the versions it runs on."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version

import pytest
from hypothesis import settings

from autograd_tiny import Value, no_grad

# Property tests: 50 examples each by default, so the suite stays quick; `--hypothesis-profile=thorough`
# (or HYPOTHESIS_PROFILE=thorough, or `make test-thorough`) runs 1000 each. Under CI=true the examples are
# derandomized, so a CI run tests the same cases every time; a developer's run draws new ones.
settings.register_profile("default", max_examples=50, deadline=None, derandomize=bool(os.environ.get("CI")))
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

DEPENDENCIES = ("numpy", "graphviz", "tqdm", "matplotlib", "scikit-learn", "nbclient", "ipykernel")


def pytest_report_header(config: pytest.Config) -> str:
    """Which releases this run tests (make test: the newest; make test-oldest: the floors)."""

    def installed(name: str) -> str:
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            return f"{name} (not installed)"

    return "dependencies: " + ", ".join(installed(name) for name in DEPENDENCIES)


@pytest.fixture
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one test: while a test builds a large graph it
    rescans the growing heap again and again (most of such a test's time), and nothing a test checks
    depends on it; reference counting still frees every Value."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def central_difference(f: Callable[..., Value], point: Sequence[float], index: int, eps: float = 1e-6) -> float:
    """(f(x + eps·eᵢ) − f(x − eps·eᵢ)) / 2eps, evaluated with the engine under no_grad."""

    def at(shift: float) -> float:
        args = [Value(x + (shift if i == index else 0.0)) for i, x in enumerate(point)]
        with no_grad():
            return f(*args).data

    return (at(eps) - at(-eps)) / (2 * eps)


def derivatives_along(f: Callable[..., Value], point: Sequence[float], path: Sequence[int]) -> list[float]:
    """[f, ∂f/∂x_{path[0]}, ∂²f/∂x_{path[0]}∂x_{path[1]}, …] at ``point``, by repeated ``grad``."""
    from autograd_tiny import grad

    xs = [Value(x) for x in point]
    current = f(*xs)
    found = [current.data]
    for index in path:
        current = grad(current, [xs[index]], create_graph=True)[0]
        found.append(current.data)
    return found


def engine_gradient(f: Callable[..., Value], point: Sequence[float]) -> list[float]:
    values = [Value(x) for x in point]
    f(*values).backward()
    return [v.grad for v in values]


@pytest.fixture
def fd():
    return central_difference
