"""Drawings and explorers as Jupyter shows them."""

from __future__ import annotations

import html
import re

import pytest

from autograd_tiny import Value
from autograd_tiny.nn import MLP, losses
from autograd_tiny.viz import Explorer, GraphvizMissingError, backward_explorer, draw_graph, draw_network, to_svg
from autograd_tiny.viz.inline import MAX_WIDTH_PT


def small_cost() -> Value:
    w, x, b = Value(-3.0, "w"), Value(2.0, "x"), Value(6.88, "b")
    return ((w * x + b).tanh() - 1.0) ** 2


def test_an_explorer_without_a_path_is_an_object_that_saves_the_same_page(tmp_path):
    cost = small_cost()
    explorer = backward_explorer(cost)
    assert isinstance(explorer, Explorer)
    written = backward_explorer(cost, tmp_path / "direct.html")
    saved = explorer.save(tmp_path / "saved.html")
    assert saved.read_text() == written.read_text() == explorer.page
    assert repr(explorer) == "<Explorer 'Backpropagation, node by node': 10 steps; .save(path) writes the page>"


def test_an_explorer_shows_inline_in_a_sandboxed_iframe_holding_the_whole_page():
    explorer = backward_explorer(small_cost())
    shown = explorer._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in shown
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown).group(1)
    assert html.unescape(srcdoc) == explorer.page  # styles and key handlers stay inside the frame
    assert "<script" not in shown.replace(srcdoc, "")  # nothing runs in the notebook's own page


def test_drawings_show_as_svg_in_jupyter():
    bundle = draw_graph(small_cost())._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert re.search(r'<svg width="[\d.]+pt"', bundle["image/svg+xml"])


def test_a_drawing_wider_than_the_page_is_shrunk_to_it_keeping_its_proportions():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    cost = losses.quadratic(model.trace([0.5, -1.0]).output, 1.0)
    natural = to_svg(draw_graph(cost))
    shown = draw_graph(cost)._repr_mimebundle_()["image/svg+xml"]
    (width, height), (shown_width, shown_height) = (
        map(float, re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()) for svg in (natural, shown)
    )
    assert width > MAX_WIDTH_PT and shown_width == MAX_WIDTH_PT
    assert shown_height == pytest.approx(height * MAX_WIDTH_PT / width, abs=0.01)
    assert re.search(r'viewBox="[^"]+"', shown).group() == re.search(r'viewBox="[^"]+"', natural).group()
    product = Value(2.0, "a") * Value(3.0, "b")
    assert draw_graph(product)._repr_mimebundle_()["image/svg+xml"] == to_svg(draw_graph(product))  # not enlarged


def test_without_graphviz_a_notebook_shows_our_error_with_the_install_command(monkeypatch, tmp_path):
    from autograd_tiny.nn import MLP

    model = MLP(2, [2, 1], seed=0)
    trace = model.trace([0.1, 0.2])
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    for drawing in (draw_graph(small_cost()), draw_network(model, trace)):
        with pytest.raises(GraphvizMissingError, match="apt-get install graphviz"):
            drawing._repr_mimebundle_()


def test_an_explorer_counts_the_steps_it_plays_and_refuses_bad_options():
    from autograd_tiny.nn import MLP, losses

    model = MLP(2, [3, 1], seed=0)
    trace = model.trace([0.1, 0.2])
    cost = losses.quadratic(trace.output, 1.0)
    assert "2 steps" in repr(backward_explorer(cost, model=model, trace=trace))  # δ², then δ¹
    assert "1 step;" in repr(backward_explorer(Value(1.0)))
    with pytest.raises(ValueError, match="the model is not the one the cost was built from"):
        backward_explorer(cost, model=MLP(2, [3, 1], seed=1), trace=trace)
    with pytest.raises(TypeError, match="title must be a str, got int"):
        backward_explorer(cost, title=5)
    with pytest.raises(ValueError, match="interval_ms must be a positive number"):
        backward_explorer(cost, interval_ms="fast")
    with pytest.raises(ValueError, match="height must be a whole number of pixels"):
        Explorer("<html></html>", "t", 1, height="tall")
