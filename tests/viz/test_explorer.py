"""backward_explorer, Python side: the embedded replay is the engine's order and numbers."""

from __future__ import annotations

import pytest

from autograd_tiny import Value, topological_order
from autograd_tiny.nn import MLP, losses
from autograd_tiny.viz import GraphTooLargeError, backward_explorer, ids

from .explorer_page import embedded_data


@pytest.fixture
def small_cost():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    trace = model.trace([0.5, -1.0])
    cost = losses.quadratic(trace.output, 1.0)
    cost.label = "C"
    return model, trace, cost


def test_every_step_follows_the_engines_order(small_cost, tmp_path):
    _, _, cost = small_cost
    data = embedded_data(backward_explorer(cost, tmp_path / "e.html"))
    order = topological_order(cost)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    assert [step["node"] for step in data["steps"]] == [ids[node] for node in reversed(order)]


def test_the_last_step_holds_exactly_the_engines_gradients(small_cost, tmp_path):
    _, _, cost = small_cost
    data = embedded_data(backward_explorer(cost, tmp_path / "e.html"))
    cost.backward()
    order = topological_order(cost)
    exact = {step["node"]: step["exact"] for step in data["steps"]}
    assert [exact[f"v{i}"] for i in range(len(order))] == [node.grad for node in order]


def test_the_explorer_does_not_change_the_graph(small_cost, tmp_path):
    _, _, cost = small_cost
    backward_explorer(cost, tmp_path / "e.html")
    assert all(node.grad == 0.0 for node in topological_order(cost))


def test_each_send_names_the_edge_and_running_sum(tmp_path):
    x = Value(3.0, "x")
    y = x * x
    y.label = "y"
    data = embedded_data(backward_explorer(y, tmp_path / "e.html"))
    first = data["steps"][0]
    assert first["node"] == "v1" and first["grad"] == "1"
    assert [(s["edge"], s["label"], s["running"]) for s in first["sends"]] == [
        ("edge_v1_0", "3 × 1 = 3", "3"),
        ("edge_v1_1", "3 × 1 = 3", "6"),
    ]
    assert "x += 3 × 1 = 3  (running sum 6)" in first["text"]


def test_a_preactivation_step_explains_delta_as_grad_a_times_sigma_prime(small_cost, tmp_path):
    _, trace, cost = small_cost
    data = embedded_data(backward_explorer(cost, tmp_path / "e.html"))
    z = trace.z[0][1]
    cost.backward()
    text = next(step["text"] for step in data["steps"] if step["text"].split("\n")[2].startswith("z[1][1]"))
    a = trace.a[0][1]
    assert f"z[1][1]: δ = ∂C/∂a · σ′(z) = {a.grad:.4g} × {1 - a.data**2:.4g} = {z.grad:.4g}" in text


def test_layer_mode_reveals_layers_from_the_output_back(small_cost, tmp_path):
    model, trace, cost = small_cost
    data = embedded_data(backward_explorer(cost, tmp_path / "e.html", model=model, trace=trace))
    cost.backward()
    assert [frame["layer"] for frame in data["frames"]] == [None, 2, 1]
    assert data["frames"][1]["text"].startswith("Layer 2 of 2: BP1")
    assert data["frames"][2]["text"].startswith("Layer 1 of 2: BP2  δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹)")
    assert [data["neurons"][f"neuron_1_{j}"]["exact"] for j in range(3)] == trace.delta(0)
    w = model.layers[1].neurons[0].w[2]
    assert data["weights"]["weight_2_0_2"]["exact"] == w.grad


def test_the_page_is_self_contained(small_cost, tmp_path):
    _, _, cost = small_cost
    page = backward_explorer(cost, tmp_path / "e.html").read_text()
    assert "<script src" not in page and "<link" not in page and "url(" not in page
    assert page.count("<svg") == 1


def test_labels_cannot_break_out_of_the_page(tmp_path):
    x = Value(1.0, "</script><b>x</b>")
    y = x * 2.0
    y.label = 'y"&<'
    path = backward_explorer(y, tmp_path / "e.html")
    assert path.read_text().count("</script>") == 2  # the data block's and the script's own
    assert embedded_data(path)["nodes"]["v0"]["name"] == "</script><b>x</b>"


def test_too_many_nodes_is_a_clear_error(tmp_path):
    x = Value(1.0)
    y = x
    for _ in range(100):
        y = y + 1.0
    with pytest.raises(GraphTooLargeError, match="201 nodes, more than max_nodes=50"):
        backward_explorer(y, tmp_path / "e.html", max_nodes=50)
    assert not (tmp_path / "e.html").exists()


def test_layer_mode_needs_the_trace_of_that_cost(small_cost, tmp_path):
    model, _trace, cost = small_cost
    with pytest.raises(ValueError, match="needs the trace too"):
        backward_explorer(cost, tmp_path / "e.html", model=model)
    other = model.trace([1.0, 1.0])
    with pytest.raises(ValueError, match=r"the trace is not part of the cost's graph \(z\[1\]\[0\]"):
        backward_explorer(cost, tmp_path / "e.html", model=model, trace=other)


def test_layer_mode_for_a_large_network_lists_weight_gradients_instead_of_labelling_every_edge(tmp_path):
    model = MLP(2, [16, 16, 1], seed=0)
    trace = model.trace([0.3, -0.8])
    cost = losses.quadratic(trace.output, 1.0)
    path = backward_explorer(cost, tmp_path / "layers.html", model=model, trace=trace)
    cost.backward()
    page = path.read_text()
    weight_edges = page.split('id="weight_')[1:]
    assert len(weight_edges) == 2 * 16 + 16 * 16 + 16
    assert all("<text" not in edge.split("</g>")[0] for edge in weight_edges)  # no edge labels to swamp it
    text = embedded_data(path)["frames"][2]["text"]
    largest = max(model.layers[1].parameters(), key=lambda p: abs(p.grad) if p.label.startswith("w") else 0)
    assert f"∂C/∂{largest.label} = {largest.grad:.4g}" in text.split("the largest:")[1].splitlines()[1]


def test_layer_mode_reads_each_hidden_neurons_upstream_gradient_from_the_engine(small_cost, tmp_path):
    """BP2's Σₖ wₖⱼ δₖ is the gradient the engine accumulated in a[l][j]: the page shows that number."""
    model, trace, cost = small_cost
    data = embedded_data(backward_explorer(cost, tmp_path / "e.html", model=model, trace=trace))
    cost.backward()
    lines = data["frames"][2]["text"].splitlines()
    for j, (z, a) in enumerate(zip(trace.z[0], trace.a[0])):
        expected = f"  δ[1][{j}] = (Σₖ wₖⱼ δₖ = ∂C/∂a) · σ′(z) = {a.grad:.4g} × {1 - a.data**2:.4g} = {z.grad:.4g}"
        assert expected in lines


def test_the_page_names_every_element_it_changes_with_the_drawings_ids(small_cost, tmp_path):
    model, trace, cost = small_cost
    graph_page = backward_explorer(cost, tmp_path / "g.html")
    data = embedded_data(graph_page)
    for name, node in data["nodes"].items():
        assert node["element"] == ids.value_group(name)
        assert f'id="{node["gradText"]}"' in graph_page.read_text() and node["gradText"] == f"a_grad_{name}"
    layer_page = backward_explorer(cost, tmp_path / "n.html", model=model, trace=trace)
    for element, neuron in embedded_data(layer_page)["neurons"].items():
        assert f'id="{element}"' in layer_page.read_text() and f'id="{neuron["deltaText"]}"' in layer_page.read_text()
