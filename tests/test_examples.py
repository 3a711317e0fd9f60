"""The examples run and say what the README says they show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_newton_checks_its_hessian_and_converges_far_faster_than_gradient_descent():
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "newton.py")], capture_output=True, text=True, check=True
    ).stdout
    lines = out.splitlines()
    assert lines[0].endswith("gradgradcheck passed")
    rows = {int(line.split()[0]): line.split()[1:] for line in lines if line.split()[0].isdigit()}
    assert float(rows[9][0]) < 1e-20  # Newton, 10 steps: at the minimum to rounding
    assert float(rows[199][-2]) > 1e-3  # gradient descent, 200 steps: still on its way
    # not monotone: a full Newton step overshoots once from (−1.2, 1), and from (−1, 2) H is indefinite
    assert float(rows[4][0]) > float(rows[3][0])
    assert "f rose at step 4;" in out
    assert "H has eigenvalues -4.9 and 36.9 (indefinite)" in out
    assert "Newton's f: 9 → 4.95 → 25 → 0.494 → 1.17" in out


def test_forward_and_reverse_mode_need_the_passes_the_readme_says():
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "forward_vs_reverse.py")], capture_output=True, text=True, check=True
    ).stdout
    passes = {" ".join([*line.split()[:2], line.split()[4]]): int(line.split()[-2]) for line in out.splitlines()[1:5]}
    assert passes == {
        "cost: R^100 forward": 100,
        "cost: R^100 reverse": 1,
        "curve: R forward": 1,
        "curve: R reverse": 100,
    }
