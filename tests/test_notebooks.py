"""The tutorial notebooks: each one runs without an error (in a temporary copy); one with a
``stated-numbers`` cell states in its text exactly the numbers it computes, and its claims hold.

That cell prints ``{"stated": {name: text}, "measured": {name: number}}``: ``stated`` holds
every number the markdown states, formatted as the markdown writes it; ``measured`` holds the
unrounded values behind the claims, which the per-notebook tests below check.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbclient", reason="the notebooks extra is not installed (pip install -e '.[notebooks]')")
pytest.importorskip("ipykernel", reason="the notebooks extra is not installed (pip install -e '.[notebooks]')")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks  # noqa: E402

NOTEBOOKS = run_notebooks.notebook_paths()
WITH_NUMBERS = [path for path in NOTEBOOKS if run_notebooks.has_stated_numbers(path)]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each notebook executed once, into a temporary copy (the committed one stays untouched)."""
    folder = tmp_path_factory.mktemp("notebooks")
    cache: dict[str, Path] = {}

    def run(name: str) -> Path:
        if name not in cache:
            source = run_notebooks.NOTEBOOKS / name
            copy = folder / name
            shutil.copy(source, copy)
            run_notebooks.execute(copy)
            cache[name] = copy
        return cache[name]

    return run


def numbers(path: Path) -> tuple[dict[str, str], dict[str, float]]:
    record = run_notebooks.stated_numbers(path)
    return record["stated"], record["measured"]


def small_notebook(path: Path, markdown: str, code: str) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    numbers_cell = new_code_cell(code)
    numbers_cell.metadata["tags"] = [run_notebooks.STATED_NUMBERS_TAG]
    nbformat.write(new_notebook(cells=[new_markdown_cell(markdown), numbers_cell]), path)
    return path


def test_runner_reads_stated_numbers_and_finds_those_the_text_lacks(tmp_path):
    code = 'import json\nprint(json.dumps({"stated": {"a": "0.09", "b": "0.10", "c": "12"}, "measured": {"a": 0.094}}))'
    path = small_notebook(tmp_path / "n.ipynb", "a is **0.09**, b is 0.095, and 112 is not c", code)
    seconds = run_notebooks.execute(path)
    assert seconds > 0
    assert run_notebooks.stated_numbers(path)["measured"] == {"a": 0.094}
    assert run_notebooks.unstated_numbers(path) == {"b": "0.10", "c": "12"}


def test_runner_fails_on_an_error_naming_it(tmp_path):
    from nbclient.exceptions import CellExecutionError

    path = small_notebook(tmp_path / "n.ipynb", "text", "1 / 0")
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        run_notebooks.execute(path)


def test_runner_uses_this_python(tmp_path):
    code = 'import json, sys\nprint(json.dumps({"stated": {}, "measured": {"python": sys.executable}}))'
    path = small_notebook(tmp_path / "n.ipynb", "text", code)
    run_notebooks.execute(path)
    assert Path(run_notebooks.stated_numbers(path)["measured"]["python"]).resolve() == Path(sys.executable).resolve()


def test_a_notebook_without_the_numbers_cell_is_reported(tmp_path):
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("text")]), path)
    with pytest.raises(ValueError, match="no code cell tagged 'stated-numbers'"):
        run_notebooks.stated_numbers(path)


def test_the_tutorials_are_there():
    assert {"03-why-cross-entropy.ipynb", "04-vanishing-gradients.ipynb", "06-delta-inside-a-gpt.ipynb"} <= {
        p.name for p in WITH_NUMBERS
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_an_error(path, executed):
    import nbformat

    notebook = nbformat.read(executed(path.name), as_version=4)  # execute() raised on any failing cell
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count is not None for cell in code)
    assert not [out for cell in code for out in cell.outputs if out.output_type == "error"]


@pytest.mark.parametrize("path", WITH_NUMBERS, ids=lambda p: p.stem)
def test_notebook_text_states_the_computed_numbers(path, executed):
    result = executed(path.name)
    stated, _ = numbers(result)
    assert stated, f"{path.name} states no numbers"
    missing = run_notebooks.unstated_numbers(result)
    assert not missing, f"{path.name}: computed numbers that its text does not state: {missing}"


@pytest.mark.parametrize("path", WITH_NUMBERS, ids=lambda p: p.stem)
def test_committed_outputs_are_current(path, executed):
    """The outputs committed with the notebook (what a reader sees on the repository page) are
    those of a fresh run: `make notebooks` was run after the last change."""
    committed, _ = numbers(path)
    fresh, _ = numbers(executed(path.name))
    assert committed == fresh


def test_cross_entropy_claims(executed):
    stated, m = numbers(executed("03-why-cross-entropy.ipynb"))
    fast, slow = "w = 0.6, b = 0.9", "w = b = 2"
    # the numbers: output ≈ 0.82 → ≈ 0.09 after 300 epochs; ≈ 0.98 and a plateau of ~150 epochs
    assert stated[f"quadratic, {fast}: output after 0 epochs"] == "0.82"
    assert stated[f"quadratic, {fast}: output after 300 epochs"] == "0.09"
    assert stated[f"quadratic, {slow}: output after 0 epochs"] == "0.98"
    assert m[f"quadratic, {slow}: output after 0 epochs"] - m[f"quadratic, {slow}: output after 150 epochs"] < 0.06
    assert m[f"quadratic, {fast}: output after 0 epochs"] - m[f"quadratic, {fast}: output after 150 epochs"] > 0.6
    # δ = (a − y) σ′(z): the larger error has the smaller δ
    assert m[f"quadratic, {slow}: δ at the start"] < m[f"quadratic, {fast}: δ at the start"] / 6
    assert m[f"quadratic, {slow}: largest δ in the first 150 epochs"] < m[f"quadratic, {fast}: largest δ"] / 2
    # cross-entropy: δ = a − y, and both starts learn at once
    for start in (fast, slow):
        assert m[f"cross-entropy, {start}: δ at the start"] == pytest.approx(
            m[f"quadratic, {start}: output after 0 epochs"]
        )
        assert m[f"cross-entropy, {start}: output after 50 epochs"] < 0.11
        # with η = 0.005 too: δ = a − y is largest at the very first epoch, no plateau
        assert m[f"cross-entropy η = 0.005, {start}: epoch of the largest δ"] == 0


def test_vanishing_gradient_claims(executed):
    _, m = numbers(executed("04-vanishing-gradients.ipynb"))
    for hidden in (2, 3, 4):
        # the earlier the layer, the slower it learns: at the start, at the end, and (the text says) every epoch
        for when in ("start", "end"):
            speeds = [m[f"{hidden} hidden layers, {when}: ‖δ{layer}‖"] for layer in range(1, hidden + 1)]
            assert speeds == sorted(speeds), f"{hidden} hidden layers at the {when}: {speeds} is not increasing"
        assert m[f"{hidden} hidden layers: every epoch in order"] is True
    assert m["start: smallest factor between neighbouring layers"] > 3
    # "the same shape and even similar values" as Nielsen's 0.012, 0.060, 0.283 for three hidden layers
    for layer, nielsen in enumerate((0.012, 0.060, 0.283), start=1):
        assert nielsen / 1.5 < m[f"3 hidden layers, start: ‖δ{layer}‖"] < nielsen * 1.5
    # the two-hidden-layer network learns in 8 epochs, the deeper ones are still at chance (10 classes)
    assert m["2 hidden layers: test accuracy"] > 0.3
    assert m["3 hidden layers: test accuracy"] < 0.15 and m["4 hidden layers: test accuracy"] < 0.15


def test_micrograd_to_delta_claims(executed):
    _, m = numbers(executed("01-from-micrograd-to-delta.ipynb"))
    # the chain rule by hand, node by node, gives the lecture's numbers, and backward() the same
    assert (m["∂L/∂a"], m["∂L/∂b"], m["∂L/∂c"], m["∂L/∂f"]) == (6.0, -4.0, -2.0, 4.0)
    assert (m["backward(): ∂L/∂a"], m["backward(): ∂L/∂b"]) == (6.0, -4.0)
    assert m["∂o/∂n"] == pytest.approx(0.5, rel=1e-12)  # 1 − tanh²(n) with tanh(n) = 1/√2
    assert m["output δ"] == m["a − y"]  # BP1 with a linear output and C = ½(a − y)²


def test_four_equations_claims(executed):
    _, m = numbers(executed("02-the-four-equations.ipynb"))
    assert m["‖δ¹‖"] < m["‖δ²‖"] < m["‖δ³‖"]  # the error shrinks as it is passed back
    assert m["check_backprop passed"] is True
    assert (m["diagnosed equation"], m["diagnosed layer"], m["mistake"]) == ("BP2", 2, "missing_sigma_prime")


def test_checking_gradients_claims(executed):
    _, m = numbers(executed("05-checking-gradients.ipynb"))
    assert m["Newton after 10 steps"] < 1e-20 and m["descent after 200 steps"] > 1e-3
    assert m["gradcheck max rel error"] < 1e-8
    assert m["check_gradient right passes"] is True and m["check_gradient without 1/n passes"] is False
    assert m["without 1/n max rel error"] > 1e-2  # "wrong" in CS231n's reading


def test_delta_inside_a_gpt_claims(executed):
    stated, m = numbers(executed("06-delta-inside-a-gpt.ipynb"))
    assert abs(m["cost before training"] - 3.2958) < 0.2  # near ln 27: a uniform guess
    # BP1 for softmax with cross-entropy: δ = (p − y)/n, at position 0 and at every logit
    assert m["δ of the next token at position 0"] == pytest.approx(m["(p − 1)/n"], rel=1e-12)
    assert m["largest |δ − (p − y)/n|"] < 1e-15
    # the scores' δ through the softmax's Jacobian, summing to 0; the first position's is exactly 0
    assert m["largest |δ scores graph − formula|"] < 1e-15 and abs(m["sum of the scores' δ"]) < 1e-17
    assert m["first position's score δ"] == [0.0, 0.0]
    # the residual stream: skip + block, and the skip dominates at initialisation
    assert m["largest |stream − (skip + block)|"] < 1e-15 and 0.8 < m["‖∂C/∂x_mid‖ / ‖∂C/∂x_out‖"] < 1.2
    assert m["check_gpt_backprop passed"] is True and m["gradcheck passed"] is True
    assert m["mean cost, last 50 steps"] < m["mean cost, first 20 steps"] - 0.5  # it learns
    assert m["exercise 1 answer"] == "correct"
    assert stated["δ of the next token at position 0"].startswith("−")
