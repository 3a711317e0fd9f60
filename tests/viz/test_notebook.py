"""In a real notebook: executed by a Jupyter kernel (nbclient), every object shows the output a
learner should see; then the executed notebook, converted to HTML (nbconvert), is driven in
headless Chromium: an inline explorer steps with its buttons and keys, a second one stays
where it was, an inline training explorer moves with its own keys, and typing in a text field
outside them is not swallowed."""

from __future__ import annotations

import os

import pytest

from .conftest import ARTIFACTS

nbformat = pytest.importorskip("nbformat", reason="nbformat comes with the test extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient comes with the test extra")

CELLS = {
    "setup": """
import numpy as np
import autograd_tiny as at
from autograd_tiny.nn import MLP, SGD, check_backprop, fit, losses
from autograd_tiny.viz import backward_explorer, draw_graph, training_explorer
model = MLP(2, [3, 1], activation="tanh", seed=0)
X = np.array([[0.5, -1.0], [0.1, 0.2], [-0.3, 0.8]]); y = np.array([1.0, 0.0, 1.0])
trace = model.trace(X[0]); cost = losses.quadratic(trace.output, y[0]); cost.label = "C"
""",
    "gradcheck": "at.gradcheck(lambda w, x: (w * x).tanh(), {'w': 1.5, 'x': -0.7})",
    "check_backprop": "report = check_backprop(model, X, y, 'quadratic'); report",
    "delta_table": "report.delta_table(0)",
    "model": "model",
    "value": "cost",
    "drawing": "draw_graph(cost)",
    "first_explorer": "backward_explorer(cost)",
    "second_explorer": "backward_explorer(cost, title='A second explorer')",
    "training_explorer": """
recorded = MLP(2, [3, 1], seed=1)
training_explorer(fit(recorded, X, y, 'quadratic', SGD(recorded.parameters(), 0.1), epochs=4, record=1, progress=False))
""",
    "trace": "cost.backward(); trace",
    "history": "fit(model, X, y, 'quadratic', SGD(model.parameters(), 0.1), epochs=5, progress=False)",
}


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    notebook = nbformat.v4.new_notebook()
    for name, source in CELLS.items():
        notebook.cells.append(nbformat.v4.new_code_cell(source.strip(), metadata={"name": name}))
    notebook.cells.insert(1, nbformat.v4.new_markdown_cell('Type here: <input id="outside" type="text">'))
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3")
    client.execute(cwd=str(tmp_path_factory.mktemp("notebook")))
    return notebook


def outputs(notebook, name: str) -> dict:
    cell = next(c for c in notebook.cells if c.get("metadata", {}).get("name") == name)
    results = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
    assert len(results) == 1, (name, cell.outputs)
    return results[0]["data"]


@pytest.mark.parametrize("name", ["gradcheck", "check_backprop", "delta_table", "model", "value", "trace", "history"])
def test_results_show_as_html_tables_not_dataclass_dumps(executed, name):
    data = outputs(executed, name)
    assert "<table>" in data["text/html"]
    plain = data["text/plain"]  # what a terminal front end shows: readable lines, not a dump
    assert "\\n" not in plain and "array(" not in plain and "LayerCheck(" not in plain, plain
    assert len(plain.splitlines()[0]) < 200


def test_drawings_show_as_svg_and_explorers_as_isolated_iframes(executed):
    assert outputs(executed, "drawing")["image/svg+xml"].lstrip().startswith("<?xml")
    for name in ("first_explorer", "second_explorer", "training_explorer"):
        html = outputs(executed, name)["text/html"]
        assert html.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in html


def test_the_executed_notebook_in_a_browser(executed, browser, tmp_path):
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(executed)
    path = tmp_path / "notebook.html"
    path.write_text(body, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    frames = page.frame_locator("iframe")
    first, second, training = frames.nth(0), frames.nth(1), frames.nth(2)
    first.locator("#next").click()
    assert first.locator("#frame").text_content().startswith("step 1")
    first.locator("#drawing").click()  # focus inside the first explorer, then use its keys
    page.keyboard.press("ArrowRight")
    assert first.locator("#frame").text_content().startswith("step 2")
    assert second.locator("#frame").text_content().startswith("step 0")  # independent
    training.locator("[data-delta]").first.wait_for(state="attached")  # its script has run
    training.locator("#runs .readout").click()  # focus inside it: its keys step the epochs
    page.keyboard.press("ArrowRight")
    assert training.locator("#slider").input_value() == "1"
    assert first.locator("#frame").text_content().startswith("step 2")
    outside = page.locator("#outside")
    outside.click()
    page.keyboard.type("a b c")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type(" ")
    assert outside.input_value() == "a b  c"  # spaces and arrows reach the text field
    assert first.locator("#frame").text_content().startswith("step 2")  # and not the explorer
    assert training.locator("#slider").input_value() == "1"  # nor the training explorer (space would play)
    assert "Play" in training.locator("#play").text_content()
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    first_frame = page.locator("iframe").nth(0)
    first_frame.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # let the frame paint once it is on screen
    first_frame.screenshot(path=str(ARTIFACTS / "notebook-explorer.png"))
    if os.environ.get("KEEP_NOTEBOOK_HTML"):
        (ARTIFACTS / "notebook.html").write_text(body, encoding="utf-8")
    page.close()
