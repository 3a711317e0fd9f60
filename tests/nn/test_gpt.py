"""nn.GPT against microgpt's GPT (the yardstick in bench/, run on its own Value class): the same
losses and gradients from the same weights, the same training run; δ inside the transformer."""

from __future__ import annotations

import dataclasses
import gc
import math

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny import rules
from autograd_tiny.nn import GPT, CharTokenizer, check_gpt_backprop, datasets, train_gpt

NAMES = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper", "evelyn"]
TOKENIZER = CharTokenizer(["abcdefghijklmnopqrstuvwxyz"])


def tiny_state(yardstick, *, n_layer=2, n_embd=8, block_size=8, seed=3):
    return yardstick.init_state(
        yardstick.YardstickValue, 27, n_layer=n_layer, n_embd=n_embd, block_size=block_size, seed=seed
    )


@pytest.mark.parametrize("name", ["emma", "isabella", "christopher"])  # christopher: longer than block_size
def test_loss_and_every_gradient_equal_microgpts(yardstick, name):
    state = tiny_state(yardstick)
    model = GPT.from_state_dict(state, n_head=2)
    tokens = TOKENIZER.encode(name)
    expected = yardstick.document_loss(state, tokens, n_head=2)
    expected.backward()
    loss = model.loss(tokens)
    loss.backward()
    assert loss.data == pytest.approx(expected.data, rel=1e-12, abs=0.0)
    ours = np.array([p.grad for p in model.parameters()])
    theirs = np.array([p.grad for p in yardstick.parameters(state)])
    assert np.any(theirs != 0.0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-13)


def test_training_reproduces_microgpts_losses_step_by_step(yardstick):
    state = tiny_state(yardstick, n_layer=1, n_embd=4, seed=5)
    documents = [TOKENIZER.encode(name) for name in ("emma", "ava", "mia", "liam", "noah", "ella", "leo", "zoe")]
    model = GPT.from_state_dict(state, n_head=2)
    history = train_gpt(model, documents, steps=100, progress=False)
    params = yardstick.parameters(state)
    m, v, expected = [0.0] * len(params), [0.0] * len(params), []
    gc.disable()  # the yardstick's graphs hold no cycles either: the collector only slows it down
    try:
        for step in range(100):
            loss = yardstick.document_loss(state, documents[step % len(documents)], n_head=2)
            loss.backward()
            expected.append(loss.data)
            yardstick.adam_update(params, m, v, step, 100)
    finally:
        gc.enable()
    np.testing.assert_allclose(history.loss, expected, rtol=1e-10, atol=0.0)
    assert history.loss[-1] < history.loss[0] - 0.5  # it learned: the run is not trivially equal
    np.testing.assert_allclose([p.data for p in model.parameters()], [p.data for p in params], rtol=1e-9)
    assert history.unit == "step" and repr(history).startswith("History(100 steps: cost")


def test_parameters_follow_microgpts_order_and_the_state_dict_round_trips(yardstick):
    state = tiny_state(yardstick)
    model = GPT.from_state_dict(state, n_head=4)
    assert [p.data for p in model.parameters()] == [p.data for p in yardstick.parameters(state)]
    exported = model.state_dict()
    assert list(exported) == list(state)
    assert exported["layer1.mlp_fc1"].shape == (32, 8) and exported["wpe"].shape == (8, 8)
    again = GPT.from_state_dict(exported, n_head=4)
    assert [p.data for p in again.parameters()] == [p.data for p in model.parameters()]
    numbers = {key: [[p.data for p in row] for row in rows] for key, rows in state.items()}  # plain lists too
    assert GPT.from_state_dict(numbers, n_head=4).state_dict()["wte"].tolist() == numbers["wte"]
    assert model.parameters()[0].label == "wte[0,0]"
    assert (model.n_layer, model.n_embd, model.n_head, model.head_dim, model.block_size, model.bos) == (
        2,
        8,
        4,
        2,
        8,
        26,
    )


def test_from_state_dict_says_what_is_wrong(yardstick):
    state = tiny_state(yardstick, n_layer=1)
    with pytest.raises(ValueError, match="n_embd must be a multiple of n_head, got n_embd=8 and n_head=3"):
        GPT.from_state_dict(state, n_head=3)
    with pytest.raises(ValueError, match=r"lacks lm_head"):
        GPT.from_state_dict({k: v for k, v in state.items() if k != "lm_head"}, n_head=2)
    bad = dict(state, **{"layer0.mlp_fc2": np.zeros((8, 31))})
    with pytest.raises(ValueError, match=r"state\['layer0.mlp_fc2'\] has shape \(8, 31\), expected \(8, 32\)"):
        GPT.from_state_dict(bad, n_head=2)
    with pytest.raises(ValueError, match=r"unexpected keys \['layer0.attn_bias'\]"):
        GPT.from_state_dict(dict(state, **{"layer0.attn_bias": np.zeros((8, 8))}), n_head=2)
    with pytest.raises(ValueError, match="non-finite"):
        GPT.from_state_dict(dict(state, wte=np.full((27, 8), np.nan)), n_head=2)


def test_initial_weights_are_n_0_0_08_and_seeded():
    model = GPT(27, seed=0)
    weights = np.array([p.data for p in model.parameters()])
    assert len(weights) == 4192  # microgpt's parameter count
    assert abs(weights.std() - 0.08) < 0.004 and abs(weights.mean()) < 0.004
    assert [p.data for p in GPT(27, seed=0).parameters()] == weights.tolist()
    assert [p.data for p in GPT(27, seed=1).parameters()] != weights.tolist()
    with pytest.raises(ValueError, match="n_head must be a positive integer"):
        GPT(27, n_head=0)


def test_bad_documents_are_refused_with_the_reason():
    model = GPT(5, n_embd=4, n_head=1, block_size=4, seed=0)
    with pytest.raises(ValueError, match="at least 2 tokens"):
        model.loss([4])
    with pytest.raises(ValueError, match=r"^token id 7 \(tokens\[1\]\) is outside the vocabulary; expected 0 to 4$"):
        model.loss([4, 7, 4])
    with pytest.raises(TypeError, match="integer token ids"):
        model.loss(["a", "b"])


def _structure(trace):
    order = at.topological_order([z for logits in trace.logits for z in logits])
    index = {node: i for i, node in enumerate(order)}
    constants = [node.data for node in order if node.is_leaf and not node.label]
    return [(node.op, tuple(index[c] for c in node.inputs)) for node in order], constants


def test_the_graph_reads_no_number_the_same_shape_for_any_tokens_and_weights():
    """No max shift, no branch on data: two documents of one length (and other weights) give the same
    graph up to the logits, node for node, with the same constants, so the batched replay can replay
    it. (Their letters are all different: a repeated token reads the same embedding row twice. The
    cost then picks the logit of each next token.)"""
    first = _structure(GPT(27, n_embd=4, n_head=2, seed=0).trace(TOKENIZER.encode("emily")))
    second = _structure(GPT(27, n_embd=4, n_head=2, seed=1).trace(TOKENIZER.encode("jason")))
    assert first == second
    assert rules.LOGSUMEXP in {node._rule for node in at.topological_order(GPT(27, seed=0).loss([26, 1, 26]))}


def test_trace_names_the_nodes_and_its_loss_is_the_models():
    model = GPT(27, n_embd=8, n_head=2, n_layer=2, seed=4)
    tokens = TOKENIZER.encode("ava")
    trace = model.trace(tokens)
    assert trace.loss.data == model.loss(tokens).data
    assert trace.n_positions == 4 and len(trace.logits[0]) == 27
    assert [len(trace.attention_scores[1][1][t]) for t in range(4)] == [1, 2, 3, 4]
    assert len(trace.mlp_z[0][2]) == 32 and len(trace.residual_mlp) == 2
    assert trace.logits[2][5].label == "logit[2][5]" and trace.mlp_z[1][0][3].label == "z1[0][3]"
    assert trace.attention_scores[0][1][3][2].label == "score0.1[3,2]"
    weights = [a.data for a in trace.attention_weights[0][0][3]]
    assert math.fsum(weights) == pytest.approx(1.0, rel=1e-15)


def test_delta_at_the_logits_is_p_minus_y_over_n():
    model = GPT(27, n_embd=8, n_head=2, seed=4)
    tokens = TOKENIZER.encode("sophia")
    trace = model.trace(tokens)
    trace.loss.backward()
    n = trace.n_positions
    for t, logits in enumerate(trace.logits):
        z = np.array([v.data for v in logits])
        p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        expected = (p - np.eye(27)[tokens[t + 1]]) / n
        np.testing.assert_allclose([v.grad for v in logits], expected, rtol=1e-12, atol=1e-17)


def test_check_gpt_backprop_passes_and_shows_a_table():
    model = GPT(27, n_embd=8, n_head=2, n_layer=2, seed=2)
    report = check_gpt_backprop(model, TOKENIZER.encode("charlotte"))
    assert report, str(report)
    text = str(report)
    assert text.startswith("check_gpt_backprop passed") and "δ at the attention scores, layer 1" in text
    assert "<table>" in report._repr_html_()
    assert report["δ at the logits"].comparison.rel_error < 1e-13
    assert report["δ at the MLP's z, layer 1"].graph.shape == (10, 32)


def test_check_gpt_backprop_bites_on_a_wrong_softmax_derivative(monkeypatch):
    model = GPT(27, n_embd=8, n_head=2, seed=2)
    wrong = dataclasses.replace(
        rules.LOGSUMEXP, local_grads=lambda out, *xs: tuple(rules.exp(x - out) * 1.001 for x in xs)
    )
    monkeypatch.setattr(rules, "LOGSUMEXP", wrong)
    report = check_gpt_backprop(model, TOKENIZER.encode("mia"))
    assert not report
    assert "FAILED" in str(report) and str(report).count("FAIL") >= 8


def test_check_gpt_backprop_bites_on_a_wrong_relu_derivative(monkeypatch):
    model = GPT(27, n_embd=8, n_head=2, seed=2)
    wrong = dataclasses.replace(rules.RELU, local_grads=lambda out, a: (1.0,))  # relu′ = 1 everywhere
    monkeypatch.setattr(rules, "RELU", wrong)
    monkeypatch.setattr(at.Value, "relu", at.value._unary(wrong))
    report = check_gpt_backprop(model, TOKENIZER.encode("mia"))
    assert report["δ at the logits"] in [c for c in report.comparisons if report.passed(c)]
    assert not report.passed(report["δ at the MLP's z, layer 0"])


def test_sample_generates_names_as_microgpt_does():
    model = GPT(27, n_embd=8, n_head=2, seed=0)
    first = model.sample(5, seed=1)
    assert first == model.sample(5, seed=1)
    assert all(len(doc) <= model.block_size and all(0 <= t < 26 for t in doc) for doc in first)
    names = model.sample(3, seed=1, tokenizer=TOKENIZER)
    assert names == [TOKENIZER.decode(doc) for doc in first[:3]]
    with at.no_grad():  # near-zero temperature: the most likely first token, every time
        logits = [v.data for v in model.trace([26, 0]).logits[0]]
    greedy = model.sample(4, temperature=1e-3, seed=2)
    assert [doc[0] if doc else 26 for doc in greedy] == [int(np.argmax(logits))] * 4
    with pytest.raises(ValueError, match="temperature must be a positive number"):
        model.sample(1, temperature=0)


def _steered(next_token: dict[int, int]) -> GPT:
    """A GPT of 3 tokens (BOS = 2) whose every layer is zero, so the stream is rmsnorm(wte[token]) = 2·e_token
    and the logits are lm_head · 2·e_token: token k is followed by ``next_token[k]`` with a logit 100 above
    the others (probability 1 − 1e-40 at temperature 0.5)."""
    state = {key: np.zeros(array.shape) for key, array in GPT(3, n_embd=4, n_head=1, block_size=4).state_dict().items()}
    state["wte"] = np.eye(3, 4)
    for token, following in next_token.items():
        state["lm_head"][following, token] = 50.0
    return GPT.from_state_dict(state, n_head=1)


def test_sample_stops_at_bos_and_at_block_size():
    assert _steered({2: 0, 0: 1, 1: 2}).sample(3, seed=0) == [[0, 1]] * 3  # BOS → 0 → 1 → BOS: stops there
    assert _steered({2: 1, 1: 1}).sample(2, seed=0) == [[1, 1, 1, 1]] * 2  # never BOS: block_size = 4 tokens
    assert _steered({2: 2}).sample(1, seed=0, tokenizer=CharTokenizer(["ab"])) == [""]  # BOS first: empty


def test_sampled_first_tokens_follow_softmax_of_the_logits():
    """At temperature 1, the first token's frequency over 2,000 samples is softmax(logits at BOS) within
    4 standard errors per token (with the fixed seed the test is deterministic; the bound is loose)."""
    state = GPT(5, n_embd=4, n_head=1, block_size=1, seed=0).state_dict()
    model = GPT.from_state_dict(dict(state, lm_head=state["lm_head"] * 12), n_head=1)  # far from uniform
    with at.no_grad():
        logits = np.array([z.data for z in model.trace([4, 0]).logits[0]])
    p = np.exp(logits - logits.max())
    p /= p.sum()
    assert np.abs(p - 1 / 5).max() > 0.1  # a sampler that ignored the logits would fail the test
    n = 2000
    first = [doc[0] if doc else 4 for doc in model.sample(n, temperature=1.0, seed=7)]  # block_size 1: one token
    frequency = np.bincount(first, minlength=5) / n
    np.testing.assert_array_less(np.abs(frequency - p), 4 * np.sqrt(p * (1 - p) / n) + 1e-12)


def test_train_gpt_shows_a_progress_bar_with_the_loss(capsys):
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    history = train_gpt(model, [TOKENIZER.encode("ava")], steps=2)
    err = capsys.readouterr().err
    assert "training" in err and f"loss={history.loss[-1]:.4f}" in err


def test_the_replay_and_the_scalar_engine_train_alike_over_100_steps():
    """engine="auto" (the default) replays the graph with NumPy; "scalar" builds it: 1e-10 relative."""
    documents = [TOKENIZER.encode(name) for name in NAMES]  # "charlotte" is longer than the block size
    runs = {}
    for engine in ("scalar", "vectorized", "auto"):
        model = GPT(27, n_layer=2, n_embd=8, n_head=2, block_size=8, seed=4)
        runs[engine] = (train_gpt(model, documents, steps=100, engine=engine, progress=False).loss, model)
    (scalar_losses, scalar_model), (replay_losses, replay_model) = runs["scalar"], runs["vectorized"]
    np.testing.assert_allclose(replay_losses, scalar_losses, rtol=1e-10, atol=0.0)
    assert replay_losses[-1] < replay_losses[0] - 0.5  # it learned: the run is not trivially equal
    trained = [p.data for p in replay_model.parameters()]  # written back to the model's Values at the end
    np.testing.assert_allclose(trained, [p.data for p in scalar_model.parameters()], rtol=1e-8, atol=1e-12)
    auto_losses, auto_model = runs["auto"]
    assert auto_losses == replay_losses  # the default is the replay, the same run to the last bit
    assert [p.data for p in auto_model.parameters()] == trained
    assert all(p.grad == 0.0 for p in auto_model.parameters())  # the replay never touches p.grad …
    assert any(p.grad != 0.0 for p in scalar_model.parameters())  # … the scalar engine's backward does


class _ReadsTheToken(GPT):
    """A GPT whose graph depends on the token's number (indexes wte with int(token)): not replayable."""

    def embedding_lookup(self, token, position):
        return [t + p for t, p in zip(self.wte[int(token)], self.wpe[position])]


def test_a_graph_that_reads_the_tokens_falls_back_to_the_scalar_engine_under_auto():
    documents = [TOKENIZER.encode(name) for name in NAMES[:4]]
    losses = {}
    for engine in ("scalar", "auto"):
        model = _ReadsTheToken(27, n_embd=4, n_head=1, block_size=8, seed=2)
        losses[engine] = train_gpt(model, documents, steps=4, engine=engine, progress=False).loss
    assert losses["auto"] == losses["scalar"]  # auto ran the scalar engine from the first step
    model = _ReadsTheToken(27, n_embd=4, n_head=1, block_size=8, seed=2)
    with pytest.raises(ValueError, match=r"engine='vectorized'.*cannot replay this model.*int\(\)") as refusal:
        train_gpt(model, documents, steps=4, engine="vectorized", progress=False)
    assert "test_gpt.py" in str(refusal.value)  # the line that read the token


def test_batch_size_trains_on_the_mean_cost_of_several_documents():
    documents = [TOKENIZER.encode(name) for name in NAMES[:5]]
    histories, seen = {}, []
    for engine in ("scalar", "auto"):
        model = GPT(27, n_embd=4, n_head=1, block_size=8, seed=1)
        first = [model.loss(documents[i]).data for i in (0, 1, 2)]
        histories[engine] = train_gpt(model, documents, steps=3, batch_size=3, engine=engine, progress=False,
                                      on_step=lambda step, loss: seen.append(step)).loss  # fmt: skip
        assert histories[engine][0] == pytest.approx(sum(first) / 3, rel=1e-12)  # step 0: documents 0, 1, 2
    np.testing.assert_allclose(histories["auto"], histories["scalar"], rtol=1e-10)  # step 1: 3, 4, 0; …
    assert seen == [0, 1, 2, 0, 1, 2]


def test_train_gpt_refuses_bad_engines_and_documents():
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    documents = [TOKENIZER.encode("ava")]
    with pytest.raises(ValueError, match="engine must be one of"):
        train_gpt(model, documents, steps=1, engine="fast")
    with pytest.raises(ValueError, match=r"documents\[1\]: token id 30 \(tokens\[1\]\) is outside .* 0 to 26$"):
        train_gpt(model, [documents[0], [26, 30, 26]], steps=1)
    with pytest.raises(ValueError, match="documents must be a non-empty list"):
        train_gpt(model, [], steps=1)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        train_gpt(model, documents, steps=0)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        train_gpt(model, documents, steps=1, batch_size=0)


def test_names_and_the_char_tokenizer():
    names = datasets.names()
    assert len(names) == 32_033 and len(set(names)) == 29_494
    assert names[:3] == ["emma", "olivia", "ava"] and names[-1] == "zzyzx"
    tokenizer = CharTokenizer(names)
    assert tokenizer.vocab_size == 27 and tokenizer.bos == 26 and tokenizer.chars[0] == "a"
    assert tokenizer.encode("emma") == [26, 4, 12, 12, 0, 26]
    assert tokenizer.decode([26, 4, 12, 12, 0, 26]) == "emma"
    with pytest.raises(ValueError, match="character 'É' of 'Émile' is not in the tokenizer's vocabulary"):
        tokenizer.encode("Émile")
    with pytest.raises(ValueError, match=r"^tokens must be integer ids from 0 to 26 \(BOS = 26\), got tokens\[0\]"):
        tokenizer.decode([40])
    with pytest.raises(ValueError, match=r"^tokens must be integer ids from 0 to 26 \(BOS = 26\), got tokens\[0\]"):
        tokenizer.decode([-1])


def test_values_given_to_from_state_dict_are_the_parameters_so_gradcheck_works():
    small = GPT(5, n_embd=2, n_head=1, block_size=4, seed=0)
    shapes = {key: array.shape for key, array in small.state_dict().items()}
    numbers = [p.data for p in small.parameters()]

    def cost(*params):
        state, i = {}, 0
        for key, (rows, columns) in shapes.items():
            state[key] = [list(params[i + r * columns : i + (r + 1) * columns]) for r in range(rows)]
            i += rows * columns
        return GPT.from_state_dict(state, n_head=1).loss([4, 0, 1, 2, 4])

    result = at.gradcheck(cost, numbers, eps=1e-6, atol=1e-9, rtol=1e-6)
    assert result, str(result)
    assert len(numbers) == 76


def test_a_trace_shows_each_position_in_jupyter():
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    trace = model.trace(TOKENIZER.encode("ava"))
    trace.loss.backward()
    page = trace._repr_html_()
    assert page.startswith("<p>GPTTrace(4 positions, loss=") and page.count("<tr>") == 5
    cost = trace.position_losses[1]
    assert f'<td style="text-align:right">{cost.data:.4f}</td>' in page
    assert f"{trace.logits[1][21].grad:.4g}" in page  # 'v', the next token after 'a'
