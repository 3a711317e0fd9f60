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

import numpy as np
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
    """The text a reader sees under each code cell that shows any (printed text and plain reprs,
    joined: a kernel may split one print into several chunks; pictures and HTML are left out),
    with object addresses masked; the probe cell is left out."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    shown = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or run_notebooks.PROBE_TAG in cell.metadata.get("tags", []):
            continue
        texts = [
            "".join(out.get("text") if out.output_type == "stream" else out.get("data", {}).get("text/plain", ""))
            for out in cell.outputs
        ]
        if any(texts):
            shown.append((index, re.sub(r"0x[0-9a-f]+", "0x…", "".join(texts))))
    return shown


def same_to_rounding(committed: str, fresh: str) -> bool:
    """The same text with the same numbers, each within 1e-6 relative or 1e-7 absolute: what a
    different NumPy build or CPU changes (digits below a check's tolerance) does not count."""
    if " ".join(NUMBER.sub("#", committed).split()) != " ".join(NUMBER.sub("#", fresh).split()):
        return False

    def value(text: str) -> float:
        return float(text.replace("−", "-").rstrip("%"))

    pairs = zip(NUMBER.findall(committed), NUMBER.findall(fresh))
    return all(abs(value(a) - value(b)) <= 1e-7 + 1e-6 * abs(value(b)) for a, b in pairs)


def test_the_probe_reads_a_notebooks_values_and_the_text_check_finds_missing_numbers(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    path = tmp_path / "n.ipynb"
    cells = [
        new_markdown_cell("a is **0.09**, b is 0.095, and 112 is not c"),
        new_code_cell("import numpy as np\na = 0.094"),
    ]
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
    "answer 1 passes": (
        "bool(at.check_gradient(total_cross_entropy, lambda z: delta_cross_entropy(z, y_samples), z_samples))"
    ),
    "answer 2 passes": "bool(at.check_gradient(cross_entropy_of, gradient_of, np.array([2.0, 2.0])))",
    "recorded outputs": "[[h.recording.model(e)([x])[0].data for e in (0, 150, 300)] for h in recorded]",
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
    # the training explorer's runs: nn.fit(record=5) takes the same steps as the hand-written loop
    for recorded, loop in zip(v["recorded outputs"], (q_slow, entropy[SLOW])):
        assert recorded == pytest.approx([loop["output"][e] for e in (0, 150, 300)], abs=1e-12)
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


UNSTABLE = "04-vanishing-gradients.ipynb"
PROBES[UNSTABLE] = {
    "at start": "at_start",
    "nielsen": "nielsen",
    "draws": "draws",
    "during": "during",
    "accuracy": "accuracy",
    "moved": "{h: moved(models[h], initial[h]) for h in depths}",
    "chain deltas": "deltas",
    "helped": "helped",
    "chain w = 10": "chain_deltas(chain(10.0))",
    "chain w = 10, biases 0": "chain_deltas(chain(10.0, biases_for_z_zero=False))",
    "watched": (
        "{h: {'norms': [s.delta_norms for s in d.recording.snapshots], 'accuracy': d.accuracy[-1]}"
        " for h, d in deep.items()}"
    ),
}


def test_unstable_gradient_claims(executed):
    _, v = executed(UNSTABLE)
    start, during, nielsen = v["at start"], v["during"], v["nielsen"]
    stated = {}
    for hidden in ("2", "3", "4"):
        # the earlier the layer, the slower it learns: at the start, at the end, and (the text says) every epoch
        assert all(s == sorted(s) for s in during[hidden]), f"{hidden} hidden layers: not in order every epoch"
        for layer, (ours, end) in enumerate(zip(start[hidden], during[hidden][-1]), start=1):
            stated[f"{hidden} hidden, start, ‖δ{layer}‖"] = f"{ours:.4f}"
            stated[f"{hidden} hidden, end, ‖δ{layer}‖"] = f"{end:.4f}"
        for layer, moved in enumerate(v["moved"][hidden], start=1):
            stated[f"{hidden} hidden, ‖ΔW{layer}‖/‖W{layer}‖"] = f"{moved:.3f}"
        stated[f"{hidden} hidden, accuracy"] = f"{v['accuracy'][hidden]:.0%}"
        stated[f"{hidden} hidden, last ÷ first"] = (
            f"{start[hidden][-1] / start[hidden][0]:.{0 if hidden == '4' else 1}f}"
        )
        stated[f"{hidden} hidden, Nielsen's last ÷ first"] = (
            f"{nielsen[hidden][-1] / nielsen[hidden][0]:.{0 if hidden == '4' else 1}f}"
        )
    factors = [s[l + 1] / s[l] for s in start.values() for l in range(len(s) - 1)]
    assert min(factors) > 3
    stated |= {"smallest factor": f"{min(factors):.1f}", "largest factor": f"{max(factors):.1f}"}
    # four hidden layers: ours 1.6 to 3.0 times smaller than Nielsen's; last ÷ first 168 against 95
    smaller = [theirs / ours for ours, theirs in zip(start["4"], nielsen["4"])]
    stated |= {"smaller, least": f"{min(smaller):.1f}", "smaller, most": f"{max(smaller):.1f}"}
    assert nielsen["4"][-1] / nielsen["4"][0] == pytest.approx(95)
    ratios = [s[-1] / s[0] for s in v["draws"].values()]
    assert ratios[0] == max(ratios)  # seed 0 is the most extreme draw of the six
    stated |= {"draws, least": f"{min(ratios):.0f}", "draws, most": f"{max(ratios):.0f}"}
    # two hidden layers learn in 8 epochs, the deeper ones stay at chance with their first layers unmoved
    assert v["accuracy"]["2"] > 0.3 and v["accuracy"]["3"] < 0.15 and v["accuracy"]["4"] < 0.15
    assert v["moved"]["4"][0] < 0.03 and v["moved"]["4"][1] < 0.03 and v["moved"]["4"][-1] > 1
    assert all(moved > 1 for moved in v["moved"]["2"])
    stated["4 hidden, first layers moved"] = f"{v['moved']['4'][0]:.0%}"
    # Nielsen's exploding chain: w = 100, every z = 0, so each step back multiplies δ by 25 exactly
    deltas = v["chain deltas"]
    assert deltas == [1953.125, 78.125, 3.125, 0.125]
    chain = v["chain w = 10"]
    assert chain[0] / chain[-1] == pytest.approx(2.5**3, rel=1e-12)
    no_bias = v["chain w = 10, biases 0"]
    assert abs(no_bias[0] / no_bias[-1]) < 1e-9  # the same weights without the biases: δ vanishes
    # what helps: rescaled sigmoid, tanh and ReLU keep the layers within a factor of 6, and learn
    helped = v["helped"]
    lecun = helped["sigmoid, LeCun 1/√n"]
    assert lecun["speeds"][-1] / lecun["speeds"][0] > 50 and lecun["moved"][0] < 0.01 and lecun["accuracy"] < 0.15
    for name, result in helped.items():
        speeds, moved = result["speeds"], result["moved"]
        stated |= {f"{name}, ‖δ{l}‖": f"{s:.3f}" for l, s in enumerate(speeds, start=1)}
        stated |= {
            f"{name}, last ÷ first": f"{speeds[-1] / speeds[0]:.1f}",
            f"{name}, accuracy": f"{result['accuracy']:.0%}",
        }
        stated |= {f"{name}, ‖ΔW1‖/‖W1‖": f"{moved[0]:.3f}", f"{name}, ‖ΔW4‖/‖W4‖": f"{moved[3]:.3f}"}
        if name != "sigmoid, LeCun 1/√n":
            assert speeds[-1] / speeds[0] < 6 and moved[0] >= moved[3] * 0.9 and result["accuracy"] > 0.5
    # the training explorer's two runs: the sigmoid network's hidden layers in order and far apart at
    # every recorded epoch, the ReLU network's close together; ReLU learns the moons, sigmoid does not
    sigmoid, relu = v["watched"]["sigmoid"], v["watched"]["relu"]
    hidden = {name: np.array(run["norms"])[:, :4] for name, run in v["watched"].items()}
    assert all(list(norms) == sorted(norms) for norms in hidden["sigmoid"])
    first_to_last = hidden["sigmoid"][:, 3] / hidden["sigmoid"][:, 0]
    spread = hidden["relu"].max(axis=1) / hidden["relu"].min(axis=1)
    assert first_to_last.min() > 50 and spread.max() < 6
    assert relu["accuracy"] > 0.95 and sigmoid["accuracy"] < 0.8
    stated |= {
        "watched, sigmoid, least": f"{first_to_last.min():.3g}",
        "watched, sigmoid, most": f"{first_to_last.max():.3g}",
        "watched, sigmoid, accuracy": f"{sigmoid['accuracy']:.0%}",
        "watched, relu, spread": f"{spread.max():.3g}",
        "watched, relu, accuracy": f"{relu['accuracy']:.0%}",
    }
    assert_stated(UNSTABLE, stated)


MICROGRAD = "01-from-micrograd-to-delta.ipynb"
PROBES[MICROGRAD] = {
    "by hand": "{v.label: v.grad for v in topological_order(L)}",
    "backward()": "[a2.grad, b2.grad, c2.grad, f2.grad]",
    "∂o/∂n": "n.grad",
    "wrong order": "wrong_order",
    "right order": "right_order",
    "output δ": "output_deltas",
    "a − y": "[a_k.data - y_k for a_k, y_k in zip(trace.output, y)]",
    "shares": "[[W2[k][j] * output_deltas[k] for k in range(2)] for j in range(3)]",
    "hidden a.grad": "[act.grad for act in trace.a[0]]",
    "tanh′": "[1 - act.data**2 for act in trace.a[0]]",
    "hidden δ": "trace.delta(0)",
    "exercise 1": "[predicted, c.data, Value(2.0).grad]",
    "exercise 2": "[my_delta, graph_delta]",
}


def test_micrograd_to_delta_claims(executed):
    _, v = executed(MICROGRAD)
    # the chain rule by hand, node by node, gives the lecture's numbers, and backward() the same
    by_hand = v["by hand"]
    assert [by_hand[name] for name in "abcdef"] == [6.0, -4.0, -2.0, -2.0, -2.0, 4.0]
    assert v["backward()"] == [6.0, -4.0, -2.0, 4.0]
    assert v["∂o/∂n"] == pytest.approx(0.5, rel=1e-12)  # 1 − tanh²(n) with tanh(n) = 1/√2
    # out = h² + h, h = 2a at a = 3: ∂out/∂h = 13 and ∂out/∂a = 26; h propagated too early leaves a 2
    assert v["right order"] == {"h": 13.0, "a": 26.0} and v["wrong order"] == {"h": 13.0, "a": 2.0}
    assert v["output δ"] == v["a − y"]  # BP1 with a linear output and C = ½‖a − y‖²
    # BP2 on the graph: a hidden activation's gradient is the sum of the two shares, δ that times tanh′
    for shares, a_grad, tanh_prime, delta in zip(v["shares"], v["hidden a.grad"], v["tanh′"], v["hidden δ"]):
        assert len(shares) == 2 and all(share != 0 for share in shares)
        assert a_grad == pytest.approx(sum(shares), rel=1e-14)
        assert delta == pytest.approx(sum(shares) * tanh_prime, rel=1e-14)
    assert v["exercise 1"][0] == 5.0  # ∂(a·a + a)/∂a at a = 2
    assert v["exercise 2"][0] == pytest.approx(v["exercise 2"][1], rel=1e-12)
    assert_stated(
        MICROGRAD, {"∂L/∂a": "6", "∂L/∂b": "−4", "∂L/∂f": "4", "∂out/∂h": "13", "∂out/∂a": "26", "answer 1": "5"}
    )


FOUR_EQUATIONS = "02-the-four-equations.ipynb"
PROBES[FOUR_EQUATIONS] = {
    "norms": "norms",
    "check_backprop passed": "bool(report)",
    "learner": "[diagnosis.equation, diagnosis.layer, diagnosis.mistake]",
    "fixed passes": "bool(diagnose_backprop(FixedNetwork([3, 4, 4, 2])))",
    "answer 1 passes": "bool(diagnose_backprop(SlipNetwork([3, 4, 4, 2])))",
    "answer 2 passes": "bool(diagnose_backprop(CrossEntropyNetwork([3, 4, 4, 2]), loss='cross_entropy'))",
    "quadratic BP1 under cross-entropy": (
        "[diagnose_backprop(FixedNetwork([3, 4, 4, 2]), loss='cross_entropy').equation,"
        " diagnose_backprop(FixedNetwork([3, 4, 4, 2]), loss='cross_entropy').mistake]"
    ),
}


def test_four_equations_claims(executed):
    copy, v = executed(FOUR_EQUATIONS)
    norms = v["norms"]
    assert norms[0] < norms[1] < norms[2]  # here the error is smaller at every step back
    assert v["check_backprop passed"]
    assert v["learner"] == ["BP2", 2, "missing_sigma_prime"]
    assert v["fixed passes"] and v["answer 1 passes"] and v["answer 2 passes"]
    # The exercise's slip, as its placeholder shows it (the answer later redefines the class, so the
    # placeholder's diagnosis is read from its own cell's output, not from a class the collector may free).
    import nbformat

    cells = nbformat.read(copy, as_version=4).cells
    placeholder = [text for index, text in shown_outputs(copy) if "sigmoid_prime(a)" in cells[index].source]
    assert len(placeholder) == 1 and "mistake='sigma_prime_of_activation'" in placeholder[0]
    assert v["quadratic BP1 under cross-entropy"] == ["BP1", "cost_mismatch"]  # exercise 2's placeholder
    stated = {f"‖δ{l}‖": f"{norm:.4f}" for l, norm in zip("¹²³", norms)}
    assert_stated(FOUR_EQUATIONS, stated | {"diagnosed layer": "2"})


CHECKING = "05-checking-gradients.ipynb"
EACH_ARRAY = "{{name: bool(check_one_array(network_cost, {0}, params, name)) for name in params}}"
PROBES[CHECKING] = {
    "errors": "errors",
    "gradcheck max rel error": "at.gradcheck(f, {'w': 0.8, 'x': -1.5, 'b': 0.3}).max_rel_error",
    "right passes": "bool(at.check_gradient(loss, loss_gradient, W))",
    "without 1/n": "at.check_gradient(loss, loss_gradient_without_mean, W).max_rel_error",
    "slip": EACH_ARRAY.format("network_gradients"),
    "fixed": EACH_ARRAY.format("network_gradients_fixed"),
    "exercise answer": EACH_ARRAY.format("exercise_gradients"),
    "eps 1e-6": "at_1e6",
    "eps 1e-3": "at_1e3",
}


def test_checking_gradients_claims(executed):
    _, v = executed(CHECKING)
    errors = {float(eps): error for eps, error in v["errors"].items()}
    # truncation ∝ ε² down to 1e-4 (a hundredfold per decade), rounding ∝ 1/ε below 1e-5
    for eps in (1e-1, 1e-2, 1e-3):
        assert 50 < errors[eps] / errors[eps / 10] < 200
    assert 1e-12 < errors[1e-6] < 1e-9  # not ε² = 1e-12: rounding dominates at the usual ε
    assert max(errors[1e-9], errors[1e-10]) > 10 * errors[1e-6]  # (either may be small by luck, not both)
    assert min(errors, key=errors.get) in (1e-5, 1e-6, 1e-7)  # the best ε is near u^⅓ ≈ 5e-6
    assert 1e-12 < v["gradcheck max rel error"] < 1e-9
    assert v["right passes"] and v["without 1/n"] > 1e-2  # "wrong" in CS231n's reading
    # the layer-by-layer check: the σ′ slip fails the hidden layer only; the exercise's slip fails W² only
    assert v["slip"] == {"W1": False, "b1": False, "W2": True, "b2": True}
    assert v["fixed"] == {"W1": True, "b1": True, "W2": True, "b2": True}
    assert v["exercise answer"] == {"W1": True, "b1": True, "W2": True, "b2": True}
    assert 1e-8 < v["eps 1e-3"] < 1e-5 and v["eps 1e-3"] > 10 * v["eps 1e-6"]
    assert_stated(CHECKING, {"without 1/n": f"{v['without 1/n']:.2f}"})


GPT_NOTEBOOK = "06-delta-inside-a-gpt.ipynb"
PROBES[GPT_NOTEBOOK] = {
    "cost before training": "trace.loss.data",
    "nodes": "len(at.topological_order(trace.loss))",
    "p next": "float(p_next)",
    "δ next": "float(delta_next)",
    "(p − 1)/n": "float((p_next - 1) / trace.n_positions)",
    "largest |δ − (p − y)/n|": "float(largest_difference)",
    "largest |δ scores graph − formula|": "float(np.max(np.abs(score_delta_formula - score_delta_graph)))",
    "sum of the scores' δ": "float(score_delta_sum)",
    "largest |stream − (skip + block)|": "float(stream_difference)",
    "stream ratio": "float(stream_ratio)",
    "check_gpt_backprop passed": "bool(report)",
    "gradcheck passed": "bool(result)",
    "first": "float(first)",
    "last": "float(last)",
    "exercise 1 answer": "check_exercise_1(delta_at_logits)",
    "first position's score δ": "first_scores_delta",
}


def test_delta_inside_a_gpt_claims(executed):
    _, m = executed(GPT_NOTEBOOK)
    assert abs(m["cost before training"] - 3.2958) < 0.2  # near ln 27: a uniform guess
    assert m["δ next"] == pytest.approx(m["(p − 1)/n"], rel=1e-12)  # BP1: δ = (p − y)/n
    assert m["largest |δ − (p − y)/n|"] < 1e-15
    assert m["largest |δ scores graph − formula|"] < 1e-15 and abs(m["sum of the scores' δ"]) < 1e-17
    assert m["first position's score δ"] == [0.0, 0.0]
    assert m["largest |stream − (skip + block)|"] < 1e-15 and 0.8 < m["stream ratio"] < 1.2
    assert m["check_gpt_backprop passed"] is True and m["gradcheck passed"] is True
    assert m["last"] < m["first"] - 0.5  # it learns
    assert m["exercise 1 answer"] == "correct"
    minus = lambda text: text.replace("-", "−")  # noqa: E731
    assert_stated(
        GPT_NOTEBOOK,
        {
            "cost before training": f"{m['cost before training']:.2f}",
            "nodes": f"{m['nodes']:,}",
            "p next": f"{m['p next']:.3f}",
            "δ next": minus(f"{m['δ next']:.3f}"),
            "stream ratio": f"{m['stream ratio']:.2f}",
            "first": f"{m['first']:.2f}",
            "last": f"{m['last']:.2f}",
        },
    )
