"""Shared oracles for the test suite."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from autograd_tiny import Value, no_grad


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


@pytest.fixture(scope="session")
def yardstick():
    """bench/microgpt_yardstick.py (microgpt's Value and GPT), loaded by path: the one copy, an oracle for nn.GPT."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / "microgpt_yardstick.py"
    spec = importlib.util.spec_from_file_location("microgpt_yardstick", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
