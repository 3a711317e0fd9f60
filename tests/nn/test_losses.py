"""Each cost's value and its ∇ₐC against the graph's gradient, and bad targets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_tiny import Value
from autograd_tiny.nn import l2, losses


def graph_gradient(loss, a, y):
    outputs = [Value(v) for v in a]
    cost = loss(outputs, y)
    cost.backward()
    return cost.data, [o.grad for o in outputs]


@pytest.mark.parametrize(
    ("loss", "a", "y", "expected_cost"),
    [
        (losses.quadratic, [0.5, 2.0], [1.0, 1.0], 0.5 * (0.25 + 1.0)),
        (losses.mse, [0.5, 2.0], [1.0, 1.0], (0.25 + 1.0) / 2),
        (losses.binary_cross_entropy, [0.8], 1.0, -math.log(0.8)),
        (losses.binary_cross_entropy_with_logits, [1.5], 0.0, math.log(1 + math.exp(1.5))),
        (
            losses.softmax_cross_entropy,
            [1.0, 2.0, 0.5],
            1,
            -math.log(math.exp(2) / (math.e + math.exp(2) + math.exp(0.5))),
        ),
        (losses.hinge, [0.3], -1.0, 1.3),
    ],
)
def test_cost_value_and_gradient_match_the_documented_formulas(loss, a, y, expected_cost):
    cost, grad = graph_gradient(loss, a, y)
    assert cost == pytest.approx(expected_cost, rel=1e-14)
    prepared = loss.prepare_targets([y], 1, len(a))
    assert grad == pytest.approx(loss.gradient(np.array([a]), prepared)[0], rel=1e-12)


def test_logits_cost_is_stable_for_huge_logits():
    cost, grad = graph_gradient(losses.binary_cross_entropy_with_logits, [800.0], 0.0)
    assert (cost, grad) == (800.0, [1.0])
    cost, grad = graph_gradient(losses.softmax_cross_entropy, [1000.0, -1000.0], 1)
    assert (cost, grad) == (2000.0, [1.0, -1.0])


def test_logits_cost_derivative_at_zero_is_sigma_minus_y():
    _, grad = graph_gradient(losses.binary_cross_entropy_with_logits, [0.0], 1.0)
    assert grad == [-0.5]


def test_l2_penalty():
    params = [Value(1.0), Value(-2.0)]
    penalty = l2(params, 0.1)
    penalty.backward()
    assert penalty.data == pytest.approx(0.5) and [p.grad for p in params] == pytest.approx([0.2, -0.4])


def test_binary_targets_must_be_zero_or_one():
    with pytest.raises(
        ValueError, match=r"^binary_cross_entropy targets must be in \[0.0, 1.0\], found \[-1.0\]: target is -1.0$"
    ):
        losses.binary_cross_entropy([Value(0.5)], -1.0)
    with pytest.raises(ValueError, match=r"found \[-1.0, 2.0\]: target\[1\] is 2.0 \(2 such entries\)$"):
        losses.binary_cross_entropy([Value(0.5)] * 3, [1.0, 2.0, -1.0])


def test_hinge_targets_must_be_plus_or_minus_one():
    with pytest.raises(ValueError, match=r"^hinge targets must be in \[-1.0, 1.0\], found \[0.0\]: target is 0.0$"):
        losses.hinge([Value(0.5)], 0)


def test_a_batch_names_its_first_bad_target_as_the_caller_indexes_it():
    with pytest.raises(ValueError, match=r"^hinge targets must be in \[-1.0, 1.0\], found \[0.0\]: y\[2\] is 0.0$"):
        losses.hinge.prepare_targets([1, -1, 0], 3, 1)
    with pytest.raises(ValueError, match=r"found \[0.5, 3\]: y\[1\] is 3 \(2 such entries\)$"):
        losses.softmax_cross_entropy.prepare_targets([0, 3, 0.5], 3, 3)


def test_class_index_must_be_in_range():
    message = r"^softmax_cross_entropy class indices must be whole numbers from 0 to 1, found \[{}\]: target is {}$"
    with pytest.raises(ValueError, match=message.format(2, 2)):
        losses.softmax_cross_entropy([Value(0.5), Value(1.0)], 2)
    with pytest.raises(ValueError, match=message.format(0.5, 0.5)):
        losses.softmax_cross_entropy([Value(0.5), Value(1.0)], 0.5)


def test_target_of_wrong_length_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^quadratic target has a row of 3, expected 2 \(one per output\)$"):
        losses.quadratic([Value(0.5), Value(1.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^softmax_cross_entropy needs one class index per sample, got a row of 2$"):
        losses.softmax_cross_entropy([Value(0.5), Value(1.0)], [0, 1])


@pytest.mark.parametrize(
    ("loss", "target", "n_outputs"),
    [
        (losses.binary_cross_entropy, 2.0, 1),  # gave a cost, without an error
        (losses.hinge, 0.0, 1),  # gave a cost, without an error
        (losses.binary_cross_entropy, [0.0, -1.0], 2),
        (losses.quadratic, math.nan, 1),
        (losses.quadratic, 1.0, 2),
        (losses.softmax_cross_entropy, 2.5, 3),
        (losses.softmax_cross_entropy, 3.0, 3),
        (losses.softmax_cross_entropy, [0.0, 1.0], 2),
    ],
)
def test_a_target_of_values_is_refused_as_the_same_numbers_given_plainly(loss, target, n_outputs):
    """Outside vectorize's recording a Value's number is the target: one set of rules, one message."""
    outputs = [Value(0.25 * (k + 1)) for k in range(n_outputs)]
    as_values = Value(target) if np.ndim(target) == 0 else [Value(t) for t in target]
    with pytest.raises(ValueError) as plain:
        loss(outputs, target)
    with pytest.raises(ValueError) as values:
        loss(outputs, as_values)
    assert str(values.value) == str(plain.value) and str(plain.value).startswith(loss.name)


def test_a_target_of_values_gives_the_plain_numbers_cost_and_its_gradient_reaches_y():
    a = [Value(0.5), Value(1.0)]
    y = Value(0.25)
    cost = losses.quadratic([Value(0.5), Value(1.0)], [y, 1.0])  # a row may mix Values and numbers
    cost.backward()
    assert cost.data == 0.5 * 0.25**2 and y.grad == -0.25  # C = ½ Σ (a − y)², ∂C/∂y = −(a − y)
    index = Value(1.0)
    assert losses.softmax_cross_entropy(a, index).data == losses.softmax_cross_entropy(a, 1).data
    label = Value(1.0)
    probability = Value(0.8)
    assert losses.binary_cross_entropy([probability], label).data == pytest.approx(-math.log(0.8), rel=1e-15)


def test_non_numeric_targets_are_a_clear_error():
    with pytest.raises(ValueError, match="mse target must be numbers"):
        losses.mse([Value(0.5)], "abc")


def test_get_loss_by_name_and_unknown_name():
    assert losses.get_loss("hinge") is losses.hinge
    with pytest.raises(ValueError, match="unknown loss 'l1': expected one of 'quadratic', 'mse'"):
        losses.get_loss("l1")


def test_one_vocabulary_of_loss_names_with_the_old_spelling_as_an_alias():
    from autograd_tiny.nn import losses
    from autograd_tiny.nn.diagnose import DIAGNOSED_LOSSES

    assert losses.get_loss("cross_entropy") is losses.get_loss("binary_cross_entropy")
    assert set(DIAGNOSED_LOSSES) <= set(losses.LOSSES)
