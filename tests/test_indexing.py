"""select and embedding: choosing by a whole number, in the scalar engine and in vectorize's replay."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny import DataDependentGraphError, Value, embedding, select, vectorize


def table(rows: int, columns: int, seed: int = 0) -> list[list[Value]]:
    rng = np.random.default_rng(seed)
    return [
        [Value(float(v), f"w[{i}][{j}]") for j, v in enumerate(row)]
        for i, row in enumerate(rng.normal(size=(rows, columns)))
    ]


def test_an_int_index_is_python_indexing_and_adds_no_node():
    t = table(3, 2)
    assert embedding(t, 1) == t[1] and select(t[2], 0) is t[2][0]
    assert select([1.5, 2.5], np.int64(1)).data == 2.5


def test_an_int_index_reads_only_the_chosen_row_as_python_indexing_does():
    t = [[Value(1.0), Value(2.0)], [3.0, "x"]]
    assert embedding(t, 0) == t[0]
    with pytest.raises(TypeError, match=r"embedding table\[1\]\[1\]: Value needs a real number"):
        embedding(t, 1)
    with pytest.raises(TypeError, match=r"embedding table\[1\]\[1\]"):  # a Value index reads every row
        embedding(t, Value(0.0))


def test_a_value_index_records_select_nodes_with_one_hot_local_derivatives():
    t = table(4, 3)
    token = Value(2.0, "token")
    row = embedding(t, token)
    assert [v.data for v in row] == [v.data for v in t[2]]
    assert all(v.op == "select" and v.inputs == (token, *[r[j] for r in t]) for j, v in enumerate(row))
    assert row[1].local_grads() == (0.0, 0.0, 0.0, 1.0, 0.0)
    loss = at.sum([v * v for v in row])
    loss.backward()
    for i, r in enumerate(t):  # ∂(Σ wⱼ²)/∂w[i][j] = 2 w[i][j] for the chosen row, 0 elsewhere
        assert [w.grad for w in r] == ([2 * w.data for w in r] if i == 2 else [0.0, 0.0, 0.0])
    assert token.grad == 0.0


def test_select_has_zero_higher_derivatives_and_works_in_forward_mode():
    x = Value(1.5, "x")
    y = select([x * x, x * x * x], Value(1.0))  # x³
    (first,) = at.grad(y, [x], create_graph=True)
    (second,) = at.grad(first, [x])
    assert (first.data, second.data) == (3 * 1.5**2, 6 * 1.5)
    _, tangent = at.jvp(lambda a: select([a * 2.0, a * a], Value(1.0)), [3.0], [1.0])
    assert tangent == 6.0


@pytest.mark.parametrize(
    ("index", "error", "message"),
    [
        (Value(2.5, "t"), ValueError, "select: index 't' holds 2.5; expected a whole number from 0 to 2"),
        (Value(3.0), ValueError, "the index Value holds 3.0; expected a whole number from 0 to 2"),
        (Value(-1.0), ValueError, "holds -1.0"),
        (Value(math.nan), ValueError, "holds nan"),
        (3, IndexError, "select: index 3 is out of range; expected 0 to 2"),
        (-1, IndexError, "index -1 is out of range"),
        (True, TypeError, "the index is a bool"),
        (1.0, TypeError, "the index is a float; expected an int or a Value"),
    ],
)
def test_a_bad_index_is_named(index, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        select([1.0, 2.0, 3.0], index)


def test_bad_tables_are_named():
    with pytest.raises(ValueError, match="no rows"):
        embedding([], 0)
    with pytest.raises(ValueError, match=r"table\[1\] has 1 entries, table\[0\] has 2"):
        embedding([[1.0, 2.0], [3.0]], 0)
    with pytest.raises(ValueError, match="values is empty"):
        select([], Value(0.0))


def bigram_loss(wte, head, tokens, *, by_value: bool) -> Value:
    """A bigram model's mean cross-entropy over a sequence: embed token t, predict token t + 1."""
    losses = []
    for current, following in itertools.pairwise(tokens):
        x = embedding(wte, current)
        logits = [at.dot(row, x) for row in head]
        picked = select(logits, following) if by_value else logits[following]
        losses.append(at.sum([z.exp() for z in logits]).log() - picked)
    return at.sum(losses) * (1.0 / len(losses))


def test_vectorize_replays_embeddings_and_target_choices_with_the_scalar_engines_numbers():
    vocab, width = 5, 3
    wte, head = table(vocab, width, seed=1), table(vocab, width, seed=2)
    params = [p for row in wte + head for p in row]
    tokens = np.array([[0, 3, 4, 3, 1], [4, 4, 0, 2, 2], [1, 0, 3, 3, 4]])

    at.zero_grad(params)
    costs = [bigram_loss(wte, head, [int(t) for t in row], by_value=False) for row in tokens]
    expected = at.sum(costs) * (1.0 / len(costs))
    expected.backward()
    expected_grads = [p.grad for p in params]

    at.zero_grad(params)
    batched = vectorize(lambda x, _: bigram_loss(wte, head, x, by_value=True), params)
    cost = batched(tokens)
    assert cost == pytest.approx(expected.data, rel=1e-13)
    np.testing.assert_allclose([p.grad for p in params], expected_grads, rtol=1e-12, atol=1e-15)
    assert sum(g != 0.0 for g in expected_grads[: vocab * width]) == 5 * width  # rows 0…4 of wte are used
    text = batched.describe()
    assert "12 select  select(x[0], w[0][0], w[1][0], w[2][0], …), …" in text
    assert "row lookup: for each of 4 per-sample index(es), a row of a (5 × 3) table (one gather)" in text
    assert "one (5 × 3)·(3 × 4) product W·A per sample; backward: Wᵀ·gradient to A, gradient·Aᵀ to W" in text
    assert "picks 1 of 5 per-sample numbers" in text


def test_an_integer_target_chooses_the_target_s_entry():
    w = [Value(0.5, "w0"), Value(-1.0, "w1"), Value(2.0, "w2")]
    batched = vectorize(lambda x, y: select([x[0] * w[0], x[0] * w[1], x[0] * w[2]], y), w)
    cost = batched(np.array([[1.0], [2.0], [3.0]]), np.array([2, 0, 2]))
    assert cost == pytest.approx((1.0 * 2.0 + 2.0 * 0.5 + 3.0 * 2.0) / 3, rel=1e-15)
    assert [v.grad for v in w] == pytest.approx([2.0 / 3, 0.0, 4.0 / 3], rel=1e-15)


@pytest.mark.parametrize(("bad", "shown"), [(5, "5.0"), (-1, "-1.0")])
def test_a_token_outside_the_table_is_named_by_its_place_in_x(bad, shown):
    wte = table(5, 2)
    params = [p for row in wte for p in row]
    batched = vectorize(lambda x, _: at.sum(embedding(wte, x[1])), params)
    tokens = np.array([[0, 1], [2, bad]])
    with pytest.raises(ValueError, match=rf"X\[1, 1\] = {shown} chooses an entry .* whole number from 0 to 4"):
        batched(tokens)
    with pytest.raises(ValueError, match=r"X\[0, 1\] = 1.5 chooses"):
        batched(np.array([[0.0, 1.5]]))


def test_indexing_a_list_with_a_recorded_value_points_to_select():
    wte = table(3, 2)
    with pytest.raises(
        DataDependentGraphError, match=r"use select\(values, x\[i\]\) or embedding\(table, x\[i\]\) with X"
    ):
        vectorize(lambda x, _: wte[x[0]][0], [p for row in wte for p in row])(np.array([[1]]))


def test_choosing_by_a_float_feature_says_to_pass_integers():
    wte = table(3, 2)
    batched = vectorize(lambda x, _: at.sum(embedding(wte, x[0])), [p for row in wte for p in row])
    placeholder = r"index 'x\[0\]' holds .*That number is a placeholder's, not one of your samples': .*unless X"
    with pytest.raises(ValueError, match=placeholder + r".* to choose by x or y, pass them as integers"):
        batched(np.array([[1.0], [2.0]]))
    assert batched(np.array([[1], [2]])) == pytest.approx(sum(v.data for v in wte[1] + wte[2]) / 2, rel=1e-15)
