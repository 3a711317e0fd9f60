"""vectorize: one recorded graph replayed over a batch gives the scalar engine's cost and gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_tiny as at
from autograd_tiny import DataDependentGraphError, Value, rules, vectorize

# One way to apply every rule of the table to Values; a test below checks that none is missing.
APPLY = {
    rules.ADD: (2, lambda a, b: a + b),
    rules.SUB: (2, lambda a, b: a - b),
    rules.MUL: (2, lambda a, b: a * b),
    rules.DIV: (2, lambda a, b: a / b),
    rules.NEG: (1, lambda a: -a),
    rules.POW: (2, lambda a, b: a**b),
    rules.POW_CONST: (1, lambda a: a**3 if a.data == a.data else a**0.5),  # data-dependent: replaced below
    rules.EXP: (1, lambda a: a.exp()),
    rules.LOG: (1, lambda a: a.log()),
    rules.SIN: (1, lambda a: a.sin()),
    rules.COS: (1, lambda a: a.cos()),
    rules.SQRT: (1, lambda a: a.sqrt()),
    rules.ABS: (1, lambda a: a.abs()),
    rules.TANH: (1, lambda a: a.tanh()),
    rules.SIGMOID: (1, lambda a: a.sigmoid()),
    rules.RELU: (1, lambda a: a.relu()),
    rules.SUM: (None, lambda *xs: at.sum(xs)),
    rules.DOT: (None, lambda *xs: at.dot(xs[: len(xs) // 2], xs[len(xs) // 2 :])),
    rules.SELECT: (None, lambda *xs: at.select(xs, Value(float(len(xs) - 1)))),  # per-sample indices: below
    rules.LOGSUMEXP: (None, lambda *xs: at.logsumexp(xs)),
}
EXPONENTS = (0.0, 0.5, 2.0, 3.0, -1.0)


def test_every_rule_of_the_table_is_exercised():
    assert set(APPLY) == set(rules.RULES)


def random_recipe(rng: np.random.Generator, n_steps: int) -> list[tuple]:
    """Steps (rule, operand indices, constant); operands are earlier nodes: x0, x1, y, p0, p1, then results."""
    table = list(APPLY)
    steps = []
    for k in range(n_steps):
        available = 5 + k
        rule = table[rng.integers(len(table))]
        arity, _ = APPLY[rule]
        if arity is None:
            arity = int(rng.integers(1, 4)) * (2 if rule is rules.DOT else 1)
        operands = tuple(int(i) for i in rng.integers(available, size=arity))
        steps.append((rule, operands, float(EXPONENTS[rng.integers(len(EXPONENTS))])))
    return steps


def evaluate(steps: list[tuple], x: list, y: Value, params: list[Value]) -> Value:
    nodes = [*x, y, *params]
    for rule, operands, exponent in steps:
        args = [nodes[i] for i in operands]
        if rule is rules.POW_CONST:
            nodes.append(args[0] ** exponent)
        elif rule is rules.DOT and rng_bias(operands):
            half = len(args) // 2
            nodes.append(at.dot(args[:half], args[half:], params[0]))
        else:
            nodes.append(APPLY[rule][1](*args))
    return at.sum(nodes[-3:]) * 0.5  # a shared tail: the last three results


def rng_bias(operands: tuple[int, ...]) -> bool:
    return sum(operands) % 2 == 1  # some dot nodes get a bias, deterministically per recipe


def magnitudes(root: Value, params: list[Value]) -> tuple[float, list[float]]:
    """How large the terms are that the cost and each ∂cost/∂p sum up, along every path of the graph.

    Forward: |v| + Σ |local derivative| × (the same for the input); backward: Σ over paths of
    |local derivative × gradient|. Summed in another order (or with NumPy's exp or sin, a last bit
    apart from math's), the results may differ by rounding relative to these, not to the result.
    """
    order = at.topological_order(root)
    forward = {}
    for node in order:
        local = [abs(g) for g in node.local_grads()] if node._rule is not None else []
        forward[node] = abs(node.data) + sum(g * forward[v] for g, v in zip(local, node.inputs))
    backward = dict.fromkeys(order, 0.0)
    backward[root] = 1.0
    for node in reversed(order):
        if node._rule is not None:
            for g, v in zip(node.local_grads(), node.inputs):
                backward[v] += abs(g) * backward[node]
    return forward[root], [backward.get(p, 0.0) for p in params]


def scalar_oracle(fn, X, Y, params) -> tuple[float, list[float], float, list[float]]:
    """Build every sample's graph ``fn(x, y)`` with the scalar engine, average, backward; and the ``magnitudes``."""
    at.zero_grad(params)
    costs = [fn([Value(a) for a in row], Value(t)) for row, t in zip(X, Y)]
    cost = at.sum(costs) * (1.0 / len(costs))
    cost_scale, grad_scales = magnitudes(cost, params)
    cost.backward()
    return cost.data, [p.grad for p in params], cost_scale, grad_scales


def assert_same(got: float, expected: float, scale: float = 0.0) -> None:
    """Equal to 1e-12 relative (or 1e-12 × the ``magnitudes`` of the summed terms); inf and nan exactly."""
    scale = scale if math.isfinite(scale) else 0.0
    if math.isnan(expected):
        assert math.isnan(got), (got, expected)
    elif math.isinf(expected):
        assert got == expected, (got, expected)
    else:
        assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12 * scale), (got, expected)


@given(
    seed=st.integers(0, 2**32 - 1),
    n_steps=st.integers(1, 12),
    n=st.integers(1, 6),
    spread=st.sampled_from([0.5, 1.0, 2.0]),
)
def test_random_graphs_give_the_scalar_engines_cost_and_gradients(seed, n_steps, n, spread):
    """To 1e-12 of the terms' magnitudes. (Far out, where tanh saturates, 1 − tanh² is computed from an
    output that NumPy's tanh and libm's may round an ulp apart: agreement is then only as good as that.)"""
    rng = np.random.default_rng(seed)
    steps = random_recipe(rng, n_steps)
    X = rng.normal(0.0, spread, (n, 2))
    if rng.random() < 0.3:
        X[rng.integers(n), rng.integers(2)] = 0.0  # kinks, 0 ** y, log(0), 1/0 in some samples
    Y = rng.normal(0.0, 1.0, n)
    params = [Value(float(v)) for v in rng.normal(0.0, 1.0, 2)]
    expected_cost, expected_grads, cost_scale, grad_scales = scalar_oracle(
        lambda x, y: evaluate(steps, x, y, params), X, Y, params
    )

    at.zero_grad(params)
    batched = vectorize(lambda x, y: evaluate(steps, x, y, params), params)
    cost = batched(X, Y)
    assert_same(cost, expected_cost, cost_scale)
    for p, expected, scale in zip(params, expected_grads, grad_scales):
        assert_same(p.grad, expected, scale)


def test_every_rule_replays_per_sample_ieee_values():
    """Samples where the scalar engine gives inf or nan give the same, and the others are untouched."""
    p = Value(0.7)
    X = np.array([[0.0, 1.0], [-1.0, 2.0], [1e308, -3.0], [2.0, 0.0]])
    Y = np.array([1.0, -1.0, 0.5, 2.0])

    def fn(x, y):
        terms = [
            x[0].log(),
            x[1] / x[0],
            x[0].sqrt(),
            x[0] ** p,
            x[0] ** -1.0,
            (x[0] * 10.0).exp(),
            x[0].abs() * y,
            x[1].relu(),
            x[0].sin() + x[1].cos(),
            x[0].sigmoid() * x[1].tanh(),
            x[1] ** 0.0,
        ]
        return at.dot(terms, [p] * len(terms), y)

    batched = vectorize(fn, [p])
    per_sample = batched.forward(X, Y)
    for i, (row, t) in enumerate(zip(X, Y)):
        p.grad = 0.0
        scalar = fn([Value(a) for a in row], Value(t))
        scalar.backward()
        expected_grad, p.grad = p.grad, 0.0
        assert_same(batched(X[i : i + 1], Y[i : i + 1]), scalar.data, abs(scalar.data))
        assert_same(per_sample[i], scalar.data, abs(scalar.data))
        assert_same(p.grad, expected_grad, abs(expected_grad) if math.isfinite(expected_grad) else 0.0)
    assert not np.isfinite(per_sample[:3]).any() and math.isfinite(per_sample[3])


def test_extra_adds_a_parameter_only_term():
    w = Value(0.5)
    batched = vectorize(lambda x, y: (w * x[0] - y) ** 2, [w], extra=lambda: 0.1 * w * w)
    X, Y = np.array([[1.0], [2.0]]), np.array([1.0, 3.0])
    cost = batched(X, Y)
    # C = ((0.5 − 1)² + (1 − 3)²)/2 + 0.1 · 0.25;  ∂C/∂w = ((−0.5)(2)(1) + (−2)(2)(2))/2 + 0.2 · 0.5
    assert cost == pytest.approx(2.125 + 0.025, rel=1e-15)
    assert w.grad == pytest.approx(-4.5 + 0.1, rel=1e-15)
    w.data = 1.0  # the term is replayed with the parameters' new numbers
    w.grad = 0.0
    assert batched(X, Y) == pytest.approx(((1.0 - 1.0) ** 2 + (2.0 - 3.0) ** 2) / 2 + 0.1, rel=1e-15)
    assert w.grad == pytest.approx((0.0 + (-1.0) * 2 * 2) / 2 + 0.2, rel=1e-15)


def test_gradients_add_up_and_params_are_read_afresh():
    w = Value(2.0)
    batched = vectorize(lambda x, y: w * x[0], [w])
    X = np.array([[1.0], [3.0]])
    assert batched(X) == 4.0 and w.grad == 2.0
    w.data = 3.0
    assert batched(X) == 6.0 and w.grad == 4.0  # added, as backward() adds


@pytest.mark.parametrize(
    ("fn", "operation"),
    [
        (lambda x, y: x[0].relu() if x[0] > 0 else -x[0], ">"),
        (lambda x, y: x[0] * 2 if x[0] * 3 < 1 else x[0], "<"),
        (lambda x, y: x[0] if bool(y) else -x[0], "bool()"),
        (lambda x, y: x[0] * float(y), "float()"),
        (lambda x, y: [x[0], x[1]][int(y)], "int()"),
        (lambda x, y: x[0] * max(x[0].exp(), 1.0), "<"),
    ],
)
def test_a_branch_on_a_recorded_value_is_refused(fn, operation):
    with pytest.raises(DataDependentGraphError, match="vectorize needs a data-independent graph") as info:
        vectorize(fn, [])(np.ones((3, 2)), np.ones(3))
    assert f"used {operation} on a recorded Value" in str(info.value) and "test_vectorize.py:" in str(info.value)


SAMPLE_BY_SAMPLE = r"or call fn sample by sample \(the scalar engine\), or fit\(\.\.\., engine='scalar'\)\.$"


@pytest.mark.parametrize(
    ("fn", "advice"),
    [
        (lambda x, y: x[0].relu() if x[0] > 0 else -x[0], r"Express the branch with operations \(relu, abs, …\); "),
        (
            lambda x, y: [x[0], x[1]][int(x[0])],
            r"To choose by a per-sample whole number, use select\(values, x\[i\]\) or embedding\(table, x\[i\]\) "
            r"with X \(or Y\) an integer array \(token ids, class indices\), whose placeholders hold 0 \(README: "
            r"vectorize, integer X or Y\); ",
        ),
    ],
)
def test_a_refusal_says_what_to_do_instead_in_words_for_a_caller_of_vectorize(fn, advice):
    """A branch: operations, or the scalar engine (fn sample by sample, or fit's); int() of a recorded float:
    integer X and select, as the README's row on integer X or Y says."""
    with pytest.raises(DataDependentGraphError, match=advice + SAMPLE_BY_SAMPLE):
        vectorize(fn, [])(np.ones((3, 2)), np.ones(3))


def test_a_branch_on_data_read_directly_is_refused_naming_the_line():
    def fn(x, y):
        h = x[0] * 2.0
        return h.exp() if h.data > 0 else -h  # the line the error names

    line = fn.__code__.co_firstlineno + 2
    where = rf"used \.data on a recorded Value \(a '\*' node\) at .*test_vectorize\.py:{line} "
    with pytest.raises(DataDependentGraphError, match=where):
        vectorize(fn, [])(np.ones((3, 1)))
    assert Value(2.0).data == 2.0 and Value.__dict__["data"].__class__.__name__ == "member_descriptor"


def _branches_on_its_number(v: Value) -> Value:
    return v.exp() if v.data > 0 else -v  # the line that reads the number, outside fn


def test_a_read_in_code_that_fn_calls_names_that_line_and_the_statement_in_fn():
    def fn(x, y):
        h = x[0] * 2.0
        return _branches_on_its_number(h)  # the statement in fn that led to the read

    read = _branches_on_its_number.__code__.co_firstlineno + 1
    statement = fn.__code__.co_firstlineno + 2
    where = rf"at .*test_vectorize\.py:{read}, called from your fn at .*test_vectorize\.py:{statement} while"
    with pytest.raises(DataDependentGraphError, match=where):
        vectorize(fn, [])(np.ones((3, 1)))

    def cost(tokens):  # vectorize_sequences calls fn from a wrapper of its own: the statement is still fn's
        return _branches_on_its_number(tokens[0] * 1.0)

    statement = cost.__code__.co_firstlineno + 1
    where = rf"at .*test_vectorize\.py:{read}, called from your fn at .*test_vectorize\.py:{statement} while"
    with pytest.raises(DataDependentGraphError, match=where):
        at.vectorize_sequences(cost, []).value_and_grad([[0, 1]])


def test_a_library_loss_that_branches_names_its_line_and_the_statement_in_fn():
    from autograd_tiny.nn import MLP, losses

    model = MLP(2, [3, 1], seed=0)

    def fn(x, y):
        return losses.binary_cross_entropy_with_logits(model(x), y)  # its stable softplus reads z

    statement = fn.__code__.co_firstlineno + 1
    where = rf"at .*nn[/\\]losses\.py:\d+, called from your fn at .*test_vectorize\.py:{statement} while"
    with pytest.raises(DataDependentGraphError, match=where):
        vectorize(fn, model.parameters())(np.ones((2, 2)), np.array([0.0, 1.0]))


def test_the_engine_and_the_parameters_may_be_read_while_recording():
    w = Value(0.5, "w")
    scale = 2.0 if w.data > 0 else 1.0  # parameters do not depend on the sample

    def fn(x, y):
        assert w > 0 and float(w) == 0.5 and w.data == 0.5
        return (scale * w * x[0]).tanh()

    assert vectorize(fn, [w])(np.ones((2, 1))) == pytest.approx(np.tanh(1.0))


def test_comparisons_work_again_after_a_refused_recording():
    with pytest.raises(DataDependentGraphError):
        vectorize(lambda x, y: x[0] if x[0] > 0 else x[1], [])(np.ones((1, 2)))
    assert Value(1.0) > 0.5 and float(Value(2.0)) == 2.0


def test_two_threads_recording_at_once_leave_value_as_it_was():
    """Recording patches Value's class. If a second thread's recording could start inside the first and
    end after it, it would restore the first one's patches: Value would stay patched for good."""
    import threading
    import time

    clean = {name: Value.__dict__.get(name) for name in ("__init__", "data", "__float__", "__lt__", "__bool__")}
    first_inside, second_started, first_done = threading.Event(), threading.Event(), threading.Event()
    results = {}

    def first_fn(x, y):  # lasts until the second thread has asked to record, and a little more
        first_inside.set()
        second_started.wait(timeout=5)
        time.sleep(0.2)
        return x[0] * 2.0

    def second_fn(x, y):  # ends only after the first recording has ended
        first_done.wait(timeout=5)
        return x[0] + 1.0

    def first_thread():
        results["first"] = vectorize(first_fn, [])(np.ones((3, 1)))
        first_done.set()

    def second_thread():
        results["second"] = vectorize(second_fn, [])(np.ones((3, 1)))

    first = threading.Thread(target=first_thread)
    first.start()
    assert first_inside.wait(timeout=5)
    second = threading.Thread(target=second_thread)
    second.start()
    second_started.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert results == {"first": pytest.approx(2.0), "second": pytest.approx(2.0)}
    assert {name: Value.__dict__.get(name) for name in clean} == clean


def test_bad_inputs_get_clear_errors():
    w = Value(1.0)
    batched = vectorize(lambda x, y: w * x[0] * y, [w])
    with pytest.raises(ValueError, match=r"X must have shape \(n, features\)"):
        batched(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"Y must have shape \(2,\)"):
        batched(np.ones((2, 1)), np.ones(3))
    batched(np.ones((2, 1)), np.ones(2))
    with pytest.raises(ValueError, match="recorded for samples of 1 features"):
        batched(np.ones((2, 2)), np.ones(2))
    with pytest.raises(TypeError, match="params\\[0\\] is a float"):
        vectorize(lambda x, y: x[0], [1.0])
    with pytest.raises(TypeError, match="fn must return a Value"):
        vectorize(lambda x, y: 3.0, [])(np.ones((1, 1)))


def test_forward_returns_every_output_and_batch_values_reads_nodes():
    from autograd_tiny.nn import MLP, predict

    model = MLP(3, [4, 2], "tanh", "tanh", seed=1)
    X = np.random.default_rng(0).normal(size=(5, 3))
    recorded = {}

    def outputs(x, y):
        out = model(x)
        recorded.setdefault("hidden", [node.inputs[0] for node in out])  # z of layer 2, as recorded
        recorded.setdefault("out", out)
        return out

    batched = vectorize(outputs, model.parameters())
    with pytest.raises(RuntimeError, match="call batched"):
        batched.batch_values([])
    expected = predict(model, X, engine="scalar")
    np.testing.assert_allclose(batched.forward(X), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(batched.batch_values(recorded["out"]), expected, rtol=1e-12, atol=1e-12)
    z = batched.batch_values(recorded["hidden"])  # tanh(z) is the output
    np.testing.assert_allclose(np.tanh(z), expected, rtol=1e-12, atol=1e-12)
    assert z.shape == (5, 2)
    with pytest.raises(ValueError, match="needs nodes that fn built while it was recorded"):
        batched.batch_values([Value(1.0)])


def test_a_value_missing_from_params_is_an_error_not_a_silent_zero_gradient():
    w, b = Value(0.5, "w"), Value(0.1)
    with pytest.raises(ValueError, match=r"fn uses a Value made outside it that is not in params: 'w', input 0 of a "
                       r"'\*' node over \(w, x\[0\]\)\. Its gradient would stay 0"):  # fmt: skip
        vectorize(lambda x, y: (w * x[0] - y) ** 2, [])(np.ones((2, 1)), np.ones(2))
    with pytest.raises(ValueError, match=r"an unlabelled Value holding 0.1, input 1 of a '\+' node"):
        vectorize(lambda x, y: x[0] * w + b, [w])(np.ones((2, 1)))
    with pytest.raises(ValueError, match="extra uses a Value made outside it that is not in params: 'w'"):
        vectorize(lambda x, y: b * x[0], [b], extra=lambda: w * w)(np.ones((2, 1)))
    # constants written as numbers, or made inside fn, are fine
    assert vectorize(lambda x, y: w * x[0] + Value(2.0) + 3.0, [w])(np.ones((2, 1))) == 5.5


def test_explain_shows_each_layer_as_a_matrix_product(capsys):
    from autograd_tiny.nn import MLP

    model = MLP(2, [16, 16, 1], "relu", seed=0)
    batched = vectorize(lambda x, y: (1.0 - y * model(x)[0]).relu(), model.parameters())
    with pytest.raises(RuntimeError, match="recorded on the first"):
        batched.explain()
    batched(np.ones((4, 2)), np.ones(4))
    batched.explain()
    text = capsys.readouterr().out
    assert "68 operation nodes per sample, replayed as 8 groups" in text
    assert "16 dot" in text and "z of layer 1" in text and "one (n × 2)·(2 × 16) product + bias" in text
    assert "one (n × 16)·(16 × 1) product + bias" in text and "16 relu" in text and "a of layer 2" in text


def test_a_returned_leaf_and_a_call_under_no_grad_work():
    w = Value(3.0)
    X = np.array([[1.0], [5.0]])
    with at.no_grad():
        assert list(vectorize(lambda x, y: x[0], [w]).forward(X)) == [1.0, 5.0]
        assert vectorize(lambda x, y: w, [w])(X) == 3.0
    assert w.grad == 1.0


def test_fn_returning_a_list_needs_forward_for_values():
    batched = vectorize(lambda x, y: [x[0], x[0] * 2.0], [])
    np.testing.assert_array_equal(batched.forward(np.array([[1.0], [2.0]])), [[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(TypeError, match="needs one cost"):
        batched(np.array([[1.0]]))


def test_an_extra_term_that_is_not_a_value_is_named_as_extra():
    w = at.Value(0.5, "w")
    batched = at.vectorize(lambda x, y: (w * x[0] - y) ** 2, [w], extra=lambda: 0.5)
    with pytest.raises(TypeError, match="vectorize: extra must return a Value"):
        batched(np.array([[1.0], [2.0]]), np.array([1.0, 0.0]))


def test_a_product_over_several_positions_replays_per_sample_ieee_values():
    """A group of dot nodes that is every entry of W·A (weights × positions) runs as one matrix product;
    where a factor is inf or nan it takes the gathered product, so 0·inf gives nan as on floats."""
    W = [[Value(0.5 * i - 0.25 * j, f"W[{i}][{j}]") for j in range(2)] for i in range(3)]
    W[1][0].data = 0.0
    params = [w for row in W for w in row]

    def fn(x, y):  # positions p = 0, 1: z[p][i] = W[i]·x[2p : 2p + 2]
        z = [at.dot(row, x[2 * p : 2 * p + 2]) for p in range(2) for row in W]
        return at.sum([zi.tanh() * y for zi in z])

    X = np.array([[1.0, -2.0, 0.5, 3.0], [np.inf, 1.0, 0.0, -1.0], [2.0, 0.0, -np.inf, np.nan], [0.1, 0.2, 0.3, 0.4]])
    Y = np.array([1.0, 0.0, -1.0, 2.0])
    batched = vectorize(fn, params)
    assert "one (3 × 2)·(2 × 2) product W·A per sample" in (batched(X, Y), batched.describe())[1]
    per_sample = batched.forward(X, Y)
    for i, (row, t) in enumerate(zip(X, Y)):
        at.zero_grad(params)
        scalar = fn([Value(a) for a in row], Value(t))
        scalar.backward()
        expected = [w.grad for w in params]
        at.zero_grad(params)
        assert_same(batched(X[i : i + 1], Y[i : i + 1]), scalar.data, abs(scalar.data))
        assert_same(per_sample[i], scalar.data, abs(scalar.data))
        for w, g in zip(params, expected):
            assert_same(w.grad, g, abs(g) if math.isfinite(g) else 0.0)
    assert np.isnan(per_sample[1:3]).all() and np.isfinite(per_sample[[0, 3]]).all()


def test_logsumexp_groups_replay_the_scalar_engine_over_mixed_and_ieee_inputs():
    """A group of logsumexp nodes runs as one stack of its inputs (per-sample rows, with parameters and
    constants broadcast over the batch) and sends softmax × gradient back in one scatter: per sample,
    every logsumexp node and every parameter's gradient are the scalar engine's, where inputs repeat,
    are huge or tiny, all −inf, +inf or nan."""
    w = [Value(v, f"w{i}") for i, v in enumerate((0.5, -1.5, 2.0, 0.25))]
    nodes: list[Value] = []

    def fn(x, y):
        a, b = x[0] * w[0], x[1] + w[1]
        logits = [x[0] * wi + x[1] for wi in w]
        nodes[:] = [
            at.logsumexp([a, b, w[2], 0.5, a]),  # these two are one group: rows, a parameter, a constant,
            at.logsumexp([b, a, w[3], -2.0, b]),  # and rows that repeat within and across nodes
            at.logsumexp([x[0], a, x[1], a]),  # per-sample rows only, one twice: all −inf for one sample
            at.logsumexp([w[0], w[3]]),  # parameters only
            at.logsumexp(logits[:2]),  # one group, each row once (as the cross-entropy's)
            at.logsumexp(logits[2:]),
        ]
        lse = nodes
        return at.sum([lse[0] * y, lse[1], lse[2] * 0.5, lse[3] * x[1], lse[4] - logits[0], lse[5] - logits[3]])

    X = np.array([[0.3, -1.2], [1000.0, 999.0], [-np.inf, -np.inf], [np.inf, 1.0], [np.nan, 0.0], [-1000.0, -1001.5]])
    Y = np.array([1.0, -0.5, 2.0, 0.5, 1.0, -1.0])
    batched = vectorize(fn, w)
    batched(X, Y)
    recorded = list(nodes)
    text = batched.describe()
    for line in [
        "a logsumexp over 5 inputs per node, as one (2 × 5 × n) stack (2 of its inputs scalars, broadcast over the "
        "batch); backward: softmax × gradient, one scatter to the per-sample inputs, summed over the batch for the "
        "scalars",
        "a logsumexp over 2 inputs per node, as one (1 × 2 × n) stack (its inputs all scalars, broadcast over the "
        "batch); backward: softmax × gradient, summed over the batch for the scalars",
        "a logsumexp over 2 inputs per node, as one (2 × 2 × n) stack; backward: softmax × gradient, one scatter to "
        "the inputs",
    ]:
        assert line in text, line
    per_node = batched.batch_values(recorded)  # (samples, nodes)
    for i, (row, t) in enumerate(zip(X, Y)):
        at.zero_grad(w)
        scalar = fn([Value(a) for a in row], Value(t))
        scalar.backward()
        expected = [p.grad for p in w]
        for got, node in zip(per_node[i], nodes):
            assert_same(float(got), node.data, abs(node.data))
        at.zero_grad(w)
        assert_same(batched(X[i : i + 1], Y[i : i + 1]), scalar.data, abs(scalar.data))
        for p, g in zip(w, expected):
            assert_same(p.grad, g, abs(g) if math.isfinite(g) else 0.0)
    assert per_node[2, 2] == -np.inf and per_node[3, 2] == np.inf and np.isnan(per_node[4, :3]).all()
    assert np.isfinite(per_node[[0, 1, 5]]).all()  # 1000 and −1000 neither overflow nor underflow
    finite = [0, 1, 5]  # the batch's gradient is the mean of the samples', the scalars' shares summed over it
    expected_cost, expected_grads, cost_scale, grad_scales = scalar_oracle(fn, X[finite], Y[finite], w)
    at.zero_grad(w)
    assert_same(batched(X[finite], Y[finite]), expected_cost, cost_scale)
    for p, g, scale in zip(w, expected_grads, grad_scales):
        assert_same(p.grad, g, scale)


def test_check_at_replay_runs_a_cost_of_ones_own_check_on_the_real_Y_of_every_batch():
    seen = []

    def check(Y):
        seen.append(Y)
        if np.any(Y < 0):
            raise ValueError(f"my cost needs Y ≥ 0: Y[{int(np.argmax(Y < 0))}] is {Y[Y < 0][0]}")

    w = Value(0.5, "w")

    def fn(x, y):
        assert at.check_at_replay(y, check)  # y: placeholders, whose numbers mean nothing
        return (x[0] * w - y) ** 2

    assert not at.check_at_replay(Value(-1.0), check) and not seen  # outside a recording: read the numbers
    batched = vectorize(fn, [w])
    X = np.array([[1.0], [2.0]])
    assert batched(X, np.array([1, 2])) == pytest.approx(((0.5 - 1) ** 2 + (1 - 2) ** 2) / 2, rel=1e-15)
    assert [Y.tolist() for Y in seen] == [[1, 2]] and seen[0].dtype.kind == "i"  # Y as given
    w.grad = 0.0
    with pytest.raises(ValueError, match=r"^my cost needs Y ≥ 0: Y\[1\] is -3.0$"):
        batched(X, np.array([1.0, -3.0]))  # a later batch: checked before it is replayed
    assert len(seen) == 2 and w.grad == 0.0
    with pytest.raises(ValueError, match=r"^vectorize: the target depends on the sample but is not fn's y"):
        vectorize(lambda x, y: at.check_at_replay(x[0], check) or x[0], [])(X, np.array([1, 2]))


def test_check_at_replay_leaves_a_plain_number_to_its_caller():
    """A number (or None) is never a recorded target: False, in or out of a recording, never a TypeError."""
    from autograd_tiny import check_at_replay

    never = lambda Y: pytest.fail("no check should be registered")  # noqa: E731
    for target in (2.0, np.float64(2.0), None, 3):
        assert check_at_replay(target, never) is False
    seen = []
    w = Value(0.5)

    def fn(x, y):
        seen.append([check_at_replay(t, never) for t in (2.0, np.float64(2.0), None)])
        return x[0] * w

    vectorize(fn, [w])(np.ones((2, 1)), np.zeros(2))
    assert seen == [[False, False, False]]
