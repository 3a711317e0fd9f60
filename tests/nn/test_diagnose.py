"""diagnose_backprop on a zoo of learner implementations: right ones pass, each wrong one is
diagnosed with its equation, layer and catalogue mistake."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_tiny.nn import BackpropDiagnosis, assert_backprop, diagnose_backprop, losses
from autograd_tiny.nn.mistakes import CATALOGUE

from . import learner_zoo as zoo

DEEP = [3, 5, 4, 2]  # three weight layers: BP2 runs between two hidden layers
SQUARE = [4, 4, 4, 4]  # every W square, so the shape-dependent mistakes are possible


@pytest.mark.parametrize(
    ("network", "options"),
    [
        (zoo.Network(DEEP), {}),
        (zoo.Network([2, 3, 3, 3, 1], seed=4), {}),
        (zoo.TanhNetwork(DEEP), {"activation": "tanh"}),
        (zoo.ReluNetwork(DEEP), {"activation": ["relu", "relu", "linear"]}),
        (zoo.CrossEntropyNetwork(DEEP), {"loss": "cross_entropy"}),
        (zoo.SoftmaxNetwork([3, 5, 4, 3]), {"loss": "softmax_cross_entropy"}),
        (zoo.Network(DEEP), {"loss": losses.quadratic}),
        (zoo.CrossEntropyNetwork(DEEP), {"loss": losses.binary_cross_entropy}),
    ],
    ids=["sigmoid-quadratic", "deeper", "tanh", "relu-linear", "cross-entropy-shortcut", "softmax", "a-loss-object",
         "a-loss-object-cross-entropy"],
)  # fmt: skip
def test_right_implementations_pass(network, options):
    diagnosis = diagnose_backprop(network, **options)
    assert diagnosis, str(diagnosis)
    assert (diagnosis.equation, diagnosis.layer, diagnosis.mistake) == (None, None, None)
    assert len(diagnosis.rows) == 2 * len(network.weights) and {r.status for r in diagnosis.rows} == {"ok"}
    assert max(r.comparison.rel_error for r in diagnosis.rows) < 1e-12  # rounding only
    assert "BP1–BP4 are right" in diagnosis.message
    assert_backprop(network, **options)


ZOO = [
    # (network, options, equation, layer, mistake)
    (zoo.SigmaPrimeOfActivationOutput(DEEP), {}, "BP1", 3, "sigma_prime_of_activation"),
    (zoo.MissingSigmaPrimeHidden(DEEP), {}, "BP2", 2, "missing_sigma_prime"),
    (zoo.SigmaPrimeOfActivationHidden(DEEP), {}, "BP2", 2, "sigma_prime_of_activation"),
    (zoo.WrongSign(DEEP), {}, "BP1", 3, "wrong_sign"),
    (zoo.WrongSignCrossEntropy(DEEP), {"loss": "binary_cross_entropy"}, "BP1", 3, "wrong_sign"),
    (zoo.WrongWeightLayer(SQUARE), {}, "BP2", 2, "wrong_weight_layer"),
    (zoo.WeightNotTransposed(SQUARE), {}, "BP2", 2, "wrong_weight_layer"),
    (zoo.WrongActivationLayer(SQUARE), {}, "BP4", 3, "wrong_activation_layer"),
    (zoo.TransposedOuterProduct(SQUARE), {}, "BP4", 3, "transposed_outer_product"),
    (zoo.QuadraticDeltaWithCrossEntropy(DEEP), {"loss": "cross_entropy"}, "BP1", 3, "cost_mismatch"),
    (zoo.SigmaPrimeOfWrongLayer(SQUARE), {}, "BP2", 2, "sigma_prime_of_wrong_layer"),
    (zoo.MissingSigmaPrimeOutput(DEEP), {}, "BP1", 3, "missing_sigma_prime"),
]


@pytest.mark.parametrize(("network", "options", "equation", "layer", "mistake"), ZOO, ids=[z[4] for z in ZOO])
def test_each_classic_mistake_is_diagnosed(network, options, equation, layer, mistake):
    diagnosis = diagnose_backprop(network, **options)
    assert not diagnosis
    assert (diagnosis.equation, diagnosis.layer, diagnosis.mistake) == (equation, layer, mistake), repr(diagnosis)
    assert diagnosis.message.startswith(f"{equation} fails in layer {layer}")
    with pytest.raises(AssertionError, match=f"{equation} fails in layer {layer}"):
        assert_backprop(network, **options)


def test_every_catalogue_entry_is_in_the_zoo():
    assert {z[4] for z in ZOO} | {"cost_mismatch"} == set(CATALOGUE)


def test_the_cross_entropy_shortcut_with_the_quadratic_cost_is_both_a_missing_sigma_prime_and_a_cost_mismatch():
    # δᴸ = a − y: with the quadratic cost, ∇ₐC = a − y, so "σ′ left out" and "the other cost's δᴸ" are the same numbers
    diagnosis = diagnose_backprop(zoo.CrossEntropyShortcutWithQuadratic(DEEP))
    assert (diagnosis.equation, diagnosis.layer) == ("BP1", 3)
    assert {diagnosis.mistake, *diagnosis.also} == {"missing_sigma_prime", "cost_mismatch"}
    assert (
        "multiply by σ′(z³). Read another way, your numbers match the output error of the other cost: "
        "δᴸ = a − y is the cross-entropy shortcut" in diagnosis.message
    )


def test_the_two_wrong_weight_slips_get_their_own_sentence():
    assert "computed with W² instead of W³" in diagnose_backprop(zoo.WrongWeightLayer(SQUARE)).message
    assert "computed with W³ δ³, without the transpose" in diagnose_backprop(zoo.WeightNotTransposed(SQUARE)).message
    message = diagnose_backprop(zoo.WrongActivationLayer(SQUARE)).message
    assert message.endswith(
        "Your numbers match δ³ (a³)ᵀ: the weights of layer 3 multiply the previous layer's activations, so use a²."
    )


def test_bp2_is_checked_between_hidden_layers_of_a_deeper_network():
    diagnosis = diagnose_backprop(zoo.MissingSigmaPrimeHidden([2, 3, 4, 5, 1]))
    # layer 4 (output) and its weights are right; layer 3 is the first δ computed by BP2
    assert (diagnosis.equation, diagnosis.layer) == ("BP2", 3)
    statuses = [(r.layer, r.quantity, r.status) for r in diagnosis.rows]
    assert statuses == [
        (4, "∂C/∂b", "ok"),
        (4, "∂C/∂W", "ok"),
        (3, "∂C/∂b", "FAIL"),
        (3, "∂C/∂W", "not checked"),
        (2, "∂C/∂b", "not checked"),
        (2, "∂C/∂W", "not checked"),
        (1, "∂C/∂b", "not checked"),
        (1, "∂C/∂W", "not checked"),
    ]


def test_mistakes_outside_the_catalogue_get_the_equation_and_layer_but_no_mistake():
    doubled = diagnose_backprop(zoo.DoubledHiddenDelta(DEEP))
    assert (doubled.equation, doubled.layer, doubled.mistake) == ("BP2", 2, None)
    assert "none of the classic mistakes" in doubled.message
    half_bias = diagnose_backprop(zoo.HalfBiasGradient(DEEP))
    assert (half_bias.equation, half_bias.layer, half_bias.mistake) == ("BP3", 3, None)
    assert "your ∂C/∂W³ shows that δ³ is right" in half_bias.message


def test_the_message_writes_out_the_equation_and_names_the_learners_variable():
    diagnosis = diagnose_backprop(zoo.MissingSigmaPrimeHidden(DEEP))
    assert diagnosis.message == (
        "BP2 fails in layer 2: layer 3 is right, but your ∂C/∂b² (nabla_b[1]) should be δ² = ((W³)ᵀ δ³) ⊙ σ′(z²), "
        "and it is not. Your numbers match δ computed without the factor ⊙ σ′(z²): multiply by σ′(z²)."
    )


def test_the_table_shows_the_learners_numbers_next_to_the_graphs():
    network = zoo.WrongSign(DEEP)
    diagnosis = diagnose_backprop(network)
    first = diagnosis.rows[0]
    assert (first.layer, first.quantity, first.equation, first.status) == (3, "∂C/∂b", "BP1", "FAIL")
    np.testing.assert_allclose(first.learner, -first.graph, rtol=1e-12)  # the sign, nothing else
    text = str(diagnosis)
    assert text.startswith(diagnosis.message + "\n")
    assert "yours (sample 0)" in text and "graph (sample 0)" in text and "not checked" in text
    page = diagnosis._repr_html_()
    assert page.startswith("<p>BP1 fails") and page.count("<tr>") == 1 + 6 and "&lt;" not in page
    assert repr(diagnosis) == "BackpropDiagnosis(equation='BP1', layer=3, mistake='wrong_sign')"


def test_the_graph_side_is_the_right_gradient():
    """The graph's numbers equal Nielsen's own right code and central differences of C."""
    network = zoo.Network(DEEP, seed=2)
    x, y = np.array([[0.3], [-0.7], [1.1]]), np.array([[0.2], [0.9]])
    diagnosis = diagnose_backprop(network, samples=[(x, y)])
    nabla_b, nabla_w = network.backprop(x, y)
    for l, b_expected in enumerate(nabla_b):
        row = next(r for r in diagnosis.rows if r.layer == l + 1 and r.quantity == "∂C/∂b")
        np.testing.assert_allclose(row.graph[0], b_expected.ravel(), rtol=1e-12)

    def cost(W0):
        a = x
        for l, (w, b) in enumerate(zip(network.weights, network.biases)):
            a = zoo.sigmoid((W0 if l == 0 else w) @ a + b)
        return 0.5 * float(np.sum((a - y) ** 2))

    eps, W0 = 1e-6, network.weights[0]
    numeric = np.zeros_like(W0)
    for index in np.ndindex(W0.shape):
        up, down = W0.copy(), W0.copy()
        up[index] += eps
        down[index] -= eps
        numeric[index] = (cost(up) - cost(down)) / (2 * eps)
    row = next(r for r in diagnosis.rows if r.layer == 1 and r.quantity == "∂C/∂W")
    np.testing.assert_allclose(row.graph[0], numeric, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(nabla_w[0], numeric, rtol=1e-6, atol=1e-10)


def test_a_plain_function_and_row_vectors():
    """fn(x, y) with flat biases (nˡ,): random samples are rows too, and rows must come back."""
    network = zoo.Network(DEEP, seed=1)
    biases = [b.ravel() for b in network.biases]

    def backprop(x, y):
        nabla_b, nabla_w = network.backprop(x[:, None], y[:, None])
        return [g.ravel() for g in nabla_b], nabla_w

    diagnosis = diagnose_backprop(backprop, weights=network.weights, biases=biases)
    assert diagnosis, str(diagnosis)

    seen = []

    def spy(x, y):
        seen.append((x.shape, y.shape))
        return backprop(x, y)

    diagnose_backprop(spy, weights=network.weights, biases=biases, seed=3)
    assert seen == [((3,), (2,))] * 4


def test_the_learners_own_samples_are_passed_unchanged():
    network = zoo.Network(DEEP)
    x, y = np.ones((3, 1)), np.zeros((2, 1))
    calls = []
    original = network.backprop
    network.backprop = lambda xs, ys: calls.append((xs, ys)) or original(xs, ys)
    assert diagnose_backprop(network, samples=[(x, y), (2 * x, y)])
    assert len(calls) == 2 and calls[0][0] is x and calls[1][1] is y


def test_the_seed_draws_the_same_samples():
    def record(seed):
        xs = []
        network = zoo.Network(DEEP)
        original = network.backprop
        network.backprop = lambda x, y: xs.append(x.copy()) or original(x, y)
        diagnose_backprop(network, seed=seed)
        return np.array(xs)

    assert np.array_equal(record(5), record(5)) and not np.array_equal(record(5), record(6))
    assert len(record(0)) == 4 and len({tuple(x.ravel()) for x in record(0)}) == 4


# --- shapes and bad input: a clear message, never a NumPy traceback ----------------------------
def test_a_row_where_a_column_was_expected():
    diagnosis = diagnose_backprop(zoo.RowBiasGradient(DEEP))
    assert not diagnosis and diagnosis.problem == "shape" and diagnosis.layer == 1
    assert diagnosis.message == (
        "layer 1: nabla_b[0] has shape (1, 5), expected (5, 1) like biases[0] (a row where a column was expected)"
    )
    assert str(diagnosis) == diagnosis.message


def test_a_column_where_flat_biases_were_given():
    network = zoo.Network(DEEP)

    def backprop(x, y):  # takes rows, but hands back Nielsen's columns
        return network.backprop(x.reshape(-1, 1), y.reshape(-1, 1))

    diagnosis = diagnose_backprop(backprop, weights=network.weights, biases=[b.ravel() for b in network.biases])
    assert diagnosis.problem == "shape" and diagnosis.message == (
        "layer 1: nabla_b[0] has shape (5, 1), expected (5,) like biases[0] "
        "(a column where a flat vector was expected, as your biases are)"
    )


def test_wrong_number_of_layers_and_transposed_weight_gradients():
    network = zoo.Network(DEEP)
    original = network.backprop
    network.backprop = lambda x, y: (original(x, y)[0][:2], original(x, y)[1])
    assert diagnose_backprop(network).message == "nabla_b has 2 arrays; expected 3, one per layer"
    network.backprop = lambda x, y: (original(x, y)[0], [w.T for w in original(x, y)[1]])
    assert diagnose_backprop(network).message == (
        "layer 1: nabla_w[0] has shape (3, 5), expected (5, 3) like weights[0] (transposed)"
    )
    network.backprop = lambda x, y: original(x, y)[0]
    assert diagnose_backprop(network).message == "backprop(x, y) returned list; expected a pair (nabla_b, nabla_w)"
    network.backprop = lambda x, y: None
    assert diagnose_backprop(network).message == "backprop(x, y) returned NoneType; expected a pair (nabla_b, nabla_w)"


def test_a_network_whose_weights_do_not_chain():
    network = zoo.Network(DEEP)
    network.weights[1] = np.ones((4, 6))
    diagnosis = diagnose_backprop(network)
    assert diagnosis.problem == "shape" and diagnosis.layer == 2
    assert diagnosis.message == (
        "layer 2: weights[1] has shape (4, 6), expected (4, 5): one column per neuron of layer 1, which has 5"
    )


@pytest.mark.parametrize(
    ("sizes", "layer", "message"),
    [
        (
            [2, 3, 3, 1],
            1,
            "layer 1: weights[0] has shape (2, 3), expected (3, 2) (transposed): biases[0] has shape (3, 1) and "
            "weights[1] has shape (3, 3), so layer 1 has 3 neurons, one row of weights[0] each",
        ),
        (
            DEEP,
            2,
            "layer 2: weights[1] has shape (5, 4), expected (4, 5) (transposed): biases[1] has shape (4, 1) and "
            "weights[2] has shape (2, 4), so layer 2 has 4 neurons, one row of weights[1] each",
        ),
        (
            [3, 2],
            1,
            "layer 1: weights[0] has shape (3, 2), expected (2, 3) (transposed): biases[0] has shape (2, 1), "
            "so layer 1 has 2 neurons, one row of weights[0] each",
        ),
    ],
)
def test_a_transposed_weight_matrix_is_named_not_the_biases_beside_it(sizes, layer, message):
    network = zoo.Network(sizes)
    network.weights[layer - 1] = network.weights[layer - 1].T
    diagnosis = diagnose_backprop(network)
    assert diagnosis.problem == "shape" and diagnosis.layer == layer
    assert diagnosis.message == message


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (
            2,
            (3, 1),
            "layer 2: biases[1] has shape (3, 1), expected (4, 1) or (4,): weights[1] and weights[2] say "
            "layer 2 has 4 neurons",
        ),
        (3, (3, 1), "layer 3: biases[2] has shape (3, 1), expected (2, 1) or (2,)"),
        (
            1,
            (1, 5),
            "layer 1: biases[0] has shape (1, 5), expected (5, 1) or (5,): weights[0] and weights[1] say "
            "layer 1 has 5 neurons",
        ),
    ],
)
def test_wrong_biases_are_named_when_the_weights_agree(layer, shape, message):
    network = zoo.Network(DEEP)
    network.biases[layer - 1] = np.zeros(shape)
    diagnosis = diagnose_backprop(network)
    assert diagnosis.problem == "shape" and diagnosis.layer == layer and diagnosis.message == message


def test_an_exception_in_the_learners_code_is_reported_with_its_line():
    diagnosis = diagnose_backprop(zoo.RaisingNetwork([3, 4, 5, 2]))
    assert not diagnosis and diagnosis.problem == "exception"
    assert diagnosis.message.startswith("your backprop(x, y) raised ValueError: shapes (5,4) and (2,1) not aligned")
    assert "learner_zoo.py:" in diagnosis.message and "(sample 0: x shape (3, 1), y shape (2, 1))" in diagnosis.message


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: diagnose_backprop(42), TypeError, "expected a network with weights, biases and backprop"),
        (lambda: diagnose_backprop(lambda x, y: None), TypeError, "needs weights="),
        (
            lambda: diagnose_backprop(zoo.Network(DEEP), loss="mse"),
            ValueError,
            r"^'mse' is a known loss but diagnose_backprop covers only 'quadratic', 'binary_cross_entropy' "
            r"\(or 'cross_entropy'\), 'softmax_cross_entropy'$",
        ),
        (lambda: diagnose_backprop(zoo.Network(DEEP), loss="l1"), ValueError, "unknown loss 'l1': diagnose_backprop"),
        (lambda: diagnose_backprop(zoo.Network(DEEP), loss=len), ValueError, "takes a name or a Loss, not a builtin"),
        (lambda: diagnose_backprop(zoo.Network(DEEP), activation=["tanh"]), ValueError, "1 names but .* 3 weight"),
        (lambda: diagnose_backprop(zoo.Network(DEEP), activation="swish"), ValueError, "unknown activation 'swish'"),
        (
            lambda: diagnose_backprop(zoo.Network(DEEP), activation=["tanh"] * 3, loss="cross_entropy"),
            ValueError,
            "sigmoid outputs",
        ),
        (lambda: diagnose_backprop(zoo.Network(DEEP), samples=[]), ValueError, "samples is empty"),
        (lambda: diagnose_backprop(zoo.Network(DEEP), loss=losses.hinge), ValueError, "'hinge' is a known loss but"),
        (
            lambda: diagnose_backprop(zoo.Network(DEEP), loss=type("Mine", (losses.Quadratic,), {"name": "mine"})()),
            ValueError,
            "covers only these losses of nn.losses: 'quadratic', .*; got losses.mine",
        ),
        (
            lambda: diagnose_backprop(zoo.Network(DEEP), samples=[(np.ones(4), np.ones(2))]),
            ValueError,
            r"samples\[0\]: x has shape \(4,\), expected \(3, 1\) or \(3,\)",
        ),
        (
            lambda: diagnose_backprop(
                zoo.SoftmaxNetwork([3, 4, 3]), loss="softmax_cross_entropy", samples=[(np.ones(3), np.ones(3))]
            ),
            ValueError,
            "one-hot",
        ),
    ],
)
def test_bad_options_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_the_diagnosis_is_a_falsy_or_truthy_object():
    assert isinstance(diagnose_backprop(zoo.Network(DEEP)), BackpropDiagnosis)
    assert repr(diagnose_backprop(zoo.Network(DEEP))) == "BackpropDiagnosis(ok)"


@given(
    st.lists(st.integers(1, 5), min_size=3, max_size=5),
    st.integers(0, 2**16),
    st.sampled_from(["sigmoid", "tanh"]),
)
def test_random_networks_right_pass_and_a_negated_output_error_is_found(sizes, seed, activation):
    network_class = zoo.Network if activation == "sigmoid" else zoo.TanhNetwork
    right = network_class(sizes, seed=seed)
    assert diagnose_backprop(right, activation=activation, seed=seed)

    class Negated(network_class):
        def output_delta(self, a, y, z):
            return -super().output_delta(a, y, z)

    wrong = diagnose_backprop(Negated(sizes, seed=seed), activation=activation, seed=seed)
    assert (wrong.equation, wrong.layer, wrong.mistake) == ("BP1", len(sizes) - 1, "wrong_sign")


def test_a_saturated_network_passes_but_says_that_it_tested_little():
    network = zoo.MissingSigmaPrimeHidden(DEEP)
    network.weights = [100 * w for w in network.weights]  # every sigmoid saturated: σ′(z) ≈ 0
    diagnosis = diagnose_backprop(network)
    assert "almost zero on these samples (saturated or dead units), which tests little" in diagnosis.message
    assert "∂C/∂b³" in diagnosis.message.split("But ")[1]


def test_a_passing_row_prints_bounds_never_the_noise_of_an_all_but_zero_array():
    """Saturated units: the graph's gradients are ~1e-30 and the learner's exactly 0, so the relative
    error is huge noise (it printed 1.85e+22 on an "ok" row); each row is a Comparison with the
    tolerance "diagnose_backprop" printed by the one formatter, as bounds where it passes."""
    network = zoo.MissingSigmaPrimeHidden(DEEP)
    network.weights = [100 * w for w in network.weights]
    diagnosis = diagnose_backprop(network)
    assert diagnosis and {r.comparison.tolerance.name for r in diagnosis.rows} == {"diagnose_backprop"}
    for row in diagnosis.table().rows:
        # the relative cell reads "—" where the reference is zero to within atol (on every machine)
        assert row[-3:-1] in (("≤ 1e-12", "≤ 1e-07"), ("≤ 1e-12", "—")) and row[-1] == "ok", row


def test_the_readme_shows_what_the_worked_example_prints(capsys):
    """The README's table against what the example prints, without the rounding noise: the message,
    the header, each row's layer, gradient, equation and verdict exactly, the numbers to the digits
    shown, and the differences of the rows that fail; a passing row's difference is below the
    tolerance, rounding that varies with NumPy's build, the BLAS and the CPU, so it is not compared."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Check your own backprop", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)
    shown = re.search(r"```text\n(.*?)```", section, flags=re.DOTALL).group(1)
    exec(compile(code, "README worked example", "exec"), {"__name__": "__readme__"})
    printed = capsys.readouterr().out
    (shown_message, shown_header, shown_rows), (message, header, rows) = _table(shown), _table(printed)
    assert (message, header) == (shown_message, shown_header)
    assert [row[0] for row in rows] == [row[0] for row in shown_rows]  # layer, gradient, equation, verdict
    assert any(row[0][-1] == "ok" for row in rows) and any(row[0][-1] == "FAIL" for row in rows)
    for (labels, previews, differences), (_, shown_previews, shown_differences) in zip(rows, shown_rows):
        assert previews == pytest.approx(shown_previews, rel=2e-3), labels  # 4 significant digits
        if labels[-1] != "ok":
            assert differences == pytest.approx(shown_differences, rel=2e-2), labels  # 3 significant digits


def _table(text: str) -> tuple[str, str, list[tuple[tuple[str, ...], list[float], list[float]]]]:
    """A printed diagnosis as (message, header, rows); each row as (layer, gradient, equation,
    verdict), the numbers of its two previews, and the numbers of its difference cells."""
    import re

    number = r"-?\d+\.?\d*(?:e[-+]?\d+)?"
    message, header, *lines = text.rstrip("\n").split("\n")
    rows = []
    for line in lines:
        layer, gradient, equation, yours, graph, *difference_cells, verdict = re.split(r"\s{2,}", line.strip())
        previews = [float(n) for n in re.findall(number, f"{yours} {graph}")]
        differences = [float(n) for n in re.findall(number, " ".join(difference_cells))]
        rows.append(((layer, gradient, equation, verdict), previews, differences))
    return message, " ".join(header.split()), rows


def test_non_finite_samples_and_non_pairs_are_refused_by_name():
    import numpy as np

    import autograd_tiny.nn as nn

    weights, biases = [np.ones((1, 2))], [np.zeros((1, 1))]

    def backprop(x, y):
        return [np.zeros((1, 1))], [np.zeros((1, 2))]

    with pytest.raises(ValueError, match=r"samples\[0\] contains nan or inf \(x\[0, 0\] is nan, x\[1, 0\] is nan\)"):
        nn.diagnose_backprop(
            backprop, weights=weights, biases=biases, samples=[(np.full((2, 1), np.nan), np.ones((1, 1)))]
        )
    with pytest.raises(ValueError, match=r"samples\[0\] is not an \(x, y\) pair"):
        nn.diagnose_backprop(backprop, weights=weights, biases=biases, samples=[np.ones((2, 1))])


def test_a_softmax_output_layer_is_described_with_its_own_delta():
    import numpy as np

    import autograd_tiny.nn as nn

    rng = np.random.default_rng(0)
    weights, biases = [rng.normal(size=(3, 2)), rng.normal(size=(3, 3))], [np.zeros((3, 1)), np.zeros((3, 1))]

    def backprop(x, y):  # right but for a halved output error
        z1 = weights[0] @ x + biases[0]
        a1 = 1 / (1 + np.exp(-z1))
        z2 = weights[1] @ a1 + biases[1]
        a2 = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
        delta2 = 0.5 * (a2 - y)
        delta1 = (weights[1].T @ delta2) * a1 * (1 - a1)
        return [delta1, delta2], [delta1 @ x.T, delta2 @ a1.T]

    diagnosis = nn.diagnose_backprop(backprop, weights=weights, biases=biases, loss="softmax_cross_entropy")
    assert (diagnosis.equation, diagnosis.layer) == ("BP1", 2)
    assert "δ² = a² − y" in diagnosis.message and "∇ₐC" not in diagnosis.message
