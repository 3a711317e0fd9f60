"""The installed package: subpackages, console script, version, lint."""

from __future__ import annotations

import importlib
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograd_tiny

ROOT = Path(__file__).resolve().parents[1]


def test_nn_and_viz_are_subpackages_not_top_level_packages():
    for name in ("autograd_tiny.nn", "autograd_tiny.viz"):
        module = importlib.import_module(name)
        assert module.__name__ == name
    for top_level in ("nn", "viz"):
        spec = importlib.util.find_spec(top_level)
        assert spec is None or "autograd_tiny" not in str(spec.origin), top_level


def test_version_matches_the_distribution_metadata():
    from importlib.metadata import version

    assert autograd_tiny.__version__ == version("autograd-tiny")


def run_python(code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter (nothing imported yet, unlike this test process)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_scalar_engine_imports_and_backpropagates_without_numpy_or_importlib_metadata():
    """A learner's training loop holds no NumPy (10,800 objects the cycle collector walks on every full
    pass) and no importlib.metadata (3,700, only for __version__)."""
    code = """if True:
        import json, sys
        import autograd_tiny as at
        from autograd_tiny import Value
        loaded = lambda: [m for m in ("numpy", "importlib.metadata") if m in sys.modules]
        after_import = loaded()
        a, b = Value(2.0), Value(0.5)
        y = (a + b) * a / b + a ** b + (a - b) ** 2 + (a * 2.0).exp().log() + b.relu() + a.tanh()
        y.backward()
        print(json.dumps([after_import, loaded(), y.data, a.grad, b.grad]))
    """
    after_import, after_backward, y, grad_a, grad_b = json.loads(run_python(code))
    assert after_import == [] and after_backward == []
    a, b = 2.0, 0.5
    assert y == pytest.approx((a + b) * a / b + a**b + (a - b) ** 2 + 2 * a + b + math.tanh(a), rel=1e-14)
    assert grad_a == pytest.approx((2 * a + b) / b + b * a ** (b - 1) + 2 * (a - b) + 2 + 1 - math.tanh(a) ** 2)
    assert grad_b == pytest.approx(-(a**2) / b**2 + a**b * math.log(a) - 2 * (a - b) + 1, rel=1e-14)


def test_what_needs_numpy_or_the_metadata_loads_on_first_use():
    """vectorize, check_gradient and __version__ come on first access; gradcheck and hessian, which share
    their names with their modules, stay functions after those modules are imported; dir() lists them all."""
    code = """if True:
        import importlib.metadata, json, sys
        import autograd_tiny as at
        import autograd_tiny.gradcheck, autograd_tiny.hessian
        from autograd_tiny import Value

        def f(x, y):
            return (x[0] * x[1] - y) ** 2
        w = [Value(1.0)]
        batched = at.vectorize(lambda x, y: f(x, y) * w[0], w)
        cost = batched([[1.0, 2.0], [3.0, -1.0]], [0.5, 0.0])
        check = at.check_gradient(lambda v: float((v ** 3).sum()), lambda v: 3 * v ** 2, [1.0, -2.0])
        try:
            at.nope
            missing = None
        except AttributeError as error:
            missing = str(error)
        print(json.dumps({
            "cost": float(cost), "w.grad": w[0].grad, "check": bool(check),
            "version": at.__version__ == importlib.metadata.version("autograd-tiny"),
            "gradcheck": callable(at.gradcheck) and type(at.gradcheck).__name__,
            "hessian": at.hessian(lambda x, y: x * x * y, [3.0, 2.0]).tolist(),
            "dir": sorted(set(at.__all__) - set(dir(at))),
            "missing": missing,
            "lazy names are its own": [at.vectorize.__module__, at.check_gradient.__module__],
        }))
    """
    found = json.loads(run_python(code))
    assert found["cost"] == pytest.approx(((1 * 2 - 0.5) ** 2 + (3 * -1 - 0.0) ** 2) / 2, rel=1e-14)
    assert found["w.grad"] == pytest.approx(found["cost"], rel=1e-14)  # the cost is linear in w at w = 1
    assert found["check"] is True and found["version"] is True
    assert found["gradcheck"] == "function"
    assert found["hessian"] == [[4.0, 6.0], [6.0, 0.0]]
    assert found["dir"] == []
    assert found["missing"] == "module 'autograd_tiny' has no attribute 'nope'"
    assert found["lazy names are its own"] == ["autograd_tiny.batched", "autograd_tiny.numpy_gradcheck"]


def test_the_ieee_path_loads_numpy_when_python_raises():
    """1/0 and log(0) give inf and -inf (NumPy's float64 arithmetic) in a process that had not loaded NumPy."""
    code = """if True:
        import sys
        from autograd_tiny import Value
        before = "numpy" in sys.modules
        quotient, logarithm = Value(1.0) / 0.0, Value(0.0).log()
        quotient.backward()
        logarithm.backward()
        print(before, quotient.data, logarithm.data)
    """
    assert run_python(code).split() == ["False", "inf", "-inf"]


def test_console_script_prints_version_and_help():
    exe = shutil.which("autograd-tiny", path=str(Path(sys.executable).parent))
    assert exe, "the console script autograd-tiny is not installed next to this Python"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"autograd-tiny {autograd_tiny.__version__}"
    helptext = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout
    assert "usage: autograd-tiny" in helptext and "demo" in helptext


def test_the_code_is_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the test extra)")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_licence_is_declared_the_current_way_and_shipped():
    from importlib.metadata import metadata

    meta = metadata("autograd-tiny")
    assert meta["License-Expression"] == "MIT"
    assert "LICENSE" in (meta.get_all("License-File") or [])
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_oldest_versions_run_installs_exactly_the_floors_pyproject_claims():
    """constraints-oldest.txt pins each runtime dependency and each extra's package at its floor in
    pyproject.toml, no more and no less (test-only tools excepted), so `make test-oldest` tests what
    we claim; one package has one floor, whichever extra names it."""
    import re
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    test_only = {"test", "bench"}
    claimed: dict[str, set[str]] = {}
    extras = [deps for name, deps in project["optional-dependencies"].items() if name not in test_only]
    for line in [*project["dependencies"], *(dep for deps in extras for dep in deps)]:
        requirement = Requirement(line)
        if requirement.name == "autograd-tiny":
            continue
        floors = {spec.version for spec in requirement.specifier if spec.operator == ">="}
        assert len(floors) == 1, f"{line}: every claimed dependency needs one floor (>=)"
        claimed.setdefault(requirement.name, set()).update(floors)
    assert {name: floors for name, floors in claimed.items() if len(floors) > 1} == {}, "one floor per package"

    pinned = {}
    for line in (ROOT / "constraints-oldest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, pin = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line).groups()
            pinned[name] = pin

    def release(version: str) -> tuple[int, ...]:
        parts = [int(p) for p in version.split(".")]
        return tuple(parts + [0] * (3 - len(parts)))

    assert {name: release(pin) for name, pin in pinned.items()} == {
        name: release(floors.pop()) for name, floors in claimed.items()
    }
