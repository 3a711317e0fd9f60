"""Newton's method with the engine's Hessian, next to gradient descent.

Minimise f(x, y) = (1 − x)² + 5(y − x²)² (a gentle Rosenbrock valley, minimum at (1, 1)).
Gradient descent follows −∇f and crawls along the curved valley; Newton's method solves
H·step = −∇f with the exact Hessian and lands in a handful of steps.

    python examples/newton.py
"""

from __future__ import annotations

import numpy as np

import autograd_tiny as at


def f(x: at.Value, y: at.Value) -> at.Value:
    return (1 - x) ** 2 + 5 * (y - x**2) ** 2


def value_and_gradient(point: np.ndarray) -> tuple[float, np.ndarray]:
    xs = [at.Value(float(c)) for c in point]
    out = f(*xs)
    return out.data, np.array([g.data for g in at.grad(out, xs)])


def newton(start: np.ndarray, steps: int) -> list[tuple[float, float]]:
    point, history = start.copy(), []
    for _ in range(steps):
        value, gradient = value_and_gradient(point)
        history.append((value, float(np.linalg.norm(gradient))))
        point = point - np.linalg.solve(at.hessian(f, point), gradient)
    return history


def gradient_descent(start: np.ndarray, steps: int, lr: float = 0.02) -> list[tuple[float, float]]:
    point, history = start.copy(), []
    for _ in range(steps):
        value, gradient = value_and_gradient(point)
        history.append((value, float(np.linalg.norm(gradient))))
        point = point - lr * gradient
    return history


def main() -> None:
    start = np.array([-1.2, 1.0])
    fast, slow = newton(start, 10), gradient_descent(start, 200)
    print(f"minimise f(x, y) = (1 − x)² + 5(y − x²)² from ({start[0]}, {start[1]}); the minimum is f(1, 1) = 0")
    print(f"{'step':>5}  {'Newton f':>12} {'|∇f|':>10}   {'grad. descent f':>15} {'|∇f|':>10}")
    for k in [*range(10), 50, 100, 199]:
        newton_cells = f"{fast[k][0]:>12.3e} {fast[k][1]:>10.2e}" if k < len(fast) else f"{'':>12} {'':>10}"
        print(f"{k:>5}  {newton_cells}   {slow[k][0]:>15.3e} {slow[k][1]:>10.2e}")


if __name__ == "__main__":
    main()
