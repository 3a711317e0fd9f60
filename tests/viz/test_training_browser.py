"""training_explorer in a real browser (headless Chromium via Playwright, as the backward
explorer's tests): the z, a and δ the page computes from the stored weights are the engine's and
the four equations' at the recorded weights, to 1e-9; the slider, the keys, Play and the sample
points work. Skipped when Chromium or Playwright is missing, except under CI, where that fails."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_tiny.nn import MLP, SGD, Adam, backprop, datasets, fit
from autograd_tiny.viz.style import gradient_colour

from .conftest import ARTIFACTS
from .test_training import embedded

TOLERANCE = 1e-9


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: problems.append(request.url) if not request.url.startswith("file:") else None)
    page.goto(path.as_uri())
    return page, problems


def page_neurons(page, run: int) -> dict[str, tuple[float, float, float]]:
    """{label: (z, a, δ)} as the page's neuron shapes carry them (full precision)."""
    found = page.eval_on_selector_all(
        f"#run{run} .diagram [data-label]",
        "shapes => shapes.map(s => [s.dataset.label, s.dataset.z, s.dataset.a, s.dataset.delta])",
    )
    return {label: (float(z), float(a), float(delta)) for label, z, a, delta in found}


def engine_neurons(recording, epoch: int, row: int) -> dict[str, tuple[float, float, float]]:
    """{label: (z, a, δ)} from the engine's graph of the sample's own cost at the recorded weights."""
    model = recording.model(epoch)
    trace = model.trace(recording.probe_X[list(recording.probe_rows).index(row)])
    target = recording.probe_targets[list(recording.probe_rows).index(row)]
    recording.loss.cost(trace.output, target).backward()
    return {z.label: (z.data, a.data, z.grad) for zs, acts in zip(trace.z, trace.a) for z, a in zip(zs, acts)}


def assert_matches_engine_and_equations(shown, recording, epoch: int, row: int) -> None:
    engine = engine_neurons(recording, epoch, row)
    assert shown.keys() == engine.keys()
    for label, numbers in engine.items():
        assert shown[label] == pytest.approx(numbers, abs=TOLERANCE, rel=TOLERANCE), label
    p = list(recording.probe_rows).index(row)
    equations = backprop(recording.snapshot(epoch).params, recording.activations, recording.probe_X[[p]],
                         recording.probe_targets[[p]], recording.loss)  # fmt: skip
    for l, (z, a, delta) in enumerate(zip(equations.z, equations.a, equations.delta), start=1):
        for j in range(z.shape[1]):
            assert shown[f"z[{l}][{j}]"] == pytest.approx((z[0, j], a[0, j], delta[0, j]), abs=TOLERANCE, rel=TOLERANCE)


@pytest.fixture(scope="module")
def moons(tmp_path_factory):
    X, y = datasets.two_moons(30, seed=1)
    model = MLP(2, [4, 3, 1], activation="tanh", seed=2)
    history = fit(model, X, y, "binary_cross_entropy_with_logits", Adam(model.parameters(), lr=0.1), epochs=8,
                  record=2, progress=False)  # fmt: skip
    from autograd_tiny.viz import training_explorer

    return training_explorer(history, tmp_path_factory.mktemp("training") / "moons.html"), history.recording


def test_slider_and_a_clicked_sample_show_the_engines_z_a_and_delta(browser, moons):
    path, recording = moons
    page, problems = open_page(browser, path)
    slider = page.locator("#slider")
    assert slider.get_attribute("type") == "range" and slider.input_value() == "0"
    assert page.text_content("#epoch") == "epoch 0 of 8"
    slider.fill("4")
    assert page.text_content("#epoch") == "epoch 4 of 8"
    row = int(recording.probe_rows[17])
    page.click(f'#run0 [data-sample="{row}"]')
    assert page.locator("#sample").input_value() == str(row)
    assert_matches_engine_and_equations(page_neurons(page, 0), recording, 4, row)
    readout = page.text_content("#run0 .readout")
    assert readout.startswith(f"weights after 4 epochs: training cost {recording.snapshot(4).cost:.4g}")
    assert f"sample #{row}: x = (" in readout
    x = recording.probe_X[17]
    assert [page.locator(f"#run0-input_{i} text").last.text_content() for i in (0, 1)] == [f"{v:.4g}" for v in x]

    slider.fill("3")  # between two recorded epochs: the nearest recorded one
    assert slider.input_value() == "2"
    page.keyboard.press("End")
    assert slider.input_value() == "8"
    assert_matches_engine_and_equations(page_neurons(page, 0), recording, 8, row)
    engine = engine_neurons(recording, 8, row)
    for l, j in ((1, 0), (2, 2), (3, 0)):  # the texts: 4 significant digits, as draw_network writes them
        z, a, delta = engine[f"z[{l}][{j}]"]
        texts = [page.locator(f"#run0-a_{cell}_{l}_{j} text").text_content() for cell in ("z", "a", "delta")]
        assert texts == [f"z {z + 0.0:.4g}", f"a {a + 0.0:.4g}", f"δ {delta + 0.0:.4g}"]
    page.keyboard.press("ArrowLeft")
    assert slider.input_value() == "6"
    page.keyboard.press("Home")
    assert slider.input_value() == "0"
    assert_matches_engine_and_equations(page_neurons(page, 0), recording, 0, row)

    page.select_option("#fill", "mean")  # fills by mean |δ| over the probe samples, on the run's scale
    means = [[np.abs(d).mean(axis=0) for d in backprop(snapshot.params, recording.activations, recording.probe_X,
                                                         recording.probe_targets, recording.loss).delta]
             for snapshot in recording.snapshots]  # fmt: skip
    scale = max(float(layer.max()) for epoch in means for layer in epoch)
    for l, j in ((1, 2), (2, 0), (3, 0)):
        shape = page.locator(f'#run0 [data-label="z[{l}][{j}]"]')
        assert shape.get_attribute("fill") == gradient_colour(means[0][l - 1][j], scale)
    assert_matches_engine_and_equations(page_neurons(page, 0), recording, 0, row)  # the numbers stay the sample's
    page.click("#run0-neuron_2_1")  # a neuron: its δ worked out (BP2)
    assert "z[2][1]: z = " in page.text_content("#run0 .readout")
    assert "(BP2)" in page.text_content("#run0 .readout")
    assert problems == []  # no console error, no request beyond the file itself
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "training-explorer.png"))
    page.close()


def test_play_advances_by_itself_stops_at_the_end_and_pauses(browser, moons):
    path, _ = moons
    assert embedded(path.read_text(encoding="utf-8"))["interval"] <= 1000  # default speed: a step within a second
    page, problems = open_page(browser, path)
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("Number(document.getElementById('slider').value) > 0", timeout=5_000)
    page.wait_for_function("document.getElementById('slider').value === '8'", timeout=10_000)
    assert "Play" in page.text_content("#play")  # it stopped at the last recorded epoch
    page.select_option("#speed", "0.25")  # 400 ms a step: time to pause before the end
    page.click("h1")  # keys on the page, not in the menu
    page.keyboard.press("Home")
    page.keyboard.press(" ")  # play …
    assert "Pause" in page.text_content("#play")
    page.keyboard.press(" ")  # … and pause
    stopped = page.locator("#slider").input_value()
    page.wait_for_timeout(900)
    assert page.locator("#slider").input_value() == stopped and "Play" in page.text_content("#play")
    assert problems == []
    page.close()


def test_every_cost_and_activation_side_by_side_match_the_engine(browser, tmp_path):
    """Six runs under one slider, one per cost (hidden sigmoid, relu and tanh; outputs linear and
    sigmoid; one input or two; one output or two): the page's numbers are the engine's in each."""
    from autograd_tiny.viz import training_explorer

    X, y = datasets.two_moons(12, seed=0)
    X1, y1 = datasets.regression_curve(12, seed=0)
    setups = [  # (cost, hidden activation, output activation, outputs, X, y)
        ("quadratic", "sigmoid", "sigmoid", 1, X, y),
        ("mse", "relu", "linear", 1, X1, y1),
        ("binary_cross_entropy", "tanh", "sigmoid", 1, X, y),
        ("binary_cross_entropy_with_logits", "sigmoid", "linear", 1, X, y),
        ("softmax_cross_entropy", "relu", "linear", 2, X, y.astype(int)),
        ("hinge", "tanh", "linear", 1, X, 2 * y - 1),
    ]
    histories = []
    for k, (cost, hidden, output, outputs, inputs, targets) in enumerate(setups):
        model = MLP(inputs.shape[1], [3, 2, outputs], activation=hidden, output_activation=output, seed=k)
        histories.append(fit(model, inputs, targets, cost, SGD(model.parameters(), 0.3), epochs=3, record=1,
                             progress=False, engine="scalar"))  # fmt: skip
    path = training_explorer(histories, tmp_path / "all.html", titles=[s[0] for s in setups])
    page, problems = open_page(browser, path)
    page.locator("#slider").fill("2")
    other = int(np.argmax(y != y[0]))  # a sample of each class (both one-hot positions, both hinge signs)
    for row in (0, other):
        page.select_option("#sample", str(row))
        for run, history in enumerate(histories):
            assert_matches_engine_and_equations(page_neurons(page, run), history.recording, 2, row)
    assert page.locator("#run1 .boundary").count() == 0  # one input: no plane to draw
    assert problems == []
    page.close()
