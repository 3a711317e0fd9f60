"""micrograd's lecture code runs on autograd-tiny with only its import lines changed.

Each script below is written the way micrograd's lecture and its notebooks (``demo.ipynb``,
``trace_graph.ipynb``) use the library: ``Value(2.0, label='a')``, ``L.grad = 1.0`` then
``_backward()`` node by node, ``_prev``/``_op`` in a hand-written Graphviz tracer, ``Neuron``,
``MLP(2, [16, 16, 1])``, the hinge-loss training loop. Each is run twice, once with
micrograd 0.1.0's imports and once with ours, and the numbers must agree.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from autograd_tiny import Value

MICROGRAD = (
    "from micrograd.engine import Value\nfrom micrograd import nn\nfrom micrograd.nn import Neuron, Layer, MLP\n"
)
OURS = (
    "from autograd_tiny.micrograd.engine import Value\nfrom autograd_tiny.micrograd import nn\n"
    "from autograd_tiny.micrograd.nn import Neuron, Layer, MLP\n"
)

TRAINING = """
import random
import numpy as np

np.random.seed(1337)
random.seed(1337)
t = np.random.uniform(0, np.pi, 100)
upper = np.arange(100) % 2 == 0
X = np.stack([np.where(upper, np.cos(t), 1 - np.cos(t)), np.where(upper, np.sin(t), 0.5 - np.sin(t))], axis=1)
X = X + np.random.normal(0, 0.1, X.shape)
y = np.where(upper, -1, 1)

model = MLP(2, [16, 16, 1])
description = str(model)
n_parameters = len(model.parameters())

def loss(batch_size=None):
    if batch_size is None:
        Xb, yb = X, y
    else:
        ri = np.random.permutation(X.shape[0])[:batch_size]
        Xb, yb = X[ri], y[ri]
    inputs = [list(map(Value, xrow)) for xrow in Xb]
    scores = list(map(model, inputs))
    losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p*p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
    return total_loss, sum(accuracy) / len(accuracy)

history = []
for k in range(STEPS):
    total_loss, acc = loss()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9*k/100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    history.append((total_loss.data, acc))
first_weights = [p.data for p in model.parameters()[:5]]
"""


def run(imports: str, script: str, **names) -> dict:
    namespace = dict(names)
    exec(compile(imports + script, "<lecture>", "exec"), namespace)
    return namespace


def test_the_demo_training_loop_gives_micrograds_losses_and_accuracies_step_by_step(cyclic_gc_paused):
    pytest.importorskip("micrograd", reason="micrograd 0.1.0 is the oracle: pip install micrograd==0.1.0")
    theirs = run(MICROGRAD, TRAINING, STEPS=4)
    ours = run(OURS, TRAINING, STEPS=4)
    assert ours["description"] == theirs["description"]
    assert ours["n_parameters"] == theirs["n_parameters"] == 337
    for (our_loss, our_acc), (their_loss, their_acc) in zip(ours["history"], theirs["history"]):
        assert our_loss == pytest.approx(their_loss, rel=1e-12)
        assert our_acc == their_acc
    assert ours["first_weights"] == pytest.approx(theirs["first_weights"], rel=1e-12)


MANUAL = """
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'
L.grad = 1.0
L._backward()
d._backward()
e._backward()
a._backward()  # a leaf: nothing to do
"""


def test_the_lectures_manual_backward_node_by_node():
    ours = run(OURS, MANUAL)
    grads = {name: ours[name].grad for name in "abcdefL"}
    assert grads == {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0, "L": 1.0}
    assert ours["L"]._op == "*" and ours["a"]._op == ""
    assert ours["L"]._prev == {ours["d"], ours["f"]}


TRACER = """
from graphviz import Digraph

def trace(root):
    nodes, edges = set(), set()
    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(root)
    return nodes, edges

def draw_dot(root, format='svg', rankdir='LR'):
    nodes, edges = trace(root)
    dot = Digraph(format=format, graph_attr={'rankdir': rankdir})
    for n in nodes:
        dot.node(name=str(id(n)), label="{ data %.4f | grad %.4f }" % (n.data, n.grad), shape='record')
        if n._op:
            dot.node(name=str(id(n)) + n._op, label=n._op)
            dot.edge(str(id(n)) + n._op, str(id(n)))
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot

x = Value(1.0)
y = (x * 2 + 1).relu()
y.backward()
simple = draw_dot(y)

random.seed(1337)
n = nn.Neuron(2)
x = [Value(1.0), Value(-2.0)]
y = n(x)
y.backward()
neuron = draw_dot(y)
neuron_output, neuron_grads = y.data, [w.grad for w in n.w] + [n.b.grad]
"""


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_the_hand_written_graphviz_tracer_renders_our_values(tmp_path):
    ours = run(OURS, TRACER, random=random)
    svg = ours["neuron"].pipe(format="svg").decode()
    assert svg.count('<g id="node') == 15  # 10 Values (5 leaves, 2 products, 2 sums, relu) and their 5 ops
    assert "grad 1.0000" in svg and "relu" in svg
    path = ours["simple"].render(str(tmp_path / "gout"))
    assert path.endswith(".svg") and "data 3.0000" in Path(path).read_text()
    pytest.importorskip("micrograd", reason="micrograd 0.1.0 is the oracle: pip install micrograd==0.1.0")
    theirs = run(MICROGRAD, TRACER, random=random)
    assert ours["neuron_output"] == theirs["neuron_output"]
    assert ours["neuron_grads"] == theirs["neuron_grads"]


def test_a_micrograd_neuron_is_made_of_our_values_with_its_delta_marked():
    import autograd_tiny as at
    from autograd_tiny.micrograd.nn import MLP

    random.seed(0)
    model = MLP(2, [3, 1])
    score = model([0.5, -1.0])
    assert isinstance(score, at.Value)  # one output: the Value itself, as micrograd
    score.backward()
    preactivations = [v for v in at.topological_order(score) if v.meta and v.meta.get("role") == "preactivation"]
    assert len(preactivations) == 4
    output_z = preactivations[-1]
    assert output_z is score and output_z.grad == 1.0  # linear output: δᴸ = ∂score/∂z = 1
    np.testing.assert_allclose(
        [p.grad for p in model.layers[1].neurons[0].w], [z.relu().data for z in preactivations[:3]]
    )  # BP4: ∂C/∂wⱼ = δ · aⱼ


def test_the_graph_cannot_be_changed_through_prev_and_a_neuron_without_inputs_keeps_its_bias():
    from autograd_tiny.micrograd.nn import MLP, Neuron

    a, b = Value(1.0), Value(2.0)
    assert isinstance((a * b)._prev, frozenset)
    neuron = Neuron(0, nonlin=False)
    assert neuron([]) is neuron.b and neuron.b.label == "b" and neuron.b.meta is None
    with pytest.raises(TypeError, match=r"check_backprop needs an autograd_tiny.nn.MLP .*micrograd.nn.MLP"):
        from autograd_tiny.nn import check_backprop

        check_backprop(MLP(2, [1]), [[0.0, 1.0]], [1.0], "quadratic")
