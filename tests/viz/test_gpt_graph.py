"""draw_graph on a GPT's graph: clusters per position, block and head, weights not drawn, a part at a time."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograd_tiny import Value, topological_order
from autograd_tiny.nn import GPT, CharTokenizer
from autograd_tiny.viz import GraphTooLargeError, draw_graph, ids, to_svg
from autograd_tiny.viz.graph_drawing import select_part

from .svg import groups, parse

TOKENIZER = CharTokenizer(["abcdefghijklmnopqrstuvwxyz"])


@pytest.fixture(scope="module")
def gpt_trace():
    model = GPT(27, n_embd=4, n_head=2, seed=0)
    trace = model.trace(TOKENIZER.encode("ava"))
    trace.loss.backward()
    return model, trace


def test_a_tiny_gpt_draws_in_clusters_with_its_weights_left_out(gpt_trace):
    _, trace = gpt_trace
    source = draw_graph(trace.loss).source
    for cluster in ("cluster_position_0", "cluster_position_3", "cluster_position_2_attention_0_head_1",
                    "cluster_position_1_mlp_0", "cluster_position_0_lm_head", "cluster_position_2_loss"):  # fmt: skip
        assert f"subgraph {cluster} " in source, cluster
    assert "layer 0 attention" in source and 'label="head 1"' in source and "layer 0 MLP" in source
    assert "wte[" not in re.sub(r"[+] wte\[\d+\] wpe\[\d+\]", "", source)  # only in the embedding's operation
    assert "dot ·Wq[3]" in source and "dot ·lm_head[26]" in source and "+ wte[0] wpe[1]" in source
    for node in (trace.attention_scores[0][1][2][1], trace.mlp_z[0][3][5], trace.logits[1][4]):
        assert node.label in source


def test_the_colour_scale_is_the_95th_percentile_and_the_legend_says_so(gpt_trace):
    _, trace = gpt_trace
    nodes = [n for n in topological_order(trace.loss) if n.label or not n.is_leaf]
    nodes = [n for n in nodes if not (n.meta or {}).get("matrix")]
    scale = float(np.percentile([abs(n.grad) for n in nodes], 95))
    assert 0 < scale < max(abs(n.grad) for n in nodes) / 5  # a few large gradients would have set a max scale
    source = draw_graph(trace.loss).source
    assert f"full colour at |grad| ≥ {scale:.4g}, the 95th percentile" in source


def test_one_position_one_block_one_head(gpt_trace):
    _, trace = gpt_trace
    whole = draw_graph(trace.loss)
    head = draw_graph(trace.loss, position=2, block="attention", layer=0, head=1)
    drawn = groups(parse(to_svg(head)), "node")
    values = [title for title in drawn if re.fullmatch(r"v\d+", title)]
    names = ids.value_names(topological_order(trace.loss))
    score = names[trace.attention_scores[0][1][2][0]]
    assert score in values
    assert names[trace.keys[0][0][3]] in values  # read from position 0: drawn dashed
    assert names[trace.mlp_z[0][2][0]] not in values and names[trace.attention_scores[0][0][2][0]] not in values
    assert "dashed border: a value from outside the part drawn" in head.source
    assert len(head.source) < len(whole.source) / 10


def test_a_part_that_does_not_exist_or_a_graph_without_parts(gpt_trace):
    _, trace = gpt_trace
    with pytest.raises(ValueError, match=r"no node of the graph is in the part \{'position': 9\}: .*positions 0 to 3"):
        draw_graph(trace.loss, position=9)
    with pytest.raises(ValueError, match="position= draw a part of a GPT's graph"):
        draw_graph(Value(1.0) * 2.0, position=0)


def test_past_the_size_limit_it_says_how_to_draw_a_part(gpt_trace):
    _, trace = gpt_trace
    with pytest.raises(GraphTooLargeError, match=r"draw a part of it: draw_graph\(loss, position=0\)"):
        draw_graph(trace.loss, max_nodes=100)


def test_show_parameters_draws_the_weights_too(gpt_trace):
    _, trace = gpt_trace
    source = draw_graph(trace.loss, position=0, block="mlp", show_parameters=True, max_nodes=10_000).source
    assert "layer0.mlp_fc1[3,1]" in source


def test_the_explorer_plays_a_gpt_block_by_block(tmp_path):
    from autograd_tiny.viz import backward_explorer
    from autograd_tiny.viz.style import number

    from .explorer_page import embedded_data

    model = GPT(27, n_embd=4, n_head=2, n_layer=2, seed=1)
    trace = model.trace(TOKENIZER.encode("ava"))
    explorer = backward_explorer(trace.loss, model=model, trace=trace, position=2)
    assert explorer.steps == 1 + 1 + 2 * 2 + 1  # logits, last stream, (MLP, attention) per layer, embeddings
    data = embedded_data(explorer.save(tmp_path / "gpt.html"))
    assert data["mode"] == "stages"
    trace.loss.backward()  # the page replayed backward itself: the same numbers as .grad
    names = ids.value_names(topological_order(trace.loss))
    expected_stage = {
        trace.logits[2][5]: 1, trace.residual_mlp[1][2][0]: 2, trace.mlp_z[1][2][3]: 3,
        trace.residual_attention[1][2][1]: 3, trace.attention_scores[1][0][2][1]: 4, trace.residual_mlp[0][2][2]: 4,
        trace.mlp_z[0][2][0]: 5, trace.attention_scores[0][1][2][0]: 6, trace.embedding[2][3]: 7,
    }  # fmt: skip
    for node, stage in expected_stage.items():
        entry = data["nodes"][names[node]]
        assert (entry["stage"], entry["grad"]) == (stage, number(node.grad)), node.label
    target = trace.logits[2][trace.tokens[3]]
    # the page opens (frame 0) and starts (frame 1) with the next token's logit in view
    assert data["frames"][0]["focus"] == data["frames"][1]["focus"] == ids.value_group(names[target])
    assert (
        f"{target.label}: p = " in data["frames"][1]["text"]
        and f"δ = {number(target.grad)}" in data["frames"][1]["text"]
    )
    score = trace.attention_scores[0][1][2][0]
    assert (
        f"{score.label}: α = " in data["frames"][6]["text"] and f"δ = {number(score.grad)}" in data["frames"][6]["text"]
    )
    with pytest.raises(ValueError, match=r"^position must be an integer from 0 to 3 \(one of .*\), got 4$"):
        backward_explorer(trace.loss, model=model, trace=trace, position=4)


def test_the_explorer_refuses_a_trace_model_or_position_that_do_not_belong():
    from autograd_tiny.nn import MLP, losses
    from autograd_tiny.viz import backward_explorer

    model = GPT(27, n_embd=4, n_head=2, seed=1)
    trace_a, trace_b = model.trace(TOKENIZER.encode("ava")), model.trace(TOKENIZER.encode("bob"))
    with pytest.raises(ValueError, match=r"the trace is not part of the cost's graph \(its loss C is not reached"):
        backward_explorer(trace_a.loss, model=model, trace=trace_b, position=1)  # was: all-zero gradients
    with pytest.raises(ValueError, match=r"model has n_layer=2 and n_head=2 but the trace was recorded with n_layer=1"):
        backward_explorer(trace_a.loss, model=GPT(27, n_embd=4, n_head=2, n_layer=2, seed=1), trace=trace_a)
    with pytest.raises(ValueError, match=r"model has n_layer=1 and n_head=1 but .* n_layer=1 and n_head=2"):
        backward_explorer(trace_a.loss, model=GPT(27, n_embd=4, n_head=1, seed=1), trace=trace_a)
    with pytest.raises(ValueError, match=r"the model is not the one the cost was built from \(lm_head\[0,0\]"):
        backward_explorer(trace_a.loss, model=GPT(27, n_embd=4, n_head=2, seed=1), trace=trace_a)
    mlp = MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match=r"trace= is a GPT's trace but model= is 'MLP', not a GPT"):
        backward_explorer(trace_a.loss, model=mlp, trace=trace_a)
    mlp_trace = mlp.trace([0.5, -1.0])
    cost = losses.quadratic(mlp_trace.output, 1.0)
    with pytest.raises(ValueError, match=r"model= is a GPT but trace= is a Trace, not its GPTTrace"):
        backward_explorer(cost, model=model, trace=mlp_trace)
    for position in (1.0, "1", True):
        with pytest.raises(ValueError, match=r"position must be an integer from 0 to 3 \(one of the document's"):
            backward_explorer(trace_a.loss, model=model, trace=trace_a, position=position)


def test_an_unknown_layer_or_head_lists_the_layers_and_heads_there_are(gpt_trace):
    _, trace = gpt_trace
    for part in ({"layer": 3}, {"head": 2}, {"layer": 0, "head": 5}):
        with pytest.raises(ValueError, match=r"no node of the graph is in the part .*layers 0 and heads 0, 1"):
            draw_graph(trace.loss, **part)


def test_a_part_past_the_size_limit_says_its_size_and_how_to_draw_less(gpt_trace):
    _, trace = gpt_trace
    nodes = len(select_part(topological_order(trace.loss), {"position": 1})[0])
    part_size = rf"the part \{{'position': 1\}} has {nodes} nodes"
    with pytest.raises(GraphTooLargeError, match=part_size + ".*draw a smaller part"):
        draw_graph(trace.loss, position=1, max_nodes=50)
    with pytest.raises(GraphTooLargeError, match=r"with its parameters has [\d,]+ nodes.*show_parameters=False"):
        draw_graph(trace.loss, show_parameters=True, max_nodes=500)


def test_the_positions_of_a_part_read_down_the_page_in_order():
    """One head at position 3 reads keys and values from positions 0, 1, 2 (dashed): their clusters stand above
    it in order (Graphviz put the part between them, 0, 3, 1, 2, to spare edges crossing a cluster)."""
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    trace = model.trace(TOKENIZER.encode("ava"))
    trace.loss.backward()
    drawing = parse(to_svg(draw_graph(trace.loss, position=3, block="attention", layer=0, head=0)))
    heights = {}
    for text in drawing.iter("{http://www.w3.org/2000/svg}text"):
        if re.fullmatch(r"position \d", "".join(text.itertext())):
            heights["".join(text.itertext())] = float(text.get("y"))
    assert sorted(heights, key=heights.get) == ["position 0", "position 1", "position 2", "position 3"]
