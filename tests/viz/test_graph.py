"""draw_graph, checked on the rendered SVG."""

from __future__ import annotations

import pytest

from autograd_tiny import Value, topological_order
from autograd_tiny.nn import MLP, losses
from autograd_tiny.viz import GraphTooLargeError, draw_graph, ids, to_svg
from autograd_tiny.viz.style import gradient_colour

from .svg import by_id, edge_count, fill_of, groups, parse, text_of, tooltip_of


@pytest.fixture
def network_cost():
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    trace = model.trace([0.5, -1.0])
    cost = losses.quadratic(trace.output, 1.0)
    cost.backward()
    return cost, trace


def test_every_preactivation_shows_its_delta(network_cost):
    cost, trace = network_cost
    nodes = groups(parse(to_svg(draw_graph(cost))), "node")
    texts = {" ".join(lines) for lines in nodes.values()}
    for z in [z for layer in trace.z for z in layer]:
        assert any(z.label in t and f"δ = {z.grad:.4g}" in t for t in texts), z.label


def test_every_value_appears_exactly_once(network_cost):
    cost, _ = network_cost
    nodes = groups(parse(to_svg(draw_graph(cost))), "node")
    value_titles = [title for title in nodes if title.startswith("v")]
    assert len(value_titles) == len(set(value_titles)) == len(topological_order(cost))


def test_edge_count_matches_the_graph(network_cost):
    cost, _ = network_cost
    expected = sum(len(node.inputs) + 1 for node in topological_order(cost) if node.inputs)
    assert edge_count(parse(to_svg(draw_graph(cost)))) == expected


def test_legend_is_present_and_explains_delta(network_cost):
    cost, _ = network_cost
    legend = " ".join(groups(parse(to_svg(draw_graph(cost))), "node")["legend"])
    assert "Legend" in legend and "δ = ∂C/∂z" in legend and "double border" in legend


def test_the_legend_claims_only_what_is_drawn():
    """No double-border row without a pre-activation, no all-zero colour scale before backward()."""
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    out = (x * w).tanh()
    before = " ".join(groups(parse(to_svg(draw_graph(out))), "node")["legend"])
    assert "every gradient is 0" in before and "−1" not in before and "-0" not in before
    out.backward()
    after = " ".join(groups(parse(to_svg(draw_graph(out))), "node")["legend"])
    assert "every gradient is 0" not in after and "double border" not in after


def test_nn_graphs_are_clustered_by_layer_and_neuron(network_cost):
    cost, _ = network_cost
    clusters = groups(parse(to_svg(draw_graph(cost))), "cluster")
    assert {
        "cluster_layer_1",
        "cluster_layer_1_neuron_0",
        "cluster_layer_1_neuron_1",
        "cluster_layer_2",
        "cluster_inputs",
    } <= set(clusters)


def test_nodes_show_label_data_and_grad_with_four_significant_digits():
    x = Value(1.23456789, "x")
    y = x * 3.0
    y.backward()
    lines = groups(parse(to_svg(draw_graph(y))), "node")["v0"]
    assert lines == ["x", "data 1.235", "grad 3"]


def test_local_gradients_label_the_edges():
    w, x = Value(-3.0, "w"), Value(2.0, "x")
    y = w * x
    y.backward()
    edges = groups(parse(to_svg(draw_graph(y, show_local_grads=True))), "edge")
    labels = sorted(" ".join(lines) for lines in edges.values() if lines)
    assert labels == ["∂=-3", "∂=2"]


@pytest.mark.parametrize("label", ['a<b>"c"', "{x|y}", "&amp; 5 > 3", "\\n <<>>"])
def test_special_characters_in_labels_render_literally(label):
    v = Value(1.0, label)
    out = v * 2.0
    out.backward()
    svg = to_svg(draw_graph(out))
    lines = groups(parse(svg), "node")["v0"]  # parse succeeds: the SVG is valid XML
    assert lines[0] == label


def test_max_nodes_is_enforced_with_a_helpful_message():
    x = Value(1.0)
    y = x
    for _ in range(100):
        y = y * 1.0
    with pytest.raises(GraphTooLargeError, match=r"201 nodes, more than max_nodes=50: .*draw_network"):
        draw_graph(y, max_nodes=50)


def test_drawing_never_changes_the_graph(network_cost):
    cost, _ = network_cost
    before = [(v.data, v.grad, v.label, v.meta) for v in topological_order(cost)]
    to_svg(draw_graph(cost, show_local_grads=True))
    assert [(v.data, v.grad, v.label, v.meta) for v in topological_order(cost)] == before


def test_digraph_displays_inline_in_jupyter():
    bundle = draw_graph(Value(1.0, "x") * 2.0)._repr_mimebundle_()
    assert "image/svg+xml" in bundle and "<svg" in bundle["image/svg+xml"]


def test_bad_arguments():
    with pytest.raises(TypeError, match="draw_graph needs a Value, got float"):
        draw_graph(1.0)
    with pytest.raises(ValueError, match="rankdir must be one of"):
        draw_graph(Value(1.0), rankdir="XY")


def test_grads_override_the_label_the_fill_and_the_tooltip_alike():
    """The bug: the label read node.grad (0 here, no backward ran) while fill and tooltip used the override."""
    x, w = Value(1.5, "x"), Value(-2.0, "w")
    y = x * w
    y.label = "y"
    override = {x: -2.0, w: 1.5, y: 1.0}
    root = parse(to_svg(draw_graph(y, grads=override)))
    names = ids.value_names(topological_order(y))
    scale = 2.0  # the largest |override|
    for node, grad in override.items():
        group = by_id(root, ids.value_group(names[node]))
        cell = by_id(root, ids.svg_cell(ids.grad_cell(names[node])))
        assert text_of(cell) == f"grad {grad:.4g}" != "grad 0"
        assert fill_of(group) == gradient_colour(grad, scale)
        assert tooltip_of(group).endswith(f"grad = {grad!r}")


def test_each_gradient_has_a_cell_with_its_own_id(network_cost):
    cost, trace = network_cost
    order = topological_order(cost)
    root = parse(to_svg(draw_graph(cost)))
    for name, node in zip(ids.value_names(order).values(), order):
        text = text_of(by_id(root, ids.svg_cell(ids.grad_cell(name))))
        assert text == (f"δ = {node.grad:.4g}" if node in trace.z[0] + trace.z[1] else f"grad {node.grad:.4g}")


def test_a_drawing_says_what_it_holds_without_a_memory_address():
    from autograd_tiny.nn import MLP
    from autograd_tiny.viz import draw_network

    x = Value(2.0, "x")
    y = (x * x).tanh()
    y.backward()  # boxes x, x·x, tanh and circles *, tanh; arrows x→* twice, *→x·x, x·x→tanh, tanh→box
    assert repr(draw_graph(y)) == (
        "<Drawing: 5 shapes, 5 arrows; save_svg(drawing, path) writes it, .source is its DOT text>"
    )
    model = MLP(2, [3, 1], seed=0)  # 2 inputs and 4 neurons; 2·3 + 3·1 weights
    assert repr(draw_network(model, model.trace([0.5, -1.0]))).startswith("<Drawing: 6 shapes, 9 arrows;")
