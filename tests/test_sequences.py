"""vectorize_sequences: a GPT's cost over documents of any length, replayed with NumPy, gives the
scalar engine's numbers; trained with Adam it gives the microgpt-style yardstick's losses."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny import Value, embedding, select, vectorize_sequences

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import gpt_replay_model as gpt
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


def replay_for(state, **options):
    return vectorize_sequences(
        lambda tokens: gpt.position_losses(state, tokens, n_head=N_HEAD),
        yardstick.parameters(state),
        max_positions=TINY["block_size"],
        **options,
    )


@pytest.mark.parametrize("plan_lengths", [None, [8], [3, 8]])
def test_each_document_gives_the_scalar_engines_loss_and_gradients(plan_lengths):
    state = tiny_state()
    params = yardstick.parameters(state)
    replay = replay_for(state, plan_lengths=plan_lengths)
    for tokens in [*documents()[:4], yardstick.encode("charlotteamelia", ALPHABET)]:  # the last is cut at 8
        at.zero_grad(params)
        loss = gpt.document_loss(state, tokens, n_head=N_HEAD)
        loss.backward()
        cost, grads = replay.value_and_grad([tokens])
        assert cost == pytest.approx(loss.data, rel=1e-13)
        np.testing.assert_allclose(grads, [p.grad for p in params], rtol=1e-11, atol=1e-15)
    assert sorted(replay.plans) == ([4, 5, 7, 8] if plan_lengths is None else [8])
    assert replay.traces == 1  # the 8-position trace; the shorter plans are laid out from its nodes


def test_a_batch_is_the_mean_of_its_documents_costs_and_adds_to_grad():
    state = tiny_state()
    params = yardstick.parameters(state)
    batch = documents()[:5]
    at.zero_grad(params)
    total = at.sum([gpt.document_loss(state, tokens, n_head=N_HEAD) for tokens in batch]) * (1.0 / len(batch))
    total.backward()
    expected = [p.grad for p in params]
    at.zero_grad(params)
    assert replay_for(state)(batch) == pytest.approx(total.data, rel=1e-13)
    np.testing.assert_allclose([p.grad for p in params], expected, rtol=1e-11, atol=1e-15)


def scalar_training(value_class, loss, steps: int) -> tuple[list[float], list]:
    """Train the tiny GPT with a scalar engine, one document per step, with the yardstick's Adam."""
    state = tiny_state(value_class)
    params = yardstick.parameters(state)
    m, v, losses, docs = [0.0] * len(params), [0.0] * len(params), [], documents()
    for step in range(steps):
        cost = loss(state, docs[step % len(docs)], n_head=N_HEAD)
        cost.backward()
        yardstick.adam_update(params, m, v, step, 100)
        losses.append(cost.data)
    return losses, params


def replay_training(steps: int) -> tuple[list[float], np.ndarray, object]:
    state = tiny_state()
    replay = replay_for(state)
    theta = np.array([p.data for p in yardstick.parameters(state)])
    m, v, losses, docs = np.zeros_like(theta), np.zeros_like(theta), [], documents()
    for step in range(steps):
        cost, grads = replay.value_and_grad([docs[step % len(docs)]], theta)
        adam_step(theta, grads, m, v, step, 100)
        losses.append(cost)
    return losses, theta, replay


def test_training_through_the_replay_gives_the_scalar_engines_losses_over_100_steps():
    losses, theta, replay = replay_training(100)
    expected, params = scalar_training(Value, gpt.document_loss, 100)
    np.testing.assert_allclose(losses, expected, rtol=1e-10)
    np.testing.assert_allclose(theta, [p.data for p in params], rtol=1e-8, atol=1e-12)
    assert np.mean(losses[-10:]) < 0.8 * np.mean(losses[:10])  # it learned
    assert sorted(replay.plans) == sorted({min(len(d) - 1, 8) for d in documents()})


def test_and_the_yardsticks_losses_microgpt_s_own_engine_with_its_max_shifted_softmax():
    expected, _ = scalar_training(yardstick.YardstickValue, yardstick.document_loss, 12)
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
    # one trace of the longest documents serves a causal cost's shorter ones; this one is traced per length
    per_length = vectorize_sequences(peeking, params, max_positions=4)
    expected = np.mean([sum(table[t][j].data * table[2][j].data for j in range(2)) for t in (0, 1)])
    assert per_length.value_and_grad([[0, 1, 2]])[0] == pytest.approx(expected, rel=1e-15)
    assert per_length.traces == 2 and sorted(per_length.plans) == [2]


def test_bad_documents_and_costs_are_named():
    state = tiny_state()
    replay = replay_for(state)
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
    state = yardstick.init_state(Value, 27, seed=1)  # microgpt's configuration: 16 dimensions, 4 heads
    replay = vectorize_sequences(lambda tokens: gpt.position_losses(state, tokens), yardstick.parameters(state))
    text = replay.describe(5)
    for line in [
        "row lookup: for each of 5 per-sample index(es), a row of a (27 × 16) table (one gather)",
        "one (48 × 16)·(16 × 5) product W·A per sample",  # q, k and v of every position
        "4 batched (5 × 4)·(4 × 5) products per sample, the 60 of their 100 entries the graph uses",  # scores
        "4 batched (1 × 5)·(5 × 4) products per sample",  # the last position's weighted values
        "one (16 × 16)·(16 × 5) product W·A per sample",  # attn_wo
        "one (64 × 16)·(16 × 5) product W·A per sample",  # mlp_fc1
        "one (16 × 64)·(64 × 5) product W·A per sample",  # mlp_fc2
        "one (27 × 16)·(16 × 5) product W·A per sample",  # lm_head
        "picks 1 of 27 per-sample numbers by a per-sample index, 5 times",  # the target's logit
    ]:
        assert line in text, line
    assert "δ" not in text.replace("δ = ∂C/∂z", "")  # nothing here is a pre-activation of nn's
    assert sorted(replay.plans) == [5] and replay.recording_seconds > 0


def test_select_in_a_replayed_sequence_sends_gradients_to_the_chosen_rows_only():
    table = [[Value(float(i + 1) * (j + 1)) for j in range(2)] for i in range(3)]
    params = [p for row in table for p in row]
    replay = vectorize_sequences(lambda tokens: [select(embedding(table, tokens[0]), tokens[1])], params)
    cost, grads = replay.value_and_grad([[2, 1], [0, 0]])
    assert cost == (table[2][1].data + table[0][0].data) / 2
    assert grads.tolist() == [0.5, 0.0, 0.0, 0.0, 0.0, 0.5]
