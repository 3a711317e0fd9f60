"""vectorize_sequences: a GPT's cost over documents of any length, replayed with NumPy, gives the
scalar engine's numbers; trained with Adam it gives the microgpt-style yardstick's losses.

The GPT is ``nn.GPT`` built on the yardstick's initial weights (``GPT.from_state_dict`` of Values
keeps them as its parameters), replayed as ``train_gpt`` replays it: its per-position costs
``model.trace(tokens).position_losses``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny import Value, embedding, select, vectorize_sequences
from autograd_tiny.nn import GPT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import microgpt_yardstick as yardstick
from numpy_gpt import adam_step

NAMES = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "al", "bo"]
ALPHABET = sorted(set("".join(NAMES)))
TINY = {"n_embd": 8, "block_size": 8}  # two heads of 4: a small microgpt
N_HEAD = 2


def documents() -> list[list[int]]:
    return [yardstick.encode(name, ALPHABET) for name in NAMES]


def tiny_state(value_class=Value, seed=3):
    return yardstick.init_state(value_class, len(ALPHABET) + 1, seed=seed, **TINY)


def tiny_gpt(seed=3) -> GPT:
    """nn.GPT on the yardstick's initial weights: its parameters are the state's own Values."""
    return GPT.from_state_dict(tiny_state(Value, seed), n_head=N_HEAD)


def replay_for(model: GPT, **options):
    """The model's per-position costs, replayed as train_gpt replays them."""
    return vectorize_sequences(
        lambda tokens: model.trace(tokens).position_losses,
        model.parameters(),
        max_positions=model.block_size,
        **options,
    )


@pytest.mark.parametrize("plan_lengths", [None, [8], [3, 8]])
def test_each_document_gives_the_scalar_engines_loss_and_gradients(plan_lengths):
    model = tiny_gpt()
    params = model.parameters()
    replay = replay_for(model, plan_lengths=plan_lengths)
    for tokens in [*documents()[:4], yardstick.encode("charlotteamelia", ALPHABET)]:  # the last is cut at 8
        at.zero_grad(params)
        loss = model.loss(tokens)
        loss.backward()
        cost, grads = replay.value_and_grad([tokens])
        assert cost == pytest.approx(loss.data, rel=1e-13)
        np.testing.assert_allclose(grads, [p.grad for p in params], rtol=1e-11, atol=1e-15)
    assert sorted(replay.plans) == ([4, 5, 7, 8] if plan_lengths is None else [8])
    assert replay.recordings == 1  # the 8-position recording; the shorter plans are laid out from its nodes


def test_a_batch_is_the_mean_of_its_documents_costs_and_adds_to_grad():
    model = tiny_gpt()
    params = model.parameters()
    batch = documents()[:5]
    at.zero_grad(params)
    total = at.sum([model.loss(tokens) for tokens in batch]) * (1.0 / len(batch))
    total.backward()
    expected = [p.grad for p in params]
    at.zero_grad(params)
    assert replay_for(model)(batch) == pytest.approx(total.data, rel=1e-13)
    np.testing.assert_allclose([p.grad for p in params], expected, rtol=1e-11, atol=1e-15)


def scalar_training(loss, params: list, steps: int) -> tuple[list[float], list]:
    """Train the tiny GPT with a scalar engine (``loss(tokens)`` a Value whose graph reaches ``params``),
    one document per step, with the yardstick's Adam."""
    m, v, losses, docs = [0.0] * len(params), [0.0] * len(params), [], documents()
    for step in range(steps):
        cost = loss(docs[step % len(docs)])
        cost.backward()
        yardstick.adam_update(params, m, v, step, 100)
        losses.append(cost.data)
    return losses, params


def replay_training(steps: int) -> tuple[list[float], np.ndarray, object]:
    model = tiny_gpt()
    replay = replay_for(model)
    theta = np.array([p.data for p in model.parameters()])
    m, v, losses, docs = np.zeros_like(theta), np.zeros_like(theta), [], documents()
    for step in range(steps):
        cost, grads = replay.value_and_grad([docs[step % len(docs)]], theta)
        adam_step(theta, grads, m, v, step, 100)
        losses.append(cost)
    return losses, theta, replay


def test_training_through_the_replay_gives_the_scalar_engines_losses_over_100_steps():
    losses, theta, replay = replay_training(100)
    model = tiny_gpt()
    expected, params = scalar_training(model.loss, model.parameters(), 100)
    np.testing.assert_allclose(losses, expected, rtol=1e-10)
    np.testing.assert_allclose(theta, [p.data for p in params], rtol=1e-8, atol=1e-12)
    assert np.mean(losses[-10:]) < 0.8 * np.mean(losses[:10])  # it learned
    assert sorted(replay.plans) == sorted({min(len(d) - 1, 8) for d in documents()})


def test_and_the_yardsticks_losses_microgpt_s_own_engine_with_its_max_shifted_softmax():
    state = tiny_state(yardstick.YardstickValue)
    expected, _ = scalar_training(
        lambda tokens: yardstick.document_loss(state, tokens, n_head=N_HEAD), yardstick.parameters(state), 12
    )
    np.testing.assert_allclose(replay_training(12)[0], expected, rtol=1e-10)


def test_padding_refuses_a_cost_that_reads_later_tokens():
    table = [[Value(0.1 * i + 0.01 * j) for j in range(2)] for i in range(4)]
    params = [p for row in table for p in row]

    def peeking(tokens):  # position t's cost reads the last token: not causal
        last = embedding(table, tokens[-1])
        return [at.dot(embedding(table, tokens[t]), last) for t in range(len(tokens) - 1)]

    replay = vectorize_sequences(peeking, params, plan_lengths=[4])
    assert replay.value_and_grad([[0, 1, 2, 3, 1]])[0] == pytest.approx(  # no padding: fine
        np.mean([sum(table[t][j].data * table[1][j].data for j in range(2)) for t in (0, 1, 2, 3)]), rel=1e-15
    )
    with pytest.raises(ValueError, match=r"cost at position 0 reads token 4, past the end of a document of 3 tokens"):
        replay.value_and_grad([[0, 1, 2]])
    # one recording of the longest documents serves a causal cost's shorter ones; this one is recorded per length
    per_length = vectorize_sequences(peeking, params, max_positions=4)
    expected = np.mean([sum(table[t][j].data * table[2][j].data for j in range(2)) for t in (0, 1)])
    assert per_length.value_and_grad([[0, 1, 2]])[0] == pytest.approx(expected, rel=1e-15)
    assert per_length.recordings == per_length.traces == 2 and sorted(per_length.plans) == [2]


def test_bad_documents_and_costs_are_named():
    replay = replay_for(tiny_gpt())
    with pytest.raises(ValueError, match="non-empty list of token lists"):
        replay.value_and_grad([])
    with pytest.raises(ValueError, match=r"documents\[1\] must be a list of at least 2 int token ids, got 1 item"):
        replay.value_and_grad([[0, 1], [2]])
    with pytest.raises(ValueError, match=r"documents\[0\] .* of type float64"):
        replay.value_and_grad([[0.0, 1.0]])
    with pytest.raises(ValueError, match=r"X\[0, 1\] = 99.0 chooses an entry"):
        replay.value_and_grad([[0, 99, 1]])
    with pytest.raises(ValueError, match=r"param_numbers has shape \(3,\)"):
        replay.value_and_grad([[0, 1]], np.zeros(3))
    w = Value(1.0)
    with pytest.raises(ValueError, match="fn returned 1 costs for 4 tokens; expected 3"):
        vectorize_sequences(lambda tokens: [w * 2.0], [w]).value_and_grad([[0, 1, 2, 3]])
    with pytest.raises(TypeError, match="with plan_lengths, fn must return one cost per position"):
        vectorize_sequences(lambda tokens: w * 2.0, [w], plan_lengths=[4]).value_and_grad([[0, 1, 2, 3]])
    outside = Value(2.0, "forgotten")
    with pytest.raises(ValueError, match="'forgotten', input 1 of a '\\*' node"):
        vectorize_sequences(lambda tokens: w * outside, [w]).value_and_grad([[0, 1]])


def test_the_gpt_plan_reads_as_matrix_operations():
    model = GPT.from_state_dict(yardstick.init_state(Value, 27, seed=1), n_head=4)  # microgpt's configuration
    replay = replay_for(model)
    text = replay.describe(5)
    with_delta = [
        "one (64 × 16)·(16 × 5) product W·A per sample; backward: Wᵀδ (BP2), δaᵀ (BP4)",  # mlp_fc1: z
        "one (27 × 16)·(16 × 5) product W·A per sample; backward: Wᵀδ (BP2), δaᵀ (BP4)",  # lm_head: the logits
    ]
    for line in [
        "row lookup: for each of 5 per-sample index(es), a row of a (27 × 16) table (one gather)",
        "one (48 × 16)·(16 × 5) product W·A per sample; backward: Wᵀ·gradient to A, gradient·Aᵀ to W\n",  # q, k, v
        "4 batched (5 × 4)·(4 × 5) products per sample, the 60 of their 100 entries the graph uses",  # scores
        # the last position's softmax, one per head
        "a logsumexp over 5 inputs per node, as one (4 × 5 × n) stack; backward: softmax × gradient, one scatter",
        "4 batched (1 × 5)·(5 × 4) products per sample",  # the last position's weighted values
        # attn_wo and mlp_fc2, each with the residual stream as the dot's per-sample bias
        "one (16 × 16)·(16 × 5) product W·A per sample + a per-sample bias; backward: Wᵀ·gradient to A, "
        "gradient·Aᵀ to W, the gradient to the bias",
        "one (16 × 64)·(64 × 5) product W·A per sample + a per-sample bias; backward: Wᵀ·gradient to A, "
        "gradient·Aᵀ to W, the gradient to the bias",
        *with_delta,
        "a logsumexp over 27 inputs per node, as one (5 × 27 × n) stack",  # each position's cross-entropy
        "picks 1 of 27 per-sample numbers by a per-sample index, 5 times",  # the target's logit
    ]:
        assert line in text, line
    # δ = ∂C/∂z only where nn.GPT marks pre-activations that a product computes (an MLP's z, the logits);
    # there are no layers in a GPT's marks and no bias parameters in its products
    assert [line for line in text.splitlines()[4:] if "δ" in line] == [
        line for line in text.splitlines() if any(expected in line for expected in with_delta)
    ]
    assert len([line for line in text.splitlines() if "δ" in line]) == 3  # the header's and these two
    assert "of layer" not in text and "BP3" not in text
    assert sorted(replay.plans) == [5] and replay.recording_seconds > 0


def test_select_in_a_replayed_sequence_sends_gradients_to_the_chosen_rows_only():
    table = [[Value(float(i + 1) * (j + 1)) for j in range(2)] for i in range(3)]
    params = [p for row in table for p in row]
    replay = vectorize_sequences(lambda tokens: [select(embedding(table, tokens[0]), tokens[1])], params)
    cost, grads = replay.value_and_grad([[2, 1], [0, 0]])
    assert cost == (table[2][1].data + table[0][0].data) / 2
    assert grads.tolist() == [0.5, 0.0, 0.0, 0.0, 0.0, 0.5]
