"""The installed package: subpackages, console script, version, lint."""

from __future__ import annotations

import importlib
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
