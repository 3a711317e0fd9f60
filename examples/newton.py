"""Newton's method with the engine's Hessian, checked first, next to gradient descent.

Minimise f(x, y) = (1 − x)² + 5(y − x²)² (a gentle Rosenbrock valley, minimum at (1, 1)).
Before trusting the Hessian, ``gradgradcheck`` compares the engine's second derivatives with
finite differences of its own first derivatives. Gradient descent follows −∇f and crawls along
the curved valley. Newton's method solves H·step = −∇f with the exact Hessian: near the minimum
the error roughly squares with every step, but far from it a full Newton step need not lower f:
it jumps to the stationary point of the local quadratic model, which overshoots where the model
is poor and is not even a minimum where H is not positive definite. The table prints H's
smallest eigenvalue; a second start, (−1, 2), begins where H is indefinite.

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


def newton(start: np.ndarray, steps: int) -> list[tuple[float, float, float]]:
    """(f, |∇f|, smallest eigenvalue of H) before each step."""
    point, history = start.copy(), []
    for _ in range(steps):
        value, gradient = value_and_gradient(point)
        hessian = at.hessian(f, point)
        history.append((value, float(np.linalg.norm(gradient)), float(np.linalg.eigvalsh(hessian)[0])))
        point = point - np.linalg.solve(hessian, gradient)
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
    check = at.gradgradcheck(f, {"x": start[0], "y": start[1]})
    print(f"the Hessian at the start, against finite differences: gradgradcheck {'passed' if check else 'FAILED'}")
    fast, slow = newton(start, 10), gradient_descent(start, 200)
    print(f"minimise f(x, y) = (1 − x)² + 5(y − x²)² from ({start[0]}, {start[1]}); the minimum is f(1, 1) = 0")
    print(f"{'step':>5}  {'Newton f':>12} {'|∇f|':>10} {'min eig H':>10}   {'grad. descent f':>15} {'|∇f|':>10}")
    for k in [*range(10), 50, 100, 199]:
        newton_cells = f"{fast[k][0]:>12.3e} {fast[k][1]:>10.2e} {fast[k][2]:>10.2f}" if k < len(fast) else f"{'':>34}"
        print(f"{k:>5}  {newton_cells}   {slow[k][0]:>15.3e} {slow[k][1]:>10.2e}")
    rises = [k for k in range(1, len(fast)) if fast[k][0] > fast[k - 1][0]]
    print(f"Newton's f rose at step {', '.join(map(str, rises))}; from step 7 each step roughly squares the error")

    other = np.array([-1.0, 2.0])
    eigenvalues = np.linalg.eigvalsh(at.hessian(f, other))
    values = [value for value, _, _ in newton(other, 8)]
    low, high = eigenvalues
    print(f"from ({other[0]}, {other[1]}): H has eigenvalues {low:.1f} and {high:.1f} (indefinite)")
    print("Newton's f: " + " → ".join(f"{value:.3g}" for value in values))


if __name__ == "__main__":
    main()
