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
