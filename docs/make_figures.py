"""Render the README's figures with the library itself: python docs/make_figures.py"""

from __future__ import annotations

from pathlib import Path

from autograd_tiny import Value
from autograd_tiny.nn import MLP, Adam, datasets, fit, losses
from autograd_tiny.roles import Role
from autograd_tiny.viz import draw_graph, draw_network, save_svg

DOCS = Path(__file__).resolve().parent


def single_neuron() -> Value:
    """a = tanh(w·x + b), with z marked as the pre-activation (as nn marks it)."""
    w, x, b = Value(-3.0, "w"), Value(2.0, "x"), Value(6.8813735870195432, "b")
    z = w * x + b
    z.label, z.meta = "z", {"role": Role.PREACTIVATION}
    a = z.tanh()
    a.label = "a"
    return a


def neuron() -> None:
    """A single neuron, with the local derivatives on the edges."""
    a = single_neuron()
    a.backward()
    print(save_svg(draw_graph(a, show_local_grads=True), DOCS / "neuron.svg"))


def network_graph() -> None:
    """One sample's cost through a 2-2-1 tanh network: δ at every pre-activation."""
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    trace = model.trace([0.5, -1.0])
    cost = losses.quadratic(trace.output, 1.0)
    cost.label = "C"
    cost.backward()
    print(save_svg(draw_graph(cost), DOCS / "network-graph.svg"))


def network_diagram() -> None:
    """A 2-16-16-1 network trained on two moons, δ for one sample."""
    X, y = datasets.two_moons(100, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    fit(model, X, y, "binary_cross_entropy_with_logits", Adam(model.parameters(), lr=0.05), epochs=30, progress=False)
    trace = model.trace(X[0])
    losses.binary_cross_entropy_with_logits(trace.output, y[0]).backward()
    print(save_svg(draw_network(model, trace), DOCS / "network-diagram.svg"))


def explorer_screenshot() -> None:
    """The backward explorer on a single neuron, three steps in, as seen in headless Chromium."""
    import shutil
    import tempfile

    from playwright.sync_api import sync_playwright

    from autograd_tiny.viz import backward_explorer

    a = single_neuron()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path = backward_explorer(
            a, Path(folder) / "neuron.html", title="Backpropagation, node by node: a = tanh(w·x + b)"
        )
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 520})
        page.goto(page_path.as_uri())
        for _ in range(4):
            page.click("#next")
        page.screenshot(path=str(DOCS / "explorer.png"))
        browser.close()
    print(DOCS / "explorer.png")


def training_screenshot() -> None:
    """The training explorer on a 2-8-8-1 network learning two moons, early in training (epoch 25),
    the sample the trained network gets most wrong selected and one neuron's δ worked out."""
    import shutil
    import tempfile

    from playwright.sync_api import sync_playwright

    from autograd_tiny.viz import training_explorer

    X, y = datasets.two_moons(100, seed=0)
    model = MLP(2, [8, 8, 1], activation="tanh", seed=0)
    history = fit(model, X, y, "binary_cross_entropy_with_logits", Adam(model.parameters(), lr=0.03), epochs=150,
                  record=1, progress=False)  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        path = training_explorer(
            history, Path(folder) / "training.html", title="Training, watched: 2-8-8-1 on two moons"
        )
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(path.as_uri())
        page.locator("#slider").fill("25")
        page.click("#run0-neuron_2_3")
        page.screenshot(path=str(DOCS / "training-explorer.png"))
        browser.close()
    print(DOCS / "training-explorer.png")


if __name__ == "__main__":
    neuron()
    network_graph()
    network_diagram()
    explorer_screenshot()
    training_screenshot()
