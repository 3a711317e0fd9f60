"""End to end through the installed console script (subprocess)."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

EXE = shutil.which("autograd-tiny", path=str(Path(sys.executable).parent))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    assert EXE, "the console script autograd-tiny is not installed next to this Python"
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_demo_writes_every_promised_file_and_prints_the_delta_table(tmp_path):
    out = tmp_path / "out"
    result = run("demo", "--epochs", "3", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "check_backprop passed" in result.stdout
    assert "graph (z.grad) vs equations" in result.stdout and "z[3][0]" in result.stdout
    assert "δ = ∂C/∂z for the hardest training sample, #" in result.stdout
    deltas = [float(line.split()[1]) for line in result.stdout.splitlines() if line.strip().startswith("z[")]
    assert max(map(abs, deltas)) > 1e-2  # readable numbers, not the ~1e-7 of an easy sample
    for name in ("graph.svg", "network.svg"):
        path = out / name
        assert f"wrote {path}" in result.stdout
        ET.parse(path)  # valid XML
        assert path.read_text().count("δ") >= 1
    for name in ("loss.png", "decision_boundary.png"):
        data = (out / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
        assert f"wrote {out / name}" in result.stdout
    assert f"wrote {out / 'training.html'}" in result.stdout
    (recorded,) = embedded_training_data(out / "training.html")["runs"]
    assert recorded["epochs"] == [0, 1, 2, 3] and recorded["sizes"] == [2, 16, 16, 1]  # record=1: every epoch


def embedded_training_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="training-data">')
    return json.loads(text[text.index(">", start) + 1 : text.index("</script>", start)])


@pytest.mark.parametrize(
    ("args", "sizes", "epochs"),
    [
        (["--dataset", "spiral", "--loss", "softmax_cross_entropy", "--hidden", "4,3", "--record", "2"], [2, 4, 3, 2],
         [0, 2, 4, 5]),
        (["--dataset", "xor", "--loss", "hinge", "--activation", "relu", "--optimizer", "sgd", "--hidden", "3"],
         [2, 3, 1], [0, 1, 2, 3, 4, 5]),
    ],
)  # fmt: skip
def test_train_records_the_run_and_writes_its_page(tmp_path, args, sizes, epochs):
    page = tmp_path / "run.html"
    result = run("train", *args, "--samples", "20", "--epochs", "5", "--out", str(page), "--quiet")
    assert result.returncode == 0, result.stderr
    assert f"wrote {page}" in result.stdout and f"{len(epochs)} recorded epochs" in result.stdout
    (recorded,) = embedded_training_data(page)["runs"]
    assert recorded["sizes"] == sizes and recorded["epochs"] == epochs and len(recorded["rows"]) == 20
    if "hinge" in args:
        assert {row[0] for row in recorded["y"]} == {-1.0, 1.0}  # the signed labels hinge needs


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hidden", "8,0"], "argument --hidden: expected layer sizes like 8,8 (positive integers), got '8,0'"),
        (["--lr", "-1"], "argument --lr: expected a positive number, got '-1'"),
        (["--out", "."], "--out .: is a folder; give the name of the HTML file to write"),
        (["--loss", "l1"], "argument --loss: invalid choice: 'l1'"),
    ],
)
def test_train_usage_errors_exit_2_with_one_line(args, message, capsys):
    from autograd_tiny.cli import main

    status = main(["train", "--epochs", "1", *args])  # argparse's errors and the command's take one path
    error = capsys.readouterr().err
    assert status == 2 and error.startswith("autograd-tiny train: error: ") and message in error
    assert error.count("\n") == 1  # one line: no usage block, no traceback


@pytest.mark.parametrize("samples", ["1", "0"])
def test_train_refuses_fewer_samples_than_a_data_set_takes(samples, capsys):
    from autograd_tiny.cli import main

    assert main(["train", "--epochs", "1", "--samples", samples]) == 2
    error = capsys.readouterr().err
    assert error == (
        f"autograd-tiny train: error: argument --samples: expected an integer ≥ 2 (a point of each class), "
        f"got '{samples}' (see autograd-tiny train --help)\n"
    )


def test_every_data_set_gives_both_classes_at_the_fewest_samples_train_takes():
    from autograd_tiny.cli.toy_data import DATASETS, MIN_SAMPLES

    for name, make in DATASETS.items():
        _, y = make(MIN_SAMPLES, 0, False)
        assert set(y.tolist()) == {0.0, 1.0}, name


def test_train_checks_the_pages_folder_before_it_trains(tmp_path, capsys):
    from autograd_tiny.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("keep me")
    assert main(["train", "--epochs", "1", "--out", str(blocker / "run.html")]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"autograd-tiny train: error: --out {blocker / 'run.html'}: its folder {blocker} exists and is not a folder\n"
    )
    assert captured.out == "" and blocker.read_text() == "keep me"  # refused before training
    assert main(["train", "--epochs", "1", "--out", "/proc/missing/run.html"]) == 1  # /proc: not even root makes it
    captured = capsys.readouterr()
    assert captured.err.startswith("autograd-tiny train: error: cannot create the output folder /proc/missing: ")
    assert captured.out == ""
    page = tmp_path / "runs" / "spiral" / "run.html"  # a missing folder is made, as demo makes its --out
    assert main(["train", "--samples", "10", "--epochs", "1", "--out", str(page), "--quiet"]) == 0
    assert page.is_file() and "(10 points) for 1 epoch, recording every 1" in capsys.readouterr().out


def test_train_takes_a_loss_by_its_old_spelling(tmp_path, capsys):
    from autograd_tiny.cli import main

    out = ["--out", str(tmp_path / "run.html"), "--quiet"]
    assert main(["train", "--loss", "cross_entropy", "--samples", "10", "--epochs", "1", *out]) == 0
    assert "(tanh, output sigmoid, binary_cross_entropy)" in capsys.readouterr().out  # the alias's loss


def test_demo_refuses_an_output_path_that_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("keep me")
    result = run("demo", "--epochs", "1", "--out", str(target))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "keep me"


def test_draw_prints_gradients_and_writes_an_svg_that_contains_them(tmp_path):
    svg = tmp_path / "f.svg"
    result = run(
        "draw", "tanh(w*x + b)", "--var", "w=-3", "--var", "x=2", "--var", "b=6.8813735870195432", "-o", str(svg)
    )
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.split()}
    assert lines["w"][1:] == ["-3", "1"] and lines["x"][1:] == ["2", "-1.5"]
    assert float(lines["b"][2]) == pytest.approx(0.5, rel=1e-9)
    text = " ".join(ET.parse(svg).getroot().itertext())
    for grad in ("grad 1", "grad -1.5", "grad 0.5"):
        assert grad in text


def test_draw_with_local_gradients(tmp_path):
    svg = tmp_path / "f.svg"
    result = run("draw", "log(1 + exp(-y*(w1*x1 + w2*x2)))", "--var", "y=1", "--var", "w1=0.5", "--var", "x1=2",
                 "--var", "w2=-1", "--var", "x2=0.25", "--local-grads", "-o", str(svg))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "∂=" in svg.read_text()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("x.__class__", "attribute access (.__class__) is not allowed at column 1"),
        ("__import__('os').system('echo hi')", "calling attribute access (.system) is not allowed"),
        ("__import__('os')", "calling __import__ is not allowed"),
        ("x[0]", "subscripting is not allowed"),
        ("(lambda: 1)()", "calling a lambda is not allowed"),
        ("'abc'", "the constant 'abc' is not allowed"),
        ("floor(x)", "calling floor is not allowed at column 1: only exp, log, sin, cos, sqrt, abs, tanh, sigmoid, "),
        ("x + sin", "sin is a function, not a variable at column 5: call it as sin(...)"),
        ("exp", "exp is a function, not a variable at column 1: call it as exp(...)"),
        ("x + y", "undefined variable y: give each a value with --var NAME=VALUE (the formula uses: x, y)"),
        ("x" + " + x" * 1200, "the limit is 2,000"),
        ("x +", "syntax error"),
    ],
)
def test_forbidden_expressions_exit_2_with_one_line_and_no_traceback(expression, message, tmp_path):
    result = run("draw", expression, "--var", "x=1", "-o", str(tmp_path / "f.svg"))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "f.svg").exists()


def test_bad_var_is_a_usage_error(tmp_path):
    result = run("draw", "x", "--var", "x=abc", "-o", str(tmp_path / "f.svg"))
    assert result.returncode == 2 and "'abc' is not a number" in result.stderr


def test_gradcheck_quick_passes_and_prints_the_table():
    result = run("gradcheck", "--quick")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("gradcheck suite passed:") and lines[0].endswith(" passed, 0 failed")
    assert lines[1].split()[:3] == ["check", "abs", "error"]
    # within its tolerance an error prints as the bound, so the table is the same on every machine
    assert any(line.startswith("op tanh(a)") and line.split()[-5:] == ["1e-05", "≤", "1e-04", "gradcheck", "pass"]
               for line in lines)  # fmt: skip
    assert any(line.startswith("check_backprop relu + softmax_cross_entropy") for line in lines)


def test_the_self_check_is_a_report():
    from autograd_tiny.cli.selfcheck import run_suite
    from autograd_tiny.table import Report

    report = run_suite(quick=True)
    assert isinstance(report, Report) and report and "<table>" in report._repr_html_()


def test_each_self_check_row_is_its_worst_comparison_printed_by_the_one_formatter():
    """No second result type and no second printing rule: a row holds the Comparison that uses most of
    its tolerance; passing rows print bounds, never digits or inf (logsumexp at (300, 299, -40) has a
    reference of 0 where the engine gives 1.6e-148), and a failing row prints its digits."""
    import re

    import autograd_tiny.cli.selfcheck as selfcheck
    from autograd_tiny.comparison import Comparison

    report = selfcheck.run_suite(quick=True)
    assert not hasattr(selfcheck, "NOISE_SCALE") and not hasattr(selfcheck, "CheckResult")
    assert all(isinstance(row.worst, Comparison) and row.passed == row.worst.passed for row in report.results)
    cells = [cell for row in report.table().rows for cell in row[1:3]]
    assert all(re.fullmatch(r"[≤>] 1e-\d\d|—", cell) for cell in cells), cells
    logsumexp = next(row for row in report.table().rows if row[0] == "op logsumexp(a, b, c)")
    assert logsumexp[1:] == ("≤ 1e-05", "≤ 1e-04", "gradcheck", "pass")
    wrong = selfcheck.CheckRow.of("wrong", [Comparison.of(1.1, 1.0, selfcheck.GRADCHECK), report.results[0].worst])
    failing = selfcheck.SelfCheck((wrong,))
    assert not failing and failing.table().rows == (("wrong", "1.00e-01", "1.00e-01", "gradcheck", "FAIL"),)


def test_every_command_has_help_with_an_example():
    for command in ("demo", "draw", "gradcheck", "gpt"):
        result = run(command, "--help")
        assert result.returncode == 0 and "example: autograd-tiny " + command in result.stdout


def test_gpt_trains_samples_checks_and_draws(tmp_path):
    out = tmp_path / "gpt"
    result = run("gpt", "--steps", "4", "--n-embd", "4", "--n-head", "2", "--block-size", "8", "--samples", "3",
                 "--seed", "1", "--out", str(out), "--quiet")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "1. Training a GPT of 440 parameters (n_layer 1, n_embd 4, n_head 2, block_size 8) on 32,033 names,"
    )
    assert lines[1] == "   one name per step, for 4 steps (engine auto: the replay of its graph with NumPy)"
    losses = [line for line in lines if line.strip().startswith("step ")]
    assert len(losses) == 4 and all(2.5 < float(line.split("loss")[1]) < 4.5 for line in losses)  # ln 27 = 3.30
    sampled = lines[lines.index("2. 3 names sampled at temperature 0.5:") + 1 :][:3]
    assert all(name.startswith("   ") and (name.strip().isalpha() or "empty" in name) for name in sampled)
    assert "check_gpt_backprop passed" in result.stdout and "δ at the attention scores, layer 0" in result.stdout
    for name in ("position.svg", "head.svg"):
        ET.parse(out / name)
        assert f"wrote {out / name}" in result.stdout and "δ = " in (out / name).read_text()
    assert (out / "loss.png").read_bytes().startswith(b"\x89PNG")
    assert f"wrote {out / 'backward.html'}" in result.stdout and "block by block" in (out / "backward.html").read_text()


def test_gpt_trains_alike_on_the_scalar_engine(tmp_path):
    options = ("--steps", "3", "--n-embd", "4", "--n-head", "2", "--block-size", "8", "--samples", "1", "--quiet")
    runs = [run("gpt", *options, "--out", str(tmp_path / engine), "--engine", engine) for engine in ("auto", "scalar")]
    assert all(result.returncode == 0 for result in runs), runs[-1].stderr
    assert "(engine scalar: a graph of Values per step)" in runs[1].stdout
    losses = [[line for line in result.stdout.splitlines() if line.strip().startswith("step ")] for result in runs]
    assert len(losses[0]) == 3 and losses[0] == losses[1]  # the same losses, to the 4 decimals printed


def test_gpt_refuses_a_width_that_the_heads_do_not_divide(tmp_path):
    result = run("gpt", "--n-embd", "6", "--n-head", "4", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "--n-embd 6 must be a multiple of --n-head 4" in result.stderr and "Traceback" not in result.stderr


def test_gpt_refuses_a_negative_seed_as_a_usage_error(tmp_path):
    result = run("gpt", "--seed", "-1", "--steps", "1", "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "argument --seed: expected an integer ≥ 0 (NumPy's seeds are), got '-1'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()  # refused before any work


@pytest.mark.parametrize("command", ["demo", "train", "gpt", "check-backprop"])
@pytest.mark.parametrize("seed", ["-1", "x", "1.5"])
def test_every_seed_option_refuses_what_numpy_cannot_seed_with_one_line(command, seed, capsys, tmp_path):
    from autograd_tiny.cli import main

    where = [str(tmp_path / "network.py")] if command == "check-backprop" else ["--out", str(tmp_path / "out")]
    status = main([command, *where, "--seed", seed])
    error = capsys.readouterr().err
    assert status == 2 and error.count("\n") == 1, error  # one line, no traceback
    assert error.startswith(f"autograd-tiny {command}: error: argument --seed: ")
    assert f"expected an integer ≥ 0 (NumPy's seeds are), got '{seed}'" in error
    assert not (tmp_path / "out").exists()  # refused before any work


def test_the_seed_type_takes_its_rule_from_check_seed():
    from autograd_tiny.cli.arguments import random_seed

    assert random_seed("0") == 0 and random_seed("4294967296") == 2**32  # NumPy takes any integer ≥ 0
    with pytest.raises(argparse.ArgumentTypeError, match=r"^expected an integer ≥ 0 \(NumPy's seeds are\), got '-7'$"):
        random_seed("-7")


def test_unknown_command_is_a_usage_error():
    result = run("fly")
    assert result.returncode == 2 and "invalid choice: 'fly'" in result.stderr
