"""microgpt's protocol (``autograd_tiny.microgpt.Value``) and microgpt's GPT on our Value.

The oracle is the microgpt-style yardstick in ``bench/microgpt_yardstick.py``: the same model
code on its own 40-line Value must give the same losses and gradients as on ours.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny.microgpt import Value as MicroValue

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from microgpt_yardstick import YardstickValue, document_loss, encode, init_state, parameters


def tanh(x):
    """An operation added the microgpt way: the result, its children, its local derivatives."""
    t = math.tanh(x.data)
    return MicroValue(t, (x,), (1 - t * t,))


def test_a_node_built_with_its_local_derivatives_backpropagates():
    x = MicroValue(0.5)
    y = tanh(x * 2.0)
    assert y._children[0].data == 1.0 and y._local_grads == (1 - math.tanh(1.0) ** 2,)
    assert y.op == "custom" and not y.is_leaf and x.is_leaf and isinstance(x, at.Value)
    y.backward()
    assert x.grad == 2.0 * (1 - math.tanh(1.0) ** 2)
    assert at.grad(tanh(x * 2.0), [x])[0].data == x.grad


def test_such_a_node_shows_in_the_drawings_and_the_explorer():
    from autograd_tiny.viz import backward_explorer, draw_graph

    x = MicroValue(0.5)
    x.label = "x"
    y = tanh(x * 2.0)
    assert "custom" in draw_graph(y).source
    explorer = backward_explorer(y)
    assert explorer.steps == 4 and "custom" in explorer.page


def test_create_graph_through_it_says_higher_order_needs_a_rule():
    x = MicroValue(0.5)
    with pytest.raises(TypeError, match=r"higher order needs the operation as a Rule in autograd_tiny/rules\.py"):
        at.grad(tanh(x * 2.0), [x], create_graph=True)
    with pytest.raises(TypeError, match="higher order needs"):
        tanh(x).backward(create_graph=True)


def test_bad_protocol_arguments_are_refused():
    with pytest.raises(ValueError, match="one local derivative per child, got 1 children and 2"):
        MicroValue(1.0, (MicroValue(1.0),), (1.0, 2.0))
    with pytest.raises(TypeError, match=r"children\[0\] is a float"):
        MicroValue(1.0, (1.0,), (1.0,))


def test_vectorize_refuses_a_node_without_a_rule():
    w = at.Value(0.5)
    with pytest.raises(TypeError, match="given local derivatives"):
        at.vectorize(lambda x, y: MicroValue(0.0, (w * x[0],), (1.0,)), [w])(np.ones((2, 1)))
    fn_line = sys._getframe().f_lineno + 3  # the statement in fn (the lambda below); tanh reads x.data on line 26
    where = rf"used \.data .*test_microgpt\.py:26, called from your fn at .*test_microgpt\.py:{fn_line} "
    with pytest.raises(at.DataDependentGraphError, match=where):
        at.vectorize(lambda x, y: tanh(w * x[0]), [w])(np.ones((2, 1)))


def test_microgpts_gpt_on_our_value_gives_the_yardsticks_losses_and_gradients():
    alphabet = list("abcdefghijklmnopqrstuvwxyz")
    tokens = encode("emma", alphabet)
    losses, grads = {}, {}
    for value_class in (YardstickValue, at.Value):
        state = init_state(value_class, len(alphabet) + 1, seed=3)
        loss = document_loss(state, tokens)
        loss.backward()
        losses[value_class] = loss.data
        grads[value_class] = np.array([p.grad for p in parameters(state)], dtype=float)
    ours, theirs = losses[at.Value], losses[YardstickValue]
    assert abs(ours - theirs) <= 4 * math.ulp(theirs)  # we divide where it multiplies by a power −1
    scale = np.abs(grads[YardstickValue]).max()
    np.testing.assert_allclose(grads[at.Value], grads[YardstickValue], rtol=0, atol=1e-12 * scale)
    assert np.count_nonzero(grads[at.Value]) > 1000  # the check sees real gradients


def test_the_bench_finds_its_names_and_counts_nodes():
    import bench_microgpt

    names = bench_microgpt.load_names(None)
    assert len(names) > 30_000 and "emma" in names
    trainer = bench_microgpt.Trainer(at.Value, 27, seed=1)
    per_node, created = bench_microgpt.bytes_per_node(trainer, encode("ava", list("abcdefghijklmnopqrstuvwxyz")))
    assert created > 1000 and 50 < per_node < 1000
    random.seed(0)


def test_the_bench_trains_each_engine_in_its_own_process():
    """A worker answers as the same training in this process would, and the yardstick's loads no NumPy."""
    import bench_microgpt

    tokens = encode("ava", list("abcdefghijklmnopqrstuvwxyz"))
    here = bench_microgpt.Trainer(YardstickValue, 27, seed=1)
    expected = [here.step(tokens, 3)["loss"] for _ in range(3)]  # a step's loss follows the earlier Adam updates
    for engine in ("yardstick", "ours"):
        worker = bench_microgpt.Worker(engine, bench_microgpt.__file__, engine, 27, 1)
        try:
            imported = worker.imported("numpy")
            answers = [worker.ask({"step": tokens, "of": 3}) for _ in range(3)]
        finally:
            worker.close()
        if engine == "yardstick":
            assert imported == []  # microgpt imports no NumPy
        assert [a["loss"] for a in answers] == pytest.approx(expected, rel=1e-12)
        assert all(0 < a["forward"] <= a["step"] and 0 < a["backward"] <= a["step"] for a in answers)


def test_the_gpt_bench_times_each_engine_in_its_own_process():
    """bench_gpt's workers train as the same code in this process does, chunk after chunk, and the
    yardstick's process loads neither NumPy nor autograd_tiny."""
    import bench_gpt

    docs = bench_gpt.documents(4)
    chunks = [docs[:2], docs[2:]]  # the second chunk trains on from the first's weights
    state = init_state(YardstickValue, 27, seed=42, **bench_gpt.CONFIG)
    expected = [bench_gpt.yardstick_run(state, chunk, pause_gc=False)["losses"] for chunk in chunks]
    for engine, modules in (("yardstick", []), ("loop", ["numpy", "autograd_tiny"])):
        worker = bench_gpt.Worker(engine, bench_gpt.__file__, engine, 27)
        try:
            imported = worker.imported("numpy", "autograd_tiny")
            answers = [worker.ask({"train": chunk}) for chunk in chunks]
        finally:
            worker.close()
        assert imported == modules  # microgpt imports no NumPy
        losses = [answer["losses"] for answer in answers]
        if engine == "yardstick":
            assert losses == expected  # the same code: the same numbers
        else:
            assert losses == [pytest.approx(chunk, rel=1e-9) for chunk in expected]
        assert all(answer["seconds"] > 0 for answer in answers)
