"""The tutorial notebooks: each one runs without an error (in a temporary copy), its committed
outputs are those of a fresh run, its text states exactly the numbers it computes, and its
claims hold.

A notebook holds no test plumbing (notebooks/README.md). The tests read what a run computed
by appending, to the temporary copy only, a probe cell that prints the values of the
expressions named in ``PROBES`` (``run_notebooks.add_probe``); the numbers the markdown
states are formatted here from those values and looked for in the markdown.
"""

from __future__ import annotations

import re
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

# What each notebook's test reads from the notebook after a run: {name: expression}.
PROBES: dict[str, dict[str, str]] = {}


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each notebook executed once, into a temporary copy with the probe cell appended (the
    committed one stays untouched); returns (the executed copy, the probed values)."""
    folder = tmp_path_factory.mktemp("notebooks")
    cache: dict[str, tuple[Path, dict]] = {}

    def run(name: str) -> tuple[Path, dict]:
        if name not in cache:
            copy = folder / name
            shutil.copy(run_notebooks.NOTEBOOKS / name, copy)
            run_notebooks.add_probe(copy, PROBES.get(name, {}))
            run_notebooks.execute(copy)
            cache[name] = (copy, run_notebooks.probed_values(copy))
        return cache[name]

    return run


def assert_stated(name: str, stated: dict[str, str]) -> None:
    """Every number in ``stated`` (formatted as the text writes it) appears in the notebook's markdown."""
    missing = run_notebooks.unstated_numbers(run_notebooks.NOTEBOOKS / name, stated)
    assert not missing, f"{name}: computed numbers that its text does not state: {missing}"


NUMBER = re.compile(r"[-−+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?%?")


def shown_outputs(path: Path) -> list[tuple[int, str]]:
    """The text a reader sees under each code cell (printed text and plain reprs; pictures and
    HTML are left out), with object addresses masked; the probe cell is left out."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    shown = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or run_notebooks.PROBE_TAG in cell.metadata.get("tags", []):
            continue
        for out in cell.outputs:
            text = out.get("text") if out.output_type == "stream" else out.get("data", {}).get("text/plain")
            if text is not None:
                shown.append((index, re.sub(r"0x[0-9a-f]+", "0x…", "".join(text))))
    return shown


def same_to_rounding(committed: str, fresh: str) -> bool:
    """The same text with the same numbers, each within 1e-6 relative or 1e-9 absolute: what a
    different NumPy build or CPU changes (digits below a check's tolerance) does not count."""
    if " ".join(NUMBER.sub("#", committed).split()) != " ".join(NUMBER.sub("#", fresh).split()):
        return False

    def value(text: str) -> float:
        return float(text.replace("−", "-").rstrip("%"))

    pairs = zip(NUMBER.findall(committed), NUMBER.findall(fresh))
    return all(abs(value(a) - value(b)) <= 1e-9 + 1e-6 * abs(value(b)) for a, b in pairs)


def test_the_probe_reads_a_notebooks_values_and_the_text_check_finds_missing_numbers(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    path = tmp_path / "n.ipynb"
    cells = [new_markdown_cell("a is **0.09**, b is 0.095, and 112 is not c"), new_code_cell("import numpy as np\na = 0.094")]
    nbformat.write(new_notebook(cells=cells), path)
    run_notebooks.add_probe(path, {"a": "a", "array": "np.arange(3)", "python": "__import__('sys').executable"})
    assert run_notebooks.execute(path) > 0
    values = run_notebooks.probed_values(path)
    assert values["a"] == 0.094 and values["array"] == [0, 1, 2]
    assert Path(values["python"]).resolve() == Path(sys.executable).resolve()  # this Python's kernel
    stated = {"a": f"{values['a']:.2f}", "b": "0.10", "c": "12"}
    assert run_notebooks.unstated_numbers(path, stated) == {"b": "0.10", "c": "12"}


def test_runner_fails_on_an_error_naming_it(tmp_path):
    import nbformat
    from nbclient.exceptions import CellExecutionError
    from nbformat.v4 import new_code_cell, new_notebook

    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 / 0")]), path)
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        run_notebooks.execute(path)


def test_outputs_compare_equal_to_rounding_only():
    assert same_to_rounding("max rel 1.73e-18 ok", "max rel 0.00e+00 ok")  # noise below the tolerance
    assert same_to_rounding("f = -1.060141473", "f = -1.060141474")
    assert not same_to_rounding("‖δ¹‖ = 0.0083", "‖δ¹‖ = 0.0084")
    assert not same_to_rounding("passed", "failed")


def test_no_committed_notebook_holds_test_plumbing():
    import nbformat

    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            assert not cell.metadata.get("tags"), f"{path.name}: a tagged cell (tests read variables, not tags)"
            if cell.cell_type == "code":
                assert not re.search(r"\b(stated|measured)\[|json\.dumps|perf_counter", cell.source), (
                    f"{path.name}: bookkeeping in a cell a learner reads:\n{cell.source[:200]}"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_an_error(path, executed):
    import nbformat

    notebook = nbformat.read(executed(path.name)[0], as_version=4)  # execute() raised on any failing cell
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count is not None for cell in code)
    assert not [out for cell in code for out in cell.outputs if out.output_type == "error"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_are_current(path, executed):
    """The outputs committed with the notebook (what a reader sees on the repository page) are
    those of a fresh run, to rounding: `make notebooks` was run after the last change."""
    committed, fresh = shown_outputs(path), shown_outputs(executed(path.name)[0])
    assert [index for index, _ in committed] == [index for index, _ in fresh], f"{path.name}: cells changed"
    for (index, old), (_, new) in zip(committed, fresh):
        assert same_to_rounding(old, new), f"{path.name}, cell {index}: committed\n{old}\nfresh run\n{new}"


CROSS_ENTROPY = "03-why-cross-entropy.ipynb"
FAST, SLOW = "w = 0.6, b = 0.9", "w = b = 2"
PROBES[CROSS_ENTROPY] = {
    "runs": "{f'{c}, {s}': r for (c, s), r in runs.items()}",
    "sigma_prime": "sigma_prime",
    "widget": "{s: nielsens_widget(*starts[s]) for s in starts}",
    "eta 0.005": "{s: r['output'][300] for s, r in gradient_runs.items()}",
    "eta 0.005 epoch of the largest delta": "{s: r['delta'].index(max(r['delta'])) for s, r in gradient_runs.items()}",
    "answer 1 passes": "bool(at.check_gradient(total_cross_entropy, lambda z: delta_cross_entropy(z, y_samples), z_samples))",
    "answer 2 passes": "bool(at.check_gradient(cross_entropy_of, gradient_of, np.array([2.0, 2.0])))",
}


def test_cross_entropy_claims(executed):
    _, v = executed(CROSS_ENTROPY)
    quadratic = {start: v["runs"][f"quadratic, {start}"] for start in (FAST, SLOW)}
    entropy = {start: v["runs"][f"cross-entropy, {start}"] for start in (FAST, SLOW)}
    q_fast, q_slow = quadratic[FAST], quadratic[SLOW]
    # output ≈ 0.82 → ≈ 0.09 after 300 epochs; ≈ 0.98 and a plateau of ~150 epochs
    assert q_slow["output"][0] - q_slow["output"][150] < 0.06
    assert q_fast["output"][0] - q_fast["output"][150] > 0.6
    # δ = (a − y) σ′(z): the larger error has the smaller δ; its largest δ is at a = 2/3 (δ = 4/27)
    assert q_slow["delta"][0] < q_fast["delta"][0] / 6
    assert max(q_slow["delta"][:151]) < max(q_fast["delta"]) / 2
    assert max(q_fast["delta"]) == pytest.approx(4 / 27, abs=2e-3)
    # cross-entropy: δ = a − y, both starts learn at once; with η = 0.005 δ is largest in epoch 0
    for start in (FAST, SLOW):
        assert entropy[start]["delta"][0] == pytest.approx(quadratic[start]["output"][0])
        assert entropy[start]["output"][50] < 0.11
        assert v["eta 0.005 epoch of the largest delta"][start] == 0
    # Nielsen's widget steps by 1/(1 − a): it ends near 0.04, the gradient's η = 0.005 run far above
    assert v["widget"][FAST] < 0.05 and v["widget"][SLOW] < 0.05
    assert v["eta 0.005"][FAST] > 0.4 and v["eta 0.005"][SLOW] > 0.7
    a_fast, a_slow = q_fast["output"][0], q_slow["output"][0]
    assert 50 < 1 / (a_slow * (1 - a_slow)) < 60  # the widget's step over the gradient's at w = b = 2
    assert v["answer 1 passes"] and v["answer 2 passes"]
    assert_stated(
        CROSS_ENTROPY,
        {
            "fast start output": f"{q_fast['output'][0]:.2f}",
            "fast start δ": f"{q_fast['delta'][0]:.2f}",
            "fast after 150": f"{q_fast['output'][150]:.2f}",
            "fast after 300": f"{q_fast['output'][300]:.2f}",
            "slow start output": f"{q_slow['output'][0]:.2f}",
            "slow start δ": f"{q_slow['delta'][0]:.3f}",
            "δ ratio": f"{q_fast['delta'][0] / q_slow['delta'][0]:.1f}",
            "σ′(4)": f"{v['sigma_prime']:.3f}",
            "slow after 150": f"{q_slow['output'][150]:.2f}",
            "slow after 300": f"{q_slow['output'][300]:.2f}",
            "cross-entropy δ, fast": f"{entropy[FAST]['delta'][0]:.2f}",
            "cross-entropy δ, slow": f"{entropy[SLOW]['delta'][0]:.2f}",
            "cross-entropy after 50, fast": f"{entropy[FAST]['output'][50]:.2f}",
            "cross-entropy after 50, slow": f"{entropy[SLOW]['output'][50]:.2f}",
            "widget over gradient, fast": f"{1 / (a_fast * (1 - a_fast)):.1f}",
            "widget over gradient, slow": f"{1 / (a_slow * (1 - a_slow)):.0f}",
            "1/(1 − a) at w = b = 2": f"{1 / (1 - a_slow):.1f}",
            "widget, fast": f"{v['widget'][FAST]:.3f}",
            "widget, slow": f"{v['widget'][SLOW]:.3f}",
            "η = 0.005, fast": f"{v['eta 0.005'][FAST]:.2f}",
            "η = 0.005, slow": f"{v['eta 0.005'][SLOW]:.2f}",
            "largest δ, slow, first 150 epochs": f"{max(q_slow['delta'][:151]):.2f}",
            "largest δ, fast": f"{max(q_fast['delta']):.2f}",
            "epoch of the largest δ, fast": str(q_fast["delta"].index(max(q_fast["delta"]))),
        },
    )


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
