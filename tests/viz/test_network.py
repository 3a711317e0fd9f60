"""draw_network on the rendered SVG, and save_svg / the missing-Graphviz error."""

from __future__ import annotations

import stat

import pytest

from autograd_tiny.nn import MLP, losses
from autograd_tiny.viz import GraphvizMissingError, draw_graph, draw_network, ids, save_svg, to_svg
from autograd_tiny.viz.style import gradient_colour

from .svg import NS, by_id, edge_count, fill_of, groups, parse, text_of, tooltip_of


@pytest.fixture
def network():
    model = MLP(2, [16, 16, 1], seed=0)
    trace = model.trace([0.3, -0.8])
    losses.quadratic(trace.output, 1.0).backward()
    return model, trace


def test_one_node_per_input_and_neuron_and_one_edge_per_weight(network):
    model, trace = network
    root = parse(to_svg(draw_network(model, trace)))
    nodes = groups(root, "node")
    assert sum(title.startswith("n") for title in nodes) == 33
    assert sum(title.startswith("x") for title in nodes) == 2
    assert edge_count(root) == 2 * 16 + 16 * 16 + 16


def test_each_neuron_shows_z_a_and_delta(network):
    model, trace = network
    nodes = groups(parse(to_svg(draw_network(model, trace))), "node")
    z, a = trace.z[1][5], trace.a[1][5]
    assert nodes["n2_5"] == ["z[2][5]", f"z {z.data:.4g}", f"a {a.data:.4g}", f"δ {z.grad:.4g}"]


def test_neurons_stand_in_index_order_top_to_bottom_and_the_legend_says_how_they_are_named():
    """Graphviz's crossing minimisation used to rotate a column (z[1][1], z[1][2], z[1][0] from the top)."""
    for nin, sizes in ((2, [3, 1]), (2, [3, 2]), (4, [5, 3, 3])):
        model = MLP(nin, sizes, activation="tanh", seed=0)
        trace = model.trace([0.5] * nin)
        losses.quadratic(trace.output, [1.0] * sizes[-1]).backward()
        root = parse(to_svg(draw_network(model, trace)))
        columns = [[ids.input_group(i) for i in range(nin)]]
        columns += [[ids.neuron_group(l, j) for j in range(n)] for l, n in enumerate(sizes, start=1)]
        for column in columns:
            heights = [float(next(by_id(root, name).iter(f"{{{NS['svg']}}}ellipse")).get("cy")) for name in column]
            assert heights == sorted(heights), f"{column} is not top to bottom (SVG y grows downwards)"
        legend = " ".join(groups(root, "node")["legend"])
        assert "neuron z[l][j]: neuron j of layer l" in legend and "trace.z[l − 1][j]" in legend


def test_weight_gradients_on_edges_when_asked(network):
    model, trace = network
    edges = groups(parse(to_svg(draw_network(model, trace, show_weight_grads=True))), "edge")
    w = model.layers[2].neurons[0].w[3]
    assert edges["n2_3->n3_0"] == [f"{w.grad:.4g}"]


def test_without_a_trace_neurons_show_their_bias():
    model = MLP(2, [3, 1], seed=0)
    nodes = groups(parse(to_svg(draw_network(model))), "node")
    assert nodes["n1_0"] == ["[1][0]", "b 0"]


def test_a_trace_of_another_model_is_rejected(network):
    _, trace = network
    with pytest.raises(ValueError, match="trace does not belong to this model"):
        draw_network(MLP(2, [3, 1], seed=0), trace)
    with pytest.raises(TypeError, match=r"needs an MLP from autograd_tiny\.nn, got list"):
        draw_network([1, 2])


def test_save_svg_writes_atomically_with_normal_permissions(network, tmp_path):
    model, trace = network
    path = save_svg(draw_network(model, trace), tmp_path / "network.svg")
    assert path.read_text().lstrip().startswith("<?xml") and "</svg>" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) & 0o044  # readable by others, as a normal file
    assert [p.name for p in tmp_path.iterdir()] == ["network.svg"]


def test_missing_dot_gives_one_clear_error_with_the_install_hint(monkeypatch, tmp_path):
    from autograd_tiny import Value

    monkeypatch.setenv("PATH", "")
    digraph = draw_graph(Value(1.0, "x") * 2.0)
    with pytest.raises(GraphvizMissingError, match=r"apt-get install graphviz.*brew install graphviz"):
        save_svg(digraph, tmp_path / "g.svg")
    assert "digraph" in digraph.source  # the DOT source is still there
    assert not (tmp_path / "g.svg").exists()


def test_each_delta_has_a_cell_with_its_own_id(network):
    model, trace = network
    root = parse(to_svg(draw_network(model, trace)))
    for l, layer in enumerate(trace.z, start=1):
        for j, z in enumerate(layer):
            group = by_id(root, ids.neuron_group(l, j))
            assert text_of(by_id(group, ids.svg_cell(ids.delta_cell(l, j)))) == f"δ {z.grad:.4g}"


def test_grads_override_the_delta_label_fill_and_tooltip_alike(network):
    model, trace = network
    z = trace.z[1][3]
    root = parse(to_svg(draw_network(model, trace, grads={z: 123.0})))
    group = by_id(root, ids.neuron_group(2, 3))
    assert text_of(by_id(group, ids.svg_cell(ids.delta_cell(2, 3)))) == "δ 123"
    assert fill_of(group) == gradient_colour(123.0, 123.0)
    assert tooltip_of(group).endswith("δ = ∂C/∂z = 123.0")
