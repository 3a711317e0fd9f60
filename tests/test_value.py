"""Value: construction, repr, operators, and each operation's gradient."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny import Value

from .conftest import central_difference, engine_gradient


def test_value_stores_a_float_and_starts_with_zero_grad():
    v = Value(3, "x")
    assert (v.data, type(v.data), v.grad, v.label, v.op, v.inputs) == (3.0, float, 0.0, "x", "", ())


def test_value_accepts_numpy_real_scalars():
    assert Value(np.float32(1.5)).data == 1.5
    assert Value(np.int64(7)).data == 7.0
    assert Value(np.array(2.5)).data == 2.5


@pytest.mark.parametrize(
    ("bad", "kind"),
    [("1.0", "str"), (None, "NoneType"), (1 + 2j, "complex"), ([1.0], "list"), (np.complex128(1), "complex128")],
)
def test_value_rejects_non_real_numbers_naming_the_type(bad, kind):
    with pytest.raises(TypeError, match=rf"Value needs a real number .*got {kind}"):
        Value(bad)


def test_value_rejects_a_non_string_label():
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, 5)


def test_repr_shows_data_grad_and_label():
    v = Value(2.0, "w")
    v.grad = 0.5
    assert repr(v) == "Value(data=2.0, grad=0.5, label='w')"
    assert repr(Value(1.0)) == "Value(data=1.0, grad=0.0)"


def test_operations_record_their_name_and_inputs():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    c = a * b
    assert (c.op, c.inputs, c.data) == ("*", (a, b), 6.0)
    assert [(a + b).op, (a - b).op, (a / b).op, (a**b).op, (a**2).op, (-a).op] == ["+", "-", "/", "**", "**", "neg"]
    assert [a.exp().op, a.log().op, a.tanh().op, a.sigmoid().op, a.relu().op] == [
        "exp",
        "log",
        "tanh",
        "sigmoid",
        "relu",
    ]


def test_numbers_work_on_either_side():
    x = Value(2.0)
    assert [(x + 1).data, (1 + x).data, (x - 1).data, (1 - x).data] == [3.0, 3.0, 1.0, -1.0]
    assert [(x * 3).data, (3 * x).data, (x / 4).data, (4 / x).data] == [6.0, 6.0, 0.5, 2.0]
    assert [(x**3).data, (3**x).data, (np.float64(1.0) + x).data] == [8.0, 9.0, 3.0]


def test_unsupported_operand_raises_type_error_naming_both_types():
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'Value' and 'str'"):
        Value(1.0) + "a"
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*: 'dict' and 'Value'"):
        {} * Value(1.0)


def test_comparisons_compare_numbers_and_equality_is_identity():
    a, b = Value(1.0), Value(2.0)
    assert (a < b, a <= 1, b > 1.5, b >= b, a > 3) == (True, True, True, True, False)
    assert a != Value(1.0) and a == a
    assert len({a, b, a}) == 2


# Every operation against central finite differences at several points.
UNARY = {
    "neg": (lambda x: -x, [-2.0, 0.3, 4.0]),
    "exp": (lambda x: x.exp(), [-3.0, 0.0, 1.7]),
    "log": (lambda x: x.log(), [0.1, 1.0, 5.0]),
    "tanh": (lambda x: x.tanh(), [-2.0, 0.0, 0.7]),
    "sigmoid": (lambda x: x.sigmoid(), [-4.0, 0.0, 2.5]),
    "relu": (lambda x: x.relu(), [-1.5, 0.25, 3.0]),
    "pow const": (lambda x: x**3, [-2.0, 0.5, 1.5]),
    "pow negative base integer exponent": (lambda x: x**-2, [-3.0, -0.5, 2.0]),
    "pow fractional exponent": (lambda x: x**0.5, [0.25, 1.0, 9.0]),
    "rpow": (lambda x: 2.0**x, [-1.0, 0.0, 3.0]),
    "rdiv": (lambda x: 3.0 / x, [-2.0, 0.5, 4.0]),
    "rsub": (lambda x: 3.0 - x, [-2.0, 0.5, 4.0]),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow value exponent": lambda a, b: a**b,
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_operation_gradient_matches_finite_differences(name):
    f, points = UNARY[name]
    for x in points:
        [grad] = engine_gradient(f, [x])
        assert grad == pytest.approx(central_difference(f, [x], 0), rel=1e-6, abs=1e-8), (name, x)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("point", [(1.5, 2.0), (0.3, -1.2), (2.5, 0.5)])
def test_binary_operation_gradient_matches_finite_differences(name, point):
    f = BINARY[name]
    grads = engine_gradient(f, point)
    expected = [central_difference(f, point, i) for i in range(2)]
    assert grads == pytest.approx(expected, rel=1e-6, abs=1e-8)


def test_closed_form_gradients():
    x = Value(0.5)
    x.tanh().backward()
    assert x.grad == 1 - math.tanh(0.5) ** 2
    a, b = Value(2.0), Value(3.0)
    (a**b).backward()
    assert (a.grad, b.grad) == (3 * 2.0**2, 8.0 * math.log(2.0))


def test_relu_derivative_at_the_kink_is_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_pow_with_negative_base_and_integer_exponent():
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)


def test_constant_exponent_gets_zero_gradient_even_for_a_negative_base():
    x = Value(-2.0)
    y = x**2
    y.backward()
    exponent = y.inputs[1]
    assert (x.grad, exponent.grad, exponent.data) == (-4.0, 0.0, 2.0)


def test_sum_is_one_node_with_unit_local_gradients():
    xs = [Value(float(i)) for i in range(5)]
    s = at.sum(xs)
    assert (s.op, s.data, len(s.inputs), s.local_grads()) == ("sum", 10.0, 5, (1.0,) * 5)
    s.backward()
    assert [x.grad for x in xs] == [1.0] * 5


def test_sum_of_nothing_is_zero_and_numbers_become_constants():
    assert at.sum([]).data == 0.0
    assert at.sum([1, Value(2.0), 3.5]).data == 6.5


def test_dot_local_gradients_are_the_other_factors():
    w = [Value(2.0, "w0"), Value(-1.0, "w1")]
    x = [Value(3.0, "x0"), Value(5.0, "x1")]
    b = Value(0.5, "b")
    z = at.dot(w, x, b)
    assert (z.op, z.data) == ("dot", 2.0 * 3.0 - 5.0 + 0.5)
    assert z.local_grads() == (3.0, 5.0, 2.0, -1.0, 1.0)
    z.backward()
    assert [v.grad for v in (*w, *x, b)] == [3.0, 5.0, 2.0, -1.0, 1.0]


def test_dot_without_bias_and_with_numbers():
    w = [Value(2.0), Value(3.0)]
    z = at.dot(w, [1, 2])
    z.backward()
    assert (z.data, len(z.inputs), [v.grad for v in w]) == (8.0, 4, [1.0, 2.0])


def test_dot_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="as many weights as inputs, got 2 weights and 3 inputs"):
        at.dot([1, 2], [1, 2, 3])


def test_dot_rejects_a_non_number_naming_its_position():
    with pytest.raises(TypeError, match=r"dot inputs\[1\]: Value needs a real number .*got str"):
        at.dot([1, 2], [1, "x"])


def test_matvec_is_one_dot_per_row_with_the_same_inputs_numbers_and_derivatives():
    rng = np.random.default_rng(0)
    rows = [[Value(float(w)) for w in row] for row in rng.normal(size=(3, 4))]
    x = [Value(float(v)) for v in rng.normal(size=4)] + [2.5]  # a number becomes a constant leaf
    rows = [[*row, 0.5] for row in rows]
    biases = [Value(0.1), 0.2, Value(-0.3)]
    nodes = at.matvec(rows, x, biases)
    for row, bias, node in zip(rows, biases, nodes):
        expected = at.dot(row, x, bias)
        assert (node.op, node.data, node.local_grads()) == ("dot", expected.data, expected.local_grads())
        assert [i.data for i in node.inputs] == [i.data for i in expected.inputs]
    assert nodes[0].inputs[5:9] == tuple(x[:4]) and nodes[2].inputs[-1] is biases[2]
    numbers = [[w.data if isinstance(w, Value) else w for w in row] for row in rows]
    again = at.matvec(rows, x, biases, row_numbers=numbers)
    assert [(n.data, n.local_grads()) for n in again] == [(n.data, n.local_grads()) for n in nodes]


def test_matvec_says_which_row_or_bias_does_not_fit():
    rows = [[Value(1.0), Value(2.0)], [Value(3.0)]]
    with pytest.raises(ValueError, match=r"matvec: rows\[1\] has 1 weights, the inputs are 2"):
        at.matvec(rows, [1.0, 2.0])
    with pytest.raises(ValueError, match="matvec needs one bias per row, got 1 biases and 2 rows"):
        at.matvec(rows[:1] * 2, [1.0, 2.0], [0.0])
    with pytest.raises(ValueError, match=r"row_numbers\[0\] has 1 numbers, rows\[0\] 2"):
        at.matvec(rows[:1], [1.0, 2.0], row_numbers=[[1.0]])
    with pytest.raises(ValueError, match="the numbers of every row, got 1 for 2 rows"):
        at.matvec(rows[:1] * 2, [1.0, 2.0], row_numbers=[[1.0, 2.0]])
    with pytest.raises(TypeError, match=r"matvec inputs\[1\]: Value needs a real number"):
        at.matvec(rows[:1], [1.0, "x"])


def test_local_grads_of_a_leaf_is_empty():
    assert Value(1.0).local_grads() == ()


def test_float_conversion():
    assert float(Value(2.5)) == 2.5


def test_a_value_shows_itself_in_jupyter_as_one_escaped_row():
    x = Value(2.0, "x<1>")
    y = (x * 3.0).tanh()
    y.label = "y"
    html = y._repr_html_()
    assert "<td" in html and "tanh(·)" in html and ">y<" in html
    assert "x&lt;1&gt;" in x._repr_html_() and "leaf" in x._repr_html_()
    assert "graph" not in html  # never a drawing: draw_graph does that on request


def test_an_integer_too_large_for_a_float_is_refused_with_a_clear_message():
    with pytest.raises(OverflowError, match="Value: an integer of 401 digits is too large for a float"):
        Value(10**400)
    with pytest.raises(OverflowError, match="too large for a float"):
        Value(1.0) + 10**400


def test_jupyter_shows_how_a_value_was_computed_in_its_own_notation():
    x = Value(3.0, "x")
    assert "x ** 2" in (x**2)._repr_html_()
    assert "tanh(x)" in x.tanh()._repr_html_()
