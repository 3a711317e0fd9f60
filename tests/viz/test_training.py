"""training_explorer's page, read as a file: self-contained, its stored weights exactly the
recorded ones, its ids from viz.ids, under 3 MB for the demo's run; and its errors."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from autograd_tiny.nn import MLP, SGD, Adam, datasets, fit
from autograd_tiny.viz import Explorer, ids, training_explorer


def embedded(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="training-data">(.*?)</script>', page, re.DOTALL)
    assert match, "no embedded data"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def history():
    X, y = datasets.two_moons(20, seed=0)
    model = MLP(2, [3, 2, 1], activation="tanh", seed=0)
    return fit(model, X, y, "binary_cross_entropy_with_logits", Adam(model.parameters(), lr=0.05), epochs=5,
               record=2, progress=False)  # fmt: skip


def test_the_page_stores_exactly_the_recorded_weights_and_curves(history, tmp_path):
    path = training_explorer(history, tmp_path / "t.html")
    data = embedded(path.read_text(encoding="utf-8"))
    recording = history.recording
    (run,) = data["runs"]
    assert data["stops"] == run["epochs"] == [0, 2, 4, 5]
    stored = np.frombuffer(base64.b64decode(run["params"]), dtype="<f8")
    expected = np.concatenate([np.ravel(p) for s in recording.snapshots for W, b in s.params for p in (W, b)])
    assert np.array_equal(stored, expected)  # bit for bit
    assert run["cost"] == [s.cost for s in recording.snapshots]
    assert run["deltaNorms"] == [s.delta_norms for s in recording.snapshots]
    assert run["rows"] == list(range(20)) and np.array_equal(run["x"], recording.probe_X)
    assert run["neurons"][1][0] == {
        "group": "run0-neuron_2_0", "z": "run0-a_z_2_0", "a": "run0-a_a_2_0", "delta": "run0-a_delta_2_0",
        "label": "z[2][0]",
    }  # fmt: skip
    assert run["weights"][2][0][1] == ids.in_run(0, ids.weight_edge(3, 0, 1))


def test_the_page_is_self_contained(history, tmp_path):
    page = training_explorer([history, history], tmp_path / "t.html", titles=["a", "b"]).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert "fetch(" not in page and "XMLHttpRequest" not in page and "<link" not in page and "import(" not in page
    for run in (0, 1):  # each run's drawing keeps its own ids
        assert page.count(f'id="{ids.in_run(run, ids.neuron_group(1, 0))}"') == 1
    assert 'id="neuron_1_0"' not in page


def test_without_a_path_it_is_an_inline_explorer_in_its_own_frame(history, tmp_path):
    explorer = training_explorer(history)
    assert isinstance(explorer, Explorer)
    assert repr(explorer).endswith(": 4 recorded epochs; .save(path) writes the page>")
    html = explorer._repr_html_()
    assert html.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in html
    assert explorer.save(tmp_path / "saved.html").read_text(encoding="utf-8") == explorer.page


def test_the_demos_page_stays_under_3_mb(tmp_path):
    # the demo's network and the budget: 2-16-16-1, 200 epochs, 200 samples (the vectorized
    # engine trains it in a second; the page's size depends only on the shapes)
    X, y = datasets.two_moons(200, seed=0)
    model = MLP(2, [16, 16, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = fit(model, X, y, "binary_cross_entropy", Adam(model.parameters(), lr=0.02), epochs=200, record=1,
                  progress=False)  # fmt: skip
    assert len(history.recording.snapshots) == 201 and len(history.recording.probe_rows) == 200
    size = training_explorer(history, tmp_path / "demo.html").stat().st_size
    assert 100_000 < size < 3_000_000


def test_errors_name_what_was_wrong(history):
    X, y = datasets.xor()
    model = MLP(2, [2, 1], seed=0)
    plain = fit(model, X, y, "quadratic", SGD(model.parameters(), 0.1), epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"run 2 was not recorded: train with fit\(\.\.\., record=k\)"):
        training_explorer([history, plain])
    with pytest.raises(TypeError, match=r"needs the History of fit\(\.\.\., record=k\) or its Recording, got str"):
        training_explorer("history")
    with pytest.raises(ValueError, match="at least one recorded run, got an empty list"):
        training_explorer([])
    with pytest.raises(ValueError, match=r"titles must be a list of 2 strings, one per run, got \['a'\]"):
        training_explorer([history, history], titles=["a"])
    with pytest.raises(ValueError, match="interval_ms must be a positive number of milliseconds, got 0"):
        training_explorer(history, interval_ms=0)
