"""Neuron, Layer, MLP: labels, pre-activation marks, traces, initialisation, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_tiny import Value
from autograd_tiny.nn import MLP, Layer, Neuron, initial_weights, losses


def test_weights_biases_and_nodes_are_labelled_by_layer_and_neuron():
    model = MLP(2, [3, 1], seed=0)
    neuron = model.layers[0].neurons[2]
    assert [w.label for w in neuron.w] == ["w[1][2,0]", "w[1][2,1]"]
    assert neuron.b.label == "b[1][2]"
    trace = model.trace([0.5, -0.5])
    assert trace.z[0][2].label == "z[1][2]" and trace.a[0][2].label == "a[1][2]"
    assert [x.label for x in trace.inputs] == ["x[0]", "x[1]"]


def test_preactivations_are_marked_for_viz():
    trace = MLP(2, [3, 1], seed=0).trace([1.0, 2.0])
    assert trace.z[1][0].meta == {"role": "preactivation", "layer": 2, "neuron": 0}
    assert trace.a[0][1].meta["role"] == "activation"


def test_fused_preactivation_is_one_dot_node():
    trace = MLP(2, [3], seed=0).trace([1.0, 2.0])
    z = trace.z[0][0]
    assert (z.op, len(z.inputs)) == ("dot", 5)


def test_unfused_preactivation_is_built_from_binary_ops():
    trace = MLP(2, [3], seed=0, fused=False).trace([1.0, 2.0])
    z = trace.z[0][0]
    assert z.op == "+" and {v.op for v in z.inputs} <= {"*", "+", ""}


def test_model_output_is_always_a_list():
    out = MLP(2, [1], seed=0)([0.1, 0.2])
    assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], Value)


def test_linear_output_activation_is_the_preactivation_itself():
    trace = MLP(2, [2, 1], seed=0).trace([0.1, 0.2])
    assert trace.a[1][0] is trace.z[1][0]


def test_trace_delta_reads_z_gradients_after_backward():
    model = MLP(2, [2, 1], seed=0)
    trace = model.trace([0.3, 0.4])
    losses.quadratic(trace.output, 1.0).backward()
    assert trace.delta(1) == [trace.z[1][0].grad]
    assert trace.delta(1)[0] == trace.output[0].data - 1.0  # linear output, quadratic cost: δᴸ = a − y


def test_same_seed_same_model_and_different_seed_different_model():
    first, second, other = MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=8)
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()]
    assert [p.data for p in first.parameters()] != [p.data for p in other.parameters()]


def test_initialisation_is_scaled_by_fan_in():
    rng = np.random.default_rng(0)
    assert initial_weights(rng, 400, 100, "tanh").std() == pytest.approx(np.sqrt(1 / 100), rel=0.03)
    assert initial_weights(rng, 400, 100, "relu").std() == pytest.approx(np.sqrt(2 / 100), rel=0.03)
    assert all(p.data == 0.0 for layer in MLP(3, [2], seed=0).layers for n in layer.neurons for p in [n.b])


def test_parameters_count_and_zero_grad():
    model = MLP(3, [4, 2], seed=0)
    assert len(model.parameters()) == (3 * 4 + 4) + (4 * 2 + 2)
    losses.mse(model([1, 2, 3]), [0.0, 1.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_to_numpy_and_from_numpy_round_trip():
    model = MLP(3, [4, 2], activation="relu", output_activation="sigmoid", seed=1)
    params = model.to_numpy()
    assert [(W.shape, b.shape) for W, b in params] == [((4, 3), (4,)), ((2, 4), (2,))]
    copy = MLP.from_numpy(params, model.activations)
    assert copy.activations == ["relu", "sigmoid"]
    assert [v.data for v in copy([1, 2, 3])] == [v.data for v in model([1, 2, 3])]


def test_wrong_input_length_names_expected_and_received():
    with pytest.raises(ValueError, match="expected a sample of length 2, got length 3"):
        MLP(2, [1], seed=0)([1, 2, 3])


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown activation 'softplus': expected one of 'tanh', 'sigmoid'"):
        MLP(2, [1], activation="softplus")


def test_bad_sizes_are_clear_errors():
    with pytest.raises(ValueError, match="nouts must be a non-empty list"):
        MLP(2, [])
    with pytest.raises(ValueError, match="nin must be a positive integer, got 0"):
        MLP(0, [1])
    with pytest.raises(ValueError, match=r"layer 1 weights have shape \(2, 2\), expected \(3, 2\)"):
        Layer(2, 3, weights=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="layer 2 weights have 5 columns, expected 3"):
        MLP.from_numpy([(np.zeros((3, 2)), np.zeros(3)), (np.zeros((1, 5)), np.zeros(1))])


def test_neuron_alone():
    n = Neuron(2, "relu", weights=[1.0, -1.0], bias=0.5)
    assert n([2.0, 1.0]).data == 1.5 and n([0.0, 1.0]).data == 0.0


def test_from_numpy_builds_through_the_constructor_with_one_activation_per_layer():
    model = MLP(2, [3, 3, 1], seed=4)
    params = model.to_numpy()
    copy = MLP.from_numpy(params, ["relu", "sigmoid", "linear"], fused=False)
    direct = MLP(2, [3, 3, 1], activations=["relu", "sigmoid", "linear"], params=params, fused=False)
    for built in (copy, direct):
        assert (built.nin, built.sizes, built.activations, built.fused) == (
            2,
            [2, 3, 3, 1],
            ["relu", "sigmoid", "linear"],
            False,
        )
        assert all(
            np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(built.to_numpy(), params)
        )
    assert [v.data for v in copy([0.3, -0.2])] == [v.data for v in direct([0.3, -0.2])]


def test_the_constructor_says_when_activations_or_params_do_not_match_the_layers():
    with pytest.raises(ValueError, match="2 layers need 2 activations, got 1"):
        MLP(2, [3, 1], activations=["tanh"])
    with pytest.raises(ValueError, match=r"2 layers need 2 \(W, b\) pairs, got 1"):
        MLP(2, [3, 1], params=[(np.zeros((3, 2)), np.zeros(3))])
    with pytest.raises(ValueError, match=r"layer 2 weights have shape \(1, 4\), expected \(1, 3\)"):
        MLP(2, [3, 1], params=[(np.zeros((3, 2)), np.zeros(3)), (np.zeros((1, 4)), np.zeros(1))])
