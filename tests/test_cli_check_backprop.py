"""``autograd-tiny check-backprop``: the learner's file in, the diagnosis out, exit 0/1/2."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd_tiny.cli import main

ZOO = Path(__file__).parent / "nn" / "learner_zoo.py"
EXE = shutil.which("autograd-tiny", path=str(Path(sys.executable).parent))


@pytest.fixture
def network_py(tmp_path: Path) -> Path:
    path = tmp_path / "network.py"
    shutil.copy(ZOO, path)
    return path


def test_a_right_network_exits_0_through_the_console_script(network_py):
    assert EXE
    result = subprocess.run(
        [EXE, "check-backprop", f"{network_py}:Network", "--sizes", "2,3,3,1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Your backprop agrees with the graph in every layer on 4 samples")
    assert [line.split()[-1] for line in result.stdout.splitlines()[2:]] == ["ok"] * 6


def test_a_wrong_network_exits_1_with_the_diagnosis(network_py, capsys):
    assert main(["check-backprop", f"{network_py}:MissingSigmaPrimeHidden", "--sizes", "2,3,3,1"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("BP2 fails in layer 2: layer 3 is right, but your ∂C/∂b² (nabla_b[1])")
    assert "without the factor ⊙ σ′(z²)" in out and "not checked" in out


def test_the_default_name_is_network_and_options_reach_the_diagnosis(network_py, capsys):
    assert main(["check-backprop", str(network_py), "--sizes", "2,3,1", "--activation", "tanh,linear"]) == 1
    assert "BP1 fails in layer 2" in capsys.readouterr().out  # sigmoid code, declared tanh
    args = ["check-backprop", f"{network_py}:CrossEntropyNetwork", "--sizes", "2,3,3,1", "--loss", "cross_entropy"]
    assert main(args) == 0


def test_a_plain_function_with_module_level_weights(tmp_path, capsys):
    (tmp_path / "mine.py").write_text(
        "import numpy as np\n"
        "from network import Network\n"  # the learner's own import, from their folder
        "net = Network([2, 3, 1], seed=1)\n"
        "weights, biases = net.weights, net.biases\n"
        "def backprop(x, y):\n"
        "    return net.backprop(x, y)\n"
    )
    shutil.copy(ZOO, tmp_path / "network.py")
    assert main(["check-backprop", f"{tmp_path / 'mine.py'}:backprop"]) == 0
    assert "BP1–BP4 are right" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("def broken(:\n", "m.py", "cannot import {path}: SyntaxError"),
        ("import no_such_module_here\n", "m.py", "cannot import {path}: ModuleNotFoundError"),
        ("import sys\nsys.exit(3)\n", "m.py", "cannot import {path}: SystemExit"),
        ("x = 1\n", "m.py:Network", "{path} defines no 'Network'"),
        ("class Network:\n    def __init__(self, sizes): pass\n", "m.py", "Network([2, 1]) has no backprop method"),
        ("class Network:\n    def __init__(self): pass\n", "m.py", "Network([2, 1]) raised TypeError"),
        ("x = 1\n", "m.py:x", "x is a int: expected a class with backprop(x, y) or a function"),
        ("def bp(x, y): pass\n", "m.py:bp", "bp is a function: {path} must also define `weights` and `biases`"),
    ],
)
def test_unusable_code_exits_2_with_one_line(tmp_path, capsys, source, target, message):
    path = tmp_path / "m.py"
    path.write_text(source)
    file, _, name = target.partition(":")
    assert main(["check-backprop", str(tmp_path / file) + (f":{name}" if name else ""), "--sizes", "2,1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("autograd-tiny check-backprop: error: " + message.format(path=path))
    assert err.count("\n") == 1


def test_missing_file_and_missing_sizes_exit_2(network_py, tmp_path, capsys):
    assert main(["check-backprop", str(tmp_path / "nope.py")]) == 2
    assert "nope.py is not a file" in capsys.readouterr().err
    assert main(["check-backprop", str(network_py)]) == 2
    assert "Network is a class: give --sizes" in capsys.readouterr().err
    assert main(["check-backprop", str(network_py), "--sizes", "2,x"]) == 2  # argparse's error: the same path
    assert capsys.readouterr().err == (
        "autograd-tiny check-backprop: error: argument --sizes: expected layer sizes like 2,3,1, got '2,x' "
        "(see autograd-tiny check-backprop --help)\n"
    )


def test_help_says_it_runs_the_learners_code(capsys):
    with pytest.raises(SystemExit):
        main(["check-backprop", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "this runs your code" in text and "example: autograd-tiny check-backprop" in text
